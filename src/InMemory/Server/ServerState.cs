using Mongo.Bson;
using Mongo.InMemory.Auth;
using Mongo.InMemory.Cursors;
using Mongo.InMemory.Engine;
using Mongo.InMemory.FailPoints;

namespace Mongo.InMemory.Server;

/// <summary>Everything shared by all connections of one server: options, data, cursors, fail points, counters.</summary>
internal sealed class ServerState : IDisposable
{
    private int _connectionIds;
    private long _clusterTimeIncrement;
    private uint _clusterTimeSeconds;
    private readonly object _clusterTimeLock = new();

    public ServerState(InMemoryMongoServerOptions options)
    {
        Options = options;
        Cursors = new CursorManager(options.CursorTimeout);
        FailPoints = new FailPointManager();
        Storage = new Storage();
        Users = new UserStore(options.Users);
        Transactions = new Transactions.TransactionManager(this);
    }

    /// <summary>Multi-document transactions by session, and what they hold against other writers.</summary>
    public Transactions.TransactionManager Transactions { get; }

    /// <summary>Replies of retryable writes by session, so a retry does not write twice.</summary>
    public Commands.RetryableWriteCache RetryableWrites { get; } = new();

    /// <summary>Sessions seen by lsid ($listLocalSessions).</summary>
    public LocalSessionRegistry Sessions { get; } = new();

    /// <summary>The users and their SCRAM secrets; empty when authentication is off.</summary>
    public UserStore Users { get; }

    public InMemoryMongoServerOptions Options { get; }

    public CursorManager Cursors { get; }

    public FailPointManager FailPoints { get; }

    public Storage Storage { get; }

    public InMemoryServerStatistics Statistics { get; } = new();

    public DateTime StartTime { get; } = DateTime.UtcNow;

    /// <summary>topologyVersion.processId: new for every server instance, as a real server's is per process.</summary>
    public ObjectId ProcessId { get; } = ObjectId.GenerateNewId();

    /// <summary>The replica-set election id (one election, at start-up).</summary>
    public ObjectId ElectionId { get; } = new("7fffffff0000000000000001");

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
    public BsonTimestamp NextClusterTime()
    {
        lock (_clusterTimeLock)
        {
            uint now = (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (now > _clusterTimeSeconds)
            {
                _clusterTimeSeconds = now;
                _clusterTimeIncrement = 0;
            }

            _clusterTimeIncrement++;
            return new BsonTimestamp(_clusterTimeSeconds, (uint)_clusterTimeIncrement);
        }
    }

    /// <summary>The latest cluster time handed out (or a fresh one when none was).</summary>
    public BsonTimestamp CurrentClusterTime()
    {
        lock (_clusterTimeLock)
        {
            if (_clusterTimeSeconds == 0)
            {
                _clusterTimeSeconds = (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                _clusterTimeIncrement = 1;
            }

            return new BsonTimestamp(_clusterTimeSeconds, (uint)_clusterTimeIncrement);
        }
    }

    public void Dispose()
    {
        Transactions.Dispose();
        Cursors.Dispose();
    }
}
