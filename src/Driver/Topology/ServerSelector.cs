namespace Mongo.Driver.Topology;

/// <summary>Which servers an operation may use (server-selection spec): writable, by read preference, or one pinned address.</summary>
internal sealed class ServerSelector
{
    private readonly bool _write;
    private readonly ReadPreference? _readPreference;
    private readonly MongoServerAddress? _address;
    private readonly bool _writeStage;

    private ServerSelector(bool write, ReadPreference? readPreference, MongoServerAddress? address, bool writeStage = false)
    {
        _write = write;
        _readPreference = readPreference;
        _address = address;
        _writeStage = writeStage;
    }

    public static ServerSelector Write { get; } = new(true, null, null);

    public static ServerSelector Primary { get; } = new(false, ReadPreference.Primary, null);

    public static ServerSelector ForRead(ReadPreference? readPreference) =>
        readPreference is null || readPreference.Mode == ReadPreferenceMode.Primary ? Primary : new(false, readPreference, null);

    public static ServerSelector ForAddress(MongoServerAddress address) => new(false, null, address);

    /// <summary>
    /// An aggregate ending in $out/$merge with a non-primary read preference (CRUD spec): it may run on a secondary only
    /// when every known server is 5.0+; otherwise it goes to the primary, as for a write.
    /// </summary>
    public static ServerSelector ForWriteStage(ReadPreference? readPreference) =>
        readPreference is null || readPreference.Mode == ReadPreferenceMode.Primary ? Write : new(false, readPreference, null, writeStage: true);

