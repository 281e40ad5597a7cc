using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Transactions;

/// <summary>Snapshot isolation and write conflicts (first writer wins), through the official driver and raw commands.</summary>
public sealed class TransactionIsolationTests : TransactionTestBase
{
    [Fact]
    public async Task A_transaction_reads_the_snapshot_of_its_first_command_not_later_commits()
    {
        await SeedAccountsAsync();
        using IClientSessionHandle session = await Client.StartSessionAsync();
        session.StartTransaction();
        Assert.Equal(100, (await Accounts.Find(session, new O.BsonDocument("_id", 1)).SingleAsync())["balance"].AsInt32);

        // Written outside after the transaction's first read: not seen inside, whatever it reads next.
        await Accounts.UpdateOneAsync(new O.BsonDocument("_id", 1), new O.BsonDocument("$set", new O.BsonDocument("balance", 500)));
        await Accounts.InsertOneAsync(new O.BsonDocument { { "_id", 9 }, { "balance", 1 } });
        await Client.GetDatabase(Db).GetCollection<O.BsonDocument>("other").InsertOneAsync(new O.BsonDocument("_id", 1));

        Assert.Equal(100, (await Accounts.Find(session, new O.BsonDocument("_id", 1)).SingleAsync())["balance"].AsInt32);
        Assert.Equal(2, (await Accounts.Find(session, new O.BsonDocument()).ToListAsync()).Count);
        Assert.Empty(await Client.GetDatabase(Db).GetCollection<O.BsonDocument>("other").Find(session, new O.BsonDocument()).ToListAsync());
        await session.CommitTransactionAsync();
    }

    [Fact]
    public async Task Uncommitted_writes_are_invisible_to_other_sessions_and_transactions()
    {
        await SeedAccountsAsync();
        using IClientSessionHandle writer = await Client.StartSessionAsync();
        using IClientSessionHandle reader = await Client.StartSessionAsync();
        writer.StartTransaction();
        await Accounts.UpdateOneAsync(writer, new O.BsonDocument("_id", 1), new O.BsonDocument("$set", new O.BsonDocument("balance", 0)));
        await Accounts.InsertOneAsync(writer, new O.BsonDocument("_id", 3));

        reader.StartTransaction();
        Assert.Equal(100, (await Accounts.Find(reader, new O.BsonDocument("_id", 1)).SingleAsync())["balance"].AsInt32);
        Assert.Equal(2, (await Accounts.Find(reader, new O.BsonDocument()).ToListAsync()).Count);
        Assert.Equal(100, (await Accounts.Find(new O.BsonDocument("_id", 1)).SingleAsync())["balance"].AsInt32);

        await writer.CommitTransactionAsync();
        // The reader's snapshot predates the commit; outside, the commit is visible at once.
        Assert.Equal(100, (await Accounts.Find(reader, new O.BsonDocument("_id", 1)).SingleAsync())["balance"].AsInt32);
        Assert.Equal(0, (await Accounts.Find(new O.BsonDocument("_id", 1)).SingleAsync())["balance"].AsInt32);
        await reader.CommitTransactionAsync();
    }

    [Fact]
    public async Task A_lookup_in_a_transaction_reads_the_same_snapshot()
    {
        await SeedAccountsAsync();
        var owners = Client.GetDatabase(Db).GetCollection<O.BsonDocument>("owners");
        await owners.InsertOneAsync(new O.BsonDocument { { "_id", "ann" }, { "account", 1 } });
        using IClientSessionHandle session = await Client.StartSessionAsync();
        session.StartTransaction();
        await Accounts.UpdateOneAsync(session, new O.BsonDocument("_id", 1), new O.BsonDocument("$set", new O.BsonDocument("balance", 7)));
        await Accounts.UpdateOneAsync(new O.BsonDocument("_id", 2), new O.BsonDocument("$set", new O.BsonDocument("balance", 8))); // outside

        PipelineDefinition<O.BsonDocument, O.BsonDocument> pipeline = new[]
        {
            new O.BsonDocument("$lookup", new O.BsonDocument { { "from", "accounts" }, { "localField", "account" }, { "foreignField", "_id" }, { "as", "acct" } }),
        };
        var joined = await (await owners.AggregateAsync(session, pipeline)).SingleAsync();
        Assert.Equal(7, joined["acct"][0]["balance"].AsInt32); // its own write through $lookup
        var distinct = await (await Accounts.DistinctAsync<int>(session, "balance", new O.BsonDocument())).ToListAsync();
        Assert.Equal(new[] { 7, 100 }, distinct.Order()); // not the outside write of 8
        await session.AbortTransactionAsync();
    }

