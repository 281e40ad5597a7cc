using Mongo.Bson;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Api;

/// <summary>Tailable and tailable-await cursors on capped collections, end to end (Mongo.InMemory or MONGODB_URI).</summary>
public sealed class TailableCursorTests : ServerClientTestBase
{
    public TailableCursorTests(MongoServerFixture server)
        : base(server)
    {
    }

    private async Task<MongoCollection<BsonDocument>> Capped(string name, int documents)
    {
        var database = Client.GetDatabase("driver_tailable");
        await database.DropCollectionAsync(name);
        await database.CreateCollectionAsync(name, new CreateCollectionOptions { CappedSize = 1 << 20 });
        var collection = database.GetCollection(name);
        for (int i = 1; i <= documents; i++)
        {
            await collection.InsertOneAsync(new BsonDocument("_id", i));
        }

        return collection;
    }

    private static List<int> Ids<T>(MongoCursor<T> cursor) where T : BsonDocument => cursor.CurrentBatch.Select(d => d["_id"].AsInt32).ToList();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Tailable_cursor_returns_empty_batches_then_new_documents(bool async)
    {
        var collection = await Capped("tail_" + async, 2);
        var find = collection.Find(Filter.Empty, new FindOptions { CursorType = CursorType.Tailable });
        await using var cursor = async ? await find.ToCursorAsync() : find.ToCursor();
        Assert.True(cursor.IsTailable);
        Assert.True(async ? await cursor.MoveNextBatchAsync() : cursor.MoveNextBatch());
        Assert.Equal([1, 2], Ids(cursor));

        Assert.True(async ? await cursor.MoveNextBatchAsync() : cursor.MoveNextBatch()); // alive, nothing new
        Assert.Empty(cursor.CurrentBatch);

        await collection.InsertOneAsync(new BsonDocument("_id", 3));
        Assert.True(async ? await cursor.MoveNextBatchAsync() : cursor.MoveNextBatch());
        Assert.Equal([3], Ids(cursor));
    }

    [Fact]
    public async Task Await_cursor_enumeration_yields_documents_as_they_are_inserted()
    {
        var collection = await Capped("await", 1);
        var options = new FindOptions { CursorType = CursorType.TailableAwait, MaxAwaitTime = TimeSpan.FromMilliseconds(200) };
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<int>();
        var writer = Task.Run(async () =>
        {
            for (int i = 2; i <= 4; i++)
            {
                await Task.Delay(100);
                await collection.InsertOneAsync(new BsonDocument("_id", i));
            }
        });

        await foreach (var document in collection.Find(Filter.Empty, options).WithCancellation(cancel.Token))
        {
            seen.Add(document["_id"].AsInt32);
            if (seen.Count == 4)
            {
                break; // leaving the loop kills the server cursor
            }
        }

        await writer;
        Assert.Equal([1, 2, 3, 4], seen);
    }

    [Fact]
    public async Task Tailable_cursor_on_a_plain_collection_is_a_server_error()
    {
        var database = Client.GetDatabase("driver_tailable");
        await database.DropCollectionAsync("plain");
        var collection = database.GetCollection("plain");
        await collection.InsertOneAsync(new BsonDocument("_id", 1));
        var ex = await Assert.ThrowsAsync<MongoCommandException>(
            () => collection.Find(Filter.Empty, new FindOptions { CursorType = CursorType.Tailable }).ToCursorAsync());
        Assert.Equal(2, ex.Code);
    }
}
