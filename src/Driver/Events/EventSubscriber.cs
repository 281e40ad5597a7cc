namespace Mongo.Driver.Events;

/// <summary>
/// A simple <see cref="IEventSubscriber"/>: register a handler per event type with <see cref="Subscribe{TEvent}"/>
/// (several handlers of one type run in registration order), then add it to
/// <see cref="MongoClientSettings.EventSubscribers"/>, or call <see cref="MongoClientSettings.Subscribe{TEvent}"/> directly.
/// </summary>
/// <example>
/// <code>
/// var settings = MongoClientSettings.FromConnectionString("mongodb://localhost");
/// settings.Subscribe&lt;CommandStartedEvent&gt;(e =&gt; Console.WriteLine($"{e.CommandName} on {e.DatabaseName}"));
/// settings.Subscribe&lt;ConnectionCheckedOutEvent&gt;(e =&gt; metrics.Record(e.Duration));
/// </code>
/// </example>
public sealed class EventSubscriber : IEventSubscriber
{
    private readonly object _gate = new();
    private readonly Dictionary<Type, Delegate> _handlers = [];

    /// <summary>Adds a handler for <typeparamref name="TEvent"/>; returns this subscriber for chaining.</summary>
    /// <remarks>Clients created before this call do not see the handler: they resolve handlers once, when created.</remarks>
    public EventSubscriber Subscribe<TEvent>(Action<TEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers[typeof(TEvent)] = _handlers.TryGetValue(typeof(TEvent), out Delegate? existing)
                ? Delegate.Combine(existing, handler)
                : handler;
        }

        return this;
    }

    /// <inheritdoc />
    public bool TryGetEventHandler<TEvent>(out Action<TEvent>? handler)
    {
        lock (_gate)
        {
            handler = _handlers.TryGetValue(typeof(TEvent), out Delegate? found) ? (Action<TEvent>)found : null;
        }

        return handler is not null;
    }
}
