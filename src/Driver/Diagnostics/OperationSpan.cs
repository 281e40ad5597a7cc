using System.Diagnostics;

namespace Mongo.Driver.Diagnostics;

/// <summary>
/// The span and duration of one public operation that sends several commands: a cursor (its find or aggregate, each
/// getMore, the killCursors that closes it), a bulk write (each batch), a commit or abort (each retry). Started by the
/// public call before its first command; while a command of it runs it is <see cref="Current"/>, so the executor sends
/// that command as a child span of it instead of starting an operation of its own (MongoDB OpenTelemetry specification:
/// command spans, retries included, nest under the operation's span). Only allocated while a listener is attached.
/// </summary>
internal sealed class OperationSpan
{
    // Our own ambient slot rather than Activity.Current alone: the duration metric needs the operation when nothing traces.
    private static readonly AsyncLocal<OperationSpan?> s_current = new();

    private readonly string _abandonedEvent;
    private OperationTelemetry _telemetry;
    private MongoServerAddress? _server;
    private int _ended;
    private Timer? _idle;

    private OperationSpan(OperationTelemetry telemetry, string abandonedEvent)
    {
        _telemetry = telemetry;
        _abandonedEvent = abandonedEvent;
    }

    /// <summary>
    /// How long an open cursor's span waits for the application's next batch before it ends as abandoned: the server's
    /// default cursor idle timeout (cursorTimeoutMillis, 10 minutes), after which the cursor is gone on the server too.
    /// Settable for tests.
    /// </summary>
    internal static TimeSpan IdleLimit { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Whether a tracing or metrics listener is attached (operations are worth starting).</summary>
    public static bool IsEnabled => DriverInstruments.Source.HasListeners() || DriverInstruments.OperationDuration.Enabled;

    /// <summary>The operation whose command is being sent on this flow; null outside one (or when nothing listens).</summary>
    public static OperationSpan? Current => s_current.Value;

    /// <summary>The operation's span; null when only the duration metric listens.</summary>
    public Activity? Activity => _telemetry.Activity;

    /// <summary>Whether the operation has ended (completed, failed, closed or abandoned).</summary>
    public bool HasEnded => Volatile.Read(ref _ended) != 0;

    /// <summary>
    /// Starts an operation named <paramref name="operation"/> on <paramref name="database"/> (and <paramref name="collection"/>),
    /// nested under <paramref name="parent"/> (an open transaction's span) when given; null when no tracing or metrics
    /// listener is attached, so the call costs nothing then. <paramref name="abandonedEvent"/> names the event of a span
    /// ended by <see cref="KeepAlive"/>'s limit. <paramref name="tracing"/> false (the client's <see cref="MongoClientSettings.TracingEnabled"/>)
    /// keeps the operation out of traces; its duration is still measured.
    /// </summary>
    public static OperationSpan? Start(string operation, string database, string? collection, Activity? parent = null, int batchSize = 0,
        string abandonedEvent = "mongodb.cursor.abandoned", bool tracing = true)
    {
        if (tracing ? !IsEnabled : !DriverInstruments.OperationDuration.Enabled)
        {
            return null; // nothing listens, or only a tracer this client is kept from
        }

        if (s_current.Value is not null)
        {
            // Inside an operation already (a GridFS upload's inserts, a client bulk write's results cursor): what this
            // would start is part of that operation, and its commands are that operation's children.
            return null;
        }

        return new OperationSpan(OperationTelemetry.StartOperation(operation, database, collection, parent, batchSize, tracing), abandonedEvent);
    }

    /// <summary>
    /// Makes <paramref name="span"/> the current operation (and its activity <see cref="Activity.Current"/>) until the
    /// returned scope is disposed; nothing happens for null.
    /// </summary>
    public static Scope Enter(OperationSpan? span)
    {
        if (span is null)
        {
            return default;
        }

        var scope = new Scope(s_current.Value, Activity.Current, entered: true);
        s_current.Value = span;
        if (span.Activity is { IsStopped: false } activity)
        {
            Activity.Current = activity;
        }

        return scope;
    }

    /// <summary>
    /// Makes <paramref name="parent"/> (an open transaction's span) <see cref="Activity.Current"/> until the scope is
    /// disposed, so that an operation started by a command of the transaction nests under it; nothing happens when it is
    /// null, stopped, or when a command of an already started operation is running.
    /// </summary>
    public static Scope EnterParent(Activity? parent)
    {
        if (parent is not { IsStopped: false } || s_current.Value is not null)
        {
            return default;
        }

        var scope = new Scope(null, Activity.Current, entered: true);
        Activity.Current = parent;
        return scope;
    }

    /// <summary>The server the operation's (latest) command went to.</summary>
    public void Server(MongoServerAddress address)
    {
        _server = address;
        _telemetry.Server(address);
    }

    /// <summary>Ends the operation: the span (with the error's status and attributes) and the duration. Later calls do nothing.</summary>
    public void End(Exception? error)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _idle?.Dispose();
            _telemetry.Stop(error, _server);
        }
    }

    /// <summary>
    /// Ends the operation with an error status and <paramref name="errorType"/> but no exception and no duration: the
    /// application stopped it before it finished (an upload stream aborted or disposed uncompleted). Later calls do nothing.
    /// </summary>
    public void EndUnfinished(string errorType, string description)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _idle?.Dispose();
            _telemetry.StopUnfinished(errorType, description);
        }
    }

    /// <summary>
    /// A cursor's operation stays open while the application iterates; if the application stops asking for batches
    /// without closing the cursor, the span ends after <see cref="IdleLimit"/> without a new batch, instead of never
    /// (an Activity never stopped is never exported, and its children point at a parent no backend receives). Each call
    /// re-arms the limit. The timer keeps itself alive, so it fires even when the cursor was dropped unclosed.
    /// </summary>
    public void KeepAlive()
    {
        if (HasEnded)
        {
            return;
        }

        try
        {
            if (_idle is null)
            {
                // The timer must not capture the application's execution context (its activities) for the minutes it waits.
                bool suppress = !ExecutionContext.IsFlowSuppressed();
                AsyncFlowControl? flow = suppress ? ExecutionContext.SuppressFlow() : null;
                try
                {
                    _idle = new Timer(static state => ((OperationSpan)state!).Abandon(), this, IdleLimit, Timeout.InfiniteTimeSpan);
                }
                finally
                {
                    flow?.Undo();
                }
            }
            else
            {
                _idle.Change(IdleLimit, Timeout.InfiniteTimeSpan);
            }
        }
        catch (ObjectDisposedException)
        {
            // Ended (abandoned) meanwhile on the timer's thread: nothing to keep alive.
        }
    }

    /// <summary>
    /// Ends an abandoned cursor's (or GridFS stream's) span with an event saying so. Its duration is not recorded: it would measure the
    /// application's idleness, not the database.
    /// </summary>
    private void Abandon()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _idle?.Dispose();
            _telemetry.Activity?.AddEvent(new ActivityEvent(_abandonedEvent));
            _telemetry.Stop(null, _server, measure: false);
        }
    }

    /// <summary>Restores the operation and activity that were current before <see cref="Enter"/>.</summary>
    internal readonly struct Scope : IDisposable
    {
        private readonly OperationSpan? _previous;
        private readonly Activity? _previousActivity;
        private readonly bool _entered;

        public Scope(OperationSpan? previous, Activity? previousActivity, bool entered)
        {
            _previous = previous;
            _previousActivity = previousActivity;
            _entered = entered;
        }

        public void Dispose()
        {
            if (_entered)
            {
                s_current.Value = _previous;
                Activity.Current = _previousActivity is { IsStopped: false } ? _previousActivity : null;
            }
        }
    }
}
