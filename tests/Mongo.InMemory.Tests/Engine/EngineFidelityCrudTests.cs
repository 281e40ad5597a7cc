using Mongo.InMemory;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>Data commands driven by the official MongoDB.Driver 3.14.0 against the in-memory server.</summary>
public sealed class EngineFidelityCrudTests : OfficialDriverTestBase
{
    private IMongoCollection<O.BsonDocument> Coll(string name = "c") => Client.GetDatabase("test").GetCollection<O.BsonDocument>(name);

    private static O.BsonDocument D(string json) => O.BsonDocument.Parse(json);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PyMongo_readme_scenario(bool async)
    {
        var c = Coll();
        foreach (var x in new[] { 10, 8, 11 })
        {
            if (async) await c.InsertOneAsync(new O.BsonDocument("x", x));
            else c.InsertOne(new O.BsonDocument("x", x));
        }
        var one = async ? await c.Find(D("{}")).FirstOrDefaultAsync() : c.Find(D("{}")).FirstOrDefault();
        Assert.Equal(10, one["x"].AsInt32);
        Assert.Equal(O.BsonType.ObjectId, one["_id"].BsonType);
        Assert.Equal("_id", one.GetElement(0).Name);

        var model = new CreateIndexModel<O.BsonDocument>(D("{x: 1}"));
        var name = async ? await c.Indexes.CreateOneAsync(model) : c.Indexes.CreateOne(model);
        Assert.Equal("x_1", name);

        var sorted = async ? await c.Find(D("{}")).Sort(D("{x: 1}")).ToListAsync() : c.Find(D("{}")).Sort(D("{x: 1}")).ToList();
        Assert.Equal([8, 10, 11], sorted.Select(d => d["x"].AsInt32));

        var page = c.Find(D("{}")).Sort(D("{x: 1}")).Skip(1).Limit(2);
        var paged = async ? await page.ToListAsync() : page.ToList();
        Assert.Equal([10, 11], paged.Select(d => d["x"].AsInt32));

        var unsortedPage = async ? await c.Find(D("{}")).Limit(2).Skip(1).ToListAsync() : c.Find(D("{}")).Limit(2).Skip(1).ToList();
        Assert.Equal([8, 11], unsortedPage.Select(d => d["x"].AsInt32));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Crud_round_trip(bool async)
    {
        var c = Coll();
        var docs = Enumerable.Range(0, 10).Select(i => new O.BsonDocument { { "_id", i }, { "n", i }, { "tags", new O.BsonArray { "t" + (i % 3) } } }).ToList();
        if (async) await c.InsertManyAsync(docs); else c.InsertMany(docs);
        Assert.Equal(10, async ? await c.CountDocumentsAsync(D("{}")) : c.CountDocuments(D("{}")));
        Assert.Equal(10, async ? await c.EstimatedDocumentCountAsync() : c.EstimatedDocumentCount());

        var upd = async ? await c.UpdateManyAsync(D("{n: {$gte: 5}}"), D("{$inc: {n: 100}, $set: {big: true}}")) : c.UpdateMany(D("{n: {$gte: 5}}"), D("{$inc: {n: 100}, $set: {big: true}}"));
        Assert.Equal(5, upd.MatchedCount);
        Assert.Equal(5, upd.ModifiedCount);

        var same = async ? await c.UpdateOneAsync(D("{_id: 0}"), D("{$set: {n: 0}}")) : c.UpdateOne(D("{_id: 0}"), D("{$set: {n: 0}}"));
        Assert.Equal(1, same.MatchedCount);
        Assert.Equal(0, same.ModifiedCount);

        var ups = async
            ? await c.UpdateOneAsync(D("{_id: 42, k: 'v'}"), D("{$set: {z: 1}}"), new UpdateOptions { IsUpsert = true })
            : c.UpdateOne(D("{_id: 42, k: 'v'}"), D("{$set: {z: 1}}"), new UpdateOptions { IsUpsert = true });
        Assert.Equal(42, ups.UpsertedId.AsInt32);
        var upserted = c.Find(D("{_id: 42}")).Single();
        Assert.Equal(D("{_id: 42, k: 'v', z: 1}"), upserted);

        var rep = async ? await c.ReplaceOneAsync(D("{_id: 1}"), D("{r: true}")) : c.ReplaceOne(D("{_id: 1}"), D("{r: true}"));
        Assert.Equal(1, rep.ModifiedCount);
        Assert.Equal(D("{_id: 1, r: true}"), c.Find(D("{_id: 1}")).Single());

        var del = async ? await c.DeleteManyAsync(D("{big: true}")) : c.DeleteMany(D("{big: true}"));
        Assert.Equal(5, del.DeletedCount);
        var del1 = async ? await c.DeleteOneAsync(D("{}")) : c.DeleteOne(D("{}"));
        Assert.Equal(1, del1.DeletedCount);
        Assert.Equal(5, c.CountDocuments(D("{}")));

        var distinct = (async ? await c.DistinctAsync<int>("n", D("{}")) : c.Distinct<int>("n", D("{}"))).ToList();
        Assert.Equal([2, 3, 4], distinct.Where(x => x > 1 && x < 5).ToList());
    }

    [Fact]
    public async Task Bulk_write_reports_counts_and_duplicate_key_as_the_driver_category()
    {
        var c = Coll();
        var result = await c.BulkWriteAsync(
        [
            new InsertOneModel<O.BsonDocument>(D("{_id: 1, a: 1}")),
            new InsertOneModel<O.BsonDocument>(D("{_id: 2, a: 2}")),
            new UpdateOneModel<O.BsonDocument>(D("{_id: 1}"), D("{$set: {a: 10}}")),
            new UpdateOneModel<O.BsonDocument>(D("{_id: 3}"), D("{$set: {a: 3}}")) { IsUpsert = true },
            new DeleteOneModel<O.BsonDocument>(D("{_id: 2}")),
            new ReplaceOneModel<O.BsonDocument>(D("{_id: 3}"), D("{a: 33}")),
        ]);
        Assert.Equal(2, result.InsertedCount);
        Assert.Equal(2, result.MatchedCount);
        Assert.Equal(2, result.ModifiedCount);
        Assert.Equal(1, result.DeletedCount);
        Assert.Single(result.Upserts);
        Assert.Equal(3, result.Upserts[0].Id.AsInt32);

        var ex = await Assert.ThrowsAsync<MongoWriteException>(() => c.InsertOneAsync(D("{_id: 1}")));
        Assert.Equal(ServerErrorCategory.DuplicateKey, ex.WriteError.Category);
        Assert.Equal(11000, ex.WriteError.Code);
        Assert.Equal("E11000 duplicate key error collection: test.c index: _id_ dup key: { _id: 1 }", ex.WriteError.Message);

        var bulkEx = await Assert.ThrowsAsync<MongoBulkWriteException<O.BsonDocument>>(() =>
            c.InsertManyAsync([D("{_id: 7}"), D("{_id: 1}"), D("{_id: 8}")], new InsertManyOptions { IsOrdered = false }));
        Assert.Single(bulkEx.WriteErrors);
        Assert.Equal(1, bulkEx.WriteErrors[0].Index);
        Assert.Equal(2, bulkEx.Result.InsertedCount);
    }

    [Fact]
    public async Task Unique_index_violation_carries_key_pattern_and_value()
    {
        var c = Coll();
        await c.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(D("{x: 1}"), new CreateIndexOptions { Unique = true }));
        await c.InsertOneAsync(D("{x: 1}"));
        var ex = await Assert.ThrowsAsync<MongoWriteException>(() => c.InsertOneAsync(D("{x: 1}")));
        Assert.Equal(ServerErrorCategory.DuplicateKey, ex.WriteError.Category);
        Assert.Equal("E11000 duplicate key error collection: test.c index: x_1 dup key: { x: 1 }", ex.WriteError.Message);
        var raw = await Client.GetDatabase("test").RunCommandAsync<O.BsonDocument>(D("{insert: 'c', documents: [{x: 1}]}"));
        var writeError = raw["writeErrors"][0].AsBsonDocument;
        Assert.Equal(D("{x: 1}"), writeError["keyPattern"].AsBsonDocument);
        Assert.Equal(D("{x: 1}"), writeError["keyValue"].AsBsonDocument);
        Assert.Equal(0, writeError["index"].AsInt32);
        Assert.Equal(0, raw["n"].AsInt32);

        await c.InsertOneAsync(D("{x: 2}"));
        var upd = await Assert.ThrowsAsync<MongoWriteException>(() => c.UpdateOneAsync(D("{x: 2}"), D("{$set: {x: 1}}")));
        Assert.Equal(ServerErrorCategory.DuplicateKey, upd.WriteError.Category);
        Assert.Equal(2, await c.CountDocumentsAsync(D("{}")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Find_one_and_modify_variants(bool async)
    {
        var c = Coll();
        c.InsertMany([D("{_id: 1, n: 5}"), D("{_id: 2, n: 3}")]);
        var before = async
            ? await c.FindOneAndUpdateAsync(D("{}"), D("{$inc: {n: 1}}"), new FindOneAndUpdateOptions<O.BsonDocument> { Sort = D("{n: 1}") })
            : c.FindOneAndUpdate(D("{}"), D("{$inc: {n: 1}}"), new FindOneAndUpdateOptions<O.BsonDocument> { Sort = D("{n: 1}") });
        Assert.Equal(D("{_id: 2, n: 3}"), before);
        var after = c.FindOneAndUpdate(D("{_id: 2}"), D("{$inc: {n: 1}}"),
            new FindOneAndUpdateOptions<O.BsonDocument> { ReturnDocument = ReturnDocument.After, Projection = D("{_id: 0}") });
        Assert.Equal(D("{n: 5}"), after);
        var upserted = c.FindOneAndUpdate(D("{_id: 9}"), D("{$set: {n: 9}}"),
            new FindOneAndUpdateOptions<O.BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After });
        Assert.Equal(D("{_id: 9, n: 9}"), upserted);
        var replaced = c.FindOneAndReplace(D("{_id: 9}"), D("{m: 1}"));
        Assert.Equal(D("{_id: 9, n: 9}"), replaced);
        var deleted = async ? await c.FindOneAndDeleteAsync(D("{_id: 9}")) : c.FindOneAndDelete(D("{_id: 9}"));
        Assert.Equal(D("{_id: 9, m: 1}"), deleted);
        Assert.Null(c.FindOneAndDelete(D("{_id: 9}")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cursor_spans_many_batches(bool async)
    {
        var c = Coll();
        c.InsertMany(Enumerable.Range(0, 1000).Select(i => new O.BsonDocument { { "_id", i }, { "pad", new string('x', 100) } }));
        var find = c.Find(D("{}"), new FindOptions { BatchSize = 7 }).Sort(D("{_id: -1}"));
        var all = async ? await find.ToListAsync() : find.ToList();
        Assert.Equal(1000, all.Count);
        Assert.Equal(Enumerable.Range(0, 1000).Reverse(), all.Select(d => d["_id"].AsInt32));

        var agg = c.Aggregate(new AggregateOptions { BatchSize = 50 }).Match(D("{_id: {$lt: 500}}"));
        var aggAll = async ? await agg.ToListAsync() : agg.ToList();
        Assert.Equal(500, aggAll.Count);
    }

    [Fact]
    public async Task Aggregation_through_the_driver()
    {
        var c = Coll();
        await c.InsertManyAsync([
            D("{_id: 1, cat: 'a', qty: 5, tags: ['x', 'y']}"),
            D("{_id: 2, cat: 'b', qty: 3, tags: ['y']}"),
            D("{_id: 3, cat: 'a', qty: 2, tags: []}"),
        ]);
        var grouped = await c.Aggregate()
            .Group(D("{_id: '$cat', total: {$sum: '$qty'}, n: {$count: {}}, avg: {$avg: '$qty'}, items: {$push: '$_id'}}"))
            .Sort(D("{_id: 1}"))
            .ToListAsync();
        Assert.Equal(D("{_id: 'a', total: 7, n: 2, avg: 3.5, items: [1, 3]}"), grouped[0]);
        Assert.Equal(D("{_id: 'b', total: 3, n: 1, avg: 3.0, items: [2]}"), grouped[1]);

        var unwound = await c.Aggregate().Unwind("tags").SortByCount<O.BsonValue>("$tags").ToListAsync();
        Assert.Equal("y", unwound[0].Id.AsString);
        Assert.Equal(2, unwound[0].Count);

        var other = Client.GetDatabase("test").GetCollection<O.BsonDocument>("cats");
        await other.InsertManyAsync([D("{_id: 'a', label: 'Alpha'}"), D("{_id: 'b', label: 'Beta'}")]);
        var joined = await c.Aggregate()
            .Lookup("cats", "cat", "_id", "cat_info")
            .Project(D("{_id: 1, label: {$arrayElemAt: ['$cat_info.label', 0]}}"))
            .Sort(D("{_id: 1}"))
            .ToListAsync();
        Assert.Equal(D("{_id: 1, label: 'Alpha'}"), joined[0]);

        await c.Aggregate().Match(D("{cat: 'a'}")).Out("outcoll").ToListAsync();
        var outDocs = await Client.GetDatabase("test").GetCollection<O.BsonDocument>("outcoll").Find(D("{}")).ToListAsync();
        Assert.Equal(2, outDocs.Count);
    }

    [Fact]
    public async Task Concurrent_writers_are_serialised_correctly()
    {
        var c = Coll("concurrent");
        await c.InsertOneAsync(D("{_id: 'counter', n: 0}"));
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await c.InsertOneAsync(new O.BsonDocument { { "t", t }, { "i", i } });
                await c.UpdateOneAsync(D("{_id: 'counter'}"), D("{$inc: {n: 1}}"));
            }
        })));
        Assert.Equal(401, await c.CountDocumentsAsync(D("{}")));
        Assert.Equal(400, (await c.Find(D("{_id: 'counter'}")).SingleAsync())["n"].AsInt32);
    }

