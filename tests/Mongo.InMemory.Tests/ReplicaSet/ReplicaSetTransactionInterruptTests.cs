using MongoDB.Driver;
using Xunit;
using static Mongo.InMemory.Tests.ReplicaSet.ReplicaSetTestKit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.ReplicaSet;

/// <summary>
/// A step-down that interrupts a write statement of a transaction, answered as mongod 8.0's write path (write_ops_exec
/// handleError) answers it: an interruption fails the whole command (ok:0, InterruptedDueToReplStateChange, labelled
/// TransientTransactionError because it is a retriable error inside a transaction), never a writeError; other errors in a
/// transaction stay write errors and abort it. The step-down is made by a test hook at the moment the statement claims
/// what it writes, so the race is hit every time.
/// </summary>
public sealed class ReplicaSetTransactionInterruptTests
{
    private static readonly O.BsonDocument SecondaryOk = new("mode", "secondaryPreferred");

    public static TheoryData<string> WriteCommands => ["insert", "update", "delete", "findAndModify", "bulkWrite"];

    [Theory]
    [MemberData(nameof(WriteCommands))]
    public async Task A_step_down_during_a_statement_fails_the_whole_command_with_a_transient_label(string commandName)
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        await SeedAsync(set);
        O.BsonDocument lsid = NewLsid();
        O.BsonDocument first = await RawCommandAsync(set.Members[0], InTransaction(lsid, 1, new O.BsonDocument
        {
            { "insert", "c" },
            { "documents", new O.BsonArray { new O.BsonDocument("_id", 10) } },
            { "startTransaction", true },
        }), "test");
        Assert.Equal(1.0, first["ok"].ToDouble());

        InMemoryReplicaSetMember? newPrimary = null;
        StepDownAtNextClaim(set, member => newPrimary = member);
        (O.BsonDocument command, string database) = Statement(commandName);
        O.BsonDocument reply = await RawCommandAsync(set.Members[0], InTransaction(lsid, 1, command), database);

        Assert.Equal(0.0, reply["ok"].ToDouble());
        Assert.Equal(11602, reply["code"].AsInt32);
        Assert.Equal("InterruptedDueToReplStateChange", reply["codeName"].AsString);
        Assert.Equal(new O.BsonArray { "TransientTransactionError" }, reply["errorLabels"].AsBsonArray);
        Assert.False(reply.Contains("writeErrors"), reply.ToString());
        Assert.True(reply.Contains("topologyVersion"), reply.ToString()); // a NotPrimary-category error, as mongod's

