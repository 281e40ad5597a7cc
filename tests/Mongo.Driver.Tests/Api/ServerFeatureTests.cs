using System.Collections.Concurrent;
using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Operations;
using Mongo.Driver.Pooling;
using Mongo.Driver.Tests.Connections;
using Mongo.Driver.Topology;
using Xunit;

namespace Mongo.Driver.Tests.Api;

/// <summary>
/// Features gated on the server's wire version, against a scripted server that reports the version we choose:
/// what an older server cannot do is refused with <see cref="MongoNotSupportedException"/> before anything is sent,
/// and options an older server does not know are left out.
/// </summary>
public sealed class ServerFeatureTests
{
    /// <summary>A client whose every connection talks to a scripted server reporting <paramref name="maxWireVersion"/>.</summary>
    private static (MongoClient Client, ConcurrentQueue<BsonDocument> Commands) Client(int maxWireVersion)
    {
        var commands = new ConcurrentQueue<BsonDocument>();
        byte[]? Respond(int requestId, BsonDocument command)
        {
            string name = command.GetElement(0).Name;
            if (name is "hello" or "isMaster")
            {
                var hello = FakeServerStream.HelloReply();
                hello.Set("maxWireVersion", maxWireVersion);
                return FakeServerStream.Reply(requestId, hello);
            }

            commands.Enqueue(command);
            BsonDocument reply = name switch
            {
                "find" or "aggregate" => FakeExecutor.CursorReply(0, "db.c", [new BsonDocument("_id", 1)]),
                "insert" or "delete" or "update" => new BsonDocument { { "n", 1 }, { "ok", 1.0 } },
                _ => new BsonDocument("ok", 1.0),
            };
            return FakeServerStream.Reply(requestId, reply);
        }

        var cluster = new ClusterSettings
        {
            Seeds = [new MongoServerAddress("scripted.example", 27017)],
            Connection = new ConnectionSettings { StreamFactory = (_, _) => ValueTask.FromResult<Stream>(new FakeServerStream(Respond)) },
            Pool = new PoolSettings(),
            ServerSelectionTimeout = TimeSpan.FromSeconds(10),
        };
        return (new MongoClient(new MongoClientSettings(), new OperationExecutor(cluster), null), commands);
    }

    [Theory]
    [InlineData(false, 25)]
    [InlineData(true, 25)]
    [InlineData(false, 27)]
    [InlineData(true, 27)]
    public async Task RawDataIsSentOnlyToServersThatKnowIt(bool async, int maxWireVersion)
    {
        var (client, commands) = Client(maxWireVersion);
        await using var _ = client;
        var collection = client.GetDatabase("db").GetCollection("c");
        var document = new BsonDocument("_id", 1);
        if (async)
        {
            await collection.InsertOneAsync(document, new InsertOneOptions { RawData = true });
            await collection.Find(Filter.Empty, new FindOptions { RawData = true }).ToListAsync();
            await collection.DeleteOneAsync(Filter.Eq("_id", 1), new DeleteOptions { RawData = true });
            await collection.CountDocumentsAsync(Filter.Empty, new CountOptions { RawData = true });
            await collection.Find(Filter.Empty).ToListAsync();
        }
        else
        {
            collection.InsertOne(document, new InsertOneOptions { RawData = true });
            collection.Find(Filter.Empty, new FindOptions { RawData = true }).ToList();
            collection.DeleteOne(Filter.Eq("_id", 1), new DeleteOptions { RawData = true });
            collection.CountDocuments(Filter.Empty, new CountOptions { RawData = true });
            collection.Find(Filter.Empty).ToList();
        }

        var sent = commands.ToArray();
        Assert.Equal(["insert", "find", "delete", "aggregate", "find"], sent.Select(c => c.GetElement(0).Name));
        foreach (var command in sent[..4])
        {
            if (maxWireVersion >= 27)
            {
                Assert.True(command["rawData"].AsBoolean);
            }
            else
            {
                Assert.False(command.Contains("rawData"), command.ToString());
            }
        }

        Assert.False(sent[4].Contains("rawData"), "an operation that did not ask for rawData never sends it");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClientBulkWriteOnAPre80ServerIsNotSupported(bool async)
    {
        var (client, commands) = Client(maxWireVersion: 21);
        await using var _ = client;
        ClientBulkWriteModel[] models = [new ClientInsertOneModel<BsonDocument>(new CollectionNamespace("db", "c"), new BsonDocument("_id", 1))];
        var error = async
            ? await Assert.ThrowsAsync<MongoNotSupportedException>(() => client.BulkWriteAsync(models))
            : Assert.Throws<MongoNotSupportedException>(() => client.BulkWrite(models));
        Assert.Contains("MongoDB 8.0 or newer", error.Message, StringComparison.Ordinal);
        Assert.Contains("wire version 21", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<MongoException>(error);
        Assert.DoesNotContain(commands, c => c.GetElement(0).Name == "bulkWrite");

        // The connection stays usable: the refusal happened before anything was written.
        var collection = client.GetDatabase("db").GetCollection("c");
        if (async)
        {
            await collection.InsertOneAsync(new BsonDocument("_id", 2));
        }
        else
        {
            collection.InsertOne(new BsonDocument("_id", 2));
        }

        Assert.Contains(commands, c => c.GetElement(0).Name == "insert");
    }
}
