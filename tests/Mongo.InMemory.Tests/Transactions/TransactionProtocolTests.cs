using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Transactions;

/// <summary>The transaction state machine on the wire: mongod's codes, names, messages and labels for each misuse.</summary>
public sealed class TransactionProtocolTests : TransactionTestBase
{
    [Fact]
    public async Task A_retried_commit_of_a_committed_transaction_succeeds_again()
    {
        var lsid = NewLsid();
        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 1)), lsid, 1, start: true)));
        var first = await RunAsync(Commit(lsid, 1));
        AssertOk(first);
        Assert.True(first.Contains("$clusterTime") && first.Contains("operationTime"));
        AssertOk(await RunAsync(Commit(lsid, 1)));
        Assert.Single(await ReadAllAsync("c"));
    }

    [Fact]
    public async Task Commit_of_an_aborted_transaction_is_NoSuchTransaction()
    {
        var lsid = NewLsid();
        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 1)), lsid, 1, start: true)));
        AssertOk(await RunAsync(Abort(lsid, 1)));
        var commit = await RunAsync(Commit(lsid, 1));
        AssertError(commit, 251, "NoSuchTransaction", "Transaction with { txnNumber: 1, txnRetryCounter: 0 } has been aborted.");
        AssertTransient(commit);
        Assert.Empty(await ReadAllAsync("c"));
    }

    [Fact]
    public async Task Abort_twice_is_NoSuchTransaction_and_abort_after_commit_is_TransactionCommitted()
    {
        var lsid = NewLsid();
        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 1)), lsid, 1, start: true)));
        AssertOk(await RunAsync(Abort(lsid, 1)));
        var again = await RunAsync(Abort(lsid, 1));
        AssertError(again, 251, "NoSuchTransaction");
        AssertTransient(again);

        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 2)), lsid, 2, start: true)));
        AssertOk(await RunAsync(Commit(lsid, 2)));
        var afterCommit = await RunAsync(Abort(lsid, 2));
        AssertError(afterCommit, 256, "TransactionCommitted", "Transaction with { txnNumber: 2, txnRetryCounter: 0 } has been committed.");
        AssertNoLabels(afterCommit);
        var statementAfterCommit = await RunAsync(InTxn(Find("c"), lsid, 2));
        AssertError(statementAfterCommit, 256, "TransactionCommitted");
        Assert.Single(await ReadAllAsync("c"));
    }

    [Fact]
    public async Task Continuing_a_transaction_that_never_started_is_NoSuchTransaction()
    {
        var lsid = NewLsid();
        var reply = await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 1)), lsid, 4));
        AssertError(reply, 251, "NoSuchTransaction", "Given transaction number 4 does not match any in-progress transactions. The active transaction number is -1");
        AssertTransient(reply);
        Assert.Empty(await ReadAllAsync("c"));
        AssertError(await RunAsync(Commit(lsid, 4)), 251, "NoSuchTransaction");
    }

    [Fact]
    public async Task An_older_txnNumber_is_TransactionTooOld_and_a_newer_one_aborts_the_open_transaction()
    {
        var lsid = NewLsid();
        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 1)), lsid, 5, start: true)));
        var old = await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 2)), lsid, 4, start: true));
        AssertError(old, 225, "TransactionTooOld");
        Assert.StartsWith("Cannot start transaction with { txnNumber: 4, txnRetryCounter: 0 } on session ", old["errmsg"].AsString);
        AssertNoLabels(old);

        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 3)), lsid, 6, start: true)));
        AssertError(await RunAsync(Commit(lsid, 5)), 225, "TransactionTooOld");
        AssertOk(await RunAsync(Commit(lsid, 6)));
        Assert.Equal(new[] { 3 }, (await ReadAllAsync("c")).Select(d => d["_id"].AsInt32)); // 5 was aborted by 6
    }

    [Fact]
    public async Task Starting_a_transaction_at_the_active_number_is_ConflictingOperationInProgress()
    {
        var lsid = NewLsid();
        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 1)), lsid, 1, start: true)));
        var restart = await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 2)), lsid, 1, start: true));
        AssertError(restart, 117, "ConflictingOperationInProgress", "Only servers in a sharded cluster can start a new transaction at the active transaction number");
        AssertOk(await RunAsync(Commit(lsid, 1))); // the transaction itself goes on
        Assert.Single(await ReadAllAsync("c"));
    }

    [Fact]
    public async Task Retryable_writes_and_transactions_share_the_sessions_txnNumber()
    {
        var lsid = NewLsid();
        var retryable = Insert("c", new O.BsonDocument("_id", 1));
        retryable.Add("lsid", lsid);
        retryable.Add("txnNumber", new O.BsonInt64(3));
        AssertOk(await RunAsync(retryable));
        AssertError(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 2)), lsid, 2, start: true)), 225, "TransactionTooOld");
        AssertError(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 2)), lsid, 3, start: true)), 117, "ConflictingOperationInProgress");

        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 4)), lsid, 4, start: true)));
        var stale = Insert("c", new O.BsonDocument("_id", 5));
        stale.Add("lsid", lsid);
        stale.Add("txnNumber", new O.BsonInt64(4));
        AssertError(await RunAsync(stale), 217, "IncompleteTransactionHistory", "Cannot retry a retryable write that has been converted into a transaction");

        // A retryable write with a newer number aborts the open transaction.
        stale["txnNumber"] = new O.BsonInt64(5);
        AssertOk(await RunAsync(stale));
        AssertError(await RunAsync(Commit(lsid, 4)), 225, "TransactionTooOld");
        Assert.Equal(new[] { 1, 5 }, (await ReadAllAsync("c")).Select(d => d["_id"].AsInt32));
    }

    [Theory]
    [InlineData("count", "Cannot run 'count' in a multi-document transaction. Please see http://dochub.mongodb.org/core/transaction-count for a recommended alternative.")]
    [InlineData("listCollections", "Cannot run 'listCollections' in a multi-document transaction.")]
    [InlineData("listIndexes", "Cannot run 'listIndexes' in a multi-document transaction.")]
    [InlineData("drop", "Cannot run 'drop' in a multi-document transaction.")]
    [InlineData("dropDatabase", "Cannot run 'dropDatabase' in a multi-document transaction.")]
    [InlineData("collStats", "Cannot run 'collStats' in a multi-document transaction.")]
    public async Task Commands_mongod_does_not_run_in_transactions_are_refused(string name, string message)
    {
        var lsid = NewLsid();
        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 1)), lsid, 1, start: true)));
        var reply = await RunAsync(InTxn(new O.BsonDocument { { name, name is "dropDatabase" or "listCollections" ? 1 : "c" }, { "$db", Db } }, lsid, 1));
        AssertError(reply, 263, "OperationNotSupportedInTransaction", message);
        AssertNoLabels(reply);
        AssertOk(await RunAsync(Commit(lsid, 1))); // refused before the session is checked out: the transaction goes on
        Assert.Single(await ReadAllAsync("c"));
    }

    [Fact]
    public async Task Aggregate_with_out_is_refused_in_a_transaction()
    {
        var lsid = NewLsid();
        var aggregate = new O.BsonDocument
        {
            { "aggregate", "c" },
            { "pipeline", new O.BsonArray { new O.BsonDocument("$out", "d") } },
            { "cursor", new O.BsonDocument() },
            { "$db", Db },
        };
        AssertError(await RunAsync(InTxn(aggregate, lsid, 1, start: true)), 263, "OperationNotSupportedInTransaction", "$out cannot be used in a transaction");
    }

    [Fact]
    public async Task WriteConcern_inside_a_transaction_is_refused_but_allowed_on_commit()
    {
        var lsid = NewLsid();
        var insert = InTxn(Insert("c", new O.BsonDocument("_id", 1)), lsid, 1, start: true);
        insert.Add("writeConcern", new O.BsonDocument("w", 1));
        AssertError(await RunAsync(insert), 72, "InvalidOptions", "writeConcern is not allowed within a multi-statement transaction");

        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 1)), lsid, 2, start: true)));
        var commit = Commit(lsid, 2);
        commit.Add("writeConcern", new O.BsonDocument("w", "majority"));
        AssertOk(await RunAsync(commit));
        Assert.Single(await ReadAllAsync("c"));
    }

    [Fact]
    public async Task ReadConcern_is_for_the_first_command_only_and_of_a_transaction_level()
    {
        var lsid = NewLsid();
        var badLevel = InTxn(Find("c"), lsid, 1, start: true);
        badLevel.Add("readConcern", new O.BsonDocument("level", "available"));
        AssertError(await RunAsync(badLevel), 72, "InvalidOptions",
            "The readConcern level must be either 'local' (default), 'majority' or 'snapshot' in order to run in a transaction");

        foreach (var (level, txn) in new[] { ("snapshot", 2L), ("majority", 3L), ("local", 4L) })
        {
            var first = InTxn(Insert("c", new O.BsonDocument("_id", txn)), lsid, txn, start: true);
            first.Add("readConcern", new O.BsonDocument("level", level));
            AssertOk(await RunAsync(first));
            var later = InTxn(Find("c"), lsid, txn);
            later.Add("readConcern", new O.BsonDocument("level", level));
            AssertError(await RunAsync(later), 72, "InvalidOptions", "Only the first command in a transaction may specify a readConcern");
            AssertOk(await RunAsync(Commit(lsid, txn)));
        }

        Assert.Equal(3, (await ReadAllAsync("c")).Count);
    }

    [Fact]
    public async Task AfterClusterTime_is_accepted_on_the_first_command()
    {
        var ping = await RunAsync(new O.BsonDocument { { "ping", 1 }, { "$db", "admin" } });
        var lsid = NewLsid();
        var first = InTxn(Find("c"), lsid, 1, start: true);
        first.Add("readConcern", new O.BsonDocument { { "level", "snapshot" }, { "afterClusterTime", ping["operationTime"] } });
        AssertOk(await RunAsync(first));
        AssertOk(await RunAsync(Commit(lsid, 1)));
    }

    [Fact]
    public async Task A_snapshot_atClusterTime_older_than_the_history_is_SnapshotTooOld()
    {
        var lsid = NewLsid();
        var find = InTxn(Find("c"), lsid, 1, start: true);
        find.Add("readConcern", new O.BsonDocument { { "level", "snapshot" }, { "atClusterTime", new O.BsonTimestamp(1, 1) } });
        var reply = await RunAsync(find);
        AssertError(reply, 239, "SnapshotTooOld");
        AssertTransient(reply);

        var now = (await RunAsync(new O.BsonDocument { { "ping", 1 }, { "$db", "admin" } }))["operationTime"];
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument("_id", 1))));
        find = InTxn(Find("c"), lsid, 2, start: true);
        find.Add("readConcern", new O.BsonDocument { { "level", "snapshot" }, { "atClusterTime", now } });
        Assert.Empty(Batch(await RunAsync(find))); // read at that time: before the insert
    }

    [Fact]
    public async Task A_duplicate_key_inside_a_transaction_is_a_write_error_and_aborts_it()
    {
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument("_id", 1))));
        var lsid = NewLsid();
        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 2)), lsid, 1, start: true)));
        var duplicate = InTxn(Insert("c", new O.BsonDocument("_id", 3), new O.BsonDocument("_id", 1), new O.BsonDocument("_id", 4)), lsid, 1);
        duplicate.Add("ordered", false);
        var reply = await RunAsync(duplicate);
        AssertOk(reply);
        var error = Assert.Single(reply["writeErrors"].AsBsonArray).AsBsonDocument;
        Assert.Equal(11000, error["code"].AsInt32);
        Assert.Equal(1, reply["n"].AsInt32); // the batch stops at the error even though unordered
        AssertNoLabels(reply);

        var next = await RunAsync(InTxn(Find("c"), lsid, 1));
        AssertError(next, 251, "NoSuchTransaction");
        AssertTransient(next);
        Assert.Equal(new[] { 1 }, (await ReadAllAsync("c")).Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task A_validation_failure_inside_a_transaction_aborts_it()
    {
        AssertOk(await RunAsync(new O.BsonDocument
        {
            { "create", "c" },
            { "validator", new O.BsonDocument("x", new O.BsonDocument("$type", "int")) },
            { "$db", Db },
        }));
        var lsid = NewLsid();
        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument { { "_id", 1 }, { "x", 1 } }), lsid, 1, start: true)));
        var reply = await RunAsync(InTxn(Insert("c", new O.BsonDocument { { "_id", 2 }, { "x", "no" } }), lsid, 1));
        Assert.Equal(121, reply["writeErrors"][0]["code"].AsInt32);
        AssertError(await RunAsync(Commit(lsid, 1)), 251, "NoSuchTransaction");
        Assert.Empty(await ReadAllAsync("c"));
    }

    [Fact]
    public async Task A_command_error_inside_a_transaction_aborts_it()
    {
        var lsid = NewLsid();
        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 1)), lsid, 1, start: true)));
        var bad = InTxn(Find("c", new O.BsonDocument("$bogus", 1)), lsid, 1);
        Assert.Equal(0.0, (await RunAsync(bad))["ok"].ToDouble());
        AssertError(await RunAsync(Commit(lsid, 1)), 251, "NoSuchTransaction");
    }

    [Fact]
    public async Task Transaction_commands_against_another_database_than_admin_are_refused()
    {
        var lsid = NewLsid();
        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 1)), lsid, 1, start: true)));
        var commit = Commit(lsid, 1);
        commit["$db"] = Db;
        AssertError(await RunAsync(commit), 13, "Unauthorized", "commitTransaction may only be run against the admin database.");
        AssertOk(await RunAsync(Commit(lsid, 1)));
    }

    [Fact]
    public async Task Writes_to_capped_and_system_collections_are_refused_and_abort()
    {
        AssertOk(await RunAsync(new O.BsonDocument { { "create", "log" }, { "capped", true }, { "size", 4096 }, { "$db", Db } }));
        var lsid = NewLsid();
        var capped = await RunAsync(InTxn(Insert("log", new O.BsonDocument("_id", 1)), lsid, 1, start: true));
        Assert.Equal(263, capped["writeErrors"][0]["code"].AsInt32);
        Assert.Equal("Collection 'txn.log' is a capped collection. Writes in transactions are not allowed on capped collections.", capped["writeErrors"][0]["errmsg"].AsString);
        AssertError(await RunAsync(Commit(lsid, 1)), 251, "NoSuchTransaction");

        var system = await RunAsync(InTxn(Insert("system.js", new O.BsonDocument("_id", 1)), lsid, 2, start: true));
        Assert.Equal(50791, system["writeErrors"][0]["code"].AsInt32);
        Assert.Empty(await ReadAllAsync("log"));
    }

    [Theory]
    [InlineData("local", "c", "Cannot run command against the 'local' database in a transaction.")]
    [InlineData("config", "c", "Cannot run command against the config database in a transaction.")]
    [InlineData(Db, "system.profile", "Cannot run command against the 'txn.system.profile' collection in a transaction.")]
    public async Task Namespaces_mongod_keeps_out_of_transactions_are_refused(string db, string collection, string message)
    {
        var find = new O.BsonDocument { { "find", collection }, { "$db", db } };
        AssertError(await RunAsync(InTxn(find, NewLsid(), 1, start: true)), 263, "OperationNotSupportedInTransaction", message);
    }

    [Fact]
    public async Task A_standalone_still_refuses_every_transaction()
    {
        await using var standalone = await InMemoryMongoServer.StartAsync();
        using RawWireClient client = await RawWireClient.ConnectAsync(standalone.Port);
        await client.SendAsync(RawWireClient.OpMsg(InTxn(Insert("c", new O.BsonDocument("_id", 1)), NewLsid(), 1, start: true)));
        var reply = (await client.ReceiveAsync())!.Document;
        AssertError(reply, 20, "IllegalOperation", "Transaction numbers are only allowed on a replica set member or mongos");
    }
}
