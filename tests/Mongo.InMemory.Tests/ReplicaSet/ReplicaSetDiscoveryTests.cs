using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Servers;
using Xunit;
using static Mongo.InMemory.Tests.ReplicaSet.ReplicaSetTestKit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.ReplicaSet;

/// <summary>
/// The official driver against a multi-member in-memory set: discovery from one seed, each member's hello, reads routed
/// by read preference, the secondary's refusals, and the driver following a step-down.
/// </summary>
public sealed class ReplicaSetDiscoveryTests
{
    [Fact]
    public async Task The_driver_discovers_every_member_from_one_seed()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        using var client = Client("mongodb://" + set.Members[2].Host + "/?replicaSet=" + set.Name);
        await client.GetDatabase("test").GetCollection<O.BsonDocument>("c").InsertOneAsync(new O.BsonDocument("_id", 1));

        await EventuallyAsync(() => client.Cluster.Description.Servers.Count(s => s.State == ServerState.Connected) == 3, "three connected members");
        ClusterDescription cluster = client.Cluster.Description;
        Assert.Equal(ClusterType.ReplicaSet, cluster.Type);
        Assert.Equal(set.Members.Select(m => m.Host).Order(), cluster.Servers.Select(Endpoint).Order());
        Assert.Equal(set.Primary!.Host, Endpoint(cluster.Servers.Single(s => s.Type == ServerType.ReplicaSetPrimary)));
        Assert.Equal(2, cluster.Servers.Count(s => s.Type == ServerType.ReplicaSetSecondary));
        Assert.Equal(set.ConnectionString, "mongodb://" + string.Join(',', set.Members.Select(m => m.Host)) + "/?replicaSet=rs0");
    }

    [Fact]
    public async Task Each_member_reports_the_set_in_hello_as_mongod_does()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        var replies = new List<O.BsonDocument>();
        foreach (InMemoryReplicaSetMember member in set.Members)
        {
            replies.Add(await RawCommandAsync(member, new O.BsonDocument { { "hello", 1 }, { "helloOk", true } }));
        }

        string[] hosts = set.Members.Select(m => m.Host).ToArray();
        for (int i = 0; i < 3; i++)
        {
            O.BsonDocument hello = replies[i];
            bool primary = i == 0; // the first member wins the first election
            Assert.Equal("rs0", hello["setName"].AsString);
            Assert.Equal(hosts, hello["hosts"].AsBsonArray.Select(h => h.AsString));
            Assert.Equal(hosts[i], hello["me"].AsString);
            Assert.Equal(hosts[0], hello["primary"].AsString);
            Assert.Equal(primary, hello["isWritablePrimary"].AsBoolean);
            Assert.Equal(!primary, hello["secondary"].AsBoolean);
            Assert.Equal(1, hello["setVersion"].AsInt32);
            Assert.Equal(primary, hello.Contains("electionId")); // only the primary reports it
            O.BsonDocument lastWrite = hello["lastWrite"].AsBsonDocument;
            Assert.Equal(["opTime", "lastWriteDate", "majorityOpTime", "majorityWriteDate"], lastWrite.Names);
            Assert.Equal(1L, lastWrite["opTime"]["t"].AsInt64);
            Assert.Equal("topologyVersion", hello.GetElement(0).Name == "helloOk" ? hello.GetElement(1).Name : hello.GetElement(0).Name);
        }

        Assert.Equal(new O.ObjectId("7fffffff0000000000000001"), replies[0]["electionId"].AsObjectId);
        // A topologyVersion per process: three members, three process ids.
        Assert.Equal(3, replies.Select(r => r["topologyVersion"]["processId"].AsObjectId).Distinct().Count());
    }

    [Fact]
    public async Task Reads_go_where_the_read_preference_says()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        using var client = Client(set);
        var collection = client.GetDatabase("test").GetCollection<O.BsonDocument>("reads");
        await collection.InsertOneAsync(new O.BsonDocument { { "_id", 1 }, { "x", "written" } });
        await EventuallyAsync(() => client.Cluster.Description.Servers.Count(s => s.Type == ServerType.ReplicaSetSecondary) == 2, "two secondaries");

        long[] before = set.Members.Select(m => m.Statistics.GetCommandCount("find")).ToArray();
        for (int i = 0; i < 10; i++)
        {
            var found = await collection.WithReadPreference(ReadPreference.Secondary).Find(new O.BsonDocument("_id", 1)).SingleAsync();
            Assert.Equal("written", found["x"].AsString); // a secondary that keeps up sees the write at once
        }

        long[] afterSecondary = set.Members.Select(m => m.Statistics.GetCommandCount("find")).ToArray();
        Assert.Equal(0, afterSecondary[0] - before[0]);
        Assert.Equal(10, afterSecondary[1] - before[1] + afterSecondary[2] - before[2]);

        for (int i = 0; i < 5; i++)
        {
            await collection.WithReadPreference(ReadPreference.Primary).Find(new O.BsonDocument("_id", 1)).SingleAsync();
        }

        long[] afterPrimary = set.Members.Select(m => m.Statistics.GetCommandCount("find")).ToArray();
        Assert.Equal(5, afterPrimary[0] - afterSecondary[0]);
        Assert.Equal(afterSecondary[1] + afterSecondary[2], afterPrimary[1] + afterPrimary[2]);
    }

    [Fact]
    public async Task A_secondary_refuses_writes_with_NotWritablePrimary_and_its_topologyVersion()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        InMemoryReplicaSetMember secondary = set.Members[1];
        using RawWireClient raw = await RawWireClient.ConnectAsync(secondary.Port);

        // Before a hello with helloOk the server speaks the legacy words, as mongod does.
        O.BsonDocument legacy = await SendAsync(raw, new O.BsonDocument { { "insert", "c" }, { "documents", new O.BsonArray { new O.BsonDocument("_id", 1) } }, { "$db", "test" } });
        Assert.Equal(10107, legacy["code"].AsInt32);
        Assert.Equal("NotWritablePrimary", legacy["codeName"].AsString);
        Assert.Equal("not master", legacy["errmsg"].AsString);

        O.BsonDocument hello = await SendAsync(raw, new O.BsonDocument { { "hello", 1 }, { "helloOk", true }, { "$db", "admin" } });
        O.BsonDocument refused = await SendAsync(raw, new O.BsonDocument
        {
            { "insert", "c" },
            { "documents", new O.BsonArray { new O.BsonDocument("_id", 1) } },
            { "lsid", new O.BsonDocument("id", new O.BsonBinaryData(Guid.NewGuid(), O.GuidRepresentation.Standard)) },
            { "txnNumber", 1L },
            { "$db", "test" },
        });
        Assert.Equal(0.0, refused["ok"].ToDouble());
        Assert.Equal("not primary", refused["errmsg"].AsString);
        Assert.Equal(new O.BsonArray { "RetryableWriteError" }, refused["errorLabels"].AsBsonArray);
        Assert.Equal(hello["topologyVersion"], refused["topologyVersion"]); // NotPrimary errors carry it (SDAM staleness)
        Assert.True(refused.Contains("$clusterTime"));

        // Nothing was written anywhere.
        using var client = Client(set);
        Assert.Equal(0, await client.GetDatabase("test").GetCollection<O.BsonDocument>("c").CountDocumentsAsync(O.BsonDocument.Parse("{}")));
    }

    [Fact]
    public async Task A_secondary_serves_reads_only_when_the_client_allows_it()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        InMemoryReplicaSetMember secondary = set.Members[2];
        O.BsonDocument primaryOnly = await RawCommandAsync(secondary, new O.BsonDocument("find", "c"), "test");
        Assert.Equal(13435, primaryOnly["code"].AsInt32);
        Assert.Equal("NotPrimaryNoSecondaryOk", primaryOnly["codeName"].AsString);
        Assert.Equal("not master and slaveOk=false", primaryOnly["errmsg"].AsString);
        Assert.True(primaryOnly.Contains("topologyVersion"));

        O.BsonDocument explicitPrimary = await RawCommandAsync(secondary, new O.BsonDocument { { "find", "c" }, { "$readPreference", new O.BsonDocument("mode", "primary") } }, "test");
        Assert.Equal(13435, explicitPrimary["code"].AsInt32);

        O.BsonDocument allowed = await RawCommandAsync(secondary, new O.BsonDocument { { "find", "c" }, { "$readPreference", new O.BsonDocument("mode", "secondaryPreferred") } }, "test");
        Assert.Equal(1.0, allowed["ok"].ToDouble());

        // Commands allowed everywhere need no read preference; writes are never allowed, read preference or not.
        Assert.Equal(1.0, (await RawCommandAsync(secondary, new O.BsonDocument("ping", 1)))["ok"].ToDouble());
        O.BsonDocument write = await RawCommandAsync(secondary, new O.BsonDocument
        {
            { "delete", "c" },
            { "deletes", new O.BsonArray { new O.BsonDocument { { "q", new O.BsonDocument() }, { "limit", 0 } } } },
            { "$readPreference", new O.BsonDocument("mode", "secondary") },
        }, "test");
        Assert.Equal(10107, write["code"].AsInt32);

        // mongod 5.0+ would run $out from a secondary, writing through the primary; this server says plainly it does not.
        O.BsonDocument outStage = await RawCommandAsync(secondary, new O.BsonDocument
        {
            { "aggregate", "c" },
            { "pipeline", new O.BsonArray { new O.BsonDocument("$out", "copy") } },
            { "cursor", new O.BsonDocument() },
            { "$readPreference", new O.BsonDocument("mode", "secondary") },
        }, "test");
        Assert.Equal(238, outStage["code"].AsInt32);
        Assert.Contains("$out or $merge only on the primary", outStage["errmsg"].AsString);

        // The official driver sends no $readPreference for a primary read, even on a direct connection, so mongod (and
        // this server) refuses it on a secondary; with secondaryPreferred the read works. Writes are refused either way.
        using var direct = Direct(secondary);
        var collection = direct.GetDatabase("test").GetCollection<O.BsonDocument>("c");
        var notOk = await Assert.ThrowsAsync<MongoNotPrimaryException>(() => collection.Find(new O.BsonDocument()).ToListAsync());
        Assert.Equal(13435, notOk.Code);
        Assert.Empty(await collection.WithReadPreference(ReadPreference.SecondaryPreferred).Find(new O.BsonDocument()).ToListAsync());
        var ex = await Assert.ThrowsAsync<MongoNotPrimaryException>(() => collection.InsertOneAsync(new O.BsonDocument("_id", 1)));
        Assert.Equal(10107, ex.Code);
    }

    [Fact]
    public async Task After_a_step_down_the_driver_writes_to_the_new_primary()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        using var client = Client(set);
        var collection = client.GetDatabase("test").GetCollection<O.BsonDocument>("failover");
        await collection.InsertOneAsync(new O.BsonDocument("_id", 1));
        O.BsonDocument helloBefore = await RawCommandAsync(set.Members[0], new O.BsonDocument("hello", 1));

        InMemoryReplicaSetMember? newPrimary = await set.StepDownAsync();
        Assert.NotNull(newPrimary);
        Assert.NotEqual(0, newPrimary!.Id);
        Assert.Equal(InMemoryReplicaSetMemberState.Secondary, set.Members[0].State);
        Assert.Equal(2, set.Term);

        await collection.InsertOneAsync(new O.BsonDocument("_id", 2)); // retryable write: crosses the election
        Assert.Equal(2, await collection.CountDocumentsAsync(new O.BsonDocument()));
        await EventuallyAsync(() => client.Cluster.Description.Servers.Any(s => s.Type == ServerType.ReplicaSetPrimary && Endpoint(s) == newPrimary.Host), "the driver sees the new primary");

        O.BsonDocument helloAfter = await RawCommandAsync(newPrimary, new O.BsonDocument("hello", 1));
        Assert.True(helloAfter["isWritablePrimary"].AsBoolean);
        Assert.Equal(new O.ObjectId("7fffffff0000000000000002"), helloAfter["electionId"].AsObjectId);
        Assert.True(helloAfter["electionId"].AsObjectId > helloBefore["electionId"].AsObjectId);
        Assert.Equal(2L, helloAfter["lastWrite"]["opTime"]["t"].AsInt64);
        O.BsonDocument oldPrimary = await RawCommandAsync(set.Members[0], new O.BsonDocument("hello", 1));
        Assert.False(oldPrimary["isWritablePrimary"].AsBoolean);
        Assert.Equal(newPrimary.Host, oldPrimary["primary"].AsString);
        Assert.True(oldPrimary["topologyVersion"]["counter"].AsInt64 > helloBefore["topologyVersion"]["counter"].AsInt64);
    }

    [Fact]
    public async Task Elect_makes_a_chosen_member_primary_in_a_new_term()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        await set.ElectAsync(set.Members[2]);
        Assert.Same(set.Members[2], set.Primary);
        Assert.Equal(InMemoryReplicaSetMemberState.Secondary, set.Members[0].State);
        Assert.Equal(2, set.Term);
        O.BsonDocument hello = await RawCommandAsync(set.Members[1], new O.BsonDocument("hello", 1));
        Assert.Equal(set.Members[2].Host, hello["primary"].AsString);

        await set.ElectAsync(set.Members[2]); // already primary: nothing changes
        Assert.Equal(2, set.Term);
    }

    private static async Task<O.BsonDocument> SendAsync(RawWireClient raw, O.BsonDocument command)
    {
        await raw.SendAsync(RawWireClient.OpMsg(command));
        return (await raw.ReceiveAsync())!.Document;
    }

}
