using Mongo.Driver.Events;

namespace Mongo.Testing.Monitoring;

/// <summary>
/// Records every monitoring event a client raises, in order, through the public <see cref="IEventSubscriber"/> API
/// (spec runners use it instead of any internal hook). Thread-safe; events are boxed (tests only).
/// </summary>
public sealed class EventRecorder : IEventSubscriber
{
    private readonly object _gate = new();
    private readonly List<object> _events = [];
    private readonly Func<Type, bool> _filter;

    /// <summary>Records the event types <paramref name="filter"/> accepts (all when null).</summary>
    public EventRecorder(Func<Type, bool>? filter = null) => _filter = filter ?? (_ => true);

    /// <summary>Raised (under the recorder's lock) after each recorded event.</summary>
    public event Action<object>? Recorded;

    /// <summary>Set to false to stop recording (e.g. before the runner's own clean-up commands).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A snapshot of the recorded events.</summary>
    public IReadOnlyList<object> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>How many recorded events satisfy <paramref name="predicate"/>.</summary>
    public int Count(Func<object, bool> predicate)
    {
        lock (_gate)
        {
            return _events.Count(predicate);
        }
    }

    /// <inheritdoc />
    public bool TryGetEventHandler<TEvent>(out Action<TEvent>? handler)
    {
        if (!_filter(typeof(TEvent)))
        {
            handler = null;
            return false;
        }

        handler = e => Add(e!);
        return true;
    }

    /// <summary>The spec's name of an event (its type name without the "Event" suffix, e.g. <c>ConnectionCheckedOut</c>).</summary>
    public static string SpecName(object e)
    {
        string name = e.GetType().Name;
        return name.EndsWith("Event", StringComparison.Ordinal) ? name[..^5] : name;
    }

    /// <summary>A CMAP reason as the spec spells it (camelCase of the enum member).</summary>
    public static string SpecReason(Enum reason)
    {
        string name = reason.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    private void Add(object e)
    {
        if (!Enabled)
        {
            return;
        }

        lock (_gate)
        {
            _events.Add(e);
            Recorded?.Invoke(e);
        }
    }
}