    [Fact]
    public async Task Index_management()
    {
        var c = Coll();
        await c.InsertOneAsync(D("{a: 1, b: 2}"));
        var names = await c.Indexes.CreateManyAsync([
            new CreateIndexModel<O.BsonDocument>(D("{a: 1, b: -1}")),
            new CreateIndexModel<O.BsonDocument>(D("{b: 1}"), new CreateIndexOptions { Sparse = true, Name = "bee" }),
        ]);
        Assert.Equal(["a_1_b_-1", "bee"], names);
        var list = await (await c.Indexes.ListAsync()).ToListAsync();
        Assert.Equal(["_id_", "a_1_b_-1", "bee"], list.Select(i => i["name"].AsString));
        Assert.True(list[2]["sparse"].AsBoolean);

        var conflict = await Assert.ThrowsAsync<MongoCommandException>(() =>
            c.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(D("{c: 1}"), new CreateIndexOptions { Name = "bee" })));
        Assert.Equal(86, conflict.Code);
        var conflict2 = await Assert.ThrowsAsync<MongoCommandException>(() =>
            c.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(D("{b: 1}"), new CreateIndexOptions { Name = "other" })));
        Assert.Equal(85, conflict2.Code);

        await c.Indexes.DropOneAsync("bee");
        var notFound = await Assert.ThrowsAsync<MongoCommandException>(() => c.Indexes.DropOneAsync("bee"));
        Assert.Equal(27, notFound.Code);
        await c.Indexes.DropAllAsync();
        Assert.Single(await (await c.Indexes.ListAsync()).ToListAsync());

        var hint = await Assert.ThrowsAsync<MongoCommandException>(() => c.Find(D("{}"), new FindOptions { Hint = "nope" }).ToListAsync());
        Assert.Equal(2, hint.Code);
        Assert.Contains("hint provided does not correspond to an existing index", hint.Message);
    }

    [Fact]
    public async Task Catalog_commands()
    {
        var db = Client.GetDatabase("cat");
        await db.CreateCollectionAsync("x");
        var exists = await Assert.ThrowsAsync<MongoCommandException>(() => db.CreateCollectionAsync("x"));
        Assert.Equal(48, exists.Code);
        await db.GetCollection<O.BsonDocument>("y").InsertOneAsync(D("{}"));
        var names = await (await db.ListCollectionNamesAsync()).ToListAsync();
        Assert.Equal(["x", "y"], names.Order());
        var dbs = await (await Client.ListDatabaseNamesAsync()).ToListAsync();
        Assert.Contains("cat", dbs);

        await Client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(D("{renameCollection: 'cat.y', to: 'cat.z'}"));
        names = await (await db.ListCollectionNamesAsync()).ToListAsync();
        Assert.Equal(["x", "z"], names.Order());

        await db.DropCollectionAsync("x");
        await db.DropCollectionAsync("does-not-exist");
        names = await (await db.ListCollectionNamesAsync()).ToListAsync();
        Assert.Equal(["z"], names);
        await Client.DropDatabaseAsync("cat");
        dbs = await (await Client.ListDatabaseNamesAsync()).ToListAsync();
        Assert.DoesNotContain("cat", dbs);
    }
}
