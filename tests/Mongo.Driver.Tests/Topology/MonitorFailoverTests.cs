using System.Collections.Concurrent;
using System.Diagnostics;
using Mongo.Bson;
using Mongo.Driver.Events;
using Mongo.InMemory;
using Xunit;

namespace Mongo.Driver.Tests.Topology;

/// <summary>
/// Failover with the public client against Mongo.InMemory replica sets (several members on loopback ports): the
/// streaming monitor notices a step-down at once, SDAM clears the old primary's pool when it goes away (and only then:
/// a 4.2+ step-down keeps connections), retryable writes and reads cross elections, and secondaryPreferred reads keep
/// flowing. The monitor-timeout pool clear with interruptInUseConnections is proved against a single server.
/// </summary>
public sealed class MonitorFailoverTests
{
    /// <summary>What a client saw: pool clears per server, the latest topology, heartbeats and commands.</summary>
    private sealed class Observer
    {
        public ConcurrentQueue<ConnectionPoolClearedEvent> Cleared { get; } = new();

        public ConcurrentQueue<ServerHeartbeatSucceededEvent> Heartbeats { get; } = new();

        public ConcurrentQueue<string> Commands { get; } = new();

        public ConcurrentQueue<Exception> CommandFailures { get; } = new();

        public MongoTopologyDescription? Topology { get; private set; }

        /// <summary>Commands and server description changes with their time, to explain a failure.</summary>
        public ConcurrentQueue<string> Trace { get; } = new();

        private readonly Stopwatch _clock = Stopwatch.StartNew();

        private void Note(string what) => Trace.Enqueue(_clock.ElapsedMilliseconds + " ms " + what);

        public MongoClient Connect(string connectionString, string options)
        {
            var settings = MongoClientSettings.FromConnectionString(connectionString + (connectionString.Contains('?', StringComparison.Ordinal) ? "&" : "/?") + options);
            settings.Subscribe<ConnectionPoolClearedEvent>(Cleared.Enqueue);
            settings.Subscribe<ServerHeartbeatSucceededEvent>(Heartbeats.Enqueue);
            settings.Subscribe<TopologyDescriptionChangedEvent>(e => Topology = e.NewDescription);
            settings.Subscribe<ServerDescriptionChangedEvent>(e => Note(e.ServerAddress + " " + e.PreviousDescription.Type + " -> " + e.NewDescription.Type));
            settings.Subscribe<CommandStartedEvent>(e =>
            {
                Commands.Enqueue("started " + e.CommandName);
                Note("op " + e.OperationId + " started " + e.CommandName + " on " + e.ServerAddress + " (request " + e.RequestId + ")");
            });
            settings.Subscribe<CommandSucceededEvent>(e =>
            {
                Commands.Enqueue("succeeded " + e.CommandName);
                Note("op " + e.OperationId + " succeeded " + e.CommandName + " on " + e.ServerAddress + " (request " + e.RequestId + ")");
            });
            settings.Subscribe<CommandFailedEvent>(e =>
            {
                CommandFailures.Enqueue(e.Failure);
                Commands.Enqueue("failed " + e.CommandName);
                Note("op " + e.OperationId + " failed " + e.CommandName + " on " + e.ServerAddress + " (request " + e.RequestId + "): " + e.Failure.Message);
            });
            return new MongoClient(settings);
        }

        /// <summary>The server changes, and every command of an operation that had a command fail, in order.</summary>
        public string Explain()
        {
            var failedOps = Trace.Where(t => t.Contains(" failed ", StringComparison.Ordinal)).Select(t => t.Split(' ')[3]).ToHashSet();
            return string.Join("\n", Trace.Where(t => t.Contains(" -> ", StringComparison.Ordinal) || (t.Split(' ') is [_, _, "op", var id, ..] && failedOps.Contains(id))));
        }

        public string? Primary => Topology?.Servers.FirstOrDefault(s => s.Type == MongoServerType.RSPrimary)?.Address.ToString();
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

    private static async Task InsertAsync(MongoCollection<BsonDocument> collection, bool async, BsonDocument document)
    {
        if (async)
        {
            await collection.InsertOneAsync(document);
        }
        else
        {
            collection.InsertOne(document);
        }
    }

