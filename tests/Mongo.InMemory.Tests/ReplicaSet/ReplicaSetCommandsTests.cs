using Xunit;
using static Mongo.InMemory.Tests.ReplicaSet.ReplicaSetTestKit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.ReplicaSet;

/// <summary>replSetGetStatus, replSetGetConfig, replSetStepDown, replSetFreeze and replSetInitiate: shapes and errors as mongod 8.0.</summary>
public sealed class ReplicaSetCommandsTests
{
    [Fact]
    public async Task ReplSetGetStatus_describes_every_member_from_the_one_asked()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        await set.Members[2].StopAsync();
        O.BsonDocument status = await RawCommandAsync(set.Members[1], new O.BsonDocument("replSetGetStatus", 1));

        Assert.Equal(1.0, status["ok"].ToDouble());
        Assert.Equal("rs0", status["set"].AsString);
        Assert.Equal(2, status["myState"].AsInt32);
        Assert.Equal(1L, status["term"].AsInt64);
        Assert.Equal(set.Members[0].Host, status["syncSourceHost"].AsString);
        Assert.Equal(0, status["syncSourceId"].AsInt32);
        Assert.Equal(2, status["majorityVoteCount"].AsInt32);
        Assert.Equal(3, status["votingMembersCount"].AsInt32);
        foreach (string name in new[] { "lastCommittedOpTime", "readConcernMajorityOpTime", "appliedOpTime", "durableOpTime", "lastAppliedWallTime" })
        {
            Assert.True(status["optimes"].AsBsonDocument.Contains(name), name);
        }

        O.BsonArray members = status["members"].AsBsonArray;
        Assert.Equal(3, members.Count);
        O.BsonDocument primary = members[0].AsBsonDocument;
        Assert.Equal(0, primary["_id"].AsInt32);
        Assert.Equal(set.Members[0].Host, primary["name"].AsString);
        Assert.Equal(1.0, primary["health"].AsDouble);
        Assert.Equal(1, primary["state"].AsInt32);
        Assert.Equal("PRIMARY", primary["stateStr"].AsString);
        Assert.True(primary.Contains("uptime") && primary.Contains("optime") && primary.Contains("optimeDate") && primary.Contains("lastHeartbeat"));
        Assert.True(primary.Contains("electionTime") && primary.Contains("electionDate"));
        Assert.False(primary.Contains("self"));

        O.BsonDocument self = members[1].AsBsonDocument;
        Assert.Equal("SECONDARY", self["stateStr"].AsString);
        Assert.True(self["self"].AsBoolean);
        Assert.False(self.Contains("lastHeartbeat"));
        Assert.Equal(status["optimes"]["appliedOpTime"], self["optime"]);

        O.BsonDocument down = members[2].AsBsonDocument;
        Assert.Equal(0.0, down["health"].AsDouble);
        Assert.Equal(8, down["state"].AsInt32);
        Assert.Equal("(not reachable/healthy)", down["stateStr"].AsString);
        Assert.Contains("Connection refused", down["lastHeartbeatMessage"].AsString);

