using Mongo.Bson;

namespace Mongo.Driver.Topology;

/// <summary>SDAM topology types.</summary>
internal enum TopologyType
{
    Unknown,
    Single,
    ReplicaSetNoPrimary,
    ReplicaSetWithPrimary,
    Sharded,
    LoadBalanced,
}

/// <summary>An immutable snapshot of the deployment (SDAM TopologyDescription); <see cref="Apply"/> runs the state machine.</summary>
internal sealed partial class TopologyDescription
{
    /// <summary>Oldest wire version this driver speaks (MongoDB 4.2).</summary>
    public const int MinSupportedWireVersion = 8;

    /// <summary>Newest wire version this driver knows (MongoDB 8.x).</summary>
    public const int MaxSupportedWireVersion = 27;

    public TopologyDescription(TopologyType type, IReadOnlyDictionary<MongoServerAddress, ServerDescription> servers, string? setName = null,
        int? maxSetVersion = null, ObjectId? maxElectionId = null, int seedCount = 1)
    {
        Type = type;
        Servers = servers;
        SetName = setName;
        MaxSetVersion = maxSetVersion;
        MaxElectionId = maxElectionId;
        SeedCount = seedCount;
        CompatibilityError = FindCompatibilityError(servers);
    }

    public TopologyType Type { get; }

    public IReadOnlyDictionary<MongoServerAddress, ServerDescription> Servers { get; }

    public string? SetName { get; }

    public int? MaxSetVersion { get; }

    public ObjectId? MaxElectionId { get; }

    /// <summary>How many seeds the client started with (an Unknown topology with one seed and a Standalone becomes Single).</summary>
    public int SeedCount { get; }

    /// <summary>Set when a server's wire versions do not overlap ours; operations fail with it.</summary>
    public string? CompatibilityError { get; }

    // The session pool reads the timeout on every checkout and return; the description is immutable, so compute it once.
    private int? _logicalSessionTimeoutMinutes;
    private bool _logicalSessionTimeoutComputed;

    /// <summary>The smallest logicalSessionTimeoutMinutes of the data-bearing servers, or null if any lacks one.</summary>
    public int? LogicalSessionTimeoutMinutes
    {
        get
        {
            if (!Volatile.Read(ref _logicalSessionTimeoutComputed))
            {
                _logicalSessionTimeoutMinutes = ComputeLogicalSessionTimeoutMinutes();
                Volatile.Write(ref _logicalSessionTimeoutComputed, true);
            }

            return _logicalSessionTimeoutMinutes;
        }
    }

    private int? ComputeLogicalSessionTimeoutMinutes()
    {
        int? min = null;
        foreach (ServerDescription server in Servers.Values)
        {
            if (!server.IsDataBearing)
            {
                continue;
            }

            if (server.LogicalSessionTimeoutMinutes is not { } minutes)
            {
                return null;
            }

            min = min is null ? minutes : Math.Min(min.Value, minutes);
        }

        return min;
    }

    public bool HasWritableServer
    {
        get
        {
            foreach (ServerDescription server in Servers.Values)
            {
                if (server.IsWritable)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private static string? FindCompatibilityError(IReadOnlyDictionary<MongoServerAddress, ServerDescription> servers)
    {
        foreach (ServerDescription server in servers.Values)
        {
            // Only checked servers report wire versions: a PossiblePrimary is a member another one named as primary,
            // not yet checked (SDAM: "synonymous with Unknown" for multi-threaded clients).
            if (server.Type is ServerType.Unknown or ServerType.PossiblePrimary or ServerType.LoadBalancer)
            {
                continue;
            }

            if (server.MinWireVersion > MaxSupportedWireVersion)
            {
                return "Server at " + server.Address + " requires wire version " + server.MinWireVersion + ", but this version of the driver only supports up to " + MaxSupportedWireVersion + ".";
            }

            if (server.MaxWireVersion < MinSupportedWireVersion)
            {
                return "Server at " + server.Address + " reports wire version " + server.MaxWireVersion + ", but this version of the driver requires at least " + MinSupportedWireVersion + " (MongoDB 4.2).";
            }
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() =>
        "{ type: " + Type + (SetName is null ? "" : ", set: " + SetName) + ", servers: [" + string.Join(", ", Servers.Values) + "] }";
}
