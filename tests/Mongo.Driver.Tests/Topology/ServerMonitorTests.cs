using System.Collections.Concurrent;
using System.Diagnostics;
using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Diagnostics;
using Mongo.Driver.Events;
using Mongo.Driver.Pooling;
using Mongo.Driver.Topology;
using Mongo.Driver.Wire;
using Xunit;

namespace Mongo.Driver.Tests.Topology;

/// <summary>
/// The server monitor against a scripted server (server-monitoring spec): the streaming protocol (awaitable hello with
/// exhaustAllowed, replies read while they set moreToCome, a separate RTT connection), the polling protocol, and the
/// error rules (mark Unknown, then clear the pool, interrupting in-use connections after a timeout; retry at once after
/// a network error on a known server; a cancelled check updates nothing).
/// </summary>
public sealed class ServerMonitorTests
{
    private static readonly MongoServerAddress Address = new("scripted.example", 27017);
    private static readonly ObjectId ProcessId = ObjectId.GenerateNewId();

    private static BsonDocument Hello(long counter = 0) => new()
    {
        { "isWritablePrimary", true }, { "helloOk", true },
        { "topologyVersion", new BsonDocument { { "processId", ProcessId }, { "counter", new BsonInt64(counter) } } },
        { "maxBsonObjectSize", 16 * 1024 * 1024 }, { "maxMessageSizeBytes", 48_000_000 }, { "maxWriteBatchSize", 100_000 },
        { "logicalSessionTimeoutMinutes", 30 }, { "connectionId", 3 }, { "minWireVersion", 0 }, { "maxWireVersion", 25 }, { "ok", 1.0 },
    };

    /// <summary>A cluster whose connections go to scripted servers: plain hellos are answered at once, awaitable ones are left to the test.</summary>
    private sealed class Harness : IDisposable
    {
        public Harness(ServerMonitoringMode mode, TimeSpan heartbeat, TimeSpan? connectTimeout = null)
        {
            var subscriber = new EventSubscriber()
                .Subscribe<ServerHeartbeatStartedEvent>(e => Events.Enqueue("started " + e.Awaited))
                .Subscribe<ServerHeartbeatSucceededEvent>(e => Events.Enqueue("succeeded " + e.Awaited))
                .Subscribe<ServerHeartbeatFailedEvent>(e =>
                {
                    Failures.Enqueue(e.Failure);
                    Events.Enqueue("failed " + e.Awaited);
                })
                .Subscribe<ServerDescriptionChangedEvent>(e => Events.Enqueue("server " + e.NewDescription.Type))
                .Subscribe<ConnectionPoolClearedEvent>(e => Events.Enqueue("cleared " + e.InterruptInUseConnections))
                .Subscribe<ConnectionPoolReadyEvent>(_ => Events.Enqueue("ready"));
            Cluster = new Cluster(new ClusterSettings
            {
                Seeds = [Address],
                DirectConnection = true,
                HeartbeatFrequency = heartbeat,
                MinHeartbeatFrequency = TimeSpan.FromMilliseconds(20),
                MonitoringMode = mode,
                Connection = new ConnectionSettings
                {
                    ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(5),
                    StreamFactory = (_, _) =>
                    {
                        var stream = new ScriptedServerStream((server, requestId, command) =>
                        {
                            if (!command.Contains("topologyVersion"))
                            {
                                server.Send(requestId, Hello());
                            }

                            return null;
                        });
                        Streams.Enqueue(stream);
                        return ValueTask.FromResult<Stream>(stream);
                    },
                },
                Pool = new PoolSettings(),
                Events = new EventPublisher([subscriber], null, EventPublisher.DefaultMaxDocumentLength),
            });
        }

        public Cluster Cluster { get; }

        public ConcurrentQueue<ScriptedServerStream> Streams { get; } = new();

        public ConcurrentQueue<string> Events { get; } = new();

        public ConcurrentQueue<Exception> Failures { get; } = new();

        public ScriptedServerStream Stream(int index) => Streams.ElementAt(index);

