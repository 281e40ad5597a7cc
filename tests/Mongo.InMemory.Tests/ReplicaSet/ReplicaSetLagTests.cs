using MongoDB.Driver;
using Xunit;
using static Mongo.InMemory.Tests.ReplicaSet.ReplicaSetTestKit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.ReplicaSet;

/// <summary>
/// Members that lag (a replication delay or a pause): what their hello and their reads show, and how write concerns
/// and causally consistent reads wait for them.
/// </summary>
public sealed class ReplicaSetLagTests
{
    private static readonly O.BsonDocument SecondaryOk = new("mode", "secondaryPreferred");

    [Fact]
    public async Task A_delayed_member_shows_a_write_only_after_its_delay()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        InMemoryReplicaSetMember delayed = set.Members[2];
        delayed.ReplicationDelay = TimeSpan.FromSeconds(3); // long enough that the checks below run inside it, even on a busy machine
        using var client = Client(set);
        var collection = client.GetDatabase("test").GetCollection<O.BsonDocument>("c");
        await collection.InsertOneAsync(new O.BsonDocument("_id", 1)); // w:"majority" by default: primary + member 1
        DateTime written = DateTime.UtcNow;

        O.BsonDocument primaryHello = await RawCommandAsync(set.Members[0], new O.BsonDocument("hello", 1));
        O.BsonDocument laggingHello = await RawCommandAsync(delayed, new O.BsonDocument("hello", 1));
        O.BsonDocument upToDateHello = await RawCommandAsync(set.Members[1], new O.BsonDocument("hello", 1));
        Assert.True(Ts(laggingHello["lastWrite"]["opTime"]) < Ts(primaryHello["lastWrite"]["opTime"]));
        Assert.True(laggingHello["lastWrite"]["lastWriteDate"].ToUniversalTime() <= primaryHello["lastWrite"]["lastWriteDate"].ToUniversalTime());
        Assert.Equal(primaryHello["lastWrite"]["opTime"], upToDateHello["lastWrite"]["opTime"]);
        Assert.Equal(primaryHello["lastWrite"]["majorityOpTime"], primaryHello["lastWrite"]["opTime"]); // 2 of 3 have it
        Assert.Equal(laggingHello["lastWrite"]["opTime"], laggingHello["lastWrite"]["majorityOpTime"]); // no commit point past its own

