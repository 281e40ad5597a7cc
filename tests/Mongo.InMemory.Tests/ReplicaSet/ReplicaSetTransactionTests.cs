using MongoDB.Driver;
using Xunit;
using static Mongo.InMemory.Tests.ReplicaSet.ReplicaSetTestKit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.ReplicaSet;

/// <summary>
/// Multi-document transactions on a multi-member set: a commit is one replicated write, the transaction table is the
/// set's (a commit retried on the next primary learns the outcome), only the primary runs transactions, and a
/// step-down aborts the open ones.
/// </summary>
public sealed class ReplicaSetTransactionTests
{
    private static readonly O.BsonDocument SecondaryOk = new("mode", "secondaryPreferred");

    [Fact]
    public async Task A_committed_transaction_is_one_log_entry_that_a_secondary_applies_all_at_once()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3, new InMemoryReplicaSetOptions { PeriodicNoopInterval = TimeSpan.Zero });
        using var client = Client(set);
        var database = client.GetDatabase("test");
        await database.GetCollection<O.BsonDocument>("a").InsertOneAsync(new O.BsonDocument { { "_id", 1 }, { "x", 0 } });
        await database.GetCollection<O.BsonDocument>("b").InsertOneAsync(new O.BsonDocument("_id", 0));
        InMemoryReplicaSetMember paused = set.Members[2];
        paused.PauseReplication();

        using var session = await client.StartSessionAsync();
        session.StartTransaction(new TransactionOptions(writeConcern: WriteConcern.WMajority));
        await database.GetCollection<O.BsonDocument>("a").UpdateOneAsync(session, new O.BsonDocument("_id", 1), new O.BsonDocument("$set", new O.BsonDocument("x", 1)));
        await database.GetCollection<O.BsonDocument>("b").InsertManyAsync(session, [new O.BsonDocument("_id", 1), new O.BsonDocument("_id", 2)]);

        // Before the commit no member, the primary included, shows any of it outside the transaction.
        Assert.Equal(0, (await FindOnAsync(set.Members[1], "a")).Single()["x"].AsInt32);
        Assert.Single(await FindOnAsync(set.Members[0], "b"));
        long before = set.Members[0].Inner.Set.LastIndex;

        await session.CommitTransactionAsync(); // w:"majority": the primary and member 1
        Assert.Equal(before + 1, set.Members[0].Inner.Set.LastIndex); // one entry for the whole transaction

        // The member that keeps up has all of it; the paused one none of it, until it applies that one entry.
        Assert.Equal(1, (await FindOnAsync(set.Members[1], "a")).Single()["x"].AsInt32);
        Assert.Equal([0, 1, 2], (await FindOnAsync(set.Members[1], "b")).Select(d => d["_id"].AsInt32));
        Assert.Equal(0, (await FindOnAsync(paused, "a")).Single()["x"].AsInt32);
        Assert.Equal([0], (await FindOnAsync(paused, "b")).Select(d => d["_id"].AsInt32));
        paused.ResumeReplication();
        Assert.Equal(1, (await FindOnAsync(paused, "a")).Single()["x"].AsInt32);
        Assert.Equal([0, 1, 2], (await FindOnAsync(paused, "b")).Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task A_majority_commit_waits_for_the_members_like_other_writes()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        set.Members[1].PauseReplication();
        set.Members[2].PauseReplication();
        O.BsonDocument lsid = NewLsid();
        O.BsonDocument insert = await RawCommandAsync(set.Members[0], InTransaction(lsid, 1, new O.BsonDocument
        {
            { "insert", "c" },
            { "documents", new O.BsonArray { new O.BsonDocument("_id", 1) } },
            { "startTransaction", true },
        }), "test");
        Assert.Equal(1.0, insert["ok"].ToDouble());

        O.BsonDocument commit = await RawCommandAsync(set.Members[0], InTransaction(lsid, 1, new O.BsonDocument
        {
            { "commitTransaction", 1 },
            { "writeConcern", new O.BsonDocument { { "w", "majority" }, { "wtimeout", 300 } } },
        }));
        Assert.Equal(1.0, commit["ok"].ToDouble()); // committed on the primary ...
        Assert.Equal(64, commit["writeConcernError"]["code"].AsInt32); // ... but not on a majority in time
        Assert.Equal(new O.BsonArray { "UnknownTransactionCommitResult" }, commit["errorLabels"].AsBsonArray);

        set.Members[1].ResumeReplication();
        O.BsonDocument retried = await RawCommandAsync(set.Members[0], InTransaction(lsid, 1, new O.BsonDocument
        {
            { "commitTransaction", 1 },
            { "writeConcern", new O.BsonDocument { { "w", "majority" }, { "wtimeout", 5000 } } },
        }));
        Assert.Equal(1.0, retried["ok"].ToDouble());
        Assert.False(retried.Contains("writeConcernError"), retried.ToString());
    }

    [Fact]
    public async Task A_transaction_open_when_the_primary_steps_down_cannot_commit()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        using var client = Client(set);
        var collection = client.GetDatabase("test").GetCollection<O.BsonDocument>("c");
        using var session = await client.StartSessionAsync();
        session.StartTransaction();
        await collection.InsertOneAsync(session, new O.BsonDocument("_id", 1));

        InMemoryReplicaSetMember oldPrimary = set.Members[0];
        InMemoryReplicaSetMember newPrimary = set.StepDown() ?? throw new InvalidOperationException("no handoff");
        Assert.NotSame(oldPrimary, newPrimary);

        // The driver sends the commit to the primary it knows (the old one answers NotWritablePrimary) and retries it
        // once on the new one, which knows the transaction was aborted: NoSuchTransaction, a transient error.
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => session.CommitTransactionAsync());
        Assert.Equal(251, ex.Code);
        Assert.True(ex.HasErrorLabel("TransientTransactionError"), string.Join(",", ex.ErrorLabels));
        Assert.Empty(await FindOnAsync(newPrimary, "c"));
        Assert.Empty(await FindOnAsync(oldPrimary, "c"));

        // Run again whole, as the label says, it commits on the new primary.
        session.StartTransaction();
        await collection.InsertOneAsync(session, new O.BsonDocument("_id", 1));
        await session.CommitTransactionAsync();
        Assert.Single(await FindOnAsync(newPrimary, "c"));
    }

    [Fact]
    public async Task Raw_commands_after_a_step_down_get_mongods_errors_and_labels()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        O.BsonDocument lsid = NewLsid();
        O.BsonDocument insert = await RawCommandAsync(set.Members[0], InTransaction(lsid, 1, new O.BsonDocument
        {
            { "insert", "c" },
            { "documents", new O.BsonArray { new O.BsonDocument("_id", 1) } },
            { "startTransaction", true },
        }), "test");
        Assert.Equal(1.0, insert["ok"].ToDouble());
        InMemoryReplicaSetMember newPrimary = set.StepDown() ?? throw new InvalidOperationException("no handoff");

        O.BsonDocument onOld = await RawCommandAsync(set.Members[0], InTransaction(lsid, 1, new O.BsonDocument("commitTransaction", 1)));
        Assert.Equal(10107, onOld["code"].AsInt32); // NotWritablePrimary: retryable, the outcome unknown to the client
        Assert.Equal(new O.BsonArray { "RetryableWriteError", "UnknownTransactionCommitResult" }, onOld["errorLabels"].AsBsonArray);

        O.BsonDocument onNew = await RawCommandAsync(newPrimary, InTransaction(lsid, 1, new O.BsonDocument("commitTransaction", 1)));
        Assert.Equal(251, onNew["code"].AsInt32);
        Assert.Equal("NoSuchTransaction", onNew["codeName"].AsString);
        Assert.Equal(new O.BsonArray { "TransientTransactionError" }, onNew["errorLabels"].AsBsonArray);
    }

    [Fact]
    public async Task A_commit_retried_on_the_next_primary_answers_ok()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        O.BsonDocument lsid = NewLsid();
        await RawCommandAsync(set.Members[0], InTransaction(lsid, 7, new O.BsonDocument
        {
            { "insert", "c" },
            { "documents", new O.BsonArray { new O.BsonDocument("_id", 1) } },
            { "startTransaction", true },
        }), "test");
        O.BsonDocument commit = await RawCommandAsync(set.Members[0], InTransaction(lsid, 7, new O.BsonDocument("commitTransaction", 1)));
        Assert.Equal(1.0, commit["ok"].ToDouble());

        InMemoryReplicaSetMember newPrimary = set.StepDown() ?? throw new InvalidOperationException("no handoff");
        O.BsonDocument retried = await RawCommandAsync(newPrimary, InTransaction(lsid, 7, new O.BsonDocument
        {
            { "commitTransaction", 1 },
            { "writeConcern", new O.BsonDocument("w", "majority") },
        }));
        Assert.Equal(1.0, retried["ok"].ToDouble());
        Assert.Single(await FindOnAsync(newPrimary, "c"));

        // The old number is history on the new primary too: abort says it was committed.
        O.BsonDocument abort = await RawCommandAsync(newPrimary, InTransaction(lsid, 7, new O.BsonDocument("abortTransaction", 1)));
        Assert.Equal(256, abort["code"].AsInt32); // TransactionCommitted
    }

    [Fact]
    public async Task A_secondary_refuses_to_run_a_transaction()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        O.BsonDocument reply = await RawCommandAsync(set.Members[1], InTransaction(NewLsid(), 1, new O.BsonDocument
        {
            { "find", "c" },
            { "startTransaction", true },
            { "$readPreference", SecondaryOk },
        }), "test");
        Assert.Equal(10107, reply["code"].AsInt32);
        Assert.Equal("NotWritablePrimary", reply["codeName"].AsString);
        Assert.Equal(new O.BsonArray { "TransientTransactionError" }, reply["errorLabels"].AsBsonArray);
    }

    private static O.BsonDocument InTransaction(O.BsonDocument lsid, long txnNumber, O.BsonDocument command)
    {
        command.Set("lsid", lsid);
        command.Set("txnNumber", txnNumber);
        command.Set("autocommit", false);
        return command;
    }

    private static O.BsonDocument NewLsid() => new("id", new O.BsonBinaryData(Guid.NewGuid(), O.GuidRepresentation.Standard));

    private static async Task<List<O.BsonDocument>> FindOnAsync(InMemoryReplicaSetMember member, string collection)
    {
        O.BsonDocument reply = await RawCommandAsync(member, new O.BsonDocument { { "find", collection }, { "sort", new O.BsonDocument("_id", 1) }, { "$readPreference", SecondaryOk } }, "test");
        Assert.Equal(1.0, reply["ok"].ToDouble());
        return reply["cursor"]["firstBatch"].AsBsonArray.Select(d => d.AsBsonDocument).ToList();
    }
}
