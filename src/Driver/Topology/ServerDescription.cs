using Mongo.Bson;

namespace Mongo.Driver.Topology;

/// <summary>SDAM server types.</summary>
internal enum ServerType
{
    Unknown,
    Standalone,
    Mongos,
    PossiblePrimary,
    RSPrimary,
    RSSecondary,
    RSArbiter,
    RSOther,
    RSGhost,
    LoadBalancer,
}

/// <summary>An immutable snapshot of what the driver knows about one server (SDAM ServerDescription).</summary>
internal sealed class ServerDescription
{
    private static readonly IReadOnlyDictionary<string, string> s_noTags = new Dictionary<string, string>();

    public ServerDescription(MongoServerAddress address, ServerType type = ServerType.Unknown, Exception? error = null)
    {
        Address = address;
        Type = type;
        Error = error;
        Tags = s_noTags;
    }

    public MongoServerAddress Address { get; }

    public ServerType Type { get; private init; }

    public Exception? Error { get; private init; }

    /// <summary>Average round trip time (EWMA, alpha 0.2); null until measured.</summary>
    public TimeSpan? AverageRoundTripTime { get; init; }

    /// <summary>The least round trip time of the last ten samples; zero until two were taken (server-monitoring spec).</summary>
    public TimeSpan MinRoundTripTime { get; private init; }

    public int MinWireVersion { get; private init; }

    public int MaxWireVersion { get; private init; }

    public string? Me { get; private init; }

    public IReadOnlyList<string> Hosts { get; private init; } = [];

    public IReadOnlyList<string> Passives { get; private init; } = [];

    public IReadOnlyList<string> Arbiters { get; private init; } = [];

    public IReadOnlyDictionary<string, string> Tags { get; private init; }

    public string? SetName { get; private init; }

    public int? SetVersion { get; private init; }

    public ObjectId? ElectionId { get; private init; }

    public string? Primary { get; private init; }

    /// <summary>lastWrite.lastWriteDate in milliseconds since the epoch (for maxStalenessSeconds).</summary>
    public long? LastWriteDate { get; private init; }

    /// <summary>
    /// When the hello behind this description arrived, in milliseconds of one monotonic client clock
    /// (<see cref="Environment.TickCount64"/>); max-staleness estimates only compare it between servers.
    /// </summary>
    public long LastUpdateTime { get; init; }

    public int? LogicalSessionTimeoutMinutes { get; private init; }

    public BsonDocument? TopologyVersion { get; private init; }

    public BsonDocument? Hello { get; private init; }

    public bool IsDataBearing => Type is ServerType.Standalone or ServerType.Mongos or ServerType.RSPrimary or ServerType.RSSecondary or ServerType.LoadBalancer;

    public bool IsWritable => Type is ServerType.Standalone or ServerType.Mongos or ServerType.RSPrimary or ServerType.LoadBalancer;

    /// <summary>Builds a description from a hello reply (SDAM "parsing a hello response").</summary>
    public static ServerDescription FromHello(MongoServerAddress address, BsonDocument hello, TimeSpan? averageRoundTripTime, long lastUpdateTime = 0)
    {
        bool ok = hello.TryGetValue("ok", out BsonValue? okValue) && okValue.ToBoolean();
        if (!ok)
        {
            return new ServerDescription(address, ServerType.Unknown, new MongoClientException("hello failed on " + address + ": " + hello));
        }

        return new ServerDescription(address, Classify(hello))
        {
            AverageRoundTripTime = averageRoundTripTime,
            LastUpdateTime = lastUpdateTime,
            MinWireVersion = Int(hello, "minWireVersion") ?? 0,
            MaxWireVersion = Int(hello, "maxWireVersion") ?? 0,
            Me = Str(hello, "me")?.ToLowerInvariant(),
            Hosts = ReadHosts(hello, "hosts"),
            Passives = ReadHosts(hello, "passives"),
            Arbiters = ReadHosts(hello, "arbiters"),
            Tags = ReadTags(hello),
            SetName = Str(hello, "setName"),
            SetVersion = Int(hello, "setVersion"),
            ElectionId = hello.TryGetValue("electionId", out BsonValue? e) && e.IsObjectId ? e.AsObjectId : null,
            Primary = Str(hello, "primary")?.ToLowerInvariant(),
            LastWriteDate = hello.TryGetValue("lastWrite", out BsonValue? lw) && lw is BsonDocument lwd
                && lwd.TryGetValue("lastWriteDate", out BsonValue? lwdate) && lwdate.IsDateTime ? ((BsonDateTime)lwdate).MillisecondsSinceEpoch : null,
            LogicalSessionTimeoutMinutes = Int(hello, "logicalSessionTimeoutMinutes"),
            TopologyVersion = hello.TryGetValue("topologyVersion", out BsonValue? tv) ? tv as BsonDocument : null,
            Hello = hello,
        };
    }

