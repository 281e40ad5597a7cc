using Mongo.Driver.Srv;

namespace Mongo.Driver.Topology;

/// <summary>
/// The cluster as the target of SRV polling (polling-srv-records-for-mongos-discovery spec): while the topology
/// is Unknown or Sharded, a rescan's host list replaces the servers; known hosts keep their descriptions and
/// monitors, new ones start as Unknown, vanished ones are removed.
/// </summary>
internal sealed partial class Cluster : ISrvPollingTarget
{
    bool ISrvPollingTarget.IsPollingAllowed =>
        !Volatile.Read(ref _disposed) && Description.Type is TopologyType.Unknown or TopologyType.Sharded;

    IReadOnlyList<MongoServerAddress> ISrvPollingTarget.CurrentHosts => [.. Description.Servers.Keys];

    void ISrvPollingTarget.UpdateHosts(IReadOnlyList<MongoServerAddress> hosts)
    {
        List<Server>? added;
        List<Server>? removed;
        TaskCompletionSource changed;
        lock (_lock)
        {
            TopologyDescription current = _description;
            if (_disposed || current.Type is not (TopologyType.Unknown or TopologyType.Sharded) || hosts.Count == 0)
            {
                return;
            }

            var servers = new Dictionary<MongoServerAddress, ServerDescription>(hosts.Count);
            foreach (MongoServerAddress host in hosts)
            {
                servers[host] = current.Servers.TryGetValue(host, out ServerDescription? known)
                    ? known
                    : new ServerDescription(host, ServerType.Unknown);
            }

            var next = new TopologyDescription(current.Type, servers, current.SetName, current.MaxSetVersion, current.MaxElectionId, current.SeedCount);
            Volatile.Write(ref _description, next);
            (added, removed) = ReconcileServers(next);
            PublishReconciled(current, next, added, removed);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        AfterTopologyChange(changed, added, removed);
    }
}
