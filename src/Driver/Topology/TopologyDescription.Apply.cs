using Mongo.Bson;

namespace Mongo.Driver.Topology;

internal sealed partial class TopologyDescription
{
    /// <summary>Returns the topology after a new description of one server (SDAM "updating the TopologyDescription").</summary>
    public TopologyDescription Apply(ServerDescription server, string? configuredSetName = null)
    {
        if (!Servers.TryGetValue(server.Address, out ServerDescription? previous) || IsOlder(server.TopologyVersion, previous.TopologyVersion))
        {
            return this;
        }

        var b = new Builder(this);
        b.Servers[server.Address] = server;
        switch (Type)
        {
            case TopologyType.Single:
                if (configuredSetName is not null && server.Type != ServerType.Unknown && server.SetName != configuredSetName)
                {
                    b.Servers[server.Address] = server.WithError(new MongoClientException("Server " + server.Address + " is not a member of replica set '" + configuredSetName + "'."), server.TopologyVersion);
                }

                break;
            case TopologyType.LoadBalanced:
                break;
            case TopologyType.Unknown:
                switch (server.Type)
                {
                    case ServerType.Standalone:
                        if (SeedCount == 1)
                        {
                            b.Type = TopologyType.Single;
                        }
                        else
                        {
                            b.Servers.Remove(server.Address);
                        }

                        break;
                    case ServerType.Mongos:
                        b.Type = TopologyType.Sharded;
                        break;
                    case ServerType.RSPrimary:
                        b.Type = TopologyType.ReplicaSetWithPrimary;
                        b.UpdateFromPrimary(server);
                        break;
                    case ServerType.RSSecondary or ServerType.RSArbiter or ServerType.RSOther:
                        b.Type = TopologyType.ReplicaSetNoPrimary;
                        b.UpdateWithoutPrimary(server);
                        break;
                }

                break;
            case TopologyType.Sharded:
                if (server.Type is not (ServerType.Unknown or ServerType.Mongos))
                {
                    b.Servers.Remove(server.Address);
                }

                break;
            case TopologyType.ReplicaSetNoPrimary:
                switch (server.Type)
                {
                    case ServerType.Standalone or ServerType.Mongos:
                        b.Servers.Remove(server.Address);
                        break;
                    case ServerType.RSPrimary:
                        b.Type = TopologyType.ReplicaSetWithPrimary;
                        b.UpdateFromPrimary(server);
                        break;
                    case ServerType.RSSecondary or ServerType.RSArbiter or ServerType.RSOther:
                        b.UpdateWithoutPrimary(server);
                        break;
                }

                break;
            case TopologyType.ReplicaSetWithPrimary:
                switch (server.Type)
                {
                    case ServerType.Standalone or ServerType.Mongos:
                        b.Servers.Remove(server.Address);
                        b.CheckIfHasPrimary();
                        break;
                    case ServerType.RSPrimary:
                        b.UpdateFromPrimary(server);
                        break;
                    case ServerType.RSSecondary or ServerType.RSArbiter or ServerType.RSOther:
                        b.UpdateWithPrimaryFromMember(server);
                        break;
                    default:
                        b.CheckIfHasPrimary();
                        break;
                }

                break;
        }

        return b.Build();
    }

    /// <summary>SDAM: a reply whose topologyVersion is older than the one we hold (same process, smaller counter) is stale.</summary>
    private static bool IsOlder(BsonDocument? candidate, BsonDocument? current)
    {
        if (candidate is null || current is null
            || !candidate.TryGetValue("processId", out BsonValue? pid) || !current.TryGetValue("processId", out BsonValue? currentPid) || !pid.Equals(currentPid)
            || !candidate.TryGetValue("counter", out BsonValue? counter) || !current.TryGetValue("counter", out BsonValue? currentCounter))
        {
            return false;
        }

        return counter.ToInt64() < currentCounter.ToInt64();
    }

    private sealed class Builder
    {
        public Builder(TopologyDescription d)
        {
            Type = d.Type;
            Servers = new Dictionary<MongoServerAddress, ServerDescription>(d.Servers);
            SetName = d.SetName;
            MaxSetVersion = d.MaxSetVersion;
            MaxElectionId = d.MaxElectionId;
            SeedCount = d.SeedCount;
        }

        public TopologyType Type { get; set; }

        public Dictionary<MongoServerAddress, ServerDescription> Servers { get; }

        public string? SetName { get; set; }

        public int? MaxSetVersion { get; set; }

        public ObjectId? MaxElectionId { get; set; }

        public int SeedCount { get; }

