using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mongo.Bson;
using Mongo.Driver.Diagnostics;

namespace Mongo.Driver.Topology;

/// <summary>
/// The deployment as the client sees it: one <see cref="Server"/> per known address, the SDAM
/// <see cref="TopologyDescription"/>, and server selection that waits for the topology to change until
/// serverSelectionTimeoutMS.
/// </summary>
internal sealed partial class Cluster : IDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<MongoServerAddress, Server> _servers = [];
    private TopologyDescription _description;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;
    private ClusterSettings _settings;

    public Cluster(ClusterSettings settings)
    {
        _settings = settings;
        if (settings.DirectConnection && settings.SrvSource is null && settings.Seeds.Count != 1)
        {
            throw new MongoConfigurationException("directConnection=true requires exactly one host, but " + settings.Seeds.Count + " were given.");
        }

        _description = new TopologyDescription(TopologyType.Unknown, new Dictionary<MongoServerAddress, ServerDescription>());
        settings.Events.TopologyOpening(TopologyId);
        if (settings.SrvSource is { } srv)
        {
            // mongodb+srv: the seeds come from DNS in the background; selection waits for them like for any change.
            StartSrvResolution(srv);
        }
        else
        {
            Seed(settings);
        }
    }

    /// <summary>
    /// Installs the seed list (at construction, or when SRV resolution completes with <paramref name="settings"/>
    /// built from the resolved client settings) and starts the servers.
    /// </summary>
    private void Seed(ClusterSettings settings)
    {
        TopologyType type = settings.LoadBalanced ? TopologyType.LoadBalanced
            : settings.DirectConnection ? TopologyType.Single
            : settings.ReplicaSetName is not null ? TopologyType.ReplicaSetNoPrimary
            : TopologyType.Unknown;
        var servers = new Dictionary<MongoServerAddress, ServerDescription>();
        foreach (MongoServerAddress seed in settings.Seeds)
        {
            servers[seed] = new ServerDescription(seed, settings.LoadBalanced ? ServerType.LoadBalancer : ServerType.Unknown);
        }

        TaskCompletionSource changed;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            Settings = settings;
            TopologyDescription empty = _description;
            TopologyDescription seeded = new(type, servers, settings.ReplicaSetName, seedCount: settings.Seeds.Count);
            Volatile.Write(ref _description, seeded);

            // SDAM monitoring: opening (published by the constructor), the first description (from an empty Unknown one), then each server.
            EventPublisher events = settings.Events;
            TopologyDescription initial = settings.LoadBalanced ? AllUnknown(seeded) : seeded;
            events.TopologyDescriptionChanged(TopologyId, empty, initial);
            foreach (MongoServerAddress seed in servers.Keys)
            {
                events.ServerOpening(TopologyId, seed);
                _servers[seed] = new Server(this, seed, settings);
            }

            if (settings.LoadBalanced)
            {
                // A load balancer is never monitored: it is known as such from the start, reported as a change from Unknown.
                foreach (ServerDescription server in servers.Values)
                {
                    events.ServerDescriptionChanged(TopologyId, initial.Servers[server.Address], server);
                }

                events.TopologyDescriptionChanged(TopologyId, initial, seeded);
            }

            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
        foreach (Server server in Servers)
        {
            server.Start();
        }
    }

    /// <summary>The settings; for mongodb+srv, replaced by the resolved ones (TXT options applied) when the seeds arrive.</summary>
    public ClusterSettings Settings
    {
        get => Volatile.Read(ref _settings);
        private set => Volatile.Write(ref _settings, value);
    }

    /// <summary>Identifies this topology in SDAM events and log messages.</summary>
    public ObjectId TopologyId { get; } = ObjectId.GenerateNewId();

    public TopologyDescription Description => Volatile.Read(ref _description);

    public IReadOnlyList<Server> Servers
    {
        get
        {
            lock (_lock)
            {
                return [.. _servers.Values];
            }
        }
    }

    public Server? GetServer(MongoServerAddress address)
    {
        lock (_lock)
        {
            return _servers.GetValueOrDefault(address);
        }
    }

    /// <summary>Applies a server's new description and adds/removes servers to match the new topology.</summary>
    internal void OnServerDescriptionChanged(ServerDescription description)
    {
        List<Server>? added = null;
        List<Server>? removed = null;
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (_disposed || !_servers.ContainsKey(description.Address))
            {
                return;
            }

            TopologyDescription previous = _description;
            TopologyDescription next = previous.Apply(description, Settings.ReplicaSetName);
            Volatile.Write(ref _description, next);
            (added, removed) = ReconcileServers(next);

            // Under the lock, so that a topology's events are never published concurrently or out of order (SDAM monitoring).
            Settings.Events.ServerDescriptionChanged(TopologyId, previous.Servers.TryGetValue(description.Address, out ServerDescription? old) ? old : new ServerDescription(description.Address), description);
            PublishReconciled(previous, next, added, removed);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        AfterTopologyChange(changed, added, removed);
    }

    /// <summary>Under the lock: creates servers the description gained and detaches the ones it lost.</summary>
    private (List<Server>? Added, List<Server>? Removed) ReconcileServers(TopologyDescription next)
    {
        List<Server>? added = null;
        List<Server>? removed = null;
        foreach (MongoServerAddress address in next.Servers.Keys)
        {
            if (!_servers.ContainsKey(address))
            {
                var server = new Server(this, address, Settings);
                _servers[address] = server;
                (added ??= []).Add(server);
            }
        }

        foreach (MongoServerAddress address in _servers.Keys.ToArray())
        {
            if (!next.Servers.ContainsKey(address))
            {
                (removed ??= []).Add(_servers[address]);
                _servers.Remove(address);
            }
        }

        return (added, removed);
    }

    /// <summary>Under the lock: server opening/closed events for the reconciled servers, then the topology change.</summary>
    private void PublishReconciled(TopologyDescription previous, TopologyDescription next, List<Server>? added, List<Server>? removed)
    {
        EventPublisher events = Settings.Events;
        if (added is not null)
        {
            foreach (Server server in added)
            {
                events.ServerOpening(TopologyId, server.Address);
            }
        }

        if (removed is not null)
        {
            foreach (Server server in removed)
            {
                events.ServerClosed(TopologyId, server.Address);
            }
        }

        events.TopologyDescriptionChanged(TopologyId, previous, next);
    }

    /// <summary>The same topology with every server Unknown (how a load-balanced topology looks before its balancer is recorded).</summary>
    private static TopologyDescription AllUnknown(TopologyDescription description)
    {
        var servers = new Dictionary<MongoServerAddress, ServerDescription>();
        foreach (MongoServerAddress address in description.Servers.Keys)
        {
            servers[address] = new ServerDescription(address);
        }

        return new TopologyDescription(description.Type, servers, description.SetName, seedCount: description.SeedCount);
    }

    /// <summary>Outside the lock: wakes server selection, starts new monitors, disposes removed servers.</summary>
    private static void AfterTopologyChange(TaskCompletionSource changed, List<Server>? added, List<Server>? removed)
    {
        changed.TrySetResult();
        if (added is not null)
        {
            foreach (Server server in added)
            {
                server.Start();
            }
        }

        if (removed is not null)
        {
            // Disposing waits for the monitor loop; do it off the monitor's own thread.
            _ = Task.Run(() =>
            {
                foreach (Server server in removed)
                {
                    server.Dispose();
                }
            });
        }
    }

    /// <summary>
    /// Selects a server for an operation (server-selection spec): suitable servers by read preference or
    /// writability, then the latency window, then the less busy of two random picks. Waits for topology changes
    /// until the deadline; then throws a <see cref="MongoTimeoutException"/> describing what was seen.
    /// </summary>
    public async ValueTask<SelectedServer> SelectServerAsync(bool async, ServerSelector selector, Connections.Deadline deadline, CancellationToken cancellationToken,
        IReadOnlyCollection<MongoServerAddress>? deprioritized = null, string? operation = null, long? operationId = null)
    {
        Connections.Deadline timeout = deadline.Min(Connections.Deadline.After(Settings.ServerSelectionTimeout));
        long start = Stopwatch.GetTimestamp();
        EventPublisher events = Settings.Events;
        bool log = events.SelectionLogEnabled;
        bool waitLogged = false;
        if (log)
        {
            events.SelectionStarted(selector.ToString(), operation, operationId, Description);
        }

        while (true)
        {
            Task changed;
            TopologyDescription description;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                description = _description;
                changed = _changed.Task;
            }

            if (SrvFailure is MongoConfigurationException srvError)
            {
                // The SRV or TXT records cannot be used (none, wrong domain, bad options): waiting would not help.
                var error = new MongoConfigurationException(srvError.Message, srvError);
                if (log)
                {
                    events.SelectionFailed(selector.ToString(), operation, operationId, description, error);
                }

                throw error;
            }

            if (description.CompatibilityError is { } incompatible)
            {
                var error = new MongoClientException(incompatible);
                if (log)
                {
                    events.SelectionFailed(selector.ToString(), operation, operationId, description, error);
                }

                throw error;
            }

            IReadOnlyList<ServerDescription> suitable;
            try
            {
                suitable = selector.Select(description, Settings.LocalThreshold, applyLatencyWindow: true, deprioritized, Settings.HeartbeatFrequency);
            }
            catch (MongoConfigurationException error)
            {
                // An invalid maxStalenessSeconds for this topology: waiting would not help.
                if (log)
                {
                    events.SelectionFailed(selector.ToString(), operation, operationId, description, error);
                }

                throw;
            }

            if (Pick(suitable) is { } selected)
            {
                if (log)
                {
                    events.SelectionSucceeded(selector.ToString(), operation, operationId, description, selected.Server.Address);
                }

                return selected;
            }

            foreach (Server candidate in Servers)
            {
                candidate.RequestCheck();
            }

            TimeSpan left = timeout.TimeLeft;
            if (!timeout.IsInfinite && left <= TimeSpan.Zero)
            {
                MongoTimeoutException error = SelectionTimeout(selector, description, start);
                if (log)
                {
                    events.SelectionFailed(selector.ToString(), operation, operationId, description, error);
                }

                throw error;
            }

            if (log && !waitLogged)
            {
                // Once per operation (server selection spec).
                waitLogged = true;
                events.SelectionWaiting(selector.ToString(), operation, operationId, description, timeout.IsInfinite ? null : left);
            }

            try
            {
                if (async)
                {
                    await changed.WaitAsync(left, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    changed.Wait(left, cancellationToken);
                }
            }
            catch (TimeoutException)
            {
                // Loop once more: the final check throws with the breadcrumbs.
            }
        }
    }

    private SelectedServer? Pick(IReadOnlyList<ServerDescription> candidates)
    {
        if (candidates.Count == 0)
        {
            return null;
        }

        if (candidates.Count == 1)
        {
            return GetServer(candidates[0].Address) is { } only ? new SelectedServer(only, candidates[0]) : null;
        }

        var servers = new List<SelectedServer>(candidates.Count);
        foreach (ServerDescription candidate in candidates)
        {
            if (GetServer(candidate.Address) is { } server)
            {
                servers.Add(new SelectedServer(server, candidate));
            }
        }

        return servers.Count == 0 ? null : servers[PowerOfTwoChoices(servers.Count, i => servers[i].Server.OperationCount, Random.Shared)];
    }

    /// <summary>
    /// Server selection's "power of two choices": of two distinct random candidates, the index of the one with fewer
    /// operations in progress (the first on a tie). Load spreads away from busy servers without always crowding the
    /// least busy one.
    /// </summary>
    internal static int PowerOfTwoChoices(int count, Func<int, int> operationCount, Random random)
    {
        if (count == 1)
        {
            return 0;
        }

        int i = random.Next(count);
        int j = random.Next(count - 1);
        if (j >= i)
        {
            j++;
        }

        return operationCount(j) < operationCount(i) ? j : i;
    }

    private MongoTimeoutException SelectionTimeout(ServerSelector selector, TopologyDescription description, long start)
    {
        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"No server matched {selector} within {Stopwatch.GetElapsedTime(start).TotalMilliseconds:0}ms (serverSelectionTimeoutMS {Settings.ServerSelectionTimeout.TotalMilliseconds:0}). ");
        message.Append("Topology: ").Append(description.Type);
        if (description.SetName is not null)
        {
            message.Append(" (replica set ").Append(description.SetName).Append(')');
        }

        message.Append(". Servers:");
        Exception? firstError = null;
        foreach (ServerDescription server in description.Servers.Values)
        {
            message.Append(' ').Append(server);
            firstError ??= server.Error;
        }

        if (description.Servers.Count == 0)
        {
            message.Append(" none");
            if (Settings.SrvSource is { } srv)
            {
                // mongodb+srv before the seeds arrived: say why there are none.
                Exception? srvError = SrvFailure;
                message.Append(". The SRV records of '").Append(srv.Servers[0].Host).Append(srvError is null
                    ? "' have not been resolved yet (each lookup is bounded by connectTimeoutMS)."
                    : "' could not be resolved: " + srvError.Message);
                firstError ??= srvError;
            }
        }

        return new MongoTimeoutException(message.ToString(), firstError);
    }

    public void Dispose()
    {
        List<Server> servers;
        TopologyDescription last;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            servers = [.. _servers.Values];
            _servers.Clear();
            last = _description;
        }

        StopSrv();
        EventPublisher events = Settings.Events;
        foreach (Server server in servers)
        {
            server.Dispose();
            events.ServerClosed(TopologyId, server.Address);
        }

        // SDAM monitoring: a closing topology becomes Unknown, then the closed event is the last one.
        events.TopologyDescriptionChanged(TopologyId, last, new TopologyDescription(TopologyType.Unknown, new Dictionary<MongoServerAddress, ServerDescription>()));
        events.TopologyClosed(TopologyId);
    }
}
