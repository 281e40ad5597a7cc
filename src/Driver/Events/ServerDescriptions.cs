using Mongo.Bson;
using Mongo.Driver.Topology;

namespace Mongo.Driver.Events;

/// <summary>What kind of server a description is of (SDAM ServerType).</summary>
public enum MongoServerType
{
    /// <summary>Not yet reached, or unreachable.</summary>
    Unknown,

    /// <summary>A standalone mongod.</summary>
    Standalone,

    /// <summary>A mongos router.</summary>
    Mongos,

    /// <summary>A server that may be the primary (single topology, not yet confirmed).</summary>
    PossiblePrimary,

    /// <summary>The replica set primary.</summary>
    RSPrimary,

    /// <summary>A replica set secondary.</summary>
    RSSecondary,

    /// <summary>A replica set arbiter.</summary>
    RSArbiter,

    /// <summary>A hidden, starting up or recovering replica set member.</summary>
    RSOther,

    /// <summary>A replica set member without a configuration yet.</summary>
    RSGhost,

    /// <summary>A load balancer in front of mongos routers.</summary>
    LoadBalancer,
}

/// <summary>What kind of deployment the client sees (SDAM TopologyType).</summary>
public enum MongoTopologyType
{
    /// <summary>Not yet known.</summary>
    Unknown,

    /// <summary>A direct connection to one server.</summary>
    Single,

    /// <summary>A replica set without a known primary.</summary>
    ReplicaSetNoPrimary,

    /// <summary>A replica set with a known primary.</summary>
    ReplicaSetWithPrimary,

    /// <summary>A sharded cluster (mongos routers).</summary>
    Sharded,

    /// <summary>Behind a load balancer.</summary>
    LoadBalanced,
}

/// <summary>An immutable snapshot of what the client knows about one server, as reported by SDAM events.</summary>
public sealed class MongoServerDescription
{
    private readonly ServerDescription _inner;

    internal MongoServerDescription(ServerDescription inner) => _inner = inner;

    /// <summary>The server's address.</summary>
    public MongoServerAddress Address => _inner.Address;

    /// <summary>The server's type.</summary>
    public MongoServerType Type => (MongoServerType)_inner.Type;

    /// <summary>The error that made the server Unknown, if any.</summary>
    public Exception? Error => _inner.Error;

    /// <summary>Average round trip time of the monitor's hello; null until measured.</summary>
    public TimeSpan? AverageRoundTripTime => _inner.AverageRoundTripTime;

    /// <summary>The server's minWireVersion.</summary>
    public int MinWireVersion => _inner.MinWireVersion;

    /// <summary>The server's maxWireVersion.</summary>
    public int MaxWireVersion => _inner.MaxWireVersion;

    /// <summary>The replica set member's own address as it reports it (hello's <c>me</c>), lower-cased.</summary>
    public string? Me => _inner.Me;

    /// <summary>Replica set hosts this member reports.</summary>
    public IReadOnlyList<string> Hosts => _inner.Hosts;

    /// <summary>Replica set passives this member reports.</summary>
    public IReadOnlyList<string> Passives => _inner.Passives;

    /// <summary>Replica set arbiters this member reports.</summary>
    public IReadOnlyList<string> Arbiters => _inner.Arbiters;

    /// <summary>The member's tags.</summary>
    public IReadOnlyDictionary<string, string> Tags => _inner.Tags;

    /// <summary>The replica set name, if a member.</summary>
    public string? SetName => _inner.SetName;

    /// <summary>The replica set configuration version.</summary>
    public int? SetVersion => _inner.SetVersion;

    /// <summary>The primary's election id.</summary>
    public ObjectId? ElectionId => _inner.ElectionId;

    /// <summary>The primary this member reports.</summary>
    public string? Primary => _inner.Primary;

    /// <summary>The server's logicalSessionTimeoutMinutes.</summary>
    public int? LogicalSessionTimeoutMinutes => _inner.LogicalSessionTimeoutMinutes;

    /// <summary>The server's topologyVersion, if it reports one.</summary>
    public BsonDocument? TopologyVersion => _inner.TopologyVersion;

    internal ServerDescription Inner => _inner;

    /// <inheritdoc />
    public override string ToString() => _inner.ToString();
}

/// <summary>An immutable snapshot of the deployment as the client sees it, as reported by SDAM events.</summary>
public sealed class MongoTopologyDescription
{
    private readonly TopologyDescription _inner;
    private IReadOnlyList<MongoServerDescription>? _servers;

    internal MongoTopologyDescription(TopologyDescription inner) => _inner = inner;

    /// <summary>The topology type.</summary>
    public MongoTopologyType Type => (MongoTopologyType)_inner.Type;

    /// <summary>The replica set name, if known.</summary>
    public string? SetName => _inner.SetName;

    /// <summary>The servers the client knows.</summary>
    public IReadOnlyList<MongoServerDescription> Servers
    {
        get
        {
            if (_servers is null)
            {
                var servers = new List<MongoServerDescription>(_inner.Servers.Count);
                foreach (ServerDescription server in _inner.Servers.Values)
                {
                    servers.Add(new MongoServerDescription(server));
                }

                _servers = servers;
            }

            return _servers;
        }
    }

    /// <summary>Whether some server can take writes.</summary>
    public bool HasWritableServer => _inner.HasWritableServer;

    /// <summary>Set when a server's wire versions do not overlap the driver's; operations fail with this message.</summary>
    public string? CompatibilityError => _inner.CompatibilityError;

    internal TopologyDescription Inner => _inner;

    /// <inheritdoc />
    public override string ToString() => _inner.ToString();
}
