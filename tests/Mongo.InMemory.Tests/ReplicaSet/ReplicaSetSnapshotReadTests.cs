using Xunit;
using static Mongo.InMemory.Tests.ReplicaSet.ReplicaSetTestKit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.ReplicaSet;

/// <summary>
/// Snapshot reads at an atClusterTime on every member of a set: the members share the history, so the primary and the
/// secondaries read the same data at one time; a secondary that has not applied that time yet waits for it (bounded by
/// maxTimeMS), as mongod does, and one without an atClusterTime reads at what it has applied.
/// </summary>
public sealed class ReplicaSetSnapshotReadTests
{
    private static readonly O.BsonDocument SecondaryOk = new("mode", "secondaryPreferred");

    [Fact]
    public async Task Every_member_reads_the_same_data_at_an_earlier_time()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        AssertOk(await RawCommandAsync(set.Members[0], Insert(new O.BsonDocument { { "_id", 1 }, { "v", 1 } }, new O.BsonDocument { { "_id", 2 }, { "v", 1 } }), "test"));
        O.BsonValue at = (await RawCommandAsync(set.Members[0], new O.BsonDocument("ping", 1)))["operationTime"];
        AssertOk(await RawCommandAsync(set.Members[0], new O.BsonDocument
        {
            { "update", "c" },
            { "updates", new O.BsonArray { new O.BsonDocument { { "q", new O.BsonDocument("_id", 1) }, { "u", new O.BsonDocument("$set", new O.BsonDocument("v", 2)) } } } },
        }, "test"));
        AssertOk(await RawCommandAsync(set.Members[0], new O.BsonDocument
        {
            { "delete", "c" },
            { "deletes", new O.BsonArray { new O.BsonDocument { { "q", new O.BsonDocument("_id", 2) }, { "limit", 1 } } } },
        }, "test"));

        foreach (InMemoryReplicaSetMember member in set.Members)
        {
            O.BsonDocument reply = await RawCommandAsync(member, SnapshotFind(at), "test");
            AssertOk(reply);
            Assert.Equal(["{ \"_id\" : 1, \"v\" : 1 }", "{ \"_id\" : 2, \"v\" : 1 }"], reply["cursor"]["firstBatch"].AsBsonArray.Select(d => d.ToString()));
            Assert.Equal(at, reply["cursor"]["atClusterTime"]);
        }
    }

    [Fact]
    public async Task A_paused_secondary_waits_for_a_time_it_has_not_applied_and_reads_at_what_it_has()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        AssertOk(await RawCommandAsync(set.Members[0], Insert(new O.BsonDocument("_id", 1)), "test"));
        InMemoryReplicaSetMember paused = set.Members[1];
        paused.PauseReplication();
        O.BsonTimestamp applied = new((long)paused.LastAppliedTimestamp.Value);
        O.BsonDocument insert = await RawCommandAsync(set.Members[0], Insert(new O.BsonDocument("_id", 2)), "test");
        AssertOk(insert);
        O.BsonValue after = insert["operationTime"];

        // Without an atClusterTime the paused member reads what it has applied, and says when that was.
        O.BsonDocument own = await RawCommandAsync(paused, SnapshotFind(null), "test");
        AssertOk(own);
        Assert.Single(own["cursor"]["firstBatch"].AsBsonArray);
        Assert.Equal(applied, own["cursor"]["atClusterTime"]);

        // A time it has not applied yet: it waits, here until maxTimeMS runs out.
        O.BsonDocument find = SnapshotFind(after);
        find.Add("maxTimeMS", 300);
        O.BsonDocument waited = await RawCommandAsync(paused, find, "test");
        Assert.Equal(50, waited["code"].AsInt32);

        // The same time on the member that kept up, and on the paused one once it has applied it.
        Assert.Equal(2, (await RawCommandAsync(set.Members[2], SnapshotFind(after), "test"))["cursor"]["firstBatch"].AsBsonArray.Count);
        Task<O.BsonDocument> pending = RawCommandAsync(paused, SnapshotFind(after), "test");
        await Task.Delay(200);
        Assert.False(pending.IsCompleted);
        paused.ResumeReplication();
        O.BsonDocument resumed = await pending.WaitAsync(TimeSpan.FromSeconds(30));
        AssertOk(resumed);
        Assert.Equal(2, resumed["cursor"]["firstBatch"].AsBsonArray.Count);
    }

    [Fact]
    public async Task The_primary_reads_majority_committed_data_and_waits_for_an_atClusterTime_a_majority_has_not_applied()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        AssertOk(await RawCommandAsync(set.Members[0], Insert(new O.BsonDocument("_id", 1)), "test"));
        O.BsonValue committed = (await RawCommandAsync(set.Members[0], new O.BsonDocument("ping", 1)))["operationTime"];
        set.Members[1].PauseReplication();
        set.Members[2].PauseReplication();
        O.BsonDocument insert = await RawCommandAsync(set.Members[0], new O.BsonDocument
        {
            { "insert", "c" },
            { "documents", new O.BsonArray { new O.BsonDocument("_id", 2) } },
            { "writeConcern", new O.BsonDocument("w", 1) },
        }, "test");
        AssertOk(insert);
        O.BsonValue after = insert["operationTime"];

        // Without an atClusterTime: the majority commit point, which the second insert has not reached.
        O.BsonDocument own = await RawCommandAsync(set.Members[0], SnapshotFind(null), "test");
        Assert.Single(own["cursor"]["firstBatch"].AsBsonArray);
        Assert.True(own["cursor"]["atClusterTime"].AsBsonTimestamp.Value < after.AsBsonTimestamp.Value);
        Assert.Single((await RawCommandAsync(set.Members[0], SnapshotFind(committed), "test"))["cursor"]["firstBatch"].AsBsonArray);

        // At the second insert's time: it waits until a majority has it.
        O.BsonDocument find = SnapshotFind(after);
        find.Add("maxTimeMS", 300);
        Assert.Equal(50, (await RawCommandAsync(set.Members[0], find, "test"))["code"].AsInt32);
        set.Members[2].ResumeReplication();
        O.BsonDocument resumed = await RawCommandAsync(set.Members[0], SnapshotFind(after), "test");
        AssertOk(resumed);
        Assert.Equal(2, resumed["cursor"]["firstBatch"].AsBsonArray.Count);
    }

    private static O.BsonDocument Insert(params O.BsonDocument[] documents) => new() { { "insert", "c" }, { "documents", new O.BsonArray(documents) } };

    private static O.BsonDocument SnapshotFind(O.BsonValue? atClusterTime)
    {
        var readConcern = new O.BsonDocument("level", "snapshot");
        if (atClusterTime is not null)
        {
            readConcern.Add("atClusterTime", atClusterTime);
        }

        return new O.BsonDocument { { "find", "c" }, { "readConcern", readConcern }, { "$readPreference", SecondaryOk } };
    }

    private static void AssertOk(O.BsonDocument reply) => Assert.True(reply["ok"].ToDouble() == 1.0, reply.ToString());
}
