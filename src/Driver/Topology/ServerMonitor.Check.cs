using System.Diagnostics;
using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Diagnostics;

namespace Mongo.Driver.Topology;

/// <summary>One check: the handshake of a new monitoring connection, the next reply of a hello stream, a new awaitable hello, or a plain hello.</summary>
internal sealed partial class ServerMonitor
{
    private enum CheckKind
    {
        Handshake,
        StreamNext,
        StreamStart,
        Poll,
    }

    /// <summary>The description the check produced (Unknown with the error when it failed), or null when it was cancelled.</summary>
    private async Task<ServerDescription?> CheckAsync(ServerDescription previous, CancellationToken stop)
    {
        CancellationTokenSource cancellation = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Connection? connection;
        lock (_lock)
        {
            _checkCancellation = cancellation;
            connection = _connection is { IsBroken: false } open ? open : null;
        }

        CheckKind kind = connection is null ? CheckKind.Handshake
            : connection.IsStreaming ? CheckKind.StreamNext
            : _streamingEnabled && previous.TopologyVersion is not null ? CheckKind.StreamStart
            : CheckKind.Poll;
        bool awaited = kind is CheckKind.StreamNext or CheckKind.StreamStart;

        // Heartbeat events (SDAM monitoring): started before connecting, sending hello or reading the next streamed
        // reply, then exactly one of succeeded/failed.
        EventPublisher events = _settings.Events;
        bool publish = events.HeartbeatsEnabled;
        long connectionId = connection?.Id ?? Interlocked.Decrement(ref _nextConnectionId);
        long? serverConnectionId = connection?.Description?.ServerConnectionId;
        if (publish)
        {
            events.HeartbeatStarted(_server.TopologyId, _server.Address, connectionId, serverConnectionId, awaited);
        }

        long start = Stopwatch.GetTimestamp();
        try
        {
            BsonDocument hello;
            CancellationToken token = cancellation.Token;
            if (kind == CheckKind.Handshake)
            {
                connection = new Connection(connectionId, _server.Address, 0, _connectionSettings);
                lock (_lock)
                {
                    _connection?.Dispose();
                    _connection = connection;
                }

                // CancelCheck may have run before the connection was published; it must not be missed.
                token.ThrowIfCancellationRequested();
                await connection.OpenAsync(async: true, token).ConfigureAwait(false);
                hello = connection.Description!.Hello;
                _roundTripTimes.Add(connection.HelloRoundTrip);
            }
            else
            {
                hello = await RunHelloAsync(kind, connection!, previous, token).ConfigureAwait(false);
            }

            TimeSpan duration = Stopwatch.GetElapsedTime(start);
            if (kind == CheckKind.Poll)
            {
                _roundTripTimes.Add(duration);
            }

            if (!hello.TryGetValue("ok", out BsonValue? ok) || !ok.ToBoolean())
            {
                throw ExceptionFactory.CreateCommandException("hello", hello, _server.Address);
            }

            ServerDescription description = ServerDescription.FromHello(_server.Address, hello, _roundTripTimes.Average, Environment.TickCount64)
                .WithMinRoundTripTime(_roundTripTimes.Minimum);
            if (publish)
            {
                events.HeartbeatSucceeded(_server.TopologyId, _server.Address, connectionId, connection!.Description?.ServerConnectionId, awaited, duration, hello);
            }

            return description;
        }
        catch (Exception ex)
        {
            bool cancelled = cancellation.IsCancellationRequested;
            lock (_lock)
            {
                // Whatever went wrong, the connection's state is unknown: the next check starts on a new one.
                _connection?.Dispose();
                _connection = null;
            }

            _roundTripTimes.Reset();
            if (publish)
            {
                events.HeartbeatFailed(_server.TopologyId, _server.Address, connectionId, serverConnectionId, awaited, Stopwatch.GetElapsedTime(start), ex);
            }

            return cancelled ? null : new ServerDescription(_server.Address, ServerType.Unknown, ex);
        }
        finally
        {
            lock (_lock)
            {
                _checkCancellation = null;
            }

            cancellation.Dispose();
        }
    }

    private async Task<BsonDocument> RunHelloAsync(CheckKind kind, Connection connection, ServerDescription previous, CancellationToken cancellationToken)
    {
        // connectTimeoutMS=0 (stored as infinite) means no limit, for awaitable replies too.
        TimeSpan connectTimeout = _settings.Connection.ConnectTimeout;
        bool unlimited = connectTimeout <= TimeSpan.Zero;
        if (kind == CheckKind.Poll)
        {
            Deadline deadline = unlimited ? Deadline.Infinite : Deadline.After(connectTimeout);
            CommandReply? response = await connection.ExecuteAsync(async: true, HelloCommand(null), deadline, cancellationToken).ConfigureAwait(false);
            return response!.Body;
        }

        // Server monitoring spec: an awaitable hello may take heartbeatFrequencyMS by design, so its replies get
        // connectTimeoutMS + heartbeatFrequencyMS (unlimited when connectTimeoutMS is 0).
        Deadline streaming = unlimited ? Deadline.Infinite : Deadline.After(connectTimeout + _settings.HeartbeatFrequency);
        CommandReply reply = kind == CheckKind.StreamNext
            ? await connection.ReadMoreAsync(async: true, streaming, cancellationToken).ConfigureAwait(false)
            : await connection.ExecuteExhaustAsync(async: true, HelloCommand(previous.TopologyVersion), streaming, cancellationToken).ConfigureAwait(false);
        return reply.Body;
    }

    /// <summary>hello with helloOk; awaitable (topologyVersion + maxAwaitTimeMS = heartbeatFrequencyMS) when a topologyVersion is given.</summary>
    private WireCommand HelloCommand(BsonDocument? topologyVersion)
    {
        var body = new BsonDocument { { "hello", 1 }, { "helloOk", true } };
        if (topologyVersion is not null)
        {
            body.Add("topologyVersion", topologyVersion);
            body.Add("maxAwaitTimeMS", new BsonInt64((long)_settings.HeartbeatFrequency.TotalMilliseconds));
        }

        return new WireCommand("admin", body);
    }
}
