using System.Collections.Concurrent;
using Mongo.Bson;
using Mongo.InMemory;
using Xunit;
using Xunit.Abstractions;

namespace Mongo.Driver.Tests.ReplicaSet;

/// <summary>
/// Transfers inside <see cref="MongoSession.WithTransactionAsync(Func{MongoSession, CancellationToken, Task}, TransactionOptions?, CancellationToken)"/>
/// on a 3-member in-memory replica set whose primary steps down every second: whatever commits or fails, the total of
/// all balances is conserved, and no transfer hangs.
/// </summary>
public sealed class TransferSoakTests(ITestOutputHelper output)
{
    private const int Accounts = 10;
    private const int Workers = 6;
    private const long Initial = 1_000_000;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Transfers_in_WithTransaction_conserve_the_total_across_step_downs()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        await using var client = new MongoClient(StepDownSoak.ClientUrl(set, OperationTimeout));
        var accounts = client.GetDatabase("soak_bank").GetCollection("accounts");
        await accounts.InsertManyAsync(Enumerable.Range(0, Accounts).Select(i => new BsonDocument { { "_id", i }, { "balance", Initial } }));

        int committed = 0;
        var failures = new ConcurrentDictionary<string, int>();
        var soak = new StepDownSoak();
        using var stop = new CancellationTokenSource(Duration);

        Task[] workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            while (!stop.IsCancellationRequested)
            {
                int from = random.Next(Accounts), to = (from + 1 + random.Next(Accounts - 1)) % Accounts;
                long amount = random.Next(1, 100);
                try
                {
                    await using var session = await client.StartSessionAsync();
                    await session.WithTransactionAsync(async (s, ct) =>
                    {
                        var bound = accounts.WithSession(s);
                        var debit = await bound.UpdateOneAsync(
                            new BsonDocument { { "_id", from }, { "balance", new BsonDocument("$gte", amount) } },
                            new BsonDocument("$inc", new BsonDocument("balance", -amount)), cancellationToken: ct);
                        if (debit.ModifiedCount == 1)
                        {
                            await bound.UpdateOneAsync(new BsonDocument("_id", to), new BsonDocument("$inc", new BsonDocument("balance", amount)), cancellationToken: ct);
                        }
                    }, new TransactionOptions { WriteConcern = WriteConcern.WMajority });
                    Interlocked.Increment(ref committed);
                }
                catch (MongoException ex)
                {
                    // Allowed: a transfer given up (its time ran out across elections). What must never happen is half of one.
                    failures.AddOrUpdate(ex.GetType().Name + (ex is MongoServerException server ? " " + server.Code : ""), 1, (_, n) => n + 1);
                }
            }
        })).ToArray();

        await StepDownSoak.WhenAllWithinAsync(
            workers.Append(soak.RunAsync(set, stop.Token)), Duration + TimeSpan.FromSeconds(150), "a transfer hung: the soak did not finish");

        output.WriteLine($"step-downs: {soak.StepDowns}, committed transfers: {committed}");
        foreach (var (kind, count) in failures)
        {
            output.WriteLine($"  failed: {count} x {kind}");
        }

        await set.WaitForPrimaryAsync();
        long total = 0;
        foreach (var account in await accounts.Find(new BsonDocument()).ToListAsync())
        {
            Assert.True(account["balance"].ToInt64() >= 0, "a balance went negative: " + account);
            total += account["balance"].ToInt64();
        }

        Assert.Equal(Accounts * Initial, total);
        // Low floors on purpose: a loaded CI machine commits fewer transfers; conservation above is the real check.
        Assert.True(soak.StepDowns >= Duration.TotalSeconds / 4, $"only {soak.StepDowns} step-downs");
        Assert.True(committed > 10, $"only {committed} transfers committed");
    }
}
