using System.Globalization;
using Microsoft.Extensions.Logging;
using Mongo.Driver.Events;

namespace Mongo.Driver.Diagnostics;

/// <summary>
/// Raises a client's monitoring events and writes the matching spec log messages. Built once per client from
/// <see cref="MongoClientSettings.EventSubscribers"/> and <see cref="MongoClientSettings.LoggerFactory"/>: each event
/// type resolves to one (possibly null) delegate, so raising an event nobody subscribed to and whose log component
/// is disabled costs a null check and an <see cref="ILogger.IsEnabled"/> call, and allocates nothing.
/// </summary>
internal sealed partial class EventPublisher
{
    /// <summary>The log categories of the logging spec's components.</summary>
    public const string CommandCategory = "Mongo.Driver.Command";
    public const string TopologyCategory = "Mongo.Driver.Topology";
    public const string ServerSelectionCategory = "Mongo.Driver.ServerSelection";
    public const string ConnectionCategory = "Mongo.Driver.Connection";

    /// <summary>Default for <see cref="MaxDocumentLength"/> (logging spec).</summary>
    public const int DefaultMaxDocumentLength = 1000;

    /// <summary>A publisher with no subscribers and no logging (tests and internal components built without settings).</summary>
    public static readonly EventPublisher None = new([], null, DefaultMaxDocumentLength);

    private readonly ILogger? _commandLog;
    private readonly ILogger? _topologyLog;
    private readonly ILogger? _selectionLog;
    private readonly ILogger? _connectionLog;

    public EventPublisher(IReadOnlyList<IEventSubscriber> subscribers, ILoggerFactory? loggerFactory, int maxDocumentLength, bool tracing = true, int queryTextMaxLength = 0)
    {
        MaxDocumentLength = maxDocumentLength;
        Tracing = tracing;
        QueryTextMaxLength = queryTextMaxLength;
        if (loggerFactory is not null)
        {
            _commandLog = loggerFactory.CreateLogger(CommandCategory);
            _topologyLog = loggerFactory.CreateLogger(TopologyCategory);
            _selectionLog = loggerFactory.CreateLogger(ServerSelectionCategory);
            _connectionLog = loggerFactory.CreateLogger(ConnectionCategory);
        }

        _poolCreated = Resolve<ConnectionPoolCreatedEvent>(subscribers);
        _poolReady = Resolve<ConnectionPoolReadyEvent>(subscribers);
        _poolCleared = Resolve<ConnectionPoolClearedEvent>(subscribers);
        _poolClosed = Resolve<ConnectionPoolClosedEvent>(subscribers);
        _connectionCreated = Resolve<ConnectionCreatedEvent>(subscribers);
        _connectionReady = Resolve<ConnectionReadyEvent>(subscribers);
        _connectionClosed = Resolve<ConnectionClosedEvent>(subscribers);
        _checkOutStarted = Resolve<ConnectionCheckOutStartedEvent>(subscribers);
        _checkOutFailed = Resolve<ConnectionCheckOutFailedEvent>(subscribers);
        _checkedOut = Resolve<ConnectionCheckedOutEvent>(subscribers);
        _checkedIn = Resolve<ConnectionCheckedInEvent>(subscribers);
        _topologyOpening = Resolve<TopologyOpeningEvent>(subscribers);
        _topologyClosed = Resolve<TopologyClosedEvent>(subscribers);
        _topologyChanged = Resolve<TopologyDescriptionChangedEvent>(subscribers);
        _serverOpening = Resolve<ServerOpeningEvent>(subscribers);
        _serverClosed = Resolve<ServerClosedEvent>(subscribers);
        _serverChanged = Resolve<ServerDescriptionChangedEvent>(subscribers);
        _heartbeatStarted = Resolve<ServerHeartbeatStartedEvent>(subscribers);
        _heartbeatSucceeded = Resolve<ServerHeartbeatSucceededEvent>(subscribers);
        _heartbeatFailed = Resolve<ServerHeartbeatFailedEvent>(subscribers);
        _commandStarted = Resolve<CommandStartedEvent>(subscribers);
        _commandSucceeded = Resolve<CommandSucceededEvent>(subscribers);
        _commandFailed = Resolve<CommandFailedEvent>(subscribers);
    }

    /// <summary>Longest extended JSON a log message carries before it is cut and "..." appended.</summary>
    public int MaxDocumentLength { get; }

    /// <summary>Whether the client traces at all (<see cref="MongoClientSettings.TracingEnabled"/>, else <see cref="TracingEnabledVariable"/>).</summary>
    public bool Tracing { get; }

    /// <summary>Longest <c>db.query.text</c> of a command span; 0: the attribute is not added.</summary>
    public int QueryTextMaxLength { get; }