        O.BsonDocument onPrimary = await RawCommandAsync(set.Members[0], new O.BsonDocument("replSetGetStatus", 1));
        Assert.Equal(1, onPrimary["myState"].AsInt32);
        Assert.Equal("", onPrimary["syncSourceHost"].AsString);
        Assert.Equal("electionTimeout", onPrimary["electionCandidateMetrics"]["lastElectionReason"].AsString);
    }

    [Fact]
    public async Task ReplSetGetConfig_returns_the_configuration()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3, new InMemoryReplicaSetOptions { Name = "conf" });
        O.BsonDocument reply = await RawCommandAsync(set.Members[2], new O.BsonDocument("replSetGetConfig", 1));
        O.BsonDocument config = reply["config"].AsBsonDocument;
        Assert.Equal("conf", config["_id"].AsString);
        Assert.Equal(1, config["version"].AsInt32);
        Assert.Equal(1, config["term"].AsInt32);
        Assert.Equal(1L, config["protocolVersion"].AsInt64);
        Assert.Equal(set.Members.Select(m => m.Host), config["members"].AsBsonArray.Select(m => m["host"].AsString));
        Assert.Equal([0, 1, 2], config["members"].AsBsonArray.Select(m => m["_id"].AsInt32));
        O.BsonDocument member = config["members"][0].AsBsonDocument;
        Assert.Equal(["_id", "host", "arbiterOnly", "buildIndexes", "hidden", "priority", "tags", "secondaryDelaySecs", "votes"], member.Names);
        Assert.Equal(1000, config["settings"]["electionTimeoutMillis"].AsInt32);
        Assert.True(config["settings"]["replicaSetId"].IsObjectId);
        O.BsonDocument withStatus = await RawCommandAsync(set.Members[0], new O.BsonDocument { { "replSetGetConfig", 1 }, { "commitmentStatus", true } });
        Assert.True(withStatus["commitmentStatus"].AsBoolean);
    }

    [Fact]
    public async Task ReplSetStepDown_hands_over_and_keeps_the_old_primary_out_for_its_period()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3, new InMemoryReplicaSetOptions { ElectionTimeout = TimeSpan.FromMilliseconds(300) });
        O.BsonDocument reply = await RawCommandAsync(set.Members[0], new O.BsonDocument("replSetStepDown", 60));
        Assert.Equal(1.0, reply["ok"].ToDouble());
        InMemoryReplicaSetMember next = set.Primary!;
        Assert.NotEqual(0, next.Id);

        // The old primary may not be elected for 60 s: when the new one stops, the third member wins.
        await next.StopAsync();
        InMemoryReplicaSetMember third = await set.WaitForPrimaryAsync();
        Assert.NotEqual(0, third.Id);
        Assert.NotEqual(next.Id, third.Id);
    }

    [Fact]
    public async Task ReplSetStepDown_reports_mongods_errors()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        O.BsonDocument onSecondary = await RawCommandAsync(set.Members[1], new O.BsonDocument("replSetStepDown", 60));
        Assert.Equal(10107, onSecondary["code"].AsInt32);
        Assert.Equal("not primary so can't step down", onSecondary["errmsg"].AsString);

        O.BsonDocument tooShort = await RawCommandAsync(set.Members[0], new O.BsonDocument("replSetStepDown", 5));
        Assert.Equal(2, tooShort["code"].AsInt32);
        Assert.Equal("stepdown period must be longer than secondaryCatchUpPeriodSecs", tooShort["errmsg"].AsString);
        O.BsonDocument negative = await RawCommandAsync(set.Members[0], new O.BsonDocument("replSetStepDown", -1));
        Assert.Equal("stepdown period must be a positive integer", negative["errmsg"].AsString);
        O.BsonDocument notAdmin = await RawCommandAsync(set.Members[0], new O.BsonDocument("replSetStepDown", 60), "test");
        Assert.Equal(13, notAdmin["code"].AsInt32);
        Assert.Equal("replSetStepDown may only be run against the admin database.", notAdmin["errmsg"].AsString);

        // No electable secondary catches up within the period: ExceededTimeLimit, and the primary stays.
        set.Members[1].PauseReplication();
        set.Members[2].PauseReplication();
        await InsertAsync(set.Members[0]);
        O.BsonDocument noneCaughtUp = await RawCommandAsync(set.Members[0], new O.BsonDocument { { "replSetStepDown", 5 }, { "secondaryCatchUpPeriodSecs", 1 } });
        Assert.Equal(262, noneCaughtUp["code"].AsInt32);
        Assert.Equal("ExceededTimeLimit", noneCaughtUp["codeName"].AsString);
        Assert.StartsWith("No electable secondaries caught up as of ", noneCaughtUp["errmsg"].AsString);
        Assert.Same(set.Members[0], set.Primary);

        // One that catches up during the period lets the step-down go through.
        Task<O.BsonDocument> stepDown = RawCommandAsync(set.Members[0], new O.BsonDocument { { "replSetStepDown", 20 }, { "secondaryCatchUpPeriodSecs", 10 } });
        await Task.Delay(200);
        Assert.False(stepDown.IsCompleted);
        set.Members[2].ResumeReplication();
        Assert.Equal(1.0, (await stepDown.WaitAsync(TimeSpan.FromSeconds(5)))["ok"].ToDouble());
        Assert.Same(set.Members[2], set.Primary);

        // force: true steps down without a caught-up secondary.
        set.Members[0].PauseReplication();
        await InsertAsync(set.Members[2]);
        O.BsonDocument forced = await RawCommandAsync(set.Members[2], new O.BsonDocument { { "replSetStepDown", 30 }, { "force", true } });
        Assert.Equal(1.0, forced["ok"].ToDouble());
        Assert.NotSame(set.Members[2], set.Primary);
    }

    [Fact]
    public async Task ReplSetFreeze_keeps_a_secondary_out_of_elections()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        O.BsonDocument onPrimary = await RawCommandAsync(set.Members[0], new O.BsonDocument("replSetFreeze", 30));
        Assert.Equal(95, onPrimary["code"].AsInt32);
        Assert.Equal("NotSecondary", onPrimary["codeName"].AsString);

        O.BsonDocument frozen = await RawCommandAsync(set.Members[1], new O.BsonDocument("replSetFreeze", 30));
        Assert.Equal(1.0, frozen["ok"].ToDouble());
        Assert.Same(set.Members[2], await set.StepDownAsync()); // member 1 would have won (lowest _id) but is frozen

        O.BsonDocument thaw = await RawCommandAsync(set.Members[1], new O.BsonDocument("replSetFreeze", 0));
        Assert.Equal("unfreezing", thaw["info"].AsString);
        O.BsonDocument oneSecond = await RawCommandAsync(set.Members[1], new O.BsonDocument("replSetFreeze", 1));
        Assert.Equal("you really want to freeze for only 1 second?", oneSecond["warning"].AsString);
    }

    [Fact]
    public async Task ReplSetInitiate_and_reconfig_are_refused_clearly()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 2);
        O.BsonDocument initiate = await RawCommandAsync(set.Members[0], new O.BsonDocument("replSetInitiate", new O.BsonDocument()));
        Assert.Equal(23, initiate["code"].AsInt32);
        Assert.Equal("AlreadyInitialized", initiate["codeName"].AsString);
        Assert.Equal("already initialized", initiate["errmsg"].AsString);
        O.BsonDocument reconfig = await RawCommandAsync(set.Members[0], new O.BsonDocument("replSetReconfig", new O.BsonDocument()));
        Assert.Equal(238, reconfig["code"].AsInt32);
        Assert.Contains("replSetReconfig is not supported by Mongo.InMemory", reconfig["errmsg"].AsString);
    }

    [Fact]
    public async Task A_standalone_server_answers_NoReplicationEnabled()
    {
        await using var server = await InMemoryMongoServer.StartAsync();
        using RawWireClient raw = await RawWireClient.ConnectAsync(server.Port);
        foreach (string name in new[] { "replSetGetStatus", "replSetGetConfig", "replSetStepDown", "replSetFreeze" })
        {
            await raw.SendAsync(RawWireClient.OpMsg(new O.BsonDocument { { name, 1 }, { "$db", "admin" } }));
            O.BsonDocument reply = (await raw.ReceiveAsync())!.Document;
            Assert.Equal(76, reply["code"].AsInt32);
            Assert.Equal("NoReplicationEnabled", reply["codeName"].AsString);
            Assert.Equal("not running with --replSet", reply["errmsg"].AsString);
        }

        await raw.SendAsync(RawWireClient.OpMsg(new O.BsonDocument { { "replSetInitiate", 1 }, { "$db", "admin" } }));
        Assert.Equal("This node was not started with the replSet option", (await raw.ReceiveAsync())!.Document["errmsg"].AsString);
    }

    [Fact]
    public async Task ServerStatus_reports_the_members_repl_section()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        O.BsonDocument status = await RawCommandAsync(set.Members[1], new O.BsonDocument("serverStatus", 1));
        O.BsonDocument repl = status["repl"].AsBsonDocument;
        Assert.Equal("rs0", repl["setName"].AsString);
        Assert.False(repl["isWritablePrimary"].AsBoolean);
        Assert.True(repl["secondary"].AsBoolean);
        Assert.Equal(set.Members[1].Host, repl["me"].AsString);
        Assert.Equal(set.Members[0].Host, repl["primary"].AsString);
    }

    private static Task<O.BsonDocument> InsertAsync(InMemoryReplicaSetMember member) =>
        RawCommandAsync(member, new O.BsonDocument
        {
            { "insert", "c" },
            { "documents", new O.BsonArray { new O.BsonDocument("v", 1) } },
            { "writeConcern", new O.BsonDocument("w", 1) },
        }, "test");
}