    /// <summary>Whether a pipeline with a write stage must ignore its read preference in this topology (some server is older than 5.0).</summary>
    internal static bool WriteStageNeedsPrimary(TopologyDescription topology)
    {
        foreach (ServerDescription server in topology.Servers.Values)
        {
            if (server.Type != ServerType.Unknown && server.MaxWireVersion < WriteStageOnSecondariesWireVersion)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>MongoDB 5.0: secondaries can run aggregates with $out/$merge.</summary>
    internal const int WriteStageOnSecondariesWireVersion = 13;

    /// <summary>The suitable servers within the latency window.</summary>
    public IReadOnlyList<ServerDescription> Select(TopologyDescription topology, TimeSpan localThreshold) => Select(topology, localThreshold, applyLatencyWindow: true);

    /// <summary>
    /// Selection for a retry: servers that already failed the operation are left out when anything else is
    /// suitable (server-selection spec "deprioritized servers").
    /// </summary>
    public IReadOnlyList<ServerDescription> Select(TopologyDescription topology, TimeSpan localThreshold, bool applyLatencyWindow, IReadOnlyCollection<MongoServerAddress>? deprioritized)
    {
        if (deprioritized is { Count: > 0 })
        {
            var remaining = new Dictionary<MongoServerAddress, ServerDescription>();
            foreach (KeyValuePair<MongoServerAddress, ServerDescription> pair in topology.Servers)
            {
                if (!deprioritized.Contains(pair.Key))
                {
                    remaining[pair.Key] = pair.Value;
                }
            }

            var filtered = new TopologyDescription(topology.Type, remaining, topology.SetName, topology.MaxSetVersion, topology.MaxElectionId, topology.SeedCount);
            IReadOnlyList<ServerDescription> preferred = Select(filtered, localThreshold, applyLatencyWindow);
            if (preferred.Count > 0)
            {
                return preferred;
            }
        }

        return Select(topology, localThreshold, applyLatencyWindow);
    }

    /// <summary>The suitable servers, optionally without the latency window (spec tests check both lists).</summary>
    internal IReadOnlyList<ServerDescription> Select(TopologyDescription topology, TimeSpan localThreshold, bool applyLatencyWindow)
    {
        if (_writeStage && WriteStageNeedsPrimary(topology))
        {
            return Write.Select(topology, localThreshold, applyLatencyWindow);
        }

        if (!applyLatencyWindow)
        {
            localThreshold = TimeSpan.MaxValue / 4;
        }

        var candidates = new List<ServerDescription>();
        if (_address is not null)
        {
            if (topology.Servers.TryGetValue(_address, out ServerDescription? pinned) && pinned.Type != ServerType.Unknown)
            {
                candidates.Add(pinned);
            }

            return candidates;
        }

        switch (topology.Type)
        {
            case TopologyType.Unknown:
                return candidates;
            case TopologyType.Single:
            case TopologyType.LoadBalanced:
                foreach (ServerDescription server in topology.Servers.Values)
                {
                    if (server.Type != ServerType.Unknown)
                    {
                        candidates.Add(server);
                    }
                }

                return candidates;
            case TopologyType.Sharded:
                foreach (ServerDescription server in topology.Servers.Values)
                {
                    if (server.Type == ServerType.Mongos)
                    {
                        candidates.Add(server);
                    }
                }

                return InLatencyWindow(candidates, localThreshold);
        }

        ServerDescription? primary = null;
        var secondaries = new List<ServerDescription>();
        foreach (ServerDescription server in topology.Servers.Values)
        {
            if (server.Type == ServerType.RSPrimary)
            {
                primary = server;
            }
            else if (server.Type == ServerType.RSSecondary)
            {
                secondaries.Add(server);
            }
        }

        ReadPreference readPreference = _readPreference ?? ReadPreference.Primary;
        if (_write || readPreference.Mode == ReadPreferenceMode.Primary)
        {
            if (primary is not null)
            {
                candidates.Add(primary);
            }

            return candidates;
        }

        switch (readPreference.Mode)
        {
            case ReadPreferenceMode.PrimaryPreferred:
                if (primary is not null)
                {
                    candidates.Add(primary);
                    return candidates;
                }

                return InLatencyWindow(MatchTags(secondaries, readPreference), localThreshold);
            case ReadPreferenceMode.Secondary:
                return InLatencyWindow(MatchTags(secondaries, readPreference), localThreshold);
            case ReadPreferenceMode.SecondaryPreferred:
                List<ServerDescription> matching = MatchTags(secondaries, readPreference);
                if (matching.Count > 0)
                {
                    return InLatencyWindow(matching, localThreshold);
                }

                if (primary is not null)
                {
                    candidates.Add(primary);
                }

                return candidates;
            default: // Nearest
                if (primary is not null)
                {
                    secondaries.Add(primary);
                }

                return InLatencyWindow(MatchTags(secondaries, readPreference), localThreshold);
        }
    }

    private static List<ServerDescription> MatchTags(List<ServerDescription> servers, ReadPreference readPreference)
    {
        if (readPreference.TagSets.Count == 0)
        {
            return servers;
        }

        foreach (TagSet tagSet in readPreference.TagSets)
        {
            var matching = new List<ServerDescription>();
            foreach (ServerDescription server in servers)
            {
                if (tagSet.IsMatch(server.Tags))
                {
                    matching.Add(server);
                }
            }

            if (matching.Count > 0)
            {
                return matching;
            }
        }

        return [];
    }

    private static List<ServerDescription> InLatencyWindow(List<ServerDescription> servers, TimeSpan localThreshold)
    {
        if (servers.Count <= 1)
        {
            return servers;
        }

        TimeSpan min = TimeSpan.MaxValue;
        foreach (ServerDescription server in servers)
        {
            if (server.AverageRoundTripTime is { } rtt && rtt < min)
            {
                min = rtt;
            }
        }

        if (min == TimeSpan.MaxValue)
        {
            return servers;
        }

        var window = new List<ServerDescription>(servers.Count);
        foreach (ServerDescription server in servers)
        {
            if ((server.AverageRoundTripTime ?? TimeSpan.Zero) <= min + localThreshold)
            {
                window.Add(server);
            }
        }

        return window;
    }

    /// <inheritdoc />
    public override string ToString() =>
        _address is not null ? "server " + _address
        : _write ? "a writable server"
        : "read preference " + (_readPreference ?? ReadPreference.Primary);
}
