using System.Diagnostics;
using Mongo.Bson;
using Mongo.Driver.Connections;

namespace Mongo.Driver.Topology;

/// <summary>
/// Measures a server's round trip time while its monitor streams hello (server-monitoring spec "Measuring RTT"): a plain
/// hello every heartbeatFrequencyMS on a second dedicated connection, because streamed replies arrive when the server
/// chooses and say nothing about latency. Publishes no events and never updates the topology: its connection has no
/// pool generation, so its errors could not be told from stale ones; the monitor finds out about the server anyway.
/// </summary>
internal sealed class RttMonitor : IDisposable
{
    private readonly MongoServerAddress _address;
    private readonly ClusterSettings _settings;
    private readonly ConnectionSettings _connectionSettings;
    private readonly RoundTripTimes _times;
    private readonly CancellationTokenSource _stop = new();
    private Connection? _connection;
    private Task? _loop;

    public RttMonitor(MongoServerAddress address, ClusterSettings settings, ConnectionSettings connectionSettings, RoundTripTimes times)
    {
        _address = address;
        _settings = settings;
        _connectionSettings = connectionSettings;
        _times = times;
    }

    public bool IsStarted => _loop is not null;

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                _times.Add(await PingAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The monitor resets the statistics when its own check fails; here only the connection is dropped.
                _connection?.Dispose();
                _connection = null;
            }
            catch (Exception)
            {
                return;
            }

            try
            {
                await Task.Delay(_settings.HeartbeatFrequency, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<TimeSpan> PingAsync(CancellationToken cancellationToken)
    {
        if (_connection is null || _connection.IsBroken)
        {
            _connection?.Dispose();
            _connection = new Connection(-1, _address, 0, _connectionSettings);
            await _connection.OpenAsync(async: true, cancellationToken).ConfigureAwait(false);
            return _connection.HelloRoundTrip;
        }

        Deadline deadline = _settings.Connection.ConnectTimeout <= TimeSpan.Zero ? Deadline.Infinite : Deadline.After(_settings.Connection.ConnectTimeout);
        var command = new WireCommand("admin", new BsonDocument { { "hello", 1 }, { "helloOk", true } });
        long start = Stopwatch.GetTimestamp();
        CommandReply? response = await _connection.ExecuteAsync(async: true, command, deadline, cancellationToken).ConfigureAwait(false);
        TimeSpan rtt = Stopwatch.GetElapsedTime(start);
        ExceptionFactory.ThrowIfNotOk(response!, "hello");
        return rtt;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _connection?.Break(new ObjectDisposedException(nameof(RttMonitor)));
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
    }
}
