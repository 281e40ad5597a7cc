using Mongo.Bson;
using Mongo.Driver.Operations;
using Mongo.Driver.Srv;
using Mongo.Driver.Tests.Connections;
using Mongo.Driver.Topology;
using Mongo.InMemory;
using Xunit;

namespace Mongo.Driver.Tests.Topology;

/// <summary>The cluster as the SRV poller's target: host lists from rescans replace the servers of a sharded topology.</summary>
public sealed class ClusterSrvPollingTests
{
    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    [Fact]
    public async Task Rescanned_hosts_join_and_leave_a_sharded_topology()
    {
        await using var a = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { Sharded = true });
        await using var b = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { Sharded = true });
        var template = CoreTestHelpers.Cluster(a);
        await using var executor = new OperationExecutor(template);
        ISrvPollingTarget target = executor.Cluster;
        await WaitForAsync(() => executor.Cluster.Description.Type == TopologyType.Sharded);
        Assert.True(target.IsPollingAllowed);

        var addressA = CoreTestHelpers.Address(a);
        var addressB = CoreTestHelpers.Address(b);
        target.UpdateHosts([addressA, addressB]);
        Assert.Equal([addressA, addressB], target.CurrentHosts.OrderBy(h => h.Port == addressA.Port ? 0 : 1));
        await WaitForAsync(() => executor.Cluster.GetServer(addressB)?.Description.Type == ServerType.Mongos);

        // A rescan that no longer lists A removes it; commands keep working through B.
        target.UpdateHosts([addressB]);
        Assert.Equal([addressB], target.CurrentHosts);
        Assert.Null(executor.Cluster.GetServer(addressA));
        var reply = await CoreTestHelpers.RunAsync(executor, true, "admin", new BsonDocument("ping", 1));
        Assert.Equal(1.0, reply.Body["ok"].ToDouble());
    }

    [Fact]
    public async Task Polling_does_not_touch_a_replica_set()
    {
        await using var rs = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        await using var executor = new OperationExecutor(CoreTestHelpers.Cluster(rs));
        ISrvPollingTarget target = executor.Cluster;
        await WaitForAsync(() => executor.Cluster.Description.Type == TopologyType.ReplicaSetWithPrimary);
        Assert.False(target.IsPollingAllowed);

        var before = target.CurrentHosts;
        target.UpdateHosts([new MongoServerAddress("127.0.0.1", 1)]);
        Assert.Equal(before, target.CurrentHosts);
    }
}