        public void Dispose() => Cluster.Dispose();
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what, int timeoutMs = 30_000)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.ElapsedMilliseconds < timeoutMs, "Timed out waiting for " + what);
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Streaming_monitor_sends_one_awaitable_exhaust_hello_and_reads_the_replies_the_server_streams()
    {
        using var harness = new Harness(ServerMonitoringMode.Stream, TimeSpan.FromSeconds(10));
        await EventuallyAsync(() => harness.Streams.Count >= 1 && harness.Stream(0).Requests.Count >= 2, "the awaitable hello");
        ScriptedServerStream monitor = harness.Stream(0);

        (BsonDocument awaitable, OpMsgFlags flags, int requestId) = monitor.Requests[1];
        Assert.Equal(Hello()["topologyVersion"], awaitable["topologyVersion"]);
        Assert.Equal(10_000L, awaitable["maxAwaitTimeMS"].ToInt64());
        Assert.True(flags.HasFlag(OpMsgFlags.ExhaustAllowed));

        // The server streams two replies (moreToCome), then ends the stream with a third.
        monitor.Send(requestId, Hello(1), moreToCome: true);
        await EventuallyAsync(() => harness.Events.Count(e => e == "succeeded True") == 1, "the first streamed reply");
        monitor.Send(monitor.LastReplyId, Hello(2), moreToCome: true);
        await EventuallyAsync(() => harness.Events.Count(e => e == "succeeded True") == 2, "the second streamed reply");
        Assert.Equal(2, monitor.Requests.Count); // nothing was sent for them
        monitor.Send(monitor.LastReplyId, Hello(3));
        await EventuallyAsync(() => monitor.Requests.Count == 3, "a new awaitable hello after the stream ended");
        Assert.Equal(3L, monitor.Requests[2].Command["topologyVersion"].AsDocument["counter"].ToInt64());
        Assert.Equal(3L, harness.Cluster.Servers[0].Description.TopologyVersion!["counter"].ToInt64());

        // Heartbeats: the handshake is not awaited, every streamed reply is, and a started event precedes each read.
        Assert.Equal(["started False", "succeeded False", "started True", "succeeded True", "started True", "succeeded True", "started True", "succeeded True"],
            harness.Events.Where(e => e.StartsWith("started", StringComparison.Ordinal) || e.StartsWith("succeeded", StringComparison.Ordinal)).Take(8));

        // A second, dedicated connection measures the round trip with plain hellos.
        await EventuallyAsync(() => harness.Streams.Count >= 2, "the RTT connection");
        Assert.True(harness.Cluster.Servers[0].Monitor!.RttMonitorStarted);
        Assert.All(harness.Stream(1).Requests, r => Assert.False(r.Command.Contains("topologyVersion") || r.Flags.HasFlag(OpMsgFlags.ExhaustAllowed)));
    }

    [Fact]
    public async Task Polling_monitor_sends_plain_hellos_on_one_connection_every_heartbeat()
    {
        using var harness = new Harness(ServerMonitoringMode.Poll, TimeSpan.FromMilliseconds(500));
        await EventuallyAsync(() => harness.Streams.Count >= 1 && harness.Stream(0).Requests.Count >= 3, "three checks");

        Assert.Single(harness.Streams); // no RTT connection when polling
        Assert.False(harness.Cluster.Servers[0].Monitor!.RttMonitorStarted);
        Assert.All(harness.Stream(0).Requests, r => Assert.False(r.Command.Contains("topologyVersion") || r.Command.Contains("maxAwaitTimeMS") || r.Flags.HasFlag(OpMsgFlags.ExhaustAllowed)));
        Assert.DoesNotContain(harness.Events, e => e.EndsWith("True", StringComparison.Ordinal) && !e.StartsWith("cleared", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Network_error_while_streaming_marks_the_server_unknown_then_clears_the_pool_and_checks_again_at_once()
    {
        using var harness = new Harness(ServerMonitoringMode.Stream, TimeSpan.FromSeconds(120));
        await EventuallyAsync(() => harness.Streams.Count >= 1 && harness.Stream(0).Requests.Count >= 2, "the awaitable hello");
        await EventuallyAsync(() => harness.Events.Contains("ready"), "the pool to be ready");
        var elapsed = Stopwatch.StartNew();

        harness.Stream(0).Fail();

        // No 120 s wait: a known server that fails with a network error is checked again at once, on a new connection.
        await EventuallyAsync(() => harness.Streams.Count(s => s != harness.Stream(0) && s.Requests.Any(r => !r.Command.Contains("topologyVersion"))) >= 2, "a new monitoring connection");
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(30), "the new check took " + elapsed.Elapsed);
        await EventuallyAsync(() => harness.Cluster.Servers[0].Description.Type == ServerType.Standalone && harness.Events.Count(e => e == "ready") == 2, "the server to be known again");
        string[] events = [.. harness.Events];
        int failed = Array.IndexOf(events, "failed True");
        int unknown = Array.IndexOf(events, "server Unknown", failed);
        int cleared = Array.IndexOf(events, "cleared False", unknown);
        Assert.True(failed >= 0 && unknown > failed && cleared > unknown, string.Join(", ", events));
    }

    [Fact]
    public async Task A_streaming_check_that_times_out_clears_the_pool_interrupting_in_use_connections()
    {
        // Awaitable replies get connectTimeoutMS + heartbeatFrequencyMS; the script never answers.
        using var harness = new Harness(ServerMonitoringMode.Stream, TimeSpan.FromMilliseconds(500), connectTimeout: TimeSpan.FromMilliseconds(300));
        await EventuallyAsync(() => harness.Events.Contains("cleared True"), "the pool to be cleared after the timeout");

        string[] events = [.. harness.Events];
        int failed = Array.IndexOf(events, "failed True");
        Assert.True(failed > 0 && Array.IndexOf(events, "server Unknown", failed) < Array.IndexOf(events, "cleared True"), string.Join(", ", events));
        Exception failure = harness.Failures.First();
        Assert.True(ConnectionErrors.IsNetworkTimeout(failure), failure.ToString());
    }

    [Fact]
    public async Task The_awaitable_hello_waits_longer_than_connectTimeoutMS()
    {
        // connectTimeoutMS 300 ms bounds plain hellos; the awaitable one may take heartbeatFrequencyMS (1 s) on top.
        using var harness = new Harness(ServerMonitoringMode.Stream, TimeSpan.FromSeconds(1), connectTimeout: TimeSpan.FromMilliseconds(300));
        await EventuallyAsync(() => harness.Streams.Count >= 1 && harness.Stream(0).Requests.Count >= 2, "the awaitable hello");
        await Task.Delay(800);
        ScriptedServerStream monitor = harness.Stream(0);

        monitor.Send(monitor.Requests[1].RequestId, Hello(1));

        await EventuallyAsync(() => harness.Events.Contains("succeeded True"), "the late reply");
        Assert.DoesNotContain("failed True", harness.Events);
    }

    [Fact]
    public async Task An_application_network_error_cancels_the_streaming_check_and_the_next_check_starts_when_requested()
    {
        using var harness = new Harness(ServerMonitoringMode.Stream, TimeSpan.FromSeconds(120));
        await EventuallyAsync(() => harness.Streams.Count >= 1 && harness.Stream(0).Requests.Count >= 2, "the awaitable hello");
        Server server = harness.Cluster.Servers[0];
        var elapsed = Stopwatch.StartNew();

        server.HandleError(new MongoConnectionException("connection reset by peer"), server.Pool.Generation, duringHandshake: false);

        // The application's error marked the server Unknown once; the cancelled check adds no description of its own.
        await EventuallyAsync(() => harness.Stream(0).Disposed, "the monitoring connection to be closed");
        await EventuallyAsync(() => harness.Events.Contains("failed True"), "the cancelled check's failed heartbeat");
        Assert.Single(harness.Events, e => e == "server Unknown");
        server.RequestCheck();
        await EventuallyAsync(() => server.Description.Type == ServerType.Standalone, "the requested check");
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(30), "the monitor waited " + elapsed.Elapsed);
    }

    [Fact]
    public void Round_trip_times_average_and_keep_the_minimum_of_the_last_ten_samples()
    {
        var times = new RoundTripTimes();
        Assert.Null(times.Average);
        times.Add(TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.FromMilliseconds(100), times.Average);
        Assert.Equal(TimeSpan.Zero, times.Minimum); // fewer than two samples
        times.Add(TimeSpan.FromMilliseconds(50));
        Assert.Equal(TimeSpan.FromMilliseconds(90), times.Average); // 0.2 * 50 + 0.8 * 100
        Assert.Equal(TimeSpan.FromMilliseconds(50), times.Minimum);
        for (int i = 0; i < 10; i++)
        {
            times.Add(TimeSpan.FromMilliseconds(70 + i));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(70), times.Minimum); // 50 has left the window
        times.Reset();
        Assert.Null(times.Average);
        Assert.Equal(TimeSpan.Zero, times.Minimum);
    }

    [Theory]
    [InlineData(ServerMonitoringMode.Stream, false, true)]
    [InlineData(ServerMonitoringMode.Stream, true, true)]
    [InlineData(ServerMonitoringMode.Poll, false, false)]
    [InlineData(ServerMonitoringMode.Auto, false, true)]
    [InlineData(ServerMonitoringMode.Auto, true, false)]
    public void ServerMonitoringMode_auto_polls_only_on_FaaS(ServerMonitoringMode mode, bool faas, bool streaming) =>
        Assert.Equal(streaming, ClusterSettings.StreamingFor(mode, faas));

    [Theory]
    [InlineData("AWS_LAMBDA_RUNTIME_API", "x", "aws.lambda")]
    [InlineData("AWS_EXECUTION_ENV", "AWS_Lambda_dotnet8", "aws.lambda")]
    [InlineData("AWS_EXECUTION_ENV", "EC2", null)]
    [InlineData("FUNCTIONS_WORKER_RUNTIME", "dotnet", "azure.func")]
    [InlineData("K_SERVICE", "svc", "gcp.func")]
    [InlineData("VERCEL", "1", "vercel")]
    [InlineData("HOME", "/root", null)]
    public void FaaS_platforms_are_recognised_by_the_handshake_rules(string variable, string value, string? platform) =>
        Assert.Equal(platform, ClientMetadata.FaasName(name => name == variable ? value : null));

    [Fact]
    public void ServerMonitoringMode_reaches_the_cluster_settings_from_the_connection_string()
    {
        Assert.Equal(ServerMonitoringMode.Poll, ClusterSettings.From(MongoClientSettings.FromConnectionString("mongodb://h/?serverMonitoringMode=poll")).MonitoringMode);
        Assert.Equal(ServerMonitoringMode.Auto, ClusterSettings.From(MongoClientSettings.FromConnectionString("mongodb://h/")).MonitoringMode);
    }
}
