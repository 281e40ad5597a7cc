using Xunit;
using O = MongoDB.Bson;
using static Mongo.InMemory.Tests.ReplicaSet.ReplicaSetTestKit;

namespace Mongo.InMemory.Tests.ReplicaSet;

public sealed class ReplSetStepDownPeriodTests
{
    [Fact]
    public async Task A_step_down_period_equal_to_the_catch_up_period_is_accepted_as_on_mongod()
    {
        // mongod refuses only stepDownSecs < secondaryCatchUpPeriodSecs; the SDAM unified test
        // rediscover-quickly-after-step-down sends { replSetStepDown: 30, secondaryCatchUpPeriodSecs: 30 }.
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);

        O.BsonDocument reply = await RawCommandAsync(set.Members[0], new O.BsonDocument { { "replSetStepDown", 30 }, { "secondaryCatchUpPeriodSecs", 30 } });

        Assert.Equal(1.0, reply["ok"].ToDouble());
        Assert.NotEqual(0, (await set.WaitForPrimaryAsync()).Id);
    }
}
