using System.Net;
using System.Net.Sockets;
using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Operations;
using Mongo.Driver.Pooling;
using Mongo.Driver.Topology;
using Mongo.Driver.Tests.Connections;
using Mongo.InMemory;
using Xunit;

namespace Mongo.Driver.Tests.Topology;

public sealed class ClusterTests
{
    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Server_selection_timeout_names_the_servers_and_their_errors(bool async)
    {
        var address = new MongoServerAddress("127.0.0.1", UnusedPort());
        var settings = new ClusterSettings
        {
            Seeds = [address],
            ServerSelectionTimeout = TimeSpan.FromMilliseconds(300),
            Connection = new ConnectionSettings { ConnectTimeout = TimeSpan.FromSeconds(1) },
            Pool = new PoolSettings(),
        };
        await using var executor = new OperationExecutor(settings);

        var ex = await Assert.ThrowsAsync<MongoTimeoutException>(() => CoreTestHelpers.RunAsync(executor, async, "admin", new BsonDocument("ping", 1)));

        Assert.Contains(address.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Contains("serverSelectionTimeoutMS", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Unknown", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Standalone_seed_becomes_a_single_topology_and_a_replica_set_is_discovered()
    {
        await using InMemoryMongoServer standalone = await InMemoryMongoServer.StartAsync();
        await using (var executor = new OperationExecutor(CoreTestHelpers.Cluster(standalone)))
        {
            await CoreTestHelpers.RunAsync(executor, true, "admin", new BsonDocument("ping", 1));
            Assert.Equal(TopologyType.Single, executor.Cluster.Description.Type);
            Assert.Equal(ServerType.Standalone, executor.Cluster.Servers[0].Description.Type);
        }

        await using InMemoryMongoServer replicaSet = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        ClusterSettings settings = CoreTestHelpers.Cluster(replicaSet);
        await using (var executor = new OperationExecutor(new ClusterSettings
        {
            Seeds = settings.Seeds,
            ReplicaSetName = "rs0",
            DirectConnection = true,
            Connection = settings.Connection,
            Pool = settings.Pool,
            ServerSelectionTimeout = settings.ServerSelectionTimeout,
        }))
        {
            var reply = await CoreTestHelpers.RunAsync(executor, true, "admin", new BsonDocument("ping", 1));
            Assert.True(ExceptionFactory.IsOk(reply.Bytes.Span));
            Assert.Equal(ServerType.RSPrimary, executor.Cluster.Servers[0].Description.Type);

            // Replies from a replica set carry $clusterTime, which the executor keeps for gossip.
            Assert.NotNull(executor.ClusterTime);
        }
    }

    [Fact]
    public async Task Wrong_replica_set_name_makes_selection_time_out()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        ClusterSettings template = CoreTestHelpers.Cluster(server);
        await using var executor = new OperationExecutor(new ClusterSettings
        {
            Seeds = template.Seeds,
            ReplicaSetName = "other",
            DirectConnection = true,
            Connection = template.Connection,
            Pool = template.Pool,
            ServerSelectionTimeout = TimeSpan.FromMilliseconds(500),
        });
        var ex = await Assert.ThrowsAsync<MongoTimeoutException>(() => CoreTestHelpers.RunAsync(executor, true, "admin", new BsonDocument("ping", 1)));
        Assert.Contains("other", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pool_timeout_message_has_pool_counts()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        var pool = new ConnectionPool(CoreTestHelpers.Address(server), new PoolSettings { MaxPoolSize = 1, WaitQueueTimeout = TimeSpan.FromMilliseconds(100) },
            (id, generation) => new Connection(id, CoreTestHelpers.Address(server), generation, new ConnectionSettings()));
        using (pool)
        {
            pool.Ready();
            IConnection held = await pool.CheckOutAsync(true, Deadline.Infinite, CancellationToken.None);
            var ex = await Assert.ThrowsAsync<MongoTimeoutException>(async () => await pool.CheckOutAsync(true, Deadline.Infinite, CancellationToken.None));
            Assert.Contains("1 in use", ex.Message, StringComparison.Ordinal);
            Assert.Contains("maxPoolSize 1", ex.Message, StringComparison.Ordinal);
            pool.CheckIn(held);
            Assert.Equal((1, 1, 0, 0, 0), pool.Counts);
        }
    }
}
