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
    /// Whether the driver's command spans (<see cref="Diagnostics.MongoTelemetry.ActivitySourceName"/>) carry
    /// <c>db.query.text</c>: the command as relaxed extended JSON without <c>lsid</c>, <c>$db</c>, <c>$clusterTime</c> and
    /// <c>signature</c>, cut at <see cref="TraceQueryTextMaxLength"/> when set, else at <see cref="MaxLoggedDocumentLength"/>
    /// like command log messages, and never for sensitive commands (authentication, user management). Off by default, as
    /// the OpenTelemetry conventions ask, because a command carries the application's data.
    /// </summary>
    public bool TraceQueryText { get; set; }

    /// <summary>
    /// The MongoDB OpenTelemetry specification's <c>tracing.query_text_max_length</c>: the longest <c>db.query.text</c> of a
    /// command span (0: none). Null (the default) uses <see cref="TraceQueryText"/>, else the environment variable
    /// <c>OTEL_DOTNET_INSTRUMENTATION_MONGODB_QUERY_TEXT_MAX_LENGTH</c> (a positive integer), else no <c>db.query.text</c>.
    /// </summary>
    public int? TraceQueryTextMaxLength
    {
        get;
        set => field = value is null or >= 0 ? value : throw new MongoConfigurationException("Invalid setting 'traceQueryTextMaxLength': it must not be negative.");
    }

    /// <summary>
    /// The MongoDB OpenTelemetry specification's <c>tracing.enabled</c>: false keeps this client's operations and commands
    /// out of traces even while a listener subscribes to <see cref="Diagnostics.MongoTelemetry.ActivitySourceName"/>; true
    /// traces them whatever the environment says. Null (the default) follows the environment variable
    /// <c>OTEL_DOTNET_INSTRUMENTATION_MONGODB_ENABLED</c> (<c>0</c>/<c>false</c>/<c>no</c> disables), and otherwise traces
    /// when a listener subscribes: in .NET, subscribing to the source is the application's opt-in. Spans are only ever
    /// created for a listener; <c>db.client.operation.duration</c> does not depend on this setting.
    /// </summary>
    public bool? TracingEnabled { get; set; }

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
