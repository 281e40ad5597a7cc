using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>Capped collections (size and document limits, oldest-first eviction, statistics), driven by the official driver.</summary>
public sealed class EngineCappedTests : OfficialDriverTestBase
{
    private IMongoDatabase Db => Client.GetDatabase("test");

    private static O.BsonDocument D(string json) => O.BsonDocument.Parse(json);

    private List<int> Ids(string name) =>
        Db.GetCollection<O.BsonDocument>(name).Find(FilterDefinition<O.BsonDocument>.Empty).ToList().Select(d => d["_id"].AsInt32).ToList();

    [Fact]
    public async Task Document_limit_evicts_the_oldest_in_insertion_order()
    {
        await Db.CreateCollectionAsync("c", new CreateCollectionOptions { Capped = true, MaxSize = 100_000, MaxDocuments = 3 });
        var c = Db.GetCollection<O.BsonDocument>("c");
        for (int i = 1; i <= 5; i++)
        {
            await c.InsertOneAsync(new O.BsonDocument("_id", i));
        }

        Assert.Equal([3, 4, 5], Ids("c"));
        Assert.Null(await c.Find(D("{_id: 1}")).FirstOrDefaultAsync()); // gone from the _id index too
        var reversed = await c.Find(FilterDefinition<O.BsonDocument>.Empty).Sort(D("{$natural: -1}")).ToListAsync();
        Assert.Equal([5, 4, 3], reversed.Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task Size_limit_is_rounded_up_to_256_bytes_and_evicts_by_encoded_size()
    {
        await Db.CreateCollectionAsync("s", new CreateCollectionOptions { Capped = true, MaxSize = 1000 });
        var info = await (await Db.ListCollectionsAsync(new ListCollectionsOptions { Filter = D("{name: 's'}") })).SingleAsync();
        Assert.Equal(1024, info["options"]["size"].ToInt64());
        Assert.True(info["options"]["capped"].AsBoolean);

        var c = Db.GetCollection<O.BsonDocument>("s");
        string pad = new('x', 200); // each document encodes to about 225 bytes: four fit in 1024, five do not
        for (int i = 1; i <= 6; i++)
        {
            await c.InsertOneAsync(new O.BsonDocument { { "_id", i }, { "pad", pad } });
        }

        List<int> left = Ids("s");
        Assert.Equal([3, 4, 5, 6], left);

        // A delete frees room: the next insert does not evict.
        await c.DeleteOneAsync(D("{_id: 3}"));
        await c.InsertOneAsync(new O.BsonDocument { { "_id", 7 }, { "pad", pad } });
        Assert.Equal([4, 5, 6, 7], Ids("s"));
    }

    [Fact]
    public async Task CollStats_and_the_collStats_stage_report_the_limits()
    {
        await Db.CreateCollectionAsync("st", new CreateCollectionOptions { Capped = true, MaxSize = 4096, MaxDocuments = 10 });
        var c = Db.GetCollection<O.BsonDocument>("st");
        await c.InsertManyAsync([new O.BsonDocument("_id", 1), new O.BsonDocument("_id", 2)]);

        var stats = await Db.RunCommandAsync<O.BsonDocument>(D("{collStats: 'st'}"));
        Assert.True(stats["capped"].AsBoolean);
        Assert.Equal(4096, stats["maxSize"].ToInt64());
        Assert.Equal(10, stats["max"].ToInt64());

        var stage = await c.Aggregate<O.BsonDocument>(new[] { D("{$collStats: {storageStats: {}, count: {}}}") }).SingleAsync();
        Assert.Equal("test.st", stage["ns"].AsString);
        Assert.True(stage["storageStats"]["capped"].AsBoolean);
        Assert.Equal(2, stage["count"].ToInt64());

        var plain = await Db.RunCommandAsync<O.BsonDocument>(D("{create: 'plain'}"));
        Assert.Equal(1.0, plain["ok"].ToDouble());
        var plainStats = await Db.GetCollection<O.BsonDocument>("plain").Aggregate<O.BsonDocument>(new[] { D("{$collStats: {storageStats: {}}}") }).SingleAsync();
        Assert.False(plainStats["storageStats"]["capped"].AsBoolean);
        Assert.False(plainStats["storageStats"].AsBsonDocument.Contains("maxSize"));
    }

    [Fact]
    public async Task Invalid_capped_options_and_stages_give_the_servers_errors()
    {
        var noSize = await Assert.ThrowsAsync<MongoCommandException>(() => Db.RunCommandAsync<O.BsonDocument>(D("{create: 'e1', capped: true}")));
        Assert.Equal(72, noSize.Code);
        var zero = await Assert.ThrowsAsync<MongoCommandException>(() => Db.RunCommandAsync<O.BsonDocument>(D("{create: 'e2', capped: true, size: 0}")));
        Assert.Equal(51024, zero.Code);
        var text = await Assert.ThrowsAsync<MongoCommandException>(() => Db.RunCommandAsync<O.BsonDocument>(D("{create: 'e3', capped: true, size: 'big'}")));
        Assert.Equal(14, text.Code);

        await Db.CreateCollectionAsync("t", new CreateCollectionOptions { Capped = true, MaxSize = 4096 });
        var c = Db.GetCollection<O.BsonDocument>("t");
        var later = await Assert.ThrowsAsync<MongoCommandException>(
            () => c.Aggregate<O.BsonDocument>(new[] { D("{$match: {}}"), D("{$collStats: {}}") }).ToListAsync());
        Assert.Equal(40602, later.Code);
        await Db.CreateCollectionAsync("notcapped");
        var tailable = await Assert.ThrowsAsync<MongoCommandException>(
            () => Db.GetCollection<O.BsonDocument>("notcapped").Find(FilterDefinition<O.BsonDocument>.Empty, new FindOptions { CursorType = CursorType.Tailable }).ToListAsync());
        Assert.Equal(2, tailable.Code);
        var sorted = await Assert.ThrowsAsync<MongoCommandException>(
            () => c.Find(FilterDefinition<O.BsonDocument>.Empty, new FindOptions { CursorType = CursorType.Tailable }).Sort(D("{x: 1}")).ToListAsync());
        Assert.Equal(2, sorted.Code);
    }

    private async Task<IMongoCollection<O.BsonDocument>> CappedWith(string name, int count, long max = 0)
    {
        await Db.CreateCollectionAsync(name, new CreateCollectionOptions { Capped = true, MaxSize = 1 << 20, MaxDocuments = max > 0 ? max : null });
        var c = Db.GetCollection<O.BsonDocument>(name);
        for (int i = 1; i <= count; i++)
        {
            await c.InsertOneAsync(new O.BsonDocument { { "_id", i }, { "even", i % 2 == 0 } });
        }

        return c;
    }

    private static async Task<List<int>> NextBatch(IAsyncCursor<O.BsonDocument> cursor)
    {
        Assert.True(await cursor.MoveNextAsync());
        return cursor.Current.Select(d => d["_id"].AsInt32).ToList();
    }

    [Fact]
    public async Task Tailable_cursor_reads_documents_inserted_after_it_and_applies_its_filter()
    {
        var c = await CappedWith("tail", 2);
        using var cursor = await c.FindAsync(D("{even: true}"), new FindOptions<O.BsonDocument> { CursorType = CursorType.Tailable });
        Assert.Equal([2], await NextBatch(cursor));
        Assert.Empty(await NextBatch(cursor)); // nothing new: the cursor stays open

        await c.InsertManyAsync([new O.BsonDocument { { "_id", 3 }, { "even", false } }, new O.BsonDocument { { "_id", 4 }, { "even", true } }]);
        Assert.Equal([4], await NextBatch(cursor));
    }

    [Fact]
    public async Task Await_data_cursor_waits_for_an_insert()
    {
        var c = await CappedWith("await", 1);
        using var cursor = await c.FindAsync(FilterDefinition<O.BsonDocument>.Empty,
            new FindOptions<O.BsonDocument> { CursorType = CursorType.TailableAwait, MaxAwaitTime = TimeSpan.FromSeconds(10) });
        Assert.Equal([1], await NextBatch(cursor));

        var insert = Task.Run(async () =>
        {
            await Task.Delay(200);
            await c.InsertOneAsync(new O.BsonDocument("_id", 2));
        });
        Assert.Equal([2], await NextBatch(cursor)); // returned when the insert woke the getMore, well before 10 s
        await insert;

        // With nothing inserted the getMore returns empty after the await time.
        using var shortWait = await c.FindAsync(FilterDefinition<O.BsonDocument>.Empty,
            new FindOptions<O.BsonDocument> { CursorType = CursorType.TailableAwait, MaxAwaitTime = TimeSpan.FromMilliseconds(50) });
        Assert.Equal([1, 2], await NextBatch(shortWait));
        Assert.Empty(await NextBatch(shortWait));
    }

    [Fact]
    public async Task Tailable_cursor_whose_unread_documents_were_evicted_fails_with_CappedPositionLost()
    {
        var c = await CappedWith("lost", 2, max: 2);
        using var cursor = await c.FindAsync(FilterDefinition<O.BsonDocument>.Empty, new FindOptions<O.BsonDocument> { CursorType = CursorType.Tailable });
        Assert.Equal([1, 2], await NextBatch(cursor));
        for (int i = 3; i <= 6; i++)
        {
            await c.InsertOneAsync(new O.BsonDocument("_id", i)); // 3 and 4 are evicted before the cursor reads them
        }

        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => cursor.MoveNextAsync());
        Assert.Equal(136, ex.Code);
    }

    [Fact]
    public async Task Tailable_cursor_on_an_empty_capped_collection_is_dead_at_once()
    {
        var c = await CappedWith("empty", 0);
        var reply = await Db.RunCommandAsync<O.BsonDocument>(D("{find: 'empty', tailable: true}"));
        Assert.Equal(0, reply["cursor"]["id"].ToInt64());
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => Db.RunCommandAsync<O.BsonDocument>(D("{find: 'empty', awaitData: true}")));
        Assert.Equal(9, ex.Code);
        Assert.Empty(await c.Find(FilterDefinition<O.BsonDocument>.Empty).ToListAsync());
    }
}