    private static ServerType Classify(BsonDocument hello)
    {
        if (hello.TryGetValue("isreplicaset", out BsonValue? isrs) && isrs.ToBoolean())
        {
            return ServerType.RSGhost;
        }

        if (Str(hello, "msg") == "isdbgrid")
        {
            return ServerType.Mongos;
        }

        if (Str(hello, "setName") is not null)
        {
            if (Bool(hello, "hidden"))
            {
                return ServerType.RSOther;
            }

            if (Bool(hello, "isWritablePrimary") || Bool(hello, "ismaster"))
            {
                return ServerType.RSPrimary;
            }

            if (Bool(hello, "secondary"))
            {
                return ServerType.RSSecondary;
            }

            return Bool(hello, "arbiterOnly") ? ServerType.RSArbiter : ServerType.RSOther;
        }

        return ServerType.Standalone;
    }

    private static bool Bool(BsonDocument d, string name) => d.TryGetValue(name, out BsonValue? v) && v.IsBoolean && v.AsBoolean;

    private static int? Int(BsonDocument d, string name) => d.TryGetValue(name, out BsonValue? v) && v.IsNumeric ? v.ToInt32() : null;

    private static string? Str(BsonDocument d, string name) => d.TryGetValue(name, out BsonValue? v) && v.IsString ? v.AsString : null;

    private static string[] ReadHosts(BsonDocument d, string name)
    {
        if (!d.TryGetValue(name, out BsonValue? v) || v is not BsonArray array)
        {
            return [];
        }

        var hosts = new string[array.Count];
        for (int i = 0; i < hosts.Length; i++)
        {
            hosts[i] = array[i].IsString ? array[i].AsString.ToLowerInvariant() : string.Empty;
        }

        return hosts;
    }

    private static Dictionary<string, string> ReadTags(BsonDocument d)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (d.TryGetValue("tags", out BsonValue? v) && v is BsonDocument doc)
        {
            foreach (BsonElement element in doc)
            {
                if (element.Value.IsString)
                {
                    tags[element.Name] = element.Value.AsString;
                }
            }
        }

        return tags;
    }

    /// <summary>The same description with the monitor's minimum round trip time.</summary>
    public ServerDescription WithMinRoundTripTime(TimeSpan minimum) => minimum == MinRoundTripTime ? this : new ServerDescription(this, minimum);

    private ServerDescription(ServerDescription source, TimeSpan minRoundTripTime) : this(source.Address, source.Type, source.Error)
    {
        AverageRoundTripTime = source.AverageRoundTripTime;
        MinRoundTripTime = minRoundTripTime;
        MinWireVersion = source.MinWireVersion;
        MaxWireVersion = source.MaxWireVersion;
        Me = source.Me;
        Hosts = source.Hosts;
        Passives = source.Passives;
        Arbiters = source.Arbiters;
        Tags = source.Tags;
        SetName = source.SetName;
        SetVersion = source.SetVersion;
        ElectionId = source.ElectionId;
        Primary = source.Primary;
        LastWriteDate = source.LastWriteDate;
        LastUpdateTime = source.LastUpdateTime;
        LogicalSessionTimeoutMinutes = source.LogicalSessionTimeoutMinutes;
        TopologyVersion = source.TopologyVersion;
        Hello = source.Hello;
    }

    /// <summary>
    /// The Unknown description an error leaves: a state-change error passes the topologyVersion it carried (so
    /// older errors from the same server process are recognised as stale); a network error passes null.
    /// </summary>
    public ServerDescription WithError(Exception error, BsonDocument? topologyVersion) =>
        new(Address, ServerType.Unknown, error) { TopologyVersion = topologyVersion };

    /// <inheritdoc />
    public override string ToString() =>
        "{ " + Address + ": " + Type + (SetName is null ? "" : ", set " + SetName) + (AverageRoundTripTime is { } rtt ? ", rtt " + rtt.TotalMilliseconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "ms" : "")
        + (Error is null ? "" : ", error: " + Error.Message) + " }";
}