    [Fact]
    public async Task The_second_writer_of_a_document_gets_a_transient_WriteConflict_and_its_transaction_is_aborted()
    {
        await SeedAccountsAsync();
        O.BsonDocument first = NewLsid(), second = NewLsid();
        AssertOk(await RunAsync(InTxn(UpdateOne("accounts", new O.BsonDocument("_id", 1), Inc(-10)), first, 1, start: true)));

        var conflict = await RunAsync(InTxn(UpdateOne("accounts", new O.BsonDocument("_id", 1), Inc(-20)), second, 1, start: true));
        AssertError(conflict, 112, "WriteConflict");
        AssertTransient(conflict);
        Assert.DoesNotContain(new O.BsonString("UnknownTransactionCommitResult"), Labels(conflict));
        Assert.False(conflict.Contains("writeErrors"));

        // The loser's transaction is gone; the winner commits.
        var next = await RunAsync(InTxn(Find("accounts"), second, 1));
        AssertError(next, 251, "NoSuchTransaction", "Transaction with { txnNumber: 1, txnRetryCounter: 0 } has been aborted.");
        AssertTransient(next);
        AssertOk(await RunAsync(Commit(first, 1)));
        var commitLoser = await RunAsync(Commit(second, 1));
        AssertError(commitLoser, 251, "NoSuchTransaction");
        AssertTransient(commitLoser);
        Assert.Equal(90, (await ReadAllAsync("accounts"))[0]["balance"].AsInt32);
    }

    [Fact]
    public async Task Inserting_the_same_id_in_two_transactions_conflicts()
    {
        O.BsonDocument first = NewLsid(), second = NewLsid();
        AssertOk(await RunAsync(InTxn(Insert("accounts", new O.BsonDocument("_id", 1)), first, 1, start: true)));
        var conflict = await RunAsync(InTxn(Insert("accounts", new O.BsonDocument("_id", 1)), second, 1, start: true));
        AssertError(conflict, 112, "WriteConflict");
        AssertTransient(conflict);
        AssertOk(await RunAsync(Commit(first, 1)));
        AssertError(await RunAsync(Commit(second, 1)), 251, "NoSuchTransaction");
        Assert.Single(await ReadAllAsync("accounts"));
    }

    [Fact]
    public async Task The_same_value_of_a_unique_index_in_two_transactions_conflicts()
    {
        AssertOk(await RunAsync(new O.BsonDocument
        {
            { "createIndexes", "users" },
            { "indexes", new O.BsonArray { new O.BsonDocument { { "key", new O.BsonDocument("email", 1) }, { "name", "email_1" }, { "unique", true } } } },
            { "$db", Db },
        }));
        O.BsonDocument first = NewLsid(), second = NewLsid();
        AssertOk(await RunAsync(InTxn(Insert("users", new O.BsonDocument { { "_id", 1 }, { "email", "a@x" } }), first, 1, start: true)));
        var conflict = await RunAsync(InTxn(Insert("users", new O.BsonDocument { { "_id", 2 }, { "email", "a@x" } }), second, 1, start: true));
        AssertError(conflict, 112, "WriteConflict");
        AssertOk(await RunAsync(Commit(first, 1)));
        Assert.Single(await ReadAllAsync("users"));
    }

    [Fact]
    public async Task Writing_a_document_changed_outside_after_the_snapshot_conflicts()
    {
        await SeedAccountsAsync();
        var lsid = NewLsid();
        Assert.Equal(2, Batch(await RunAsync(InTxn(Find("accounts"), lsid, 1, start: true))).Count); // snapshot taken
        AssertOk(await RunAsync(UpdateOne("accounts", new O.BsonDocument("_id", 1), Inc(1)))); // committed outside

        var conflict = await RunAsync(InTxn(UpdateOne("accounts", new O.BsonDocument("_id", 1), Inc(-10)), lsid, 1));
        AssertError(conflict, 112, "WriteConflict");
        AssertTransient(conflict);
        AssertError(await RunAsync(InTxn(Find("accounts"), lsid, 1)), 251, "NoSuchTransaction");
        Assert.Equal(101, (await ReadAllAsync("accounts"))[0]["balance"].AsInt32);

        // An untouched document is still writable in a new transaction on the same session.
        AssertOk(await RunAsync(InTxn(UpdateOne("accounts", new O.BsonDocument("_id", 2), Inc(-10)), lsid, 2, start: true)));
        AssertOk(await RunAsync(Commit(lsid, 2)));
    }

