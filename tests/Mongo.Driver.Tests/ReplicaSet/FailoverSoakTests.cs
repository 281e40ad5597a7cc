using System.Collections.Concurrent;
using System.Diagnostics;
using Mongo.Bson;
using Mongo.InMemory;
using Xunit;
using Xunit.Abstractions;

namespace Mongo.Driver.Tests.ReplicaSet;

/// <summary>
/// Failover soak: this driver against a 3-member in-memory replica set whose primary steps down every second. Eight
/// writers insert numbered documents with retryable writes, readers read with secondaryPreferred; afterwards every
/// acknowledged insert is present exactly once, no operation outlived its timeout, and no connection leaked.
/// </summary>
public sealed class FailoverSoakTests(ITestOutputHelper output)
{
    private const int Writers = 8;
    private const int Readers = 3;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Retryable_writes_and_secondary_reads_survive_a_step_down_every_second()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        var client = new MongoClient(StepDownSoak.ClientUrl(set, OperationTimeout));
        var collection = client.GetDatabase("soak").GetCollection("docs");
        await collection.InsertOneAsync(new BsonDocument { { "w", -1 }, { "n", -1 } }); // discovery done before the clock starts

        var acknowledged = new ConcurrentBag<(int Writer, int N)>();
        var failures = new ConcurrentDictionary<string, int>();
        var reads = new long[1];
        var readFailures = new long[1];
        var slowest = new long[1];
        var soak = new StepDownSoak();
        using var stop = new CancellationTokenSource(Duration);

        async Task TimedAsync(Func<Task> operation, bool isRead)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                await operation();
                if (isRead)
                {
                    Interlocked.Increment(ref reads[0]);
                }
            }
            catch (MongoException ex)
            {
                // A write the driver could not get acknowledged (both attempts met a stepping-down primary) is allowed;
                // what it must never do is report success for a write that is missing, or hang.
                failures.AddOrUpdate(Describe(ex), 1, (_, n) => n + 1);
                if (isRead)
                {
                    Interlocked.Increment(ref readFailures[0]);
                }
            }
            finally
            {
                long elapsed = clock.ElapsedMilliseconds;
                long seen;
                while (elapsed > (seen = Interlocked.Read(ref slowest[0])) && Interlocked.CompareExchange(ref slowest[0], elapsed, seen) != seen)
                {
                }
            }
        }

        Task[] writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (int n = 0; !stop.IsCancellationRequested; n++)
            {
                int number = n;
                await TimedAsync(async () =>
                {
                    await collection.InsertOneAsync(new BsonDocument { { "w", w }, { "n", number } });
                    acknowledged.Add((w, number));
                }, isRead: false);
            }
        })).ToArray();

        Task[] readers = Enumerable.Range(0, Readers).Select(r => Task.Run(async () =>
        {
            var secondaryPreferred = collection.WithReadPreference(ReadPreference.SecondaryPreferred);
            while (!stop.IsCancellationRequested)
            {
                await TimedAsync(() => secondaryPreferred.Find(new BsonDocument("w", r)).Limit(10).ToListAsync(), isRead: true);
                await Task.Delay(5);
            }
        })).ToArray();

        await StepDownSoak.WhenAllWithinAsync(
            writers.Concat(readers).Append(soak.RunAsync(set, stop.Token)), Duration + OperationTimeout + TimeSpan.FromSeconds(15),
            "an operation hung past its timeout: the soak did not finish");

        output.WriteLine($"step-downs: {soak.StepDowns}, term: {set.Term}, acknowledged inserts: {acknowledged.Count}, reads: {reads[0]}, failed reads: {readFailures[0]}, slowest operation: {slowest[0]} ms");
        foreach (var (kind, count) in failures.OrderByDescending(f => f.Value))
        {
            output.WriteLine($"  failed: {count} x {kind}");
        }

        // Throughput floors are low on purpose: CI machines can be heavily loaded; what matters is that work kept flowing
        // across many elections and that nothing waited far past its timeout (the slack covers thread-pool starvation).
        Assert.True(soak.StepDowns >= Duration.TotalSeconds / 4, $"only {soak.StepDowns} step-downs");
        Assert.InRange(slowest[0], 0, (long)(OperationTimeout + TimeSpan.FromSeconds(10)).TotalMilliseconds);
        Assert.True(acknowledged.Count > 50, $"only {acknowledged.Count} acknowledged inserts");
        Assert.True(reads[0] > 20, $"only {reads[0]} reads");
        Assert.DoesNotContain(failures.Keys, k => k.Contains("DuplicateKey", StringComparison.Ordinal)); // a retry applied twice would surface so

        // Every acknowledged insert exactly once (read on the primary, after the last election settled).
        await set.WaitForPrimaryAsync();
        var present = new Dictionary<(int, int), int>();
        foreach (BsonDocument document in await collection.Find(new BsonDocument("w", new BsonDocument("$gte", 0))).ToListAsync())
        {
            var key = (document["w"].ToInt32(), document["n"].ToInt32());
            present[key] = present.GetValueOrDefault(key) + 1;
        }

        Assert.All(acknowledged, a => Assert.Equal(1, present.GetValueOrDefault(a)));
        Assert.All(present, p => Assert.Equal(1, p.Value));

        // No connection leaked: what the members hold is what the pools and the monitors hold, and nothing once the client is gone.
        var executor = (Mongo.Driver.Operations.OperationExecutor)client.Executor;
        await EventuallyAsync(() =>
        {
            long serverSide = set.Members.Sum(m => m.Statistics.CurrentConnections);
            long clientSide = executor.Cluster.Servers.Sum(s => s.Pool.Counts.Total) + MonitoringConnections(executor);
            return serverSide == clientSide;
        }, () => $"server-side {set.Members.Sum(m => m.Statistics.CurrentConnections)} vs pools {executor.Cluster.Servers.Sum(s => s.Pool.Counts.Total)} + {MonitoringConnections(executor)} monitoring");
        await client.DisposeAsync();
        await EventuallyAsync(() => set.Members.Sum(m => m.Statistics.CurrentConnections) == 0, () => $"{set.Members.Sum(m => m.Statistics.CurrentConnections)} connections left open");
        Assert.All(set.Members, m => Assert.Equal(0, m.Statistics.InternalErrors));
    }

    /// <summary>One monitor connection per server, plus the RTT monitor's own connection where the monitor streams hello.</summary>
    private static int MonitoringConnections(Mongo.Driver.Operations.OperationExecutor executor) =>
        executor.Cluster.Servers.Sum(s => s.Monitor is null ? 0 : s.Monitor.RttMonitorStarted ? 2 : 1);

    private static string Describe(MongoException ex) => ex switch
    {
        MongoServerException server => $"{ex.GetType().Name} {server.Code} {server.CodeName}",
        _ => ex.GetType().Name + ": " + (ex.Message.Length > 80 ? ex.Message[..80] : ex.Message),
    };

    private static async Task EventuallyAsync(Func<bool> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out: " + what());
            await Task.Delay(50);
        }
    }
}
