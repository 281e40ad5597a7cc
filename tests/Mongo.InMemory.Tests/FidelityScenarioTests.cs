using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>
/// End-to-end with the official driver where the wire side and the engine meet: cursors over many batches,
/// retries through fail points (replica-set mode), killCursors on early dispose, and concurrent CRUD.
/// </summary>
public sealed class FidelityScenarioTests : IAsyncLifetime
{
    private InMemoryMongoServer _server = null!;

    public async Task InitializeAsync() => _server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MongoClient Client()
    {
        var settings = MongoClientSettings.FromConnectionString(_server.ConnectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(10);
        return new MongoClient(settings);
    }

    private static IMongoCollection<O.BsonDocument> Collection(MongoClient client, string name) =>
        client.GetDatabase("scenario").GetCollection<O.BsonDocument>(name);

    private Task<O.BsonDocument> ConfigureAsync(MongoClient client, O.BsonDocument failPoint) =>
        client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(failPoint);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Find_over_many_batches_issues_getMores_and_leaves_no_cursor(bool async)
    {
        using var client = Client();
        var collection = Collection(client, "batches" + async);
        await collection.InsertManyAsync(Enumerable.Range(0, 1000).Select(i => new O.BsonDocument { { "_id", i }, { "payload", new string('p', 100) } }));
        long before = _server.Statistics.GetCommandCount("getMore");

        var find = collection.Find(FilterDefinition<O.BsonDocument>.Empty, new FindOptions { BatchSize = 64 }).Sort(Builders<O.BsonDocument>.Sort.Ascending("_id"));
        var ids = new List<int>();
        using (var cursor = async ? await find.ToCursorAsync() : find.ToCursor())
        {
            while (async ? await cursor.MoveNextAsync() : cursor.MoveNext())
            {
                Assert.InRange(cursor.Current.Count(), 1, 64);
                ids.AddRange(cursor.Current.Select(d => d["_id"].AsInt32));
            }
        }

        Assert.Equal(Enumerable.Range(0, 1000), ids);
        Assert.Equal(15, _server.Statistics.GetCommandCount("getMore") - before); // 64 in find, then 15 getMores
        Assert.Equal(0, _server.State.Cursors.Count);
    }

    [Fact]
    public async Task Disposing_a_cursor_early_kills_it_on_the_server()
    {
        using var client = Client();
        var collection = Collection(client, "early");
        await collection.InsertManyAsync(Enumerable.Range(0, 50).Select(i => new O.BsonDocument("_id", i)));
        using (var cursor = await collection.Find(FilterDefinition<O.BsonDocument>.Empty, new FindOptions { BatchSize = 5 }).ToCursorAsync())
        {
            Assert.True(await cursor.MoveNextAsync());
            Assert.Equal(1, _server.State.Cursors.Count);
        }

        for (int i = 0; i < 100 && _server.State.Cursors.Count > 0; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(0, _server.State.Cursors.Count);
        Assert.True(_server.Statistics.GetCommandCount("killCursors") >= 1);
    }

    [Fact]
    public async Task Insert_retried_after_a_dropped_connection_is_written_once()
    {
        using var client = Client();
        var collection = Collection(client, "retry_close");
        await ConfigureAsync(client, new O.BsonDocument
        {
            { "configureFailPoint", "failCommand" },
            { "mode", new O.BsonDocument("times", 1) },
            { "data", new O.BsonDocument { { "failCommands", new O.BsonArray { "insert" } }, { "closeConnection", true } } },
        });
        await collection.InsertOneAsync(new O.BsonDocument { { "_id", 1 }, { "x", 11 } });
        Assert.Equal(2, _server.Statistics.GetCommandCount("insert"));
        Assert.Equal(1, await collection.CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));
    }

    [Fact]
    public async Task Insert_committed_before_the_connection_dropped_is_not_written_twice()
    {
        using var client = Client();
        var collection = Collection(client, "retry_committed");
        await collection.InsertOneAsync(new O.BsonDocument { { "_id", 1 }, { "x", 11 } });
        await ConfigureAsync(client, new O.BsonDocument
        {
            { "configureFailPoint", "onPrimaryTransactionalWrite" },
            { "mode", new O.BsonDocument("times", 1) },
        });
        // Without the server remembering the first attempt, the retry would fail with a duplicate key error.
        await collection.InsertOneAsync(new O.BsonDocument { { "_id", 3 }, { "x", 33 } });
        var all = await collection.Find(FilterDefinition<O.BsonDocument>.Empty).ToListAsync();
        Assert.Equal(new[] { 1, 3 }, all.Select(d => d["_id"].AsInt32).Order());
    }

    [Fact]
    public async Task Retryable_error_code_without_explicit_labels_is_retried_by_the_driver()
    {
        using var client = Client();
        var collection = Collection(client, "retry_code");
        await ConfigureAsync(client, new O.BsonDocument
        {
            { "configureFailPoint", "failCommand" },
            { "mode", new O.BsonDocument("times", 1) },
            { "data", new O.BsonDocument { { "failCommands", new O.BsonArray { "update" } }, { "errorCode", 9001 } } },
        });
        await collection.InsertOneAsync(new O.BsonDocument { { "_id", 1 }, { "n", 0 } });
        var result = await collection.UpdateOneAsync(
            Builders<O.BsonDocument>.Filter.Eq("_id", 1), Builders<O.BsonDocument>.Update.Inc("n", 1));
        Assert.Equal(1, result.ModifiedCount);
        var doc = await collection.Find(Builders<O.BsonDocument>.Filter.Eq("_id", 1)).SingleAsync();
        Assert.Equal(1, doc["n"].AsInt32); // retried once, applied once
    }

    [Fact]
    public async Task Find_is_retried_after_a_dropped_connection()
    {
        using var client = Client();
        var collection = Collection(client, "retry_read");
        await collection.InsertOneAsync(new O.BsonDocument("_id", 1));
        await ConfigureAsync(client, new O.BsonDocument
        {
            { "configureFailPoint", "failCommand" },
            { "mode", new O.BsonDocument("times", 1) },
            { "data", new O.BsonDocument { { "failCommands", new O.BsonArray { "find" } }, { "closeConnection", true } } },
        });
        var docs = await collection.Find(FilterDefinition<O.BsonDocument>.Empty).ToListAsync();
        Assert.Single(docs);
        Assert.Equal(2, _server.Statistics.GetCommandCount("find"));
    }

    [Fact]
    public async Task Thirty_two_tasks_run_CRUD_concurrently()
    {
        using var client = Client();
        var collection = Collection(client, "concurrent");
        const int Tasks = 32;
        const int PerTask = 20;
        await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            for (int i = 0; i < PerTask; i++)
            {
                int id = t * 1000 + i;
                await collection.InsertOneAsync(new O.BsonDocument { { "_id", id }, { "task", t }, { "n", 0 } });
                await collection.UpdateOneAsync(Builders<O.BsonDocument>.Filter.Eq("_id", id), Builders<O.BsonDocument>.Update.Inc("n", 1));
                var doc = await collection.Find(Builders<O.BsonDocument>.Filter.Eq("_id", id)).SingleAsync();
                Assert.Equal(1, doc["n"].AsInt32);
            }
        })));
        Assert.Equal(Tasks * PerTask, await collection.CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));
        Assert.Equal(PerTask, await collection.CountDocumentsAsync(Builders<O.BsonDocument>.Filter.Eq("task", 7)));
        Assert.Equal(0, _server.Statistics.InternalErrors);
    }
}