    [Fact]
    public async Task Inserting_an_id_inserted_outside_after_the_snapshot_conflicts()
    {
        var lsid = NewLsid();
        Batch(await RunAsync(InTxn(Find("accounts"), lsid, 1, start: true)));
        AssertOk(await RunAsync(Insert("accounts", new O.BsonDocument("_id", 7))));
        AssertError(await RunAsync(InTxn(Insert("accounts", new O.BsonDocument("_id", 7)), lsid, 1)), 112, "WriteConflict");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithTransaction_retries_a_write_conflict_until_it_commits(bool async)
    {
        await SeedAccountsAsync();
        var blocker = NewLsid();
        AssertOk(await RunAsync(InTxn(UpdateOne("accounts", new O.BsonDocument("_id", 1), Inc(-1)), blocker, 1, start: true)));
        using IClientSessionHandle session = await Client.StartSessionAsync();
        int attempts = 0;

        async Task<bool> Body(IClientSessionHandle s, CancellationToken ct)
        {
            attempts++;
            if (attempts == 2)
            {
                // The first attempt lost to the blocker; let the blocker finish so that this attempt can win.
                AssertOk(await RunAsync(Commit(blocker, 1)));
            }

            await Accounts.UpdateOneAsync(s, new O.BsonDocument("_id", 1), Inc(-50), cancellationToken: ct);
            await Accounts.UpdateOneAsync(s, new O.BsonDocument("_id", 2), Inc(50), cancellationToken: ct);
            return true;
        }

        if (async)
        {
            await session.WithTransactionAsync(Body);
        }
        else
        {
            session.WithTransaction((s, ct) => Body(s, ct).GetAwaiter().GetResult());
        }

        Assert.Equal(2, attempts);
        var balances = (await ReadAllAsync("accounts")).Select(d => d["balance"].AsInt32).ToArray();
        Assert.Equal(new[] { 49, 150 }, balances);
    }

    [Fact]
    public async Task Concurrent_transfers_with_WithTransaction_conserve_the_total()
    {
        var seed = Enumerable.Range(0, 10).Select(i => new O.BsonDocument { { "_id", i }, { "balance", 1000 } });
        await Accounts.InsertManyAsync(seed);

        async Task Worker(int id)
        {
            var random = new Random(id);
            using IClientSessionHandle session = await Client.StartSessionAsync();
            for (int round = 0; round < 15; round++)
            {
                int from = random.Next(10), to = (from + 1 + random.Next(9)) % 10, amount = random.Next(1, 50);
                await session.WithTransactionAsync(async (s, ct) =>
                {
                    await Accounts.UpdateOneAsync(s, new O.BsonDocument("_id", from), Inc(-amount), cancellationToken: ct);
                    await Accounts.UpdateOneAsync(s, new O.BsonDocument("_id", to), Inc(amount), cancellationToken: ct);
                    return true;
                });
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 6).Select(Worker));

        var all = await ReadAllAsync("accounts");
        Assert.Equal(10, all.Count);
        Assert.Equal(10_000, all.Sum(d => d["balance"].AsInt32));
        var status = await RunAsync(new O.BsonDocument { { "serverStatus", 1 }, { "$db", "admin" } });
        Assert.Equal(90L, status["transactions"]["totalCommitted"].ToInt64());
        Assert.Equal(0L, status["transactions"]["currentOpen"].ToInt64());
    }

    [Fact]
    public async Task Transfers_in_transactions_and_outside_writers_on_the_same_documents_finish_and_conserve_the_total()
    {
        await Accounts.InsertManyAsync(Enumerable.Range(0, 6).Select(i => new O.BsonDocument { { "_id", i }, { "balance", 500 }, { "touched", 0 } }));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        async Task Transfers(int seed)
        {
            var random = new Random(seed);
            using IClientSessionHandle session = await Client.StartSessionAsync();
            for (int round = 0; round < 20; round++)
            {
                int from = random.Next(6), to = (from + 1 + random.Next(5)) % 6, amount = random.Next(1, 20);
                await session.WithTransactionAsync(async (s, ct) =>
                {
                    await Accounts.UpdateOneAsync(s, new O.BsonDocument("_id", from), Inc(-amount), cancellationToken: ct);
                    await Accounts.UpdateOneAsync(s, new O.BsonDocument("_id", to), Inc(amount), cancellationToken: ct);
                    return true;
                }, cancellationToken: stop.Token);
            }
        }

        // Outside transactions: single-document writes that leave the total alone; they wait for the transfers.
        async Task Touches(int seed)
        {
            var random = new Random(seed);
            for (int round = 0; round < 40; round++)
            {
                await Accounts.UpdateOneAsync(new O.BsonDocument("_id", random.Next(6)), new O.BsonDocument("$inc", new O.BsonDocument("touched", 1)), cancellationToken: stop.Token);
                await Accounts.UpdateManyAsync(new O.BsonDocument(), new O.BsonDocument("$inc", new O.BsonDocument("touched", 1)), cancellationToken: stop.Token);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(Transfers).Concat(Enumerable.Range(10, 2).Select(Touches)));

        var all = await ReadAllAsync("accounts");
        Assert.Equal(3000, all.Sum(d => d["balance"].AsInt32));
        Assert.Equal(2 * 40 + 2 * 40 * 6, all.Sum(d => d["touched"].AsInt32)); // every outside write applied exactly once
        var status = await RunAsync(new O.BsonDocument { { "serverStatus", 1 }, { "$db", "admin" } });
        Assert.Equal(80L, status["transactions"]["totalCommitted"].ToInt64());
        Assert.Equal(0L, status["transactions"]["currentOpen"].ToInt64());
    }

    private static O.BsonDocument Inc(int amount) => new("$inc", new O.BsonDocument("balance", amount));
}
