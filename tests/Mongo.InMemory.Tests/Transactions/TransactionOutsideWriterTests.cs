using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Transactions;

/// <summary>
/// Writes outside transactions that meet a document an open transaction wrote: as on mongod they wait for the
/// transaction to end (bounded by maxTimeMS, MaxTimeMSExpired after it) and then apply to what it left. Reads never wait.
/// DDL waits for the transactions that used its collection.
/// </summary>
public sealed class TransactionOutsideWriterTests : TransactionTestBase
{
    [Fact]
    public async Task An_outside_update_of_a_document_a_transaction_wrote_times_out_with_maxTimeMS()
    {
        await SeedAccountsAsync();
        var lsid = NewLsid();
        AssertOk(await RunAsync(InTxn(UpdateOne("accounts", new O.BsonDocument("_id", 1), Inc(-10)), lsid, 1, start: true)));

        var outside = UpdateOne("accounts", new O.BsonDocument("_id", 1), Inc(1));
        outside.Add("maxTimeMS", 150);
        var started = DateTime.UtcNow;
        var reply = await RunAsync(outside);
        AssertError(reply, 50, "MaxTimeMSExpired", "operation exceeded time limit");
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(140));
        Assert.False(reply.Contains("writeErrors"));

        // Other documents and reads are not held up.
        var other = UpdateOne("accounts", new O.BsonDocument("_id", 2), Inc(1));
        other.Add("maxTimeMS", 150);
        AssertOk(await RunAsync(other));
        Assert.Equal(100, (await ReadAllAsync("accounts"))[0]["balance"].AsInt32);
        AssertOk(await RunAsync(Commit(lsid, 1)));
        Assert.Equal(new[] { 90, 101 }, (await ReadAllAsync("accounts")).Select(d => d["balance"].AsInt32));
    }

    [Fact]
    public async Task A_blocked_outside_update_applies_on_top_of_the_committed_version()
    {
        await SeedAccountsAsync();
        var lsid = NewLsid();
        AssertOk(await RunAsync(InTxn(UpdateOne("accounts", new O.BsonDocument("_id", 1), Inc(-10)), lsid, 1, start: true)));

        var blocked = RunAsync(UpdateOne("accounts", new O.BsonDocument("_id", 1), Inc(1)));
        await Task.Delay(200);
        Assert.False(blocked.IsCompleted);
        AssertOk(await RunAsync(Commit(lsid, 1)));
        var reply = await blocked;
        AssertOk(reply);
        Assert.Equal(1, reply["nModified"].ToInt32());
        Assert.Equal(91, (await ReadAllAsync("accounts"))[0]["balance"].AsInt32);
    }

    [Fact]
    public async Task A_blocked_outside_insert_of_the_same_id_fails_with_DuplicateKey_after_the_commit_or_succeeds_after_an_abort()
    {
        var lsid = NewLsid();
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument("_id", 0))));
        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 1)), lsid, 1, start: true)));
        var blocked = RunAsync(Insert("c", new O.BsonDocument { { "_id", 1 }, { "by", "outside" } }));
        await Task.Delay(150);
        Assert.False(blocked.IsCompleted);
        AssertOk(await RunAsync(Commit(lsid, 1)));
        Assert.Equal(11000, (await blocked)["writeErrors"][0]["code"].AsInt32);

        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 2)), lsid, 2, start: true)));
        var second = RunAsync(Insert("c", new O.BsonDocument { { "_id", 2 }, { "by", "outside" } }));
        await Task.Delay(150);
        Assert.False(second.IsCompleted);
        AssertOk(await RunAsync(Abort(lsid, 2)));
        AssertOk(await second);
        Assert.Equal("outside", (await ReadAllAsync("c"))[2]["by"].AsString);
    }

    [Fact]
    public async Task A_multi_update_waits_before_changing_anything_and_then_updates_every_match_once()
    {
        AssertOk(await RunAsync(Insert("c", Enumerable.Range(0, 4).Select(i => new O.BsonDocument { { "_id", i }, { "n", 0 } }).ToArray())));
        var lsid = NewLsid();
        AssertOk(await RunAsync(InTxn(UpdateOne("c", new O.BsonDocument("_id", 2), new O.BsonDocument("$inc", new O.BsonDocument("n", 10))), lsid, 1, start: true)));
        var multi = new O.BsonDocument
        {
            { "update", "c" },
            { "updates", new O.BsonArray { new O.BsonDocument { { "q", new O.BsonDocument() }, { "u", new O.BsonDocument("$inc", new O.BsonDocument("n", 1)) }, { "multi", true } } } },
            { "$db", Db },
        };
        var blocked = RunAsync(multi);
        await Task.Delay(150);
        Assert.All(await ReadAllAsync("c"), d => Assert.Equal(0, d["n"].AsInt32)); // nothing applied while waiting
        AssertOk(await RunAsync(Commit(lsid, 1)));
        Assert.Equal(4, (await blocked)["nModified"].ToInt32());
        Assert.Equal(new[] { 1, 1, 11, 1 }, (await ReadAllAsync("c")).Select(d => d["n"].AsInt32));
    }

    [Fact]
    public async Task FindAndModify_outside_waits_for_the_transaction_too()
    {
        await SeedAccountsAsync();
        var lsid = NewLsid();
        AssertOk(await RunAsync(InTxn(UpdateOne("accounts", new O.BsonDocument("_id", 1), Inc(-10)), lsid, 1, start: true)));
        var fam = new O.BsonDocument { { "findAndModify", "accounts" }, { "query", new O.BsonDocument("_id", 1) }, { "update", Inc(5) }, { "new", true }, { "$db", Db } };
        var blocked = RunAsync(fam);
        await Task.Delay(150);
        Assert.False(blocked.IsCompleted);
        AssertOk(await RunAsync(Abort(lsid, 1)));
        Assert.Equal(105, (await blocked)["value"]["balance"].AsInt32);
    }

    [Fact]
    public async Task Dropping_a_collection_a_transaction_uses_waits_for_it()
    {
        await SeedAccountsAsync();
        var lsid = NewLsid();
        Batch(await RunAsync(InTxn(Find("accounts"), lsid, 1, start: true))); // reading is enough to hold it
        var drop = new O.BsonDocument { { "drop", "accounts" }, { "maxTimeMS", 150 }, { "$db", Db } };
        AssertError(await RunAsync(drop), 50, "MaxTimeMSExpired");
        var blocked = RunAsync(new O.BsonDocument { { "drop", "accounts" }, { "$db", Db } });
        await Task.Delay(150);
        Assert.False(blocked.IsCompleted);
        AssertOk(await RunAsync(Commit(lsid, 1)));
        AssertOk(await blocked);
        Assert.Empty(await ReadAllAsync("accounts"));
    }

    [Fact]
    public async Task A_transaction_writing_a_collection_dropped_after_its_snapshot_conflicts()
    {
        await SeedAccountsAsync();
        AssertOk(await RunAsync(Insert("other", new O.BsonDocument("_id", 1))));
        var lsid = NewLsid();
        Batch(await RunAsync(InTxn(Find("other"), lsid, 1, start: true)));
        AssertOk(await RunAsync(new O.BsonDocument { { "drop", "accounts" }, { "$db", Db } })); // not used by the transaction yet
        AssertError(await RunAsync(InTxn(UpdateOne("accounts", new O.BsonDocument("_id", 1), Inc(1)), lsid, 1)), 112, "WriteConflict");
        Assert.Empty(await ReadAllAsync("accounts"));
    }

    [Fact]
    public async Task A_writer_waiting_for_a_transaction_does_not_hold_up_the_servers_shutdown()
    {
        var server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        using RawWireClient client = await RawWireClient.ConnectAsync(server.Port);
        await client.SendAsync(RawWireClient.OpMsg(InTxn(Insert("c", new O.BsonDocument("_id", 1)), NewLsid(), 1, start: true)));
        AssertOk((await client.ReceiveAsync())!.Document);
        using RawWireClient blocked = await RawWireClient.ConnectAsync(server.Port);
        await blocked.SendAsync(RawWireClient.OpMsg(Insert("c", new O.BsonDocument("_id", 1))));
        await Task.Delay(100);

        Task dispose = server.DisposeAsync().AsTask();
        Assert.Same(dispose, await Task.WhenAny(dispose, Task.Delay(TimeSpan.FromSeconds(10))));
    }

    private static O.BsonDocument Inc(int amount) => new("$inc", new O.BsonDocument("balance", amount));
}