    /// <summary>Creates the publisher for a client.</summary>
    public static EventPublisher Create(MongoClientSettings settings)
    {
        bool tracing = settings.TracingEnabled ?? TracingEnabledFromEnvironment() ?? true;
        int queryTextMaxLength = !tracing ? 0
            : settings.TraceQueryTextMaxLength
                ?? (settings.TraceQueryText ? settings.MaxLoggedDocumentLength ?? MaxDocumentLengthFromEnvironment() : QueryTextMaxLengthFromEnvironment());
        return settings.EventSubscribers.Count == 0 && settings.LoggerFactory is null && tracing && queryTextMaxLength == 0
            ? None
            : new EventPublisher(settings.EventSubscribers, settings.LoggerFactory, settings.MaxLoggedDocumentLength ?? MaxDocumentLengthFromEnvironment(), tracing, queryTextMaxLength);
    }

    /// <summary>The MongoDB OpenTelemetry specification's driver-level switch (<c>OTEL_#{LANG}_INSTRUMENTATION_MONGODB_ENABLED</c>).</summary>
    public const string TracingEnabledVariable = "OTEL_DOTNET_INSTRUMENTATION_MONGODB_ENABLED";

    /// <summary>The specification's driver-level <c>db.query.text</c> length (<c>OTEL_#{LANG}_INSTRUMENTATION_MONGODB_QUERY_TEXT_MAX_LENGTH</c>).</summary>
    public const string QueryTextMaxLengthVariable = "OTEL_DOTNET_INSTRUMENTATION_MONGODB_QUERY_TEXT_MAX_LENGTH";

    /// <summary>
    /// <see cref="TracingEnabledVariable"/>: true for 1/true/yes and false for 0/false/no (any case), null when unset or
    /// anything else (the specification names only the enabling values; an unreadable one changes nothing rather than throw).
    /// </summary>
    internal static bool? TracingEnabledFromEnvironment() =>
        Environment.GetEnvironmentVariable(TracingEnabledVariable)?.Trim().ToLowerInvariant() switch
        {
            "1" or "true" or "yes" => true,
            "0" or "false" or "no" => false,
            _ => null,
        };

    /// <summary><see cref="QueryTextMaxLengthVariable"/> when it is a positive integer, else 0 (no <c>db.query.text</c>).</summary>
    internal static int QueryTextMaxLengthFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable(QueryTextMaxLengthVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int length) && length > 0
            ? length
            : 0;

    /// <summary><c>MONGODB_LOG_MAX_DOCUMENT_LENGTH</c>, or the default when unset or invalid (the logging spec says never to throw).</summary>
    internal static int MaxDocumentLengthFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable("MONGODB_LOG_MAX_DOCUMENT_LENGTH"), NumberStyles.None, CultureInfo.InvariantCulture, out int length)
            ? length
            : DefaultMaxDocumentLength;

    private static Action<T>? Resolve<T>(IReadOnlyList<IEventSubscriber> subscribers)
    {
        Action<T>? combined = null;
        for (int i = 0; i < subscribers.Count; i++)
        {
            if (subscribers[i].TryGetEventHandler(out Action<T>? handler) && handler is not null)
            {
                combined += handler;
            }
        }

        return combined;
    }

    /// <summary>Calls a handler; a handler's exception must not break the pool, monitor or operation that raised the event.</summary>
    private static void Invoke<T>(Action<T> handler, T @event)
    {
        try
        {
            handler(@event);
        }
        catch (Exception)
        {
            // Documented on IEventSubscriber: handler exceptions are dropped.
        }
    }

    private static bool On(ILogger? logger) => logger is not null && logger.IsEnabled(LogLevel.Debug);

    private static void Write(ILogger logger, int id, LogMessage message, Exception? error = null, LogLevel level = LogLevel.Debug) =>
        logger.Log(level, new EventId(id, message.Message), message, error, static (m, _) => m.ToString());

    /// <summary>An error as log messages show it: type, message, and for server errors the code, code name and labels.</summary>
    internal static string Describe(Exception error)
    {
        string text = error.GetType().Name + ": " + error.Message;
        if (error is MongoServerException server)
        {
            text += " (code " + server.Code.ToString(CultureInfo.InvariantCulture) + (server.CodeName is null ? "" : " " + server.CodeName) + ")";
        }

        if (error is MongoException mongo && mongo.ErrorLabels.Count > 0)
        {
            text += " [labels: " + string.Join(", ", mongo.ErrorLabels) + "]";
        }

        return text;
    }

    /// <summary>Relaxed extended JSON of a document, cut to <see cref="MaxDocumentLength"/> (logging spec).</summary>
    internal string Json(Mongo.Bson.BsonDocument document) => Truncate(document.ToString(), MaxDocumentLength);

    /// <summary>Cuts <paramref name="json"/> to <paramref name="max"/> UTF-16 code units without splitting a surrogate pair; appends "..." when cut.</summary>
    internal static string Truncate(string json, int max)
    {
        if (json.Length <= max)
        {
            return json;
        }

        int cut = Math.Max(0, max);
        if (cut > 0 && char.IsHighSurrogate(json[cut - 1]))
        {
            cut--;
        }

        return string.Concat(json.AsSpan(0, cut), "...");
    }
}
