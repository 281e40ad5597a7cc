using Mongo.Driver.Connections;
using Mongo.Driver.Pooling;

namespace Mongo.Driver.Topology;

/// <summary>One server of the topology: its connection pool, its monitor and its current description.</summary>
internal sealed class Server : IDisposable
{
    private readonly Cluster _cluster;
    private readonly ServerMonitor? _monitor;
    private readonly bool _startMonitor;

    // Marking the server Unknown and clearing its pool happen together (SDAM: "synchronized with the update to the
    // topology"), so a concurrent successful check cannot mark the pool ready between the two.
    private readonly object _stateLock = new();
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

    /// <summary>The monitor (null in load-balanced mode); tests read whether its round-trip-time monitor runs.</summary>
    internal ServerMonitor? Monitor => _monitor;

    /// <summary>The monitor (or a test) produced a new description.</summary>
    internal void Update(ServerDescription description)
    {
        lock (_stateLock)
        {
            Volatile.Write(ref _description, description);
            if (description.Type != ServerType.Unknown)
            {
                Pool.Ready();
            }

            _cluster.OnServerDescriptionChanged(description);
        }
    }

    /// <summary>
    /// A monitor check's outcome (server-monitoring spec "Error handling"): a failed check marks the server Unknown and
    /// then clears its pool, interrupting in-use connections when the check timed out (a server too slow to answer hello
    /// will not answer the operations waiting on it either).
    /// </summary>
    internal void ApplyCheck(ServerDescription description)
    {
        lock (_stateLock)
        {
            Update(description);
            if (description.Error is { } error)
            {
                Pool.Clear(interruptInUseConnections: ConnectionErrors.IsNetworkTimeout(error), reason: error);
            }
        }
    }

    /// <summary>
    /// SDAM error handling for errors seen by operations and by connection establishment: stale errors (from
    /// connections of an older pool generation, or with a topologyVersion not newer than ours) are ignored;
    /// state-change errors ("not writable primary", "node is recovering") mark the server Unknown with the error's
    /// topologyVersion, clear the pool on shutdown codes and request an immediate check; other errors during the
    /// handshake, and network errors other than timeouts after it, mark the server Unknown and clear the pool —
    /// unless the pool labelled them SystemOverloadedError (backpressure: the server may be shedding load).
    /// </summary>
    public void HandleError(Exception error, int connectionGeneration, bool duringHandshake)
    {
        if (connectionGeneration < Pool.Generation)
        {
            return; // stale: the pool was cleared after this connection was made
        }

        if (error is MongoCommandException command && command is MongoNotPrimaryException or MongoNodeIsRecoveringException)
        {
            lock (_stateLock)
            {
                // Decided under the lock: two operations failing at once with the same error must not both mark the server
                // Unknown and clear its pool; the second sees the first's generation and topologyVersion and is stale.
                ServerDescription current = Description;
                if (connectionGeneration < Pool.Generation || IsStaleTopologyVersion(command, current))
                {
                    return;
                }

                if (_monitor is not null)
                {
                    Update(current.WithError(error, command.Reply.TryGetValue("topologyVersion", out Bson.BsonValue? tv) ? tv as Bson.BsonDocument : null));
                }

                bool shutdown = command is MongoNodeIsRecoveringException { IsShutdown: true };
                if (shutdown || current.MaxWireVersion <= 7)
                {
                    Pool.Clear(reason: error);
                }
            }

            RequestCheck();
            return;
        }

        if (error is MongoException labelled && labelled.HasErrorLabel(ConnectionErrors.SystemOverloadedError))
        {
            return;
        }

        bool network = error is MongoConnectionException and not MongoAuthenticationException and not MongoPoolClearedException;
        bool markUnknown = duringHandshake
            ? error is not MongoPoolClearedException and not OperationCanceledException
            : network && !ConnectionErrors.IsNetworkTimeout(error);
        if (!markUnknown)
        {
            return;
        }

        if (_monitor is null)
        {
            // Load balanced: no SDAM state, but network errors after the handshake still clear the pool.
            if (network && !duringHandshake)
            {
                Pool.Clear(reason: error);
            }

            return;
        }

        lock (_stateLock)
        {
            if (connectionGeneration < Pool.Generation)
            {
                return; // another connection's error cleared the pool meanwhile: this one is stale now
            }

            Update(Description.WithError(error, topologyVersion: null));
            Pool.Clear(interruptInUseConnections: false, reason: error);
        }

        // The monitor may be blocked in a streaming hello for up to heartbeatFrequencyMS: stop it, so that the next
        // requested check (server selection will ask) reconnects at once.
        _monitor.CancelCheck();
    }

    /// <summary>
    /// SDAM: an ok:1 reply's writeConcernError is checked like a command error — a "not writable primary" or "node is
    /// recovering" code (or, without a code, message) marks the server Unknown, and a shutdown code clears its pool.
    /// The reply's topologyVersion decides staleness as for command errors.
    /// </summary>
    public void HandleWriteConcernError(Bson.BsonDocument reply, int connectionGeneration)
    {
        if (!reply.TryGetValue("writeConcernError", out Bson.BsonValue? value) || value is not Bson.BsonDocument writeConcernError)
        {
            return;
        }

        var error = new Bson.BsonDocument { { "ok", 0 } };
        foreach (string field in (string[])["code", "codeName", "errmsg"])
        {
            if (writeConcernError.TryGetValue(field, out Bson.BsonValue? fieldValue))
            {
                error.Add(field, fieldValue);
            }
        }

        if (reply.TryGetValue("topologyVersion", out Bson.BsonValue? topologyVersion))
        {
            error.Add("topologyVersion", topologyVersion);
        }

        MongoCommandException exception = Connections.ExceptionFactory.CreateCommandException("writeConcernError", error, Address);
        if (exception is MongoNotPrimaryException or MongoNodeIsRecoveringException)
        {
            HandleError(exception, connectionGeneration, duringHandshake: false);
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