        public TopologyDescription Build() => new(Type, Servers, SetName, MaxSetVersion, MaxElectionId, SeedCount);

        public void CheckIfHasPrimary()
        {
            foreach (ServerDescription s in Servers.Values)
            {
                if (s.Type == ServerType.RSPrimary)
                {
                    Type = TopologyType.ReplicaSetWithPrimary;
                    return;
                }
            }

            Type = TopologyType.ReplicaSetNoPrimary;
        }

        public void UpdateFromPrimary(ServerDescription server)
        {
            if (SetName is null)
            {
                SetName = server.SetName;
            }
            else if (SetName != server.SetName)
            {
                Servers.Remove(server.Address);
                CheckIfHasPrimary();
                return;
            }

            if (IsStalePrimary(server))
            {
                Servers[server.Address] = new ServerDescription(server.Address, ServerType.Unknown,
                    new MongoClientException("Primary " + server.Address + " is stale (its electionId/setVersion is older than one already seen)."));
                CheckIfHasPrimary();
                return;
            }

            // Any other primary is now stale: demote it to Unknown.
            foreach (ServerDescription other in Servers.Values.ToArray())
            {
                if (other.Type == ServerType.RSPrimary && !other.Address.Equals(server.Address))
                {
                    Servers[other.Address] = new ServerDescription(other.Address);
                }
            }

            var members = new HashSet<MongoServerAddress>();
            AddMembers(server, members);
            foreach (MongoServerAddress address in Servers.Keys.ToArray())
            {
                if (!members.Contains(address))
                {
                    Servers.Remove(address);
                }
            }

            CheckIfHasPrimary();
        }

        private bool IsStalePrimary(ServerDescription server)
        {
            if (server.MaxWireVersion >= 17)
            {
                int c = CompareNullable(server.ElectionId, MaxElectionId);
                if (c < 0 || (c == 0 && CompareNullable(server.SetVersion, MaxSetVersion) < 0))
                {
                    return true;
                }

                MaxElectionId = server.ElectionId;
                MaxSetVersion = server.SetVersion;
                return false;
            }

            if (server.SetVersion is { } setVersion && server.ElectionId is { } electionId)
            {
                if (MaxSetVersion is { } maxSet && MaxElectionId is { } maxElection
                    && (maxSet > setVersion || (maxSet == setVersion && maxElection.CompareTo(electionId) > 0)))
                {
                    return true;
                }

                MaxElectionId = electionId;
            }

            if (server.SetVersion is { } sv && (MaxSetVersion is null || sv > MaxSetVersion))
            {
                MaxSetVersion = sv;
            }

            return false;
        }

        private static int CompareNullable<T>(T? a, T? b)
            where T : struct, IComparable<T> =>
            a is null ? (b is null ? 0 : -1) : b is null ? 1 : a.Value.CompareTo(b.Value);

        public void UpdateWithoutPrimary(ServerDescription server)
        {
            if (SetName is null)
            {
                SetName = server.SetName;
            }
            else if (SetName != server.SetName)
            {
                Servers.Remove(server.Address);
                return;
            }

            AddMembers(server, null);

            // The primary hint counts even when this member's "me" does not match (it is removed below).
            if (server.Primary is not null && MongoServerAddress.TryParse(server.Primary, out MongoServerAddress? primary)
                && Servers.TryGetValue(primary, out ServerDescription? current) && current.Type == ServerType.Unknown)
            {
                Servers[primary] = new ServerDescription(primary, ServerType.PossiblePrimary);
            }

            if (server.Me is not null && !SameHost(server.Me, server.Address))
            {
                Servers.Remove(server.Address);
            }
        }

        public void UpdateWithPrimaryFromMember(ServerDescription server)
        {
            if (SetName != server.SetName || (server.Me is not null && !SameHost(server.Me, server.Address)))
            {
                Servers.Remove(server.Address);
            }

            CheckIfHasPrimary();
        }

        private void AddMembers(ServerDescription server, HashSet<MongoServerAddress>? members)
        {
            foreach (IReadOnlyList<string> list in new[] { server.Hosts, server.Passives, server.Arbiters })
            {
                foreach (string host in list)
                {
                    if (MongoServerAddress.TryParse(host, out MongoServerAddress? address))
                    {
                        members?.Add(address);
                        if (!Servers.ContainsKey(address))
                        {
                            Servers[address] = new ServerDescription(address);
                        }
                    }
                }
            }
        }

        private static bool SameHost(string me, MongoServerAddress address) =>
            MongoServerAddress.TryParse(me, out MongoServerAddress? parsed) && parsed.Equals(address);
    }
}
