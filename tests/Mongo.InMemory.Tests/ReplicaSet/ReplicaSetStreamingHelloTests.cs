using System.Diagnostics;
using MongoDB.Driver;
using MongoDB.Driver.Core.Servers;
using Xunit;
using static Mongo.InMemory.Tests.ReplicaSet.ReplicaSetTestKit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.ReplicaSet;

/// <summary>
/// Awaitable and streaming hello (MongoDB 4.4+): a member holds the reply until its topologyVersion changes or
/// maxAwaitTimeMS passes, and with exhaustAllowed keeps sending replies with moreToCome set, one per change.
/// </summary>
public sealed class ReplicaSetStreamingHelloTests
{
    private const uint ExhaustAllowed = 1u << 16;
    private const uint MoreToCome = 1u << 1;

    [Fact]
    public async Task An_awaitable_hello_is_answered_as_soon_as_the_member_changes_state()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        InMemoryReplicaSetMember secondary = set.Members[1];
        O.BsonDocument first = await RawCommandAsync(secondary, new O.BsonDocument("hello", 1));
        using RawWireClient raw = await RawWireClient.ConnectAsync(secondary.Port);
        await raw.SendAsync(RawWireClient.OpMsg(AwaitableHello(first["topologyVersion"].AsBsonDocument, maxAwaitTimeMs: 60_000)));

        var clock = Stopwatch.StartNew();
        Task<RawWireClient.Reply?> pending = raw.ReceiveAsync(90_000);
        await Task.Delay(300);
        Assert.False(pending.IsCompleted); // nothing changed yet: the member holds the reply
        await set.ElectAsync(secondary);
        O.BsonDocument reply = (await pending)!.Document;
        clock.Stop();

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30)); // not the 60 s maxAwaitTimeMS
        Assert.True(reply["isWritablePrimary"].AsBoolean);
        Assert.Equal(first["topologyVersion"]["processId"], reply["topologyVersion"]["processId"]);
        Assert.True(reply["topologyVersion"]["counter"].AsInt64 > first["topologyVersion"]["counter"].AsInt64);
    }

    [Fact]
    public async Task An_awaitable_hello_waits_out_maxAwaitTimeMS_when_nothing_changes_and_answers_stale_clients_at_once()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 2);
        O.BsonDocument first = await RawCommandAsync(set.Members[1], new O.BsonDocument("hello", 1));
        using RawWireClient raw = await RawWireClient.ConnectAsync(set.Members[1].Port);

        var clock = Stopwatch.StartNew();
        await raw.SendAsync(RawWireClient.OpMsg(AwaitableHello(first["topologyVersion"].AsBsonDocument, maxAwaitTimeMs: 400)));
        O.BsonDocument unchanged = (await raw.ReceiveAsync())!.Document;
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(350), clock.Elapsed.ToString());
        Assert.Equal(first["topologyVersion"], unchanged["topologyVersion"]);

        var stale = new O.BsonDocument { { "processId", O.ObjectId.GenerateNewId() }, { "counter", 0L } };
        clock.Restart();
        await raw.SendAsync(RawWireClient.OpMsg(AwaitableHello(stale, maxAwaitTimeMs: 60_000)));
        Assert.NotNull(await raw.ReceiveAsync(90_000));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), clock.Elapsed.ToString());
    }

    [Fact]
    public async Task An_exhaust_hello_streams_one_reply_per_topology_change()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        InMemoryReplicaSetMember member = set.Members[2];
        O.BsonDocument first = await RawCommandAsync(member, new O.BsonDocument("hello", 1));
        using RawWireClient raw = await RawWireClient.ConnectAsync(member.Port);
        var stale = new O.BsonDocument { { "processId", first["topologyVersion"]["processId"] }, { "counter", -1L } };
        int requestId = RawWireClient.NextRequestId();
        await raw.SendAsync(RawWireClient.OpMsg(AwaitableHello(stale, maxAwaitTimeMs: 60_000), flags: ExhaustAllowed, requestId: requestId));

        // Out of date: the first reply comes at once, and the stream goes on.
        RawWireClient.Reply reply1 = (await raw.ReceiveAsync())!;
        Assert.Equal(requestId, reply1.ResponseTo);
        Assert.Equal(MoreToCome, reply1.Flags & MoreToCome);
        Assert.Equal(first["topologyVersion"], reply1.Document["topologyVersion"]);

        // The next reply waits for a change, then answers the previous reply.
        Task<RawWireClient.Reply?> next = raw.ReceiveAsync(90_000);
        await Task.Delay(300);
        Assert.False(next.IsCompleted);
        var clock = Stopwatch.StartNew();
        await set.StepDownAsync(); // member 1 takes over: member 2 now names another primary
        RawWireClient.Reply reply2 = (await next)!;
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), clock.Elapsed.ToString());
        Assert.Equal(reply1.RequestId, reply2.ResponseTo);
        Assert.Equal(MoreToCome, reply2.Flags & MoreToCome);
        Assert.Equal(set.Members[1].Host, reply2.Document["primary"].AsString);
        Assert.Equal(first["topologyVersion"]["counter"].AsInt64 + 1, reply2.Document["topologyVersion"]["counter"].AsInt64);
    }

    [Fact]
    public async Task The_official_drivers_streaming_monitor_sees_a_step_down_long_before_its_heartbeat_interval()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        using var client = Client(set, s => s.HeartbeatInterval = TimeSpan.FromSeconds(120));
        await client.GetDatabase("test").GetCollection<O.BsonDocument>("c").InsertOneAsync(new O.BsonDocument("_id", 1));
        await EventuallyAsync(() => client.Cluster.Description.Servers.Count(s => s.Type == ServerType.ReplicaSetSecondary) == 2, "two secondaries");
        await Task.Delay(500); // let the monitors start streaming

        var clock = Stopwatch.StartNew();
        InMemoryReplicaSetMember next = (await set.StepDownAsync())!;
        await EventuallyAsync(
            () => client.Cluster.Description.Servers.Any(s => s.Type == ServerType.ReplicaSetPrimary && Endpoint(s) == next.Host),
            "the driver to see the new primary",
            timeoutMs: 60_000);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"noticed after {clock.Elapsed} (heartbeat interval 120 s)");
        Assert.True(set.Members.Sum(m => m.Statistics.GetCommandCount("hello")) > 0);
    }

    private static O.BsonDocument AwaitableHello(O.BsonDocument topologyVersion, int maxAwaitTimeMs) => new()
    {
        { "hello", 1 },
        { "topologyVersion", topologyVersion },
        { "maxAwaitTimeMS", (long)maxAwaitTimeMs },
        { "$db", "admin" },
    };
}
