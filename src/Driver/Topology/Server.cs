using Mongo.Driver.Connections;
using Mongo.Driver.Pooling;

namespace Mongo.Driver.Topology;

/// <summary>One server of the topology: its connection pool, its monitor and its current description.</summary>
internal sealed class Server : IDisposable
{
    private readonly Cluster _cluster;
    private readonly ServerMonitor? _monitor;
    private readonly bool _startMonitor;
    private ServerDescription _description;
    private int _operationCount;

    public Server(Cluster cluster, MongoServerAddress address, ClusterSettings settings)
    {
        _cluster = cluster;
        Address = address;
        _startMonitor = settings.StartMonitors;
        _description = new ServerDescription(address, settings.LoadBalanced ? ServerType.LoadBalancer : ServerType.Unknown);
        ConnectionSettings connectionSettings = settings.Connection;
        Pool = new ConnectionPool(address, settings.Pool, (id, generation) => new Connection(id, address, generation, connectionSettings), settings.Events)
        {
            ConnectionErrorHandler = (error, generation) => HandleError(error, generation, duringHandshake: true),
        };
        if (!settings.LoadBalanced)
        {
            _monitor = new ServerMonitor(this, settings);
        }
    }

    public MongoServerAddress Address { get; }

    /// <summary>The id of the topology this server belongs to (for SDAM events).</summary>
    public Bson.ObjectId TopologyId => _cluster.TopologyId;

    public ConnectionPool Pool { get; }

    public ServerDescription Description => Volatile.Read(ref _description);

    /// <summary>Operations currently using this server (for the "power of two choices" selection).</summary>
    public int OperationCount => Volatile.Read(ref _operationCount);

    public void Start()
    {
        if (_startMonitor)
        {
            _monitor?.Start();
        }
    }

    public void IncrementOperationCount() => Interlocked.Increment(ref _operationCount);

    public void DecrementOperationCount() => Interlocked.Decrement(ref _operationCount);

    public void RequestCheck() => _monitor?.RequestCheck();

    /// <summary>The monitor (or a test) produced a new description.</summary>
    internal void Update(ServerDescription description)
    {
        Volatile.Write(ref _description, description);
        if (description.Type != ServerType.Unknown)
        {
            Pool.Ready();
        }

        _cluster.OnServerDescriptionChanged(description);
    }

    /// <summary>
    /// SDAM error handling for errors seen by operations: stale errors (from connections of an older pool
    /// generation, or with an older topologyVersion) are ignored; network errors mark the server Unknown and
    /// clear its pool; state-change errors mark it Unknown and request an immediate check.
    /// </summary>
    public void HandleError(Exception error, int connectionGeneration, bool duringHandshake)
    {
        if (connectionGeneration < Pool.Generation)
        {
            return; // stale: the pool was cleared after this connection was made
        }

        ServerDescription current = Description;
        if (error is MongoCommandException command && command is MongoNotPrimaryException or MongoNodeIsRecoveringException)
        {
            if (IsStaleTopologyVersion(command, current))
            {
                return;
            }

            Update(current.WithError(error));
            bool shutdown = command is MongoNodeIsRecoveringException { IsShutdown: true };
            if (shutdown || current.MaxWireVersion <= 7)
            {
                Pool.Clear(reason: error);
            }

            RequestCheck();
            return;
        }

        bool network = error is MongoConnectionException and not MongoAuthenticationException and not MongoPoolClearedException;
        bool timeoutAfterHandshake = !duringHandshake && error is MongoTimeoutException;
        if (_monitor is null)
        {
            // Load balanced: no SDAM state, but network errors after the handshake still clear the pool.
            if (network && !duringHandshake)
            {
                Pool.Clear(reason: error);
            }

            return;
        }

        if ((network && !timeoutAfterHandshake) || (duringHandshake && error is MongoAuthenticationException))
        {
            Update(current.WithError(error));
            Pool.Clear(interruptInUseConnections: false, reason: error);
        }
    }

    private static bool IsStaleTopologyVersion(MongoCommandException error, ServerDescription current)
    {
        if (current.TopologyVersion is null || !error.Reply.TryGetValue("topologyVersion", out Bson.BsonValue? value) || value is not Bson.BsonDocument tv)
        {
            return false;
        }

        if (!tv.TryGetValue("processId", out Bson.BsonValue? pid) || !current.TopologyVersion.TryGetValue("processId", out Bson.BsonValue? currentPid) || !pid.Equals(currentPid))
        {
            return false;
        }

        return tv.TryGetValue("counter", out Bson.BsonValue? counter) && current.TopologyVersion.TryGetValue("counter", out Bson.BsonValue? currentCounter)
            && counter.ToInt64() <= currentCounter.ToInt64();
    }

    public void Dispose()
    {
        _monitor?.Dispose();
        Pool.Dispose();
    }
}