    private static async Task<List<BsonDocument>> FindAsync(MongoCollection<BsonDocument> collection, bool async, FilterDefinition filter) =>
        async ? await collection.Find(filter).ToListAsync() : collection.Find(filter).ToList();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_step_down_is_seen_at_once_by_the_streaming_monitor_and_keeps_the_old_primarys_pool(bool async)
    {
        await using var set = await InMemoryReplicaSet.StartAsync(3);
        var observer = new Observer();

        // heartbeatFrequencyMS=60000: only the streaming hello (which the server answers on a topology change) can
        // tell the client about the step-down within the test.
        await using var client = observer.Connect(set.ConnectionString, "heartbeatFrequencyMS=60000");
        var collection = client.GetDatabase("failover").GetCollection("stepdown");
        await InsertAsync(collection, async, new BsonDocument("_id", 1));
        string oldPrimary = set.Primary!.Host;
        await EventuallyAsync(() => observer.Primary == oldPrimary, "the client to know the primary");
        var elapsed = Stopwatch.StartNew();

        InMemoryReplicaSetMember? newPrimary = await set.StepDownAsync();

        Assert.NotNull(newPrimary);
        await EventuallyAsync(() => observer.Primary == newPrimary!.Host, "the client to see the new primary");
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(30), "the step-down took " + elapsed.Elapsed + " to be noticed");
        // The new primary's reply may reach the client before the old primary's own: both come from streaming hellos.
        await EventuallyAsync(
            () => observer.Heartbeats.Any(h => h.Awaited && h.ServerAddress.ToString() == oldPrimary && h.Reply.GetValueOrDefault("secondary")?.ToBoolean() == true),
            "the old primary's streaming hello to report it secondary");
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(30), "the old primary's step-down took " + elapsed.Elapsed + " to be reported");

        // The write goes to the new primary with no error; SDAM leaves a stepped-down 4.2+ server's pool alone.
        await InsertAsync(collection, async, new BsonDocument("_id", 2));
        Assert.DoesNotContain(observer.Cleared, c => c.ServerAddress.ToString() == oldPrimary);
        Assert.DoesNotContain("failed insert", observer.Commands);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_polling_client_learns_of_the_step_down_from_NotWritablePrimary_and_its_retry_reaches_the_new_primary(bool async)
    {
        await using var set = await InMemoryReplicaSet.StartAsync(3);
        var observer = new Observer();
        await using var client = observer.Connect(set.ConnectionString, "heartbeatFrequencyMS=60000&serverMonitoringMode=poll");
        var collection = client.GetDatabase("failover").GetCollection("poll");
        await InsertAsync(collection, async, new BsonDocument("_id", 1));

        InMemoryReplicaSetMember? newPrimary = await set.StepDownAsync();
        await Task.Delay(200);
        Assert.NotEqual(newPrimary!.Host, observer.Primary); // polling every 60 s: not noticed yet

        await InsertAsync(collection, async, new BsonDocument("_id", 2));

        // The first attempt met NotWritablePrimary, which marked the server Unknown and asked for an immediate check.
        Assert.Equal(["started insert", "succeeded insert", "started insert", "failed insert", "started insert", "succeeded insert"], observer.Commands.Where(c => c.EndsWith(" insert", StringComparison.Ordinal)));
        Assert.Equal(newPrimary.Host, observer.Primary);
        Assert.Equal(2, (await FindAsync(collection.WithReadPreference(ReadPreference.Primary), async, FilterDefinition.Empty)).Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_stopped_primary_is_marked_unknown_its_pool_cleared_and_writes_wait_for_the_election(bool async)
    {
        await using var set = await InMemoryReplicaSet.StartAsync(3);
        var observer = new Observer();
        await using var client = observer.Connect(set.ConnectionString, "heartbeatFrequencyMS=60000");
        var collection = client.GetDatabase("failover").GetCollection("stop");
        await InsertAsync(collection, async, new BsonDocument("_id", 1));
        InMemoryReplicaSetMember oldPrimary = set.Primary!;

        await oldPrimary.StopAsync();

        // The monitor's streaming connection breaks: SDAM marks the server Unknown and clears its pool.
        await EventuallyAsync(() => observer.Cleared.Any(c => c.ServerAddress.ToString() == oldPrimary.Host), "the old primary's pool to be cleared");
        await InsertAsync(collection, async, new BsonDocument("_id", 2)); // waits for the election (1 s in Mongo.InMemory)
        Assert.NotEqual(oldPrimary.Host, set.Primary!.Host);
        Assert.Equal(set.Primary.Host, observer.Primary);
        Assert.Equal(2, (await FindAsync(collection, async, FilterDefinition.Empty)).Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Retryable_writes_and_reads_cross_repeated_elections_and_every_acknowledged_insert_is_there_once(bool async)
    {
        await using var set = await InMemoryReplicaSet.StartAsync(3);
        var observer = new Observer();
        await using var client = observer.Connect(set.ConnectionString, "w=majority");
        var collection = client.GetDatabase("failover").GetCollection("crossing");
        await InsertAsync(collection, async, new BsonDocument("_id", "warm-up"));
        var acknowledged = new ConcurrentBag<int>();
        var failures = new ConcurrentQueue<Exception>();
        int reads = 0;
        int[] perWriter = new int[4];
        using var stop = new CancellationTokenSource();

        // Own threads, not pool threads: in sync mode each loop blocks its thread for every call.
        var writers = Enumerable.Range(0, 4).Select(w => Loop(async () =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                int id = (w * 100_000) + i;
                try
                {
                    await InsertAsync(collection, async, new BsonDocument("_id", id));
                    acknowledged.Add(id);
                    Interlocked.Increment(ref perWriter[w]);
                }
                catch (MongoException ex)
                {
                    failures.Enqueue(ex);
                }
            }
        })).ToList();
        var reader = Loop(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await FindAsync(collection, async, Filter.Eq("_id", "warm-up"));
                    Interlocked.Increment(ref reads);
                }
                catch (MongoException ex)
                {
                    failures.Enqueue(ex);
                }
            }
        });