        // The transaction is gone: its commit on the new primary is NoSuchTransaction, and nothing of it was applied.
        Assert.NotNull(newPrimary);
        O.BsonDocument commit = await RawCommandAsync(newPrimary!, InTransaction(lsid, 1, new O.BsonDocument("commitTransaction", 1)));
        Assert.Equal(251, commit["code"].AsInt32);
        Assert.Equal([1, 2], (await FindOnAsync(newPrimary!, "c")).Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task A_non_transient_error_in_a_transaction_stays_a_write_error_and_aborts_it()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        await SeedAsync(set);
        O.BsonDocument lsid = NewLsid();
        O.BsonDocument reply = await RawCommandAsync(set.Members[0], InTransaction(lsid, 1, new O.BsonDocument
        {
            { "insert", "c" },
            { "documents", new O.BsonArray { new O.BsonDocument("_id", 10), new O.BsonDocument("_id", 1), new O.BsonDocument("_id", 11) } },
            { "ordered", false },
            { "startTransaction", true },
        }), "test");

        Assert.Equal(1.0, reply["ok"].ToDouble());
        O.BsonArray errors = reply["writeErrors"].AsBsonArray;
        Assert.Single(errors); // the batch stops at the first error even though unordered
        Assert.Equal(11000, errors[0]["code"].AsInt32);
        Assert.Equal(1, errors[0]["index"].AsInt32);
        Assert.False(reply.Contains("errorLabels"), reply.ToString());

        O.BsonDocument commit = await RawCommandAsync(set.Members[0], InTransaction(lsid, 1, new O.BsonDocument("commitTransaction", 1)));
        Assert.Equal(251, commit["code"].AsInt32);
        Assert.Equal([1, 2], (await FindOnAsync(set.Members[0], "c")).Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task Outside_a_transaction_an_interruption_also_fails_the_whole_write()
    {
        // A write outside transactions that waits for a transaction's document and finds the member stepped down when
        // it wakes: mongod's handleError rethrows interruptions whatever the context, so the retryable write gets an
        // ok:0 reply with RetryableWriteError, not a writeError the driver would not retry.
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        await SeedAsync(set);
        O.BsonDocument lsid = NewLsid();
        O.BsonDocument update = await RawCommandAsync(set.Members[0], InTransaction(lsid, 1, new O.BsonDocument
        {
            { "update", "c" },
            { "updates", new O.BsonArray { new O.BsonDocument { { "q", new O.BsonDocument("_id", 1) }, { "u", new O.BsonDocument("$set", new O.BsonDocument("x", 1)) } } } },
            { "startTransaction", true },
        }), "test");
        Assert.Equal(1.0, update["ok"].ToDouble());

        Task<O.BsonDocument> waiting = RawCommandAsync(set.Members[0], new O.BsonDocument
        {
            { "update", "c" },
            { "updates", new O.BsonArray { new O.BsonDocument { { "q", new O.BsonDocument("_id", 1) }, { "u", new O.BsonDocument("$set", new O.BsonDocument("y", 1)) } } } },
            { "lsid", NewLsid() },
            { "txnNumber", 1L },
        }, "test");
        Mongo.InMemory.Transactions.TransactionManager transactions = set.Members[0].Inner.Set.Transactions;
        await EventuallyAsync(() => transactions.Waiters > 0 || waiting.IsCompleted, "the outside write to wait for the transaction");
        set.StepDown();
        O.BsonDocument reply = await waiting;

        Assert.Equal(0.0, reply["ok"].ToDouble());
        Assert.Equal(11602, reply["code"].AsInt32);
        Assert.Equal(new O.BsonArray { "RetryableWriteError" }, reply["errorLabels"].AsBsonArray);
        Assert.False(reply.Contains("writeErrors"), reply.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_official_driver_sees_a_transient_command_error_and_WithTransaction_runs_again_on_the_new_primary(bool async)
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        await SeedAsync(set);
        using var client = Client(set);
        var collection = client.GetDatabase("test").GetCollection<O.BsonDocument>("c");

        using (var session = await client.StartSessionAsync())
        {
            session.StartTransaction();
            StepDownAtNextClaim(set, _ => { });
            // A command error (the driver's node-is-recovering kind, which also makes it re-check the server), not a
            // MongoWriteException as a writeError would have given.
            MongoCommandException ex = async
                ? await Assert.ThrowsAnyAsync<MongoCommandException>(() => collection.InsertOneAsync(session, new O.BsonDocument("_id", 20)))
                : Assert.ThrowsAny<MongoCommandException>(() => collection.InsertOne(session, new O.BsonDocument("_id", 20)));
            Assert.IsType<MongoNodeIsRecoveringException>(ex);
            Assert.Equal(11602, ex.Code);
            Assert.True(ex.HasErrorLabel("TransientTransactionError"), string.Join(",", ex.ErrorLabels));
        }

        // The convenient API runs the callback again on the label; the second attempt commits on the new primary.
        int attempts = 0;
        StepDownAtNextClaim(set, _ => { });
        using (var session = await client.StartSessionAsync())
        {
            if (async)
            {
                await session.WithTransactionAsync(async (s, ct) =>
                {
                    attempts++;
                    await collection.InsertOneAsync(s, new O.BsonDocument("_id", 30), cancellationToken: ct);
                    return 0;
                });
            }
            else
            {
                session.WithTransaction((s, ct) =>
                {
                    attempts++;
                    collection.InsertOne(s, new O.BsonDocument("_id", 30), cancellationToken: ct);
                    return 0;
                });
            }
        }

        Assert.Equal(2, attempts);
        InMemoryReplicaSetMember primary = await set.WaitForPrimaryAsync();
        Assert.Equal([1, 2, 30], (await FindOnAsync(primary, "c")).Select(d => d["_id"].AsInt32));
    }

    /// <summary>Two documents in test.c, replicated (w: majority by default), so every member has the collection.</summary>
    private static async Task SeedAsync(InMemoryReplicaSet set)
    {
        O.BsonDocument reply = await RawCommandAsync(set.Members[0], new O.BsonDocument
        {
            { "insert", "c" },
            { "documents", new O.BsonArray { new O.BsonDocument("_id", 1), new O.BsonDocument("_id", 2) } },
        }, "test");
        Assert.Equal(1.0, reply["ok"].ToDouble());
    }

    /// <summary>Steps the primary down (with handoff) when the next transaction statement claims what it writes; once.</summary>
    private static void StepDownAtNextClaim(InMemoryReplicaSet set, Action<InMemoryReplicaSetMember?> stepped)
    {
        Mongo.InMemory.Transactions.TransactionManager transactions = set.Members[0].Inner.Set.Transactions;
        int fired = 0;
        transactions.BeforeClaim = _ =>
        {
            if (Interlocked.Exchange(ref fired, 1) == 0)
            {
                transactions.BeforeClaim = null;
                stepped(set.StepDown());
            }
        };
    }

    private static (O.BsonDocument Command, string Database) Statement(string commandName)
    {
        O.BsonDocument byId = new("_id", 1);
        return commandName switch
        {
            "insert" => (new O.BsonDocument { { "insert", "c" }, { "documents", new O.BsonArray { new O.BsonDocument("_id", 11) } } }, "test"),
            "update" => (new O.BsonDocument { { "update", "c" }, { "updates", new O.BsonArray { new O.BsonDocument { { "q", byId }, { "u", new O.BsonDocument("$set", new O.BsonDocument("x", 1)) } } } } }, "test"),
            "delete" => (new O.BsonDocument { { "delete", "c" }, { "deletes", new O.BsonArray { new O.BsonDocument { { "q", byId }, { "limit", 1 } } } } }, "test"),
            "findAndModify" => (new O.BsonDocument { { "findAndModify", "c" }, { "query", byId }, { "remove", true } }, "test"),
            "bulkWrite" => (new O.BsonDocument
            {
                { "bulkWrite", 1 },
                { "ops", new O.BsonArray { new O.BsonDocument { { "insert", 0 }, { "document", new O.BsonDocument("_id", 12) } } } },
                { "nsInfo", new O.BsonArray { new O.BsonDocument("ns", "test.c") } },
            }, "admin"),
            _ => throw new ArgumentOutOfRangeException(nameof(commandName), commandName, null),
        };
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
