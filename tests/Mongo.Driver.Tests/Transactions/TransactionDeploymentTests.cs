using System.Collections.Concurrent;
using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Operations;
using Mongo.Driver.Pooling;
using Mongo.Driver.Tests.Connections;
using Mongo.Driver.Topology;
using Mongo.InMemory;
using Xunit;
using static Mongo.Driver.Tests.Transactions.TransactionTestKit;

namespace Mongo.Driver.Tests.Transactions;

/// <summary>Deployments that cannot run transactions: nothing a transaction sends may be applied outside one.</summary>
public sealed class TransactionDeploymentTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_server_without_sessions_gets_nothing_and_the_transaction_is_still_starting(bool async)
    {
        var commands = new ConcurrentQueue<BsonDocument>();
        byte[]? Respond(int requestId, BsonDocument command)
        {
            if (command.GetElement(0).Name is "hello" or "isMaster")
            {
                return FakeServerStream.Reply(requestId, FakeServerStream.HelloReply()); // no logicalSessionTimeoutMinutes
            }

            commands.Enqueue(command);
            return FakeServerStream.Reply(requestId, new BsonDocument { { "n", 1 }, { "ok", 1.0 } });
        }

        var cluster = new ClusterSettings
        {
            Seeds = [new MongoServerAddress("scripted.example", 27017)],
            Connection = new ConnectionSettings { StreamFactory = (_, _) => ValueTask.FromResult<Stream>(new FakeServerStream(Respond)) },
            Pool = new PoolSettings(),
            ServerSelectionTimeout = TimeSpan.FromSeconds(10),
        };
        await using var client = new MongoClient(new MongoClientSettings(), new OperationExecutor(cluster), null);
        using MongoSession session = client.StartSession();
        session.StartTransaction();

        var error = await Assert.ThrowsAsync<MongoClientException>(() => InsertAsync(Collection(client, session), async, new BsonDocument("_id", 1)));

        Assert.Contains("Transactions are not supported by this deployment", error.Message);
        Assert.Empty(commands);
        Assert.Equal(TransactionState.Starting, session.TransactionState);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_standalone_refuses_the_transaction_and_applies_nothing(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        await using var client = new MongoClient(server.ConnectionString);
        using MongoSession session = client.StartSession();
        session.StartTransaction();

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => InsertAsync(Collection(client, session), async, new BsonDocument("_id", 1)));

        Assert.Equal(20, error.Code); // IllegalOperation: transaction numbers need a replica set member or mongos
        Assert.Equal(0, await client.GetDatabase("db").GetCollection("c").CountDocumentsAsync(FilterDefinition.Empty));
        await AbortAsync(session, async); // errors of abort are ignored
    }
}
