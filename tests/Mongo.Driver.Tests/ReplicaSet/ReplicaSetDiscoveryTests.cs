using Mongo.Bson;
using Mongo.Driver.Topology;
using Mongo.InMemory;
using Xunit;

namespace Mongo.Driver.Tests.ReplicaSet;

/// <summary>This driver discovering a multi-member in-memory replica set.</summary>
public sealed class ReplicaSetDiscoveryTests
{
    [Fact]
    public void A_possible_primary_named_by_a_secondary_is_not_a_wire_version_incompatibility()
    {
        // A secondary's hello names the primary before the primary has been checked: SDAM records it as
        // PossiblePrimary, which has no wire versions yet. It used to fail every selection with "reports wire version 0".
        MongoServerAddress primary = MongoServerAddress.Parse("a:27017");
        var topology = new TopologyDescription(TopologyType.ReplicaSetNoPrimary, new Dictionary<MongoServerAddress, ServerDescription>
        {
            [primary] = new ServerDescription(primary, ServerType.PossiblePrimary),
        });
        Assert.Null(topology.CompatibilityError);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task The_first_write_succeeds_whichever_member_answers_first(int seed)
    {
        // Seeding with a secondary makes its hello (naming the primary) the first one processed.
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        await using var client = new MongoClient("mongodb://" + set.Members[seed].Host + "/?replicaSet=rs0");
        for (int i = 0; i < 5; i++)
        {
            await client.GetDatabase("test").GetCollection("c").InsertOneAsync(new BsonDocument("i", i));
        }

        Assert.Equal(5, await client.GetDatabase("test").GetCollection("c").CountDocumentsAsync(new BsonDocument()));
    }
}
