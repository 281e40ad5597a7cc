using Mongo.InMemory.Auth;
using Mongo.InMemory.Cursors;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Server;

/// <summary>
/// The shared half of an <see cref="InMemoryShardedCluster"/>: what the routers of one cluster reach through its shards
/// (the data, the shards' transaction table and retryable-write table, the users of the config servers, the cluster
/// clock). What a mongos keeps for itself stays on each router's <see cref="ServerState"/>: cursors, fail points,
/// local sessions, counters, and which transactions it has taken part in (<see cref="RouterTransactionTable"/>).
/// </summary>
internal sealed class ShardedClusterState : IDisposable
{
    private readonly List<ServerState> _routers = [];

    public ShardedClusterState(InMemoryMongoServerOptions options)
    {
        Users = new UserStore(options.Users);
        Clock.History.Attach(Storage);
        // An aborted transaction's cursors are killed on whichever router opened them.
        Transactions = new Transactions.TransactionManager(Storage, options.TransactionLifetimeLimitSeconds, isRouter: true,
            () => Routers().Select(static r => r.Cursors));
    }

    /// <summary>The cluster's data (one shard holds it all).</summary>
    public Storage Storage { get; } = new();

    /// <summary>The shard's transactions by session: a transaction started through one router is the same one for all.</summary>
    public Transactions.TransactionManager Transactions { get; }

    /// <summary>The shard's retryable-write table, so a write retried through another router is not applied twice.</summary>
    public Commands.RetryableWriteCache RetryableWrites { get; } = new();

    /// <summary>The cluster clock the routers gossip.</summary>
    public ClusterClock Clock { get; } = new();

    /// <summary>The users (kept by the config servers, the same for every router).</summary>
    public UserStore Users { get; }

    /// <summary>Registers a router's state (its cursors join those an aborted transaction's are looked for in).</summary>
    public void Attach(ServerState router)
    {
        lock (_routers)
        {
            _routers.Add(router);
        }
    }

    private ServerState[] Routers()
    {
        lock (_routers)
        {
            return [.. _routers];
        }
    }

    public void Dispose() => Transactions.Dispose();
}
