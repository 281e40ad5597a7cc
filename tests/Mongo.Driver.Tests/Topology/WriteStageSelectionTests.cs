using Mongo.Bson;
using Mongo.Driver.Operations;
using Mongo.Driver.Topology;
using Xunit;

namespace Mongo.Driver.Tests.Topology;

/// <summary>
/// Aggregates ending in $out/$merge with a non-primary read preference (CRUD spec): secondaries may run them only when
/// every known server is 5.0+ (wire version 13); otherwise the primary runs them and gets no $readPreference.
/// </summary>
public sealed class WriteStageSelectionTests
{
    private static readonly MongoServerAddress PrimaryAddress = new("a", 27017);
    private static readonly MongoServerAddress SecondaryAddress = new("b", 27017);

    private static ServerDescription Member(MongoServerAddress address, bool primary, int maxWireVersion) =>
        ServerDescription.FromHello(address, new BsonDocument
        {
            { "ok", 1 }, { "setName", "rs" }, { primary ? "isWritablePrimary" : "secondary", true },
            { "minWireVersion", 0 }, { "maxWireVersion", maxWireVersion }, { "hosts", new BsonArray { "a:27017", "b:27017" } },
        }, TimeSpan.FromMilliseconds(1));

    private static TopologyDescription ReplicaSet(int secondaryWireVersion) => new(
        TopologyType.ReplicaSetWithPrimary,
        new Dictionary<MongoServerAddress, ServerDescription>
        {
            [PrimaryAddress] = Member(PrimaryAddress, primary: true, 25),
            [SecondaryAddress] = Member(SecondaryAddress, primary: false, secondaryWireVersion),
        },
        "rs",
        seedCount: 2);

    private static readonly ReadPreference Secondary = new(ReadPreferenceMode.Secondary);

    [Fact]
    public void OnAllFivePlusServersTheReadPreferenceChooses()
    {
        var topology = ReplicaSet(secondaryWireVersion: 13);
        var selected = ServerSelector.ForWriteStage(Secondary).Select(topology, TimeSpan.FromMilliseconds(15));
        Assert.Equal(SecondaryAddress, Assert.Single(selected).Address);
        Assert.False(ServerSelector.WriteStageNeedsPrimary(topology));
    }

    [Fact]
    public void AnyPreFiveServerSendsItToThePrimary()
    {
        var topology = ReplicaSet(secondaryWireVersion: 12);
        var selected = ServerSelector.ForWriteStage(Secondary).Select(topology, TimeSpan.FromMilliseconds(15));
        Assert.Equal(PrimaryAddress, Assert.Single(selected).Address);
        Assert.True(ServerSelector.WriteStageNeedsPrimary(topology));

        // And no $readPreference goes with it (a primary read preference on a replica set sends none).
        Assert.Null(OperationExecutor.ReadPreferenceDocument(null, topology.Servers[PrimaryAddress], topology.Type));
    }

    [Fact]
    public void APrimaryReadPreferenceIsAPlainWrite()
    {
        var topology = ReplicaSet(secondaryWireVersion: 25);
        Assert.Same(ServerSelector.Write, ServerSelector.ForWriteStage(null));
        Assert.Same(ServerSelector.Write, ServerSelector.ForWriteStage(ReadPreference.Primary));
        Assert.Equal(PrimaryAddress, Assert.Single(ServerSelector.ForWriteStage(ReadPreference.Primary).Select(topology, TimeSpan.FromMilliseconds(15))).Address);
    }
}
