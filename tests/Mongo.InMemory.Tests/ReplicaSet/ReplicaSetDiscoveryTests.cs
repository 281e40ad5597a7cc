using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Servers;
using Xunit;
using static Mongo.InMemory.Tests.ReplicaSet.ReplicaSetTestKit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.ReplicaSet;

/// <summary>The official driver discovers a multi-member in-memory set, routes reads and writes, and follows elections.</summary>
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
        Assert.Equal(set.Members.Select(m => m.Host).Order(), cluster.Servers.Select(s => Endpoint(s)).Order());
        Assert.Equal(set.Primary!.Host, Endpoint(cluster.Servers.Single(s => s.Type == ServerType.ReplicaSetPrimary)));
        Assert.Equal(2, cluster.Servers.Count(s => s.Type == ServerType.ReplicaSetSecondary));
    }

    private static string Endpoint(ServerDescription server) =>
        server.EndPoint is System.Net.DnsEndPoint dns ? dns.Host + ":" + dns.Port : server.EndPoint.ToString()!;
}
