using Mongo.Driver.Connections;

namespace Mongo.Driver.Topology;

/// <summary>
/// Monitors one server on a dedicated (unauthenticated, uncompressed) connection, per the server-monitoring spec. The
/// first check is the connection's handshake. With streaming enabled (serverMonitoringMode stream, or auto off FaaS)
/// and a server that reports a topologyVersion, the monitor then streams hello: one awaitable hello with exhaustAllowed,
/// whose replies the server sends whenever its state changes or every heartbeatFrequencyMS, so a step-down is seen at
/// once; a separate <see cref="RttMonitor"/> measures latency meanwhile. Otherwise it polls hello every
/// heartbeatFrequencyMS. Checks can be requested early (server selection found nothing, a state-change error) but never
/// closer than minHeartbeatFrequencyMS; an application's network error cancels the check in progress.
/// </summary>
internal sealed partial class ServerMonitor : IDisposable
{
    private readonly Server _server;
    private readonly ClusterSettings _settings;
    private readonly ConnectionSettings _connectionSettings;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _checkRequested = new(0, 1);
    private readonly object _lock = new();
    private readonly RoundTripTimes _roundTripTimes = new();
    private readonly RttMonitor _rttMonitor;
    private readonly bool _streamingEnabled;
    private Connection? _connection;
    private CancellationTokenSource? _checkCancellation;
    private ServerDescription _description;
    private Task? _loop;
    private long _nextConnectionId = -1;

    public ServerMonitor(Server server, ClusterSettings settings)
    {
        _server = server;
        _settings = settings;
        _connectionSettings = settings.Connection.ForMonitoring();
        _streamingEnabled = settings.StreamingEnabled;
        _description = new ServerDescription(server.Address);
        _rttMonitor = new RttMonitor(server.Address, settings, _connectionSettings, _roundTripTimes);
    }

    /// <summary>Whether the round-trip-time monitor runs (only while streaming).</summary>
    internal bool RttMonitorStarted => _rttMonitor.IsStarted;

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Wakes a sleeping monitor (ignored while a check is in progress, as the spec says; it is remembered for the next wait).</summary>
    public void RequestCheck()
    {
        try
        {
            if (_checkRequested.CurrentCount == 0)
            {
                _checkRequested.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already requested.
        }
        catch (ObjectDisposedException)
        {
            // Shutting down.
        }
    }

    /// <summary>
    /// Cancels the check in progress and closes the monitoring connection (SDAM: an application's network error marked
    /// the server Unknown; a streaming hello could otherwise keep the monitor blind for heartbeatFrequencyMS). The
    /// cancelled check updates nothing; the monitor waits for the next requested or scheduled check.
    /// </summary>
    public void CancelCheck()
    {
        Connection? connection;
        lock (_lock)
        {
            connection = _connection;
            try
            {
                _checkCancellation?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The check just ended.
            }
        }

        connection?.Break(new OperationCanceledException("The server check was cancelled."));
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            ServerDescription previous = _description;
            ServerDescription? description = await CheckAsync(previous, stop).ConfigureAwait(false);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            if (description is null)
            {
                // Cancelled because the application marked the server Unknown: that already updated the topology.
                if (!await WaitAsync(stop).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            _description = description;
            _server.ApplyCheck(description);
            bool serverSupportsStreaming = description.Type != ServerType.Unknown && description.TopologyVersion is not null;
            bool connectionIsStreaming = _connection is { IsStreaming: true };
            bool transitionedWithNetworkError = IsNetworkError(description.Error) && previous.Type != ServerType.Unknown;
            if (_streamingEnabled && serverSupportsStreaming && !_rttMonitor.IsStarted)
            {
                _rttMonitor.Start();
            }

            if ((_streamingEnabled && (serverSupportsStreaming || connectionIsStreaming)) || transitionedWithNetworkError)
            {
                // Streaming: the next awaitable hello waits on the server, not here. A known server that just failed
                // with a network error is retried at once (it may have been one dropped connection).
                continue;
            }

            if (!await WaitAsync(stop).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Sleeps heartbeatFrequencyMS or until a check is requested, but at least minHeartbeatFrequencyMS. False when stopping.</summary>
    private async Task<bool> WaitAsync(CancellationToken stop)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await _checkRequested.WaitAsync(_settings.HeartbeatFrequency, stop).ConfigureAwait(false);
            TimeSpan waited = System.Diagnostics.Stopwatch.GetElapsedTime(start);
            if (waited < _settings.MinHeartbeatFrequency)
            {
                await Task.Delay(_settings.MinHeartbeatFrequency - waited, stop).ConfigureAwait(false);
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A failed check's network error or network timeout (as opposed to a hello command error).</summary>
    private static bool IsNetworkError(Exception? error) => error is MongoConnectionException or MongoTimeoutException;

    /// <summary>Exponentially weighted moving average with alpha 0.2 (server-selection spec); the first sample is taken as is.</summary>
    internal static TimeSpan NextAverageRoundTripTime(TimeSpan? average, TimeSpan sample) =>
        average is { } avg ? TimeSpan.FromTicks((long)((0.2 * sample.Ticks) + (0.8 * avg.Ticks))) : sample;

    public void Dispose()
    {
        _stop.Cancel();
        CancelCheck();
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // Stopped.
        }

        _rttMonitor.Dispose();
        lock (_lock)
        {
            _connection?.Dispose();
        }

        _stop.Dispose();
        _checkRequested.Dispose();
    }
}
