using Mongo.Bson;
using Mongo.Driver.Topology;
using Xunit;

namespace Mongo.Driver.Tests.Topology;

public sealed class TopologyCompatibilityTests
{
    private static readonly MongoServerAddress A = new("a", 27017);
    private static readonly MongoServerAddress B = new("b", 27017);

    private static BsonDocument Secondary(string primary) => new()
    {
        { "isWritablePrimary", false }, { "secondary", true }, { "setName", "rs" }, { "hosts", new BsonArray { "a:27017", "b:27017" } },
        { "primary", primary }, { "me", "b:27017" }, { "minWireVersion", 0 }, { "maxWireVersion", 25 }, { "ok", 1.0 },
    };

    [Fact]
    public void A_member_named_as_primary_but_not_yet_checked_does_not_make_the_topology_incompatible()
    {
        // b says a is primary before a was checked: a becomes PossiblePrimary, with no wire versions yet. Counting it
        // as a 0-wire-version server made every selection fail while a secondary's hello came first.
        var topology = new TopologyDescription(TopologyType.ReplicaSetNoPrimary,
            new Dictionary<MongoServerAddress, ServerDescription> { [A] = new(A), [B] = new(B) }, "rs", seedCount: 2);

        TopologyDescription next = topology.Apply(ServerDescription.FromHello(B, Secondary("a:27017"), TimeSpan.FromMilliseconds(1)), "rs");

        Assert.Equal(ServerType.PossiblePrimary, next.Servers[A].Type);
        Assert.Null(next.CompatibilityError);
    }

    [Fact]
    public void A_checked_server_with_an_old_wire_version_still_makes_it_incompatible()
    {
        var old = Secondary("a:27017");
        old["maxWireVersion"] = 6;
        var topology = new TopologyDescription(TopologyType.ReplicaSetNoPrimary,
            new Dictionary<MongoServerAddress, ServerDescription> { [A] = new(A), [B] = new(B) }, "rs", seedCount: 2);

        TopologyDescription next = topology.Apply(ServerDescription.FromHello(B, old, TimeSpan.FromMilliseconds(1)), "rs");

        Assert.Contains("reports wire version 6", next.CompatibilityError, StringComparison.Ordinal);
    }
}
