using Mongo.Driver.Events;

namespace Mongo.Driver;

public sealed partial class MongoClientSettings
{
    private IReadOnlyList<IEventSubscriber> _eventSubscribers = [];

    /// <summary>
    /// Who receives the client's monitoring events (connection pool, topology, heartbeat and command events; see
    /// <see cref="Mongo.Driver.Events"/>). Empty by default: an event type nobody subscribes to costs nothing.
    /// A client reads the subscribers once, when it is created.
    /// </summary>
    public IReadOnlyList<IEventSubscriber> EventSubscribers
    {
        get => _eventSubscribers;
        set => _eventSubscribers = value is null ? throw new ArgumentNullException(nameof(value)) : [.. value];
    }

    /// <summary>
    /// Adds a handler for one event type (a shortcut for adding an <see cref="EventSubscriber"/> to
    /// <see cref="EventSubscribers"/>); returns these settings for chaining. Settings cloned earlier are not affected.
    /// </summary>
    /// <typeparam name="TEvent">An event type from <see cref="Mongo.Driver.Events"/>, e.g. <see cref="CommandStartedEvent"/>.</typeparam>
    public MongoClientSettings Subscribe<TEvent>(Action<TEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _eventSubscribers = [.. _eventSubscribers, new EventSubscriber().Subscribe(handler)];
        return this;
    }

    /// <summary>
    /// Whether the driver's spans (<see cref="Diagnostics.MongoTelemetry.ActivitySourceName"/>) carry
    /// <c>db.query.text</c>: the command as extended JSON, cut at <see cref="MaxLoggedDocumentLength"/> like command log
    /// messages, and never for sensitive commands (authentication, user management). Off by default, as the OpenTelemetry
    /// conventions ask, because a command carries the application's data.
    /// </summary>
    public bool TraceQueryText { get; set; }

    /// <summary>
    /// Longest extended JSON representation of a document (command, reply) in a log message before it is cut and
    /// "..." appended; null (the default) reads <c>MONGODB_LOG_MAX_DOCUMENT_LENGTH</c>, else 1000.
    /// </summary>
    public int? MaxLoggedDocumentLength
    {
        get;
        set => field = value is null or >= 0 ? value : throw new MongoConfigurationException("Invalid setting 'maxLoggedDocumentLength': it must not be negative.");
    }
}
