using Mongo.Bson;
using Mongo.InMemory;
using Mongo.Testing.Monitoring;
using Xunit;
using static Mongo.Driver.Tests.Sessions.SessionTestKit;

namespace Mongo.Driver.Tests.Api;

/// <summary>ListIndexes and ListCollections options: batch size on the command and its getMores, and the cursor timeout mode.</summary>
public sealed class ListCursorOptionsTests
{
    private static async Task<MongoDatabase> SeedAsync(MongoClient client)
    {
        var database = client.GetDatabase("lists");
        var collection = database.GetCollection("c");
        await collection.InsertOneAsync(new BsonDocument("_id", 1));
        await collection.CreateIndexAsync(IndexKeys.Ascending("a"));
        await collection.CreateIndexAsync(IndexKeys.Ascending("b"));
        await database.GetCollection("d").InsertOneAsync(new BsonDocument("_id", 1));
        await database.GetCollection("e").InsertOneAsync(new BsonDocument("_id", 1));
        return database;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BatchSize_goes_on_the_list_command_and_every_getMore(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: false);
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder);
        var database = await SeedAsync(client);
        var collection = database.GetCollection("c");

        var indexOptions = new ListIndexesOptions { BatchSize = 1 };
        List<BsonDocument> indexes = async ? await collection.ListIndexesAsync(indexOptions) : collection.ListIndexes(indexOptions);
        var collectionOptions = new ListCollectionsOptions { BatchSize = 2 };
        MongoCursor<BsonDocument> cursor = async ? await database.ListCollectionsAsync(null, collectionOptions) : database.ListCollections(null, collectionOptions);
        List<BsonDocument> collections = async ? await cursor.ToListAsync() : cursor.ToList();

        Assert.Equal(["_id_", "a_1", "b_1"], indexes.Select(i => i["name"].AsString).Order());
        Assert.Equal(["c", "d", "e"], collections.Select(c => c["name"].AsString).Order());
        Assert.Equal(new BsonDocument("batchSize", 1), Started(recorder, "listIndexes").Single()["cursor"]);
        Assert.Equal(new BsonDocument("batchSize", 2), Started(recorder, "listCollections").Single()["cursor"]);
        var getMores = Started(recorder, "getMore");
        Assert.Equal(3, getMores.Count);
        var indexGetMores = getMores.Where(g => g["collection"].AsString != "$cmd.listCollections").ToList();
        Assert.Equal(2, indexGetMores.Count);
        Assert.All(indexGetMores, g => Assert.Equal(1, g["batchSize"].AsInt32));
        Assert.Equal(2, getMores.Single(g => g["collection"].AsString == "$cmd.listCollections")["batchSize"].AsInt32);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Iteration_mode_sends_no_maxTimeMS_while_cursor_lifetime_does(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: false);
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder, "timeoutMS=60000");
        var database = await SeedAsync(client);
        var collection = database.GetCollection("c");

        foreach (var mode in new[] { CursorTimeoutMode.Iteration, CursorTimeoutMode.CursorLifetime })
        {
            var indexOptions = new ListIndexesOptions { TimeoutMode = mode };
            _ = async ? await collection.ListIndexesAsync(indexOptions) : collection.ListIndexes(indexOptions);
            var collectionOptions = new ListCollectionsOptions { TimeoutMode = mode };
            await using var cursor = async ? await database.ListCollectionsAsync(null, collectionOptions) : database.ListCollections(null, collectionOptions);
        }

        var listIndexes = Started(recorder, "listIndexes");
        var listCollections = Started(recorder, "listCollections");
        Assert.False(listIndexes[0].Contains("maxTimeMS"));
        Assert.False(listCollections[0].Contains("maxTimeMS"));
        Assert.True(listIndexes[1].Contains("maxTimeMS"));
        Assert.True(listCollections[1].Contains("maxTimeMS"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_timeout_mode_without_timeoutMS_is_refused_before_anything_is_sent(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: false);
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder);
        var database = client.GetDatabase("lists");
        var indexOptions = new ListIndexesOptions { TimeoutMode = CursorTimeoutMode.CursorLifetime };
        var collectionOptions = new ListCollectionsOptions { TimeoutMode = CursorTimeoutMode.Iteration };

        if (async)
        {
            await Assert.ThrowsAsync<MongoClientException>(() => database.GetCollection("c").ListIndexesAsync(indexOptions));
            await Assert.ThrowsAsync<MongoClientException>(() => database.ListCollectionsAsync(null, collectionOptions));
        }
        else
        {
            Assert.Throws<MongoClientException>(() => database.GetCollection("c").ListIndexes(indexOptions));
            Assert.Throws<MongoClientException>(() => database.ListCollections(null, collectionOptions));
        }

        Assert.Empty(Started(recorder, "listIndexes"));
        Assert.Empty(Started(recorder, "listCollections"));
    }

    [Fact]
    public void A_negative_batch_size_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ListIndexesOptions { BatchSize = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ListCollectionsOptions { BatchSize = -1 });
    }
}
