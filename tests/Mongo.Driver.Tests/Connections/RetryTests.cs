using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Operations;
using Mongo.InMemory;
using Xunit;
using static Mongo.Driver.Tests.Connections.CoreTestHelpers;

namespace Mongo.Driver.Tests.Connections;

public sealed class RetryTests
{
    private static async Task FailOnceAsync(OperationExecutor executor, string command, BsonDocument data)
    {
        data.Set("failCommands", new BsonArray { command });
        await RunAsync(executor, true, "admin", new BsonDocument
        {
            { "configureFailPoint", "failCommand" },
            { "mode", new BsonDocument("times", 1) },
            { "data", data },
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Retryable_read_error_is_retried_once(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        await using var executor = new OperationExecutor(Cluster(server));
        await FailOnceAsync(executor, "count", new BsonDocument("errorCode", 11600));
        long before = server.Statistics.GetCommandCount("count");

        var reply = await RunAsync(executor, async, "db", new BsonDocument("count", "c"));

        Assert.Equal(0, reply.Body["n"].ToInt32());
        Assert.Equal(before + 2, server.Statistics.GetCommandCount("count"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Network_error_on_a_read_is_retried_on_a_new_connection(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        await using var executor = new OperationExecutor(Cluster(server));
        await FailOnceAsync(executor, "count", new BsonDocument("closeConnection", true));

        var reply = await RunAsync(executor, async, "db", new BsonDocument("count", "c"));

        Assert.True(ExceptionFactory.IsOk(reply.Bytes.Span));
        Assert.Equal(0, executor.Cluster.Servers[0].Pool.Counts.InUse);
    }

    [Fact]
    public async Task Non_retryable_error_is_thrown_after_one_attempt()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        await using var executor = new OperationExecutor(Cluster(server));
        await FailOnceAsync(executor, "count", new BsonDocument("errorCode", 2));
        long before = server.Statistics.GetCommandCount("count");

        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => RunAsync(executor, true, "db", new BsonDocument("count", "c")));

        Assert.Equal(2, ex.Code);
        Assert.Equal(before + 1, server.Statistics.GetCommandCount("count"));
    }

    [Fact]
    public async Task Write_without_txnNumber_is_not_retried()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        await using var executor = new OperationExecutor(Cluster(server));
        await FailOnceAsync(executor, "insert", new BsonDocument("closeConnection", true));

        await Assert.ThrowsAnyAsync<MongoConnectionException>(() => RunAsync(executor, true, "db",
            new BsonDocument { { "insert", "c" }, { "documents", new BsonArray { new BsonDocument("_id", 1) } } }, isWrite: true));
    }

    [Fact]
    public async Task Retryable_write_with_txnNumber_is_retried_once_after_a_network_error()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        await using var executor = new OperationExecutor(Cluster(server));
        await FailOnceAsync(executor, "insert", new BsonDocument("closeConnection", true));
        var insert = new BsonDocument
        {
            { "insert", "c" },
            { "documents", new BsonArray { new BsonDocument("_id", 1) } },
            { "lsid", new BsonDocument("id", new BsonBinaryData(Guid.NewGuid().ToByteArray(), BsonBinarySubType.UuidStandard)) },
            { "txnNumber", 1L },
        };

        var reply = await RunAsync(executor, true, "db", insert, isWrite: true);

        Assert.Equal(1, reply.Body["n"].ToInt32());
        var count = await RunAsync(executor, true, "db", new BsonDocument("count", "c"));
        Assert.Equal(1, count.Body["n"].ToInt32());
    }
}
