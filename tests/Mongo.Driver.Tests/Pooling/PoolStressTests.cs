using Mongo.Bson;
using Mongo.Driver.Operations;
using Mongo.Driver.Pooling;
using Mongo.Driver.Tests.Connections;
using Mongo.InMemory;
using Xunit;

namespace Mongo.Driver.Tests.Pooling;

public sealed class PoolStressTests
{
    /// <summary>
    /// Commands per task: 2,000 by default (CI), MONGO_STRESS_COMMANDS=10000 for the full count. Measured on
    /// the shared 2-core machine (load average ~22): 64 x 10,000 took 37 s async and 52 s sync, not well under a
    /// minute, so CI keeps 2,000 (a few seconds) and the full run is opt-in.
    /// </summary>
    private static int CommandsPerTask => RequestedCommands ?? 2_000;

    private static int? RequestedCommands =>
        int.TryParse(Environment.GetEnvironmentVariable("MONGO_STRESS_COMMANDS"), out int n) && n > 0 ? n : null;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Many_concurrent_tasks_share_the_pool_without_errors_or_leaks(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        var pool = new PoolSettings { MaxPoolSize = 16, WaitQueueTimeout = TimeSpan.FromSeconds(60) };
        await using var executor = new OperationExecutor(CoreTestHelpers.Cluster(server, pool: pool));
        const int tasks = 64;
        // Sync mode blocks a thread per task: CI runs a quarter of the count; an explicit count applies to both modes.
        int perTask = async || RequestedCommands is not null ? CommandsPerTask : CommandsPerTask / 4;
        int failures = 0;
        long ok = 0;
        var ping = new CommandMessage { Database = "admin", Body = new BsonDocument("ping", 1) };

        Task[] workers = new Task[tasks];
        for (int t = 0; t < tasks; t++)
        {
            workers[t] = async
                ? Task.Run(async () =>
                {
                    for (int i = 0; i < perTask; i++)
                    {
                        CommandResponse reply = await executor.ExecuteAsync(true, ping, CancellationToken.None);
                        if (ExceptionFactory.IsOk(reply.Bytes.Span)) { Interlocked.Increment(ref ok); } else { Interlocked.Increment(ref failures); }
                    }
                })
                : Task.Factory.StartNew(() =>
                {
                    for (int i = 0; i < perTask; i++)
                    {
                        CommandResponse reply = executor.ExecuteAsync(false, ping, CancellationToken.None).GetAwaiter().GetResult();
                        if (ExceptionFactory.IsOk(reply.Bytes.Span)) { Interlocked.Increment(ref ok); } else { Interlocked.Increment(ref failures); }
                    }
                }, TaskCreationOptions.LongRunning);
        }

        await Task.WhenAll(workers);

        Assert.Equal(0, failures);
        Assert.Equal((long)tasks * perTask, ok);
        var counts = executor.Cluster.Servers[0].Pool.Counts;
        Assert.Equal(0, counts.InUse);
        Assert.Equal(0, counts.Pending);
        Assert.Equal(0, counts.Waiting);
        Assert.Equal(counts.Total, counts.Available);
        Assert.InRange(counts.Total, 1, 16);
        Assert.Equal(0, executor.Cluster.Servers[0].OperationCount);
    }
}
