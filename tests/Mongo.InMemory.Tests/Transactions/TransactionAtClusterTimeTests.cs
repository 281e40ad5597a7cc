using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Transactions;

/// <summary>
/// Transactions with readConcern <c>{ level: "snapshot", atClusterTime: T }</c> and T older than the latest write, as
/// mongod runs them: they read the data as of T (plus their own writes), and writing a document that anything changed
/// after T is a WriteConflict (TransientTransactionError), since the storage engine holds a newer committed version.
/// </summary>
public sealed class TransactionAtClusterTimeTests : TransactionTestBase
{
    [Fact]
    public async Task A_transaction_at_an_earlier_time_reads_the_data_then_plus_its_own_writes_and_commits()
    {
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument { { "_id", 1 }, { "v", 1 } }, new O.BsonDocument { { "_id", 2 }, { "v", 1 } })));
        var at = await TimeAsync();
        AssertOk(await RunAsync(UpdateOne("c", new O.BsonDocument("_id", 1), new O.BsonDocument("$set", new O.BsonDocument("v", 2)))));
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument { { "_id", 3 }, { "v", 1 } })));

        var lsid = NewLsid();
        var read = Batch(await RunAsync(At(InTxn(Find("c"), lsid, 1, start: true), at)));
        Assert.Equal(["{ \"_id\" : 1, \"v\" : 1 }", "{ \"_id\" : 2, \"v\" : 1 }"], read.Select(d => d.ToString()));

        // Its own writes on documents nothing changed since then are seen, and commit.
        AssertOk(await RunAsync(InTxn(UpdateOne("c", new O.BsonDocument("_id", 2), new O.BsonDocument("$set", new O.BsonDocument("v", 5))), lsid, 1)));
        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument { { "_id", 4 }, { "v", 1 } }), lsid, 1)));
        Assert.Equal(new[] { 1, 5, 1 }, Batch(await RunAsync(InTxn(Find("c"), lsid, 1))).Select(d => d["v"].AsInt32));
        AssertOk(await RunAsync(Commit(lsid, 1)));

        // The commit changed what it wrote, and left the later writes it never saw as they were.
        var now = await ReadAllAsync("c");
        Assert.Equal(["{ \"_id\" : 1, \"v\" : 2 }", "{ \"_id\" : 2, \"v\" : 5 }", "{ \"_id\" : 3, \"v\" : 1 }", "{ \"_id\" : 4, \"v\" : 1 }"], now.Select(d => d.ToString()));
    }

    [Fact]
    public async Task Writing_a_document_changed_after_the_time_is_a_WriteConflict()
    {
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument { { "_id", 1 }, { "v", 1 } })));
        var at = await TimeAsync();
        AssertOk(await RunAsync(UpdateOne("c", new O.BsonDocument("_id", 1), new O.BsonDocument("$set", new O.BsonDocument("v", 2)))));

        var lsid = NewLsid();
        Assert.Single(Batch(await RunAsync(At(InTxn(Find("c"), lsid, 1, start: true), at))));
        var reply = await RunAsync(InTxn(UpdateOne("c", new O.BsonDocument("_id", 1), new O.BsonDocument("$set", new O.BsonDocument("v", 3))), lsid, 1));
        AssertError(reply, 112, "WriteConflict");
        AssertTransient(reply);

        // The conflict aborted the transaction; the later write stands.
        AssertError(await RunAsync(Commit(lsid, 1)), 251, "NoSuchTransaction");
        Assert.Equal(2, (await ReadAllAsync("c"))[0]["v"].AsInt32);
    }

    [Fact]
    public async Task Inserting_an_id_inserted_and_deleted_again_after_the_time_is_a_WriteConflict()
    {
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument("_id", 100))));
        var at = await TimeAsync();
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument("_id", 7))));
        AssertOk(await RunAsync(new O.BsonDocument { { "delete", "c" }, { "deletes", new O.BsonArray { new O.BsonDocument { { "q", new O.BsonDocument("_id", 7) }, { "limit", 1 } } } }, { "$db", Db } }));

        // Absent then and absent now, but it changed in between: mongod's storage engine sees the newer delete.
        var lsid = NewLsid();
        var reply = await RunAsync(At(InTxn(Insert("c", new O.BsonDocument("_id", 7)), lsid, 1, start: true), at));
        AssertError(reply, 112, "WriteConflict");
        AssertTransient(reply);

        // Another _id nothing touched inserts fine at the same time.
        var other = NewLsid();
        AssertOk(await RunAsync(At(InTxn(Insert("c", new O.BsonDocument("_id", 8)), other, 1, start: true), at)));
        AssertOk(await RunAsync(Commit(other, 1)));
        Assert.Equal(new[] { 100, 8 }, (await ReadAllAsync("c")).Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task A_transaction_at_an_earlier_time_reads_a_collection_dropped_since_and_cannot_write_it()
    {
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument("_id", 1))));
        var at = await TimeAsync();
        AssertOk(await RunAsync(new O.BsonDocument { { "drop", "c" }, { "$db", Db } }));

        var lsid = NewLsid();
        Assert.Single(Batch(await RunAsync(At(InTxn(Find("c"), lsid, 1, start: true), at))));
        AssertError(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 2)), lsid, 1)), 112, "WriteConflict");
    }

    [Fact]
    public async Task An_atClusterTime_in_the_future_is_refused()
    {
        var now = (await TimeAsync()).AsBsonTimestamp;
        var lsid = NewLsid();
        var reply = await RunAsync(At(InTxn(Find("c"), lsid, 1, start: true), new O.BsonTimestamp(now.Timestamp + 3600, 1)));
        AssertError(reply, 72, "InvalidOptions");
    }

    private async Task<O.BsonValue> TimeAsync() => (await RunAsync(new O.BsonDocument { { "ping", 1 }, { "$db", "admin" } }))["operationTime"];

    private static O.BsonDocument At(O.BsonDocument command, O.BsonValue atClusterTime)
    {
        command.Set("readConcern", new O.BsonDocument { { "level", "snapshot" }, { "atClusterTime", atClusterTime } });
        return command;
    }
}
