using Mongo.InMemory.Server;

namespace Mongo.InMemory;

/// <summary>
/// An in-process sharded cluster as drivers see one: N mongos routers, each an <see cref="InMemoryMongoServer"/> on its
/// own loopback port answering hello as mongos (<c>msg: "isdbgrid"</c>), in front of one shared data set.
/// <code>
/// await using var cluster = await InMemoryShardedCluster.StartAsync(routers: 2);
/// var client = new MongoClient(cluster.ConnectionString);   // mongodb://127.0.0.1:p1,127.0.0.1:p2/
/// </code>
/// <para>
/// <b>Shared by the routers</b> (as a real cluster's shards and config servers are): the data, the transactions (a
/// transaction is the shard's, whichever router it went through), the retryable-write table (a write retried through
/// another router is not applied twice), the users and the cluster clock.
/// </para>
/// <para>
/// <b>Each router's own</b> (as each mongos' is): its cursors (a getMore on another router gets CursorNotFound), its fail
/// points (<c>configureFailPoint</c> on one router fails commands on that router only), its local sessions and counters,
/// and the transactions it took part in. A router that never saw a transaction cannot continue or abort it
/// (NoSuchTransaction) and commits it only with the <c>recoveryToken</c> every router reply in a transaction carries:
/// it then learns the outcome from the shard, which aborts a transaction still in progress (its router is presumed
/// gone), so a commit retried on another router after the pinned one failed answers ok or NoSuchTransaction as mongos
/// does.
/// </para>
/// <para>
/// Not modelled: several shards (one holds every collection, so nothing is ever migrated or retargeted), config-server
/// commands (shardCollection, movePrimary, balancer controls) and two-phase commit across shards.
/// </para>
/// </summary>
public sealed class InMemoryShardedCluster : IAsyncDisposable, IDisposable
{
    /// <summary>The most routers a cluster may have here.</summary>
    public const int MaxRouters = 16;

    private readonly ShardedClusterState _cluster;
    private readonly List<InMemoryMongoServer> _routers = [];
    private int _disposed;

    private InMemoryShardedCluster(ShardedClusterState cluster)
    {
        _cluster = cluster;
    }

    /// <summary>The routers, in the order of <see cref="ConnectionString"/>.</summary>
    public IReadOnlyList<InMemoryMongoServer> Routers => _routers;

    /// <summary>A connection string naming every router, e.g. <c>mongodb://127.0.0.1:41234,127.0.0.1:41235/</c>.</summary>
    public string ConnectionString =>
        "mongodb://" + string.Join(",", _routers.Select(static r => InMemoryMongoServer.HostAndPort(r.Options.BindAddress, r.Port))) + "/";

    /// <summary>
    /// Starts <paramref name="routers"/> routers (2 by default) sharing one data set. <paramref name="options"/> apply to
    /// every router (a copy is kept); <see cref="InMemoryMongoServerOptions.Sharded"/> is implied. With a fixed
    /// <see cref="InMemoryMongoServerOptions.Port"/>, router i listens on Port + i.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="routers"/> is not between 1 and <see cref="MaxRouters"/>.</exception>
    /// <exception cref="ArgumentException">An option cannot apply to a cluster (a replica-set name, load balancing, a unix socket, no TCP).</exception>
    /// <exception cref="System.Net.Sockets.SocketException">A port cannot be bound.</exception>
    public static Task<InMemoryShardedCluster> StartAsync(int routers = 2, InMemoryMongoServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Start(routers, options));
    }

    /// <summary>Starts a cluster synchronously; see <see cref="StartAsync"/>.</summary>
    public static InMemoryShardedCluster Start(int routers = 2, InMemoryMongoServerOptions? options = null)
    {
        if (routers is < 1 or > MaxRouters)
        {
            throw new ArgumentOutOfRangeException(nameof(routers), routers, $"A cluster has 1 to {MaxRouters} routers.");
        }

        InMemoryMongoServerOptions copy = (options ?? new InMemoryMongoServerOptions()).Clone();
        if (copy.ReplicaSetName is not null)
        {
            throw new ArgumentException($"Option '{nameof(InMemoryMongoServerOptions.ReplicaSetName)}' does not apply to a sharded cluster's routers.", nameof(options));
        }

        if (copy.LoadBalanced)
        {
            throw new ArgumentException($"Option '{nameof(InMemoryMongoServerOptions.LoadBalanced)}' does not apply to a sharded cluster: start a load-balanced InMemoryMongoServer instead.", nameof(options));
        }

        if (copy.UnixSocketPath is not null || !copy.ListenOnTcp)
        {
            throw new ArgumentException("A sharded cluster's routers listen on TCP only: leave UnixSocketPath unset and ListenOnTcp true.", nameof(options));
        }

        copy.Sharded = true;
        copy.Validate();
        var cluster = new InMemoryShardedCluster(new ShardedClusterState(copy));
        try
        {
            for (int i = 0; i < routers; i++)
            {
                InMemoryMongoServerOptions routerOptions = copy.Clone();
                routerOptions.Port = copy.Port == 0 ? 0 : copy.Port + i;
                cluster._routers.Add(InMemoryMongoServer.StartRouter(routerOptions, cluster._cluster));
            }
        }
        catch
        {
            cluster.Dispose();
            throw;
        }

        return cluster;
    }

    /// <summary>Stops every router and releases the cluster.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (InMemoryMongoServer router in _routers)
        {
            await router.DisposeAsync().ConfigureAwait(false);
        }

        _cluster.Dispose();
    }

    /// <summary>Stops every router synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override string ToString() => $"sharded cluster ({string.Join(", ", _routers.Select(static r => r.Port))})";
}
