using Mongo.Bson;
using Mongo.InMemory.Auth;
using Mongo.InMemory.Cursors;
using Mongo.InMemory.Engine;
using Mongo.InMemory.FailPoints;
using Mongo.InMemory.Server.Replication;

namespace Mongo.InMemory.Server;

/// <summary>Everything shared by all connections of one server: options, data, cursors, fail points, counters.</summary>
internal sealed class ServerState : IDisposable
{
    private int _connectionIds;
    private readonly Storage? _storage;
    private readonly ReplicaSetCoordinator? _ownSet;
    private readonly Transactions.TransactionManager? _ownTransactions;

    /// <summary>A standalone server, a router, or (with <see cref="InMemoryMongoServerOptions.ReplicaSetName"/>) a one-member replica set.</summary>
    public ServerState(InMemoryMongoServerOptions options)
        : this(options, (ReplicaMember?)null)
    {
    }

    /// <summary>
    /// The server of <paramref name="member"/> of a replica set: the data, the retryable-write table, the users and the
    /// cluster clock are the set's; cursors, fail points, sessions and counters are this server's own.
    /// </summary>
    public ServerState(InMemoryMongoServerOptions options, ReplicaMember? member)
    {
        Options = options;
        Cursors = new CursorManager(options.CursorTimeout);
        FailPoints = new FailPointManager();
        if (member is null && options.ReplicaSetName is string setName)
        {
            // The one-member set of the ReplicaSetName option: primary from the start.
            _ownSet = ReplicaSetCoordinator.StartSingle(setName, new UserStore(options.Users), options.TransactionLifetimeLimitSeconds);
            member = _ownSet.Members[0];
        }

        Replication = member;
        _storage = member is null ? new Storage() : null;
        Users = member?.Set.Users ?? new UserStore(options.Users);
        RetryableWrites = member?.Set.RetryableWrites ?? new();
        Clock = member?.Set.Clock ?? new ClusterClock();
        if (_storage is not null && GossipsClusterTime)
        {
            Clock.History.Attach(_storage); // a lone router serves snapshot reads; a standalone refuses them and keeps none
        }

        _ownTransactions = member is null ? new Transactions.TransactionManager(Storage, options.TransactionLifetimeLimitSeconds, IsRouter, () => [Cursors]) : null;
        member?.Attach(this);
        _ownSet?.Initiate();
    }

    /// <summary>
    /// A router of a multi-router <see cref="InMemoryShardedCluster"/>: the data, the transaction and retryable-write
    /// tables, the users and the clock are the cluster's; cursors, fail points, sessions, counters and the transactions
    /// it took part in are this router's own.
    /// </summary>
    public ServerState(InMemoryMongoServerOptions options, ShardedClusterState cluster)
    {
        Options = options;
        Cursors = new CursorManager(options.CursorTimeout);
        FailPoints = new FailPointManager();
        _cluster = cluster;
        Users = cluster.Users;
        RetryableWrites = cluster.RetryableWrites;
        Clock = cluster.Clock;
        RouterTransactions = new RouterTransactionTable();
        cluster.Attach(this);
    }

    private readonly ShardedClusterState? _cluster;

    /// <summary>On a router of a multi-router cluster, the transactions it took part in; null otherwise.</summary>
    public RouterTransactionTable? RouterTransactions { get; }

    /// <summary>The replica-set member this server answers for; null for a standalone server or a router.</summary>
    public ReplicaMember? Replication { get; }

    /// <summary>Replies of retryable writes by session, so a retry does not write twice (the set's table in replica-set mode).</summary>
    public Commands.RetryableWriteCache RetryableWrites { get; }

    /// <summary>The cluster clock ($clusterTime, operationTime, optimes); a replica set's members share one.</summary>
    public ClusterClock Clock { get; }

    /// <summary>Versions of the data for snapshot reads at earlier cluster times (the clock's, so shared as it is).</summary>
    public SnapshotHistory History => Clock.History;

    /// <summary>
    /// Multi-document transactions by session, and what they hold against other writers: the set's (shared by its
    /// members, as mongod replicates config.transactions) in replica-set mode, the cluster's on a router of an
    /// <see cref="InMemoryShardedCluster"/>, this server's own on a lone router.
    /// </summary>
    public Transactions.TransactionManager Transactions => Replication?.Set.Transactions ?? _cluster?.Transactions ?? _ownTransactions!;

    /// <summary>The log parameters setParameter sets and getParameter reports.</summary>
    public ServerParameters Parameters { get; } = new();

    /// <summary>Sessions seen by lsid ($listLocalSessions).</summary>
    public LocalSessionRegistry Sessions { get; } = new();

    /// <summary>The users and their SCRAM secrets; empty when authentication is off.</summary>
    public UserStore Users { get; }

    public InMemoryMongoServerOptions Options { get; }

    public CursorManager Cursors { get; }

    public FailPointManager FailPoints { get; }

    /// <summary>
    /// The data commands run against: this server's own, or in replica-set mode the set's data set as this member sees
    /// it (a snapshot while it lags, see <see cref="ReplicaMember.Storage"/>).
    /// </summary>
    public Storage Storage => Replication?.Storage ?? _cluster?.Storage ?? _storage!;

    public InMemoryServerStatistics Statistics { get; } = new();

    /// <summary>Per-namespace counts and times for the top command.</summary>
    public UsageTable Usage { get; } = new();

    public DateTime StartTime { get; } = DateTime.UtcNow;

    /// <summary>topologyVersion.processId: new for every server instance, as a real server's is per process.</summary>
    public ObjectId ProcessId { get; } = ObjectId.GenerateNewId();

    /// <summary>The port actually listened on (known once the listener is bound).</summary>
    public int Port { get; set; }

    /// <summary>"host:port" as the server names itself in hello (me, hosts, primary); the socket path when it has no TCP listener.</summary>
    public string HostAndPort => Options.ListenOnTcp || Options.UnixSocketPath is null
        ? "127.0.0.1:" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Options.UnixSocketPath;

    public bool IsReplicaSet => Options.ReplicaSetName is not null;

    /// <summary>A mongos (sharded or behind a load balancer).</summary>
    public bool IsRouter => Options.Sharded || Options.LoadBalanced;

    /// <summary>Replica sets and routers gossip $clusterTime and report operationTime.</summary>
    public bool GossipsClusterTime => IsReplicaSet || IsRouter;

    /// <summary>The serviceId a load-balanced hello reports (one service: this server).</summary>
    public ObjectId ServiceId { get; } = ObjectId.GenerateNewId();

    /// <summary>Cancelled when the server shuts down; long waits (awaitable hello, blockConnection) observe it.</summary>
    public CancellationToken ShutdownToken { get; set; }

    /// <summary>The names of all registered commands (for listCommands), set by the dispatcher.</summary>
    public IReadOnlyCollection<string> CommandNames { get; set; } = [];

    public int NextConnectionId() => Interlocked.Increment(ref _connectionIds);

    /// <summary>A strictly increasing cluster time (seconds since the epoch, increment), for replica-set mode.</summary>
    public BsonTimestamp NextClusterTime() => Clock.Next();

    /// <summary>The latest cluster time handed out (or a fresh one when none was).</summary>
    public BsonTimestamp CurrentClusterTime() => Clock.Current();

    public void Dispose()
    {
        _ownTransactions?.Dispose();
        Cursors.Dispose();
        _ownSet?.Dispose();
    }
}
