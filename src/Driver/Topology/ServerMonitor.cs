using System.Diagnostics;
using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Diagnostics;
using Mongo.Driver.Operations;

namespace Mongo.Driver.Topology;

/// <summary>
/// Polls one server with hello every heartbeatFrequencyMS on a dedicated (unauthenticated, uncompressed)
/// connection, measures the round trip time and feeds descriptions to SDAM. Checks can be requested early
/// (server selection found nothing suitable, a state-change error), but never more often than every minHeartbeatFrequencyMS (500ms).
/// </summary>
internal sealed class ServerMonitor : IDisposable
{
    private readonly Server _server;
    private readonly ClusterSettings _settings;
    private readonly ConnectionSettings _connectionSettings;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _checkRequested = new(0, 1);
    private Connection? _connection;
    private Task? _loop;
    private TimeSpan? _averageRtt;
    private long _nextConnectionId = -1;

    public ServerMonitor(Server server, ClusterSettings settings)
    {
        _server = server;
        _settings = settings;
        _connectionSettings = settings.Connection.ForMonitoring();
    }

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

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

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            long started = Stopwatch.GetTimestamp();
            ServerDescription description = await CheckAsync(cancellationToken).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            ServerDescription previous = _server.Description;
            if (description.Type == ServerType.Unknown && description.Error is not null)
            {
                // SDAM: a network error on a known server is retried once immediately before giving up.
                if (previous.Type != ServerType.Unknown)
                {
                    description = await CheckAsync(cancellationToken).ConfigureAwait(false);
                }

                if (description.Type == ServerType.Unknown)
                {
                    _server.Update(description);
                    _server.Pool.Clear(reason: description.Error);
                }
                else
                {
                    _server.Update(description);
                }
            }
            else
            {
                _server.Update(description);
            }

            try
            {
                TimeSpan wait = _settings.HeartbeatFrequency - Stopwatch.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    await _checkRequested.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
                }

                TimeSpan sinceStart = Stopwatch.GetElapsedTime(started);
                if (sinceStart < _settings.MinHeartbeatFrequency)
                {
                    await Task.Delay(_settings.MinHeartbeatFrequency - sinceStart, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<ServerDescription> CheckAsync(CancellationToken cancellationToken)
    {
        // Heartbeat events (SDAM monitoring): started before connecting or sending hello, then exactly one of succeeded/failed.
        EventPublisher events = _settings.Events;
        bool publish = events.HeartbeatsEnabled;
        bool reconnect = _connection is null || _connection.IsBroken;
        long connectionId = reconnect ? Interlocked.Decrement(ref _nextConnectionId) : _connection!.Id;
        long? serverConnectionId = reconnect ? null : _connection!.Description?.ServerConnectionId;
        if (publish)
        {
            events.HeartbeatStarted(_server.TopologyId, _server.Address, connectionId, serverConnectionId, awaited: false);
        }

        long start = Stopwatch.GetTimestamp();
        try
        {
            BsonDocument hello;
            if (reconnect)
            {
                _connection?.Dispose();
                _connection = new Connection(connectionId, _server.Address, 0, _connectionSettings);
                await _connection.OpenAsync(async: true, cancellationToken).ConfigureAwait(false);
                hello = _connection.Description!.Hello;
            }
            else
            {
                Deadline deadline = _settings.Connection.ConnectTimeout == TimeSpan.Zero ? Deadline.Infinite : Deadline.After(_settings.Connection.ConnectTimeout + _settings.HeartbeatFrequency);
                var command = new CommandMessage { Database = "admin", Body = new BsonDocument { { "hello", 1 }, { "helloOk", true } } };
                CommandResponse? response = await _connection!.ExecuteAsync(async: true, command, deadline, cancellationToken).ConfigureAwait(false);
                hello = response!.Body;
            }

            TimeSpan rtt = Stopwatch.GetElapsedTime(start);
            _averageRtt = NextAverageRoundTripTime(_averageRtt, rtt);
            ServerDescription description = ServerDescription.FromHello(_server.Address, hello, _averageRtt, Environment.TickCount64);
            if (publish)
            {
                serverConnectionId = _connection.Description?.ServerConnectionId;
                if (description.Error is { } failed)
                {
                    events.HeartbeatFailed(_server.TopologyId, _server.Address, connectionId, serverConnectionId, false, rtt, failed);
                }
                else
                {
                    events.HeartbeatSucceeded(_server.TopologyId, _server.Address, connectionId, serverConnectionId, false, rtt, hello);
                }
            }

            return description;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (publish)
            {
                events.HeartbeatFailed(_server.TopologyId, _server.Address, connectionId, serverConnectionId, false, Stopwatch.GetElapsedTime(start), ex);
            }

            _connection?.Dispose();
            _connection = null;
            _averageRtt = null;
            return new ServerDescription(_server.Address, ServerType.Unknown, ex) { };
        }
        catch (OperationCanceledException ex)
        {
            if (publish)
            {
                events.HeartbeatFailed(_server.TopologyId, _server.Address, connectionId, serverConnectionId, false, Stopwatch.GetElapsedTime(start), ex);
            }

            return new ServerDescription(_server.Address);
        }
        catch (Exception ex)
        {
            if (publish)
            {
                events.HeartbeatFailed(_server.TopologyId, _server.Address, connectionId, serverConnectionId, false, Stopwatch.GetElapsedTime(start), ex);
            }

            return new ServerDescription(_server.Address, ServerType.Unknown, ex);
        }
    }

    /// <summary>Exponentially weighted moving average with alpha 0.2 (server-selection spec); the first sample is taken as is.</summary>
    internal static TimeSpan NextAverageRoundTripTime(TimeSpan? average, TimeSpan sample) =>
        average is { } avg ? TimeSpan.FromTicks((long)((0.2 * sample.Ticks) + (0.8 * avg.Ticks))) : sample;

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // Stopped.
        }

        _connection?.Dispose();
        _stop.Dispose();
        _checkRequested.Dispose();
    }
}
