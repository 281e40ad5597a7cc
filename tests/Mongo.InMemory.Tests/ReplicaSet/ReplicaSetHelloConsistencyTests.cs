using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.ReplicaSet;

/// <summary>
/// A member's topologyVersion names one hello answer: drivers take a NotWritablePrimary whose counter is not newer than
/// the one they hold as stale and ignore it, and streaming monitors wait for the next counter. A reply showing the state
/// after an election with the counter from before it would leave a driver retrying on a member that is no longer
/// primary (the driver's failover test met exactly that): hello, and the not-primary errors, read states and counters as one.
/// </summary>
public sealed class ReplicaSetHelloConsistencyTests
{
    [Fact]
    public async Task A_not_primary_error_in_the_middle_of_an_election_carries_the_counter_from_after_it()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        InMemoryReplicaSetMember old = set.Primary!;
        using RawWireClient raw = await RawWireClient.ConnectAsync(old.Port);
        O.BsonDocument first = await HelloAsync(raw);
        Assert.True(first["isWritablePrimary"].AsBoolean);
        long before = first["topologyVersion"]["counter"].ToInt64();

        Task<O.BsonDocument>? during = null;
        old.Inner.Set.AfterStateChange = () =>
        {
            old.Inner.Set.AfterStateChange = null; // the first transition of the step-down only
            // Inside the step-down, between the state change and the counter bump: a read refused now as not primary would
            // carry the counter from before. Give it the time to answer (it must not: the counter is read after the election).
            during = Task.Run(() => CommandAsync(raw, new O.BsonDocument { { "find", "c" }, { "$db", "db" } }));
            during.Wait(500);
        };
        await set.StepDownAsync();
        old.Inner.Set.AfterStateChange = null;

        O.BsonDocument reply = await during!.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(13435, reply["code"].ToInt32()); // NotPrimaryNoSecondaryOk
        Assert.True(reply["topologyVersion"]["counter"].ToInt64() > before, "a stepped-down member reported the counter it had as primary: " + reply);
        O.BsonDocument after = await HelloAsync(raw);
        Assert.False(after["isWritablePrimary"].AsBoolean);
        Assert.Equal(after["topologyVersion"], reply["topologyVersion"]);
    }

    private static Task<O.BsonDocument> HelloAsync(RawWireClient raw) => CommandAsync(raw, new O.BsonDocument { { "hello", 1 }, { "$db", "admin" } });

    private static async Task<O.BsonDocument> CommandAsync(RawWireClient raw, O.BsonDocument command)
    {
        await raw.SendAsync(RawWireClient.OpMsg(command));
        return (await raw.ReceiveAsync(30_000) ?? throw new InvalidOperationException("no reply to " + command)).Document;
    }
}
