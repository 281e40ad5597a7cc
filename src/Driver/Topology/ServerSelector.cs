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
    /// The idle write period of a primary (max-staleness spec): a secondary's lastWriteDate may lag this much
    /// without any real replication lag, so it is added to the smallest allowed maxStalenessSeconds.
    /// </summary>
    public static readonly TimeSpan IdleWritePeriod = TimeSpan.FromSeconds(10);

    /// <summary>The smallest maxStalenessSeconds the max-staleness spec allows (90 s).</summary>
    public static readonly TimeSpan SmallestMaxStaleness = TimeSpan.FromSeconds(90);

    /// <summary>The default heartbeat frequency, used when a caller does not pass the client's.</summary>
    private static readonly TimeSpan s_defaultHeartbeat = TimeSpan.FromSeconds(10);

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
    public IReadOnlyList<ServerDescription> Select(TopologyDescription topology, TimeSpan localThreshold, bool applyLatencyWindow, IReadOnlyCollection<MongoServerAddress>? deprioritized,
        TimeSpan? heartbeatFrequency = null)
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
            IReadOnlyList<ServerDescription> preferred = Select(filtered, localThreshold, applyLatencyWindow, heartbeatFrequency);
            if (preferred.Count > 0)
            {
                return preferred;
            }
        }

        return Select(topology, localThreshold, applyLatencyWindow, heartbeatFrequency);
    }

    /// <summary>
    /// The suitable servers, optionally without the latency window (spec tests check both lists).
    /// <paramref name="heartbeatFrequency"/> is the client's heartbeatFrequencyMS (max-staleness estimates and limits).
    /// </summary>
    /// <exception cref="MongoConfigurationException">maxStalenessSeconds is below the spec's minimum for this client, or a server is too old for it.</exception>
    internal IReadOnlyList<ServerDescription> Select(TopologyDescription topology, TimeSpan localThreshold, bool applyLatencyWindow, TimeSpan? heartbeatFrequency = null)
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

        if (readPreference.MaxStaleness is { } maxStaleness)
        {
            // Replica sets only: mongos applies maxStalenessSeconds itself, and Single/Unknown have nothing to filter.
            TimeSpan heartbeat = heartbeatFrequency ?? s_defaultHeartbeat;
            CheckMaxStaleness(topology, maxStaleness, heartbeat);
            secondaries = FilterStale(secondaries, primary, maxStaleness, heartbeat);
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

    /// <summary>
    /// The max-staleness spec's checks, made at selection time because they depend on heartbeatFrequencyMS: the
    /// value must leave room for one heartbeat plus the primary's idle write period, and be at least 90 s (so
    /// staleness estimates, which are only precise to a heartbeat, are meaningful); every known server must speak
    /// wire version 5 (MongoDB 3.4), the first to report lastWrite.
    /// </summary>
    private static void CheckMaxStaleness(TopologyDescription topology, TimeSpan maxStaleness, TimeSpan heartbeat)
    {
        TimeSpan smallest = heartbeat + IdleWritePeriod > SmallestMaxStaleness ? heartbeat + IdleWritePeriod : SmallestMaxStaleness;
        if (maxStaleness < smallest)
        {
            throw new MongoConfigurationException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Invalid read preference option 'maxStalenessSeconds': {maxStaleness.TotalSeconds} must be at least {smallest.TotalSeconds} (the larger of 90 and heartbeatFrequencyMS/1000 + 10, the idle write period)."));
        }

        foreach (ServerDescription server in topology.Servers.Values)
        {
            if (server.Type is not (ServerType.Unknown or ServerType.PossiblePrimary) && server.MaxWireVersion < 5) // only checked servers report a version
            {
                throw new MongoConfigurationException("Read preference option 'maxStalenessSeconds' needs MongoDB 3.4 or later (wire version 5), but " + server.Address
                    + " reports wire version " + server.MaxWireVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
            }
        }
    }

    /// <summary>
    /// Leaves out secondaries whose estimated staleness exceeds <paramref name="maxStaleness"/>. With a primary the
    /// estimate compares each secondary's write lag behind its last check with the primary's; without one it
    /// compares lastWriteDate with the freshest secondary's. Both add a heartbeat, the estimate's uncertainty.
    /// </summary>
    private static List<ServerDescription> FilterStale(List<ServerDescription> secondaries, ServerDescription? primary, TimeSpan maxStaleness, TimeSpan heartbeat)
    {
        double limitMs = maxStaleness.TotalMilliseconds;
        double heartbeatMs = heartbeat.TotalMilliseconds;
        var fresh = new List<ServerDescription>(secondaries.Count);
        if (primary is not null)
        {
            long primaryLag = primary.LastUpdateTime - (primary.LastWriteDate ?? 0);
            foreach (ServerDescription server in secondaries)
            {
                double staleness = server.LastUpdateTime - (server.LastWriteDate ?? 0) - primaryLag + heartbeatMs;
                if (staleness <= limitMs)
                {
                    fresh.Add(server);
                }
            }

            return fresh;
        }

        long newestWrite = long.MinValue;
        foreach (ServerDescription server in secondaries)
        {
            newestWrite = Math.Max(newestWrite, server.LastWriteDate ?? 0);
        }

        foreach (ServerDescription server in secondaries)
        {
            double staleness = newestWrite - (server.LastWriteDate ?? 0) + heartbeatMs;
            if (staleness <= limitMs)
            {
                fresh.Add(server);
            }
        }

        return fresh;
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