        Assert.Empty(await FindOnAsync(delayed, "c"));
        Assert.True(DateTime.UtcNow - written < TimeSpan.FromSeconds(3), "the checks above took longer than the delay");
        await EventuallyAsync(() => DateTime.UtcNow - written > TimeSpan.FromMilliseconds(3100), "the delay to pass");
        Assert.Single(await FindOnAsync(delayed, "c"));
        O.BsonDocument caughtUp = await RawCommandAsync(delayed, new O.BsonDocument("hello", 1));
        Assert.Equal(primaryHello["lastWrite"]["opTime"], caughtUp["lastWrite"]["opTime"]);
        Assert.Equal(primaryHello["lastWrite"]["lastWriteDate"], caughtUp["lastWrite"]["lastWriteDate"]);
    }

    [Fact]
    public async Task A_paused_member_serves_the_data_as_it_was_when_it_paused()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        using var client = Client(set);
        var database = client.GetDatabase("test");
        var collection = database.GetCollection<O.BsonDocument>("c");
        await collection.InsertOneAsync(new O.BsonDocument { { "_id", 1 }, { "x", 1 } });
        await collection.InsertOneAsync(new O.BsonDocument { { "_id", 2 }, { "x", 1 } });
        await collection.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(new O.BsonDocument("x", 1)));
        InMemoryReplicaSetMember paused = set.Members[1];
        paused.PauseReplication();
        ulong pausedAt = paused.LastAppliedTimestamp.Value;

        await collection.UpdateOneAsync(new O.BsonDocument("_id", 1), new O.BsonDocument("$set", new O.BsonDocument("x", 2)));
        await collection.DeleteOneAsync(new O.BsonDocument("_id", 2));
        await collection.InsertOneAsync(new O.BsonDocument { { "_id", 3 }, { "x", 3 } });
        await database.CreateCollectionAsync("created_later");
        await collection.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(new O.BsonDocument("y", 1)));

        List<O.BsonDocument> old = await FindOnAsync(paused, "c");
        Assert.Equal(["{ \"_id\" : 1, \"x\" : 1 }", "{ \"_id\" : 2, \"x\" : 1 }"], old.Select(d => d.ToString()));
        Assert.DoesNotContain("created_later", await CollectionNamesOnAsync(paused));
        Assert.Equal(2, (await RawCommandAsync(paused, new O.BsonDocument { { "listIndexes", "c" }, { "$readPreference", SecondaryOk } }, "test"))["cursor"]["firstBatch"].AsBsonArray.Count);
        Assert.Equal(pausedAt, paused.LastAppliedTimestamp.Value);

        // The operationTime of a lagging member's reply is what it has applied, so a causally consistent client asks
        // it for nothing newer than it has.
        O.BsonDocument reply = await RawCommandAsync(paused, new O.BsonDocument { { "find", "c" }, { "$readPreference", SecondaryOk } }, "test");
        Assert.Equal(pausedAt, (ulong)reply["operationTime"].AsBsonTimestamp.Value);

        // The member that kept up and the primary see everything.
        Assert.Equal([1, 3], (await FindOnAsync(set.Members[2], "c")).Select(d => d["_id"].AsInt32));

        paused.ResumeReplication();
        Assert.Equal([1, 3], (await FindOnAsync(paused, "c")).Select(d => d["_id"].AsInt32));
        Assert.Contains("created_later", await CollectionNamesOnAsync(paused));
    }

    [Fact]
    public async Task Majority_writes_time_out_with_WriteConcernFailed_while_too_few_members_apply_them()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        set.Members[1].PauseReplication();
        set.Members[2].PauseReplication();
        O.BsonDocument reply = await RawCommandAsync(set.Members[0], new O.BsonDocument
        {
            { "insert", "c" },
            { "documents", new O.BsonArray { new O.BsonDocument("_id", 1) } },
            { "writeConcern", new O.BsonDocument { { "w", "majority" }, { "wtimeout", 300 } } },
        }, "test");
        Assert.Equal(1.0, reply["ok"].ToDouble());
        Assert.Equal(1, reply["n"].AsInt32); // the write happened on the primary
        O.BsonDocument error = reply["writeConcernError"].AsBsonDocument;
        Assert.Equal(64, error["code"].AsInt32);
        Assert.Equal("WriteConcernFailed", error["codeName"].AsString);
        Assert.Equal("waiting for replication timed out", error["errmsg"].AsString);
        Assert.Equal(O.BsonDocument.Parse("{ wtimeout: true, writeConcern: { w: 'majority', wtimeout: 300, provenance: 'clientSupplied' } }"), error["errInfo"].AsBsonDocument);

        // Through the official driver: the same error as a MongoWriteConcernException.
        using var client = Client(set);
        var collection = client.GetDatabase("test").GetCollection<O.BsonDocument>("c")
            .WithWriteConcern(new WriteConcern(WriteConcern.WMode.Majority, TimeSpan.FromMilliseconds(200)));
        var ex = await Assert.ThrowsAsync<MongoWriteException>(() => collection.InsertOneAsync(new O.BsonDocument("_id", 2)));
        Assert.Equal(64, ex.WriteConcernError.Code);
        Assert.Equal("WriteConcernFailed", ex.WriteConcernError.CodeName);

        // One more member applying is a majority: the next write is acknowledged at once.
        set.Members[1].ResumeReplication();
        await collection.InsertOneAsync(new O.BsonDocument("_id", 3));
    }

    [Fact]
    public async Task A_majority_write_waits_until_enough_members_have_applied_it()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        set.Members[1].PauseReplication();
        set.Members[2].PauseReplication();
        using var client = Client(set);
        var collection = client.GetDatabase("test").GetCollection<O.BsonDocument>("c");
        Task insert = collection.InsertOneAsync(new O.BsonDocument("_id", 1)); // the implicit default: w:"majority", no timeout
        await Task.Delay(400);
        Assert.False(insert.IsCompleted);
        set.Members[2].ResumeReplication();
        await insert.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_stopped_member_does_not_count_towards_a_write_concern()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        await set.Members[2].StopAsync();
        O.BsonDocument majority = await InsertAsync(set.Members[0], new O.BsonDocument { { "w", "majority" }, { "wtimeout", 2000 } });
        Assert.False(majority.Contains("writeConcernError"));
        O.BsonDocument two = await InsertAsync(set.Members[0], new O.BsonDocument("w", 2));
        Assert.False(two.Contains("writeConcernError"));
        O.BsonDocument all = await InsertAsync(set.Members[0], new O.BsonDocument { { "w", 3 }, { "wtimeout", 200 } });
        Assert.Equal(64, all["writeConcernError"]["code"].AsInt32);
        Assert.Equal(3, all["writeConcernError"]["errInfo"]["writeConcern"]["w"].AsInt32);
    }

    [Fact]
    public async Task Unsatisfiable_and_unknown_write_concerns_are_reported_as_mongod_reports_them()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        O.BsonDocument five = await InsertAsync(set.Members[0], new O.BsonDocument("w", 5));
        Assert.Equal(1, five["n"].AsInt32);
        Assert.Equal(100, five["writeConcernError"]["code"].AsInt32);
        Assert.Equal("UnsatisfiableWriteConcern", five["writeConcernError"]["codeName"].AsString);
        Assert.Equal("Not enough data-bearing nodes", five["writeConcernError"]["errmsg"].AsString);
        O.BsonDocument tag = await InsertAsync(set.Members[0], new O.BsonDocument("w", "dc2"));
        Assert.Equal(79, tag["writeConcernError"]["code"].AsInt32);
        Assert.Equal("UnknownReplWriteConcern", tag["writeConcernError"]["codeName"].AsString);
        O.BsonDocument one = await InsertAsync(set.Members[0], new O.BsonDocument("w", 1));
        Assert.False(one.Contains("writeConcernError"));
    }

    [Fact]
    public async Task A_causally_consistent_read_on_a_lagging_member_waits_for_the_write()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        InMemoryReplicaSetMember lagging = set.Members[2];
        lagging.PauseReplication();
        O.BsonDocument insert = await InsertAsync(set.Members[0], new O.BsonDocument("w", 1));
        O.BsonTimestamp after = insert["operationTime"].AsBsonTimestamp;

        O.BsonDocument tooLate = await RawCommandAsync(lagging, FindAfter(after, maxTimeMs: 300), "test");
        Assert.Equal(50, tooLate["code"].AsInt32);
        Assert.Equal("MaxTimeMSExpired", tooLate["codeName"].AsString);

        Task<O.BsonDocument> waiting = RawCommandAsync(lagging, FindAfter(after, maxTimeMs: 0), "test");
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        lagging.ResumeReplication();
        O.BsonDocument found = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Single(found["cursor"]["firstBatch"].AsBsonArray);

        // A member that keeps up answers at once.
        O.BsonDocument upToDate = await RawCommandAsync(set.Members[1], FindAfter(after, maxTimeMs: 300), "test");
        Assert.Single(upToDate["cursor"]["firstBatch"].AsBsonArray);
    }

    [Fact]
    public async Task A_lagging_member_elected_primary_first_applies_the_whole_log()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        InMemoryReplicaSetMember lagging = set.Members[1];
        lagging.PauseReplication();
        await InsertAsync(set.Members[0], new O.BsonDocument("w", 1));
        Assert.Empty(await FindOnAsync(lagging, "c"));

        await set.ElectAsync(lagging);
        Assert.Single(await FindOnAsync(lagging, "c"));
        Assert.Equal(set.Members[0].LastAppliedTimestamp, lagging.LastAppliedTimestamp);

        // Stepped down again, it lags from there: it still holds the pause.
        await set.StepDownAsync();
        await InsertAsync(set.Primary!, new O.BsonDocument("w", 1));
        Assert.Single(await FindOnAsync(lagging, "c"));
        Assert.Equal(2, (await FindOnAsync(set.Primary!, "c")).Count);
    }

    [Fact]
    public async Task Step_down_prefers_members_that_keep_up()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        set.Members[1].ReplicationDelay = TimeSpan.FromSeconds(30);
        Assert.Same(set.Members[2], await set.StepDownAsync());
        set.Members[1].ReplicationDelay = TimeSpan.Zero;
        Assert.Equal(TimeSpan.Zero, set.Members[1].ReplicationDelay);
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Members[1].ReplicationDelay = TimeSpan.FromSeconds(-1));
    }

    [Fact]
    public async Task A_write_waiting_for_its_write_concern_when_the_primary_steps_down_gets_PrimarySteppedDown()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        set.Members[1].PauseReplication();
        set.Members[2].PauseReplication();
        var lsid = new O.BsonDocument("id", new O.BsonBinaryData(Guid.NewGuid(), O.GuidRepresentation.Standard));
        O.BsonDocument Insert() => new()
        {
            { "insert", "c" },
            { "documents", new O.BsonArray { new O.BsonDocument("_id", 1) } },
            { "lsid", lsid },
            { "txnNumber", 1L },
            { "writeConcern", new O.BsonDocument("w", "majority") },
        };

        Task<O.BsonDocument> waiting = RawCommandAsync(set.Members[0], Insert(), "test");
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        await set.StepDownAsync(); // mongod 4.2+ keeps the connection; the wait ends with an error
        O.BsonDocument reply = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1.0, reply["ok"].ToDouble());
        Assert.Equal(1, reply["n"].AsInt32);
        Assert.Equal(189, reply["writeConcernError"]["code"].AsInt32);
        Assert.Equal("PrimarySteppedDown", reply["writeConcernError"]["codeName"].AsString);
        Assert.Equal("Primary stepped down while waiting for replication", reply["writeConcernError"]["errmsg"].AsString);
        Assert.Equal(new O.BsonArray { "RetryableWriteError" }, reply["errorLabels"].AsBsonArray);
        Assert.True(reply.Contains("topologyVersion")); // a NotPrimary error in the writeConcernError carries it too

        // The driver's retry on the new primary is answered from the replicated retryable-write table: not applied twice.
        O.BsonDocument retry = await RawCommandAsync(set.Primary!, Insert(), "test");
        Assert.Equal(1, retry["n"].AsInt32);
        Assert.False(retry.Contains("writeErrors"));
        Assert.Single(await FindOnAsync(set.Primary!, "c"));
    }

    [Fact]
    public async Task The_periodic_noop_writer_keeps_lastWriteDate_moving_so_a_lagging_member_grows_stale()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3, new InMemoryReplicaSetOptions { PeriodicNoopInterval = TimeSpan.FromMilliseconds(100) });
        set.Members[2].PauseReplication();
        DateTime pausedAt = set.Members[2].LastWriteDate;
        // Nobody writes, yet the primary's lastWriteDate moves on and the paused member's stays.
        O.BsonDocument primary = new(), lagging = new();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        TimeSpan gap;
        do
        {
            await Task.Delay(100);
            primary = await RawCommandAsync(set.Members[0], new O.BsonDocument("hello", 1));
            lagging = await RawCommandAsync(set.Members[2], new O.BsonDocument("hello", 1));
            gap = primary["lastWrite"]["lastWriteDate"].ToUniversalTime() - lagging["lastWrite"]["lastWriteDate"].ToUniversalTime();
        }
        while (gap < TimeSpan.FromMilliseconds(700) && DateTime.UtcNow < deadline);

        Assert.True(gap >= TimeSpan.FromMilliseconds(700), gap.ToString());
        Assert.Equal(pausedAt, lagging["lastWrite"]["lastWriteDate"].ToUniversalTime());
        Assert.Equal(primary["lastWrite"]["opTime"], (await RawCommandAsync(set.Members[1], new O.BsonDocument("hello", 1)))["lastWrite"]["opTime"]);
    }

    private static O.BsonDocument FindAfter(O.BsonTimestamp after, int maxTimeMs)
    {
        var find = new O.BsonDocument
        {
            { "find", "c" },
            { "readConcern", new O.BsonDocument("afterClusterTime", after) },
            { "$readPreference", SecondaryOk },
        };
        if (maxTimeMs > 0)
        {
            find.Add("maxTimeMS", maxTimeMs);
        }

        return find;
    }

    private static Task<O.BsonDocument> InsertAsync(InMemoryReplicaSetMember member, O.BsonDocument writeConcern) =>
        RawCommandAsync(member, new O.BsonDocument
        {
            { "insert", "c" },
            { "documents", new O.BsonArray { new O.BsonDocument("v", 1) } },
            { "writeConcern", writeConcern },
        }, "test");

    private static async Task<List<O.BsonDocument>> FindOnAsync(InMemoryReplicaSetMember member, string collection)
    {
        O.BsonDocument reply = await RawCommandAsync(member, new O.BsonDocument { { "find", collection }, { "sort", new O.BsonDocument("_id", 1) }, { "$readPreference", SecondaryOk } }, "test");
        Assert.Equal(1.0, reply["ok"].ToDouble());
        return reply["cursor"]["firstBatch"].AsBsonArray.Select(d => d.AsBsonDocument).ToList();
    }

    private static async Task<List<string>> CollectionNamesOnAsync(InMemoryReplicaSetMember member)
    {
        O.BsonDocument reply = await RawCommandAsync(member, new O.BsonDocument { { "listCollections", 1 }, { "$readPreference", SecondaryOk } }, "test");
        return reply["cursor"]["firstBatch"].AsBsonArray.Select(c => c["name"].AsString).ToList();
    }

    private static ulong Ts(O.BsonValue opTime) => (ulong)opTime["ts"].AsBsonTimestamp.Value;
}