        // Three elections while writes and reads run. Before each, every writer and the reader has completed operations
        // since the last one: then no operation spans two elections, and the one retry the spec allows must be enough
        // (progress is awaited, not a fixed time, so a busy machine cannot starve a loop between elections).
        for (int i = 0; i <= 3; i++)
        {
            int[] writesBefore = [.. perWriter];
            int readsBefore = Volatile.Read(ref reads);
            await EventuallyAsync(
                () => Enumerable.Range(0, 4).All(w => Volatile.Read(ref perWriter[w]) >= writesBefore[w] + 2) && Volatile.Read(ref reads) >= readsBefore + 2,
                "every loop to make progress between elections", timeoutMs: 30_000);
            if (i < 3)
            {
                await set.StepDownAsync();
            }
        }

        stop.Cancel();
        await Task.WhenAll([.. writers, reader]);

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Select(f => f.Message)) + "\n--- what the client saw:\n" + observer.Explain());
        Assert.Equal(4, set.Term); // three elections after the first
        var stored = (await FindAsync(collection.WithReadPreference(ReadPreference.Primary), async, FilterDefinition.Empty)).Where(d => d["_id"].IsNumeric).Select(d => d["_id"].ToInt32()).ToList();
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Equal(acknowledged.Order(), stored.Order());
    }

    /// <summary>Runs a loop on a dedicated thread.</summary>
    private static Task Loop(Func<Task> body) => Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SecondaryPreferred_reads_keep_flowing_through_a_step_down_and_a_stopped_primary(bool async)
    {
        // A 3 s election timeout leaves the set without a primary long enough to watch reads go on.
        await using var set = await InMemoryReplicaSet.StartAsync(3, new InMemoryReplicaSetOptions { ElectionTimeout = TimeSpan.FromSeconds(3) });
        var observer = new Observer();
        await using var client = observer.Connect(set.ConnectionString, "w=majority");
        var collection = client.GetDatabase("failover").GetCollection("reads");
        await InsertAsync(collection, async, new BsonDocument("_id", 1));
        var reads = collection.WithReadPreference(ReadPreference.SecondaryPreferred);
        await EventuallyAsync(() => observer.Topology?.Servers.Count(s => s.Type == MongoServerType.RSSecondary) == 2, "both secondaries to be known");
        int succeeded = 0, withoutPrimary = 0;
        var failures = new ConcurrentQueue<Exception>();
        using var stop = new CancellationTokenSource();
        var reader = Loop(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    Assert.Single(await FindAsync(reads, async, Filter.Eq("_id", 1)));
                    Interlocked.Increment(ref succeeded);
                    if (set.Primary is null)
                    {
                        Interlocked.Increment(ref withoutPrimary);
                    }
                }
                catch (MongoException ex)
                {
                    failures.Enqueue(ex);
                }
            }
        });

        await EventuallyAsync(() => Volatile.Read(ref succeeded) >= 5, "reads before the step-down");
        await set.StepDownAsync();
        int afterStepDown = Volatile.Read(ref succeeded);
        await EventuallyAsync(() => Volatile.Read(ref succeeded) >= afterStepDown + 5, "reads after the step-down");
        await set.Primary!.StopAsync();
        await EventuallyAsync(() => Volatile.Read(ref withoutPrimary) >= 3 || set.Primary is not null, "reads while the set has no primary");
        stop.Cancel();
        await reader;

        Assert.Empty(failures);
        Assert.True(withoutPrimary >= 3, $"{withoutPrimary} reads completed while the set had no primary");
    }

    [Theory]
    [InlineData(false, "find")]
    [InlineData(true, "find")]
    [InlineData(false, "update")]
    [InlineData(true, "update")]
    public async Task A_monitor_timeout_clears_the_pool_interrupting_the_operation_in_progress_which_is_retried(bool async, string command)
    {
        // The unified interruptInUse-pool-clear tests keep an operation busy with $where sleep(); Mongo.InMemory has no
        // JavaScript, so one failCommand fail point blocks both the operation and the monitor's hello instead.
        await using var server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        await using var admin = new MongoClient(server.ConnectionString);
        await admin.GetDatabase("failover").GetCollection("interrupt").InsertOneAsync(new BsonDocument("_id", 1));
        var observer = new Observer();
        string appName = "interrupt-" + command + "-" + async;
        await using var client = observer.Connect(server.ConnectionString, $"appName={appName}&connectTimeoutMS=1000&heartbeatFrequencyMS=500");
        var collection = client.GetDatabase("failover").GetCollection("interrupt");
        await FindAsync(collection, async, FilterDefinition.Empty);
        await admin.GetDatabase("admin").RunCommandAsync(new BsonDocument
        {
            { "configureFailPoint", "failCommand" }, { "mode", "alwaysOn" },
            { "data", new BsonDocument { { "failCommands", new BsonArray { command, "hello" } }, { "blockConnection", true }, { "blockTimeMS", 4000 }, { "appName", appName } } },
        });
        var elapsed = Stopwatch.StartNew();

        // On its own thread: in sync mode the call blocks until the retry succeeds.
        Task operation = Task.Run(() => command == "find"
            ? FindAsync(collection, async, FilterDefinition.Empty)
            : async ? collection.UpdateOneAsync(Filter.Eq("_id", 1), Update.Set("a", "bar")) : Task.FromResult(collection.UpdateOne(Filter.Eq("_id", 1), Update.Set("a", "bar"))));
        await EventuallyAsync(() => observer.Cleared.Any(c => c.InterruptInUseConnections), "the monitor to time out and clear the pool");
        await admin.GetDatabase("admin").RunCommandAsync(new BsonDocument { { "configureFailPoint", "failCommand" }, { "mode", "off" } });
        await operation;

        // Interrupted before its 2 s block ended, then retried once the monitor found the server again.
        Assert.Equal(["started " + command, "failed " + command, "started " + command, "succeeded " + command], observer.Commands.Where(c => c.EndsWith(" " + command, StringComparison.Ordinal)).Skip(command == "find" ? 2 : 0));
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(30), "the interrupted operation took " + elapsed.Elapsed);

        // CMAP: the interrupted operation fails with a retryable PoolClearedError naming the monitor timeout.
        var interrupted = Assert.IsType<MongoPoolClearedException>(Assert.Single(observer.CommandFailures));
        Assert.Contains("interrupted due to server monitor timeout", interrupted.Message, StringComparison.Ordinal);
    }
}
