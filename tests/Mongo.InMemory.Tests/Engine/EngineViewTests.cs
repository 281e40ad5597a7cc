using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>Read-only views through the official driver: definitions, reads, refused writes, catalog listings and errors.</summary>
public sealed class EngineViewTests : OfficialDriverTestBase
{
    private IMongoDatabase _db = null!;
    private IMongoCollection<O.BsonDocument> _source = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _db = Client.GetDatabase("v");
        _source = _db.GetCollection<O.BsonDocument>("src");
        await _source.InsertManyAsync(Enumerable.Range(1, 6).Select(i => new O.BsonDocument { { "_id", i }, { "x", i * 10 }, { "tag", i % 2 == 0 ? "even" : "odd" } }));
    }

    private static O.BsonDocument D(string json) => O.BsonDocument.Parse(json);

    private Task<O.BsonDocument> Run(string json) => _db.RunCommandAsync<O.BsonDocument>(D(json));

    private async Task<MongoCommandException> Fails(string json) => await Assert.ThrowsAsync<MongoCommandException>(() => Run(json));

    private IMongoCollection<O.BsonDocument> View(string name) => _db.GetCollection<O.BsonDocument>(name);

    /// <summary>A view of the documents with _id > 2, with a computed field.</summary>
    private Task CreateBigView(string name = "big") =>
        _db.CreateViewAsync<O.BsonDocument, O.BsonDocument>(name, "src",
            new O.BsonDocument[] { D("{$match: {_id: {$gt: 2}}}"), D("{$addFields: {double: {$multiply: ['$x', 2]}}}") });

    [Fact]
    public async Task Find_through_a_view_applies_the_views_pipeline_then_the_query()
    {
        await CreateBigView();
        var view = View("big");

        var all = await view.Find(FilterDefinition<O.BsonDocument>.Empty).ToListAsync();
        Assert.Equal([3, 4, 5, 6], all.Select(d => d["_id"].AsInt32));
        Assert.Equal(60, all[0]["double"].AsInt32);

        var some = await view.Find(D("{tag: 'even'}")).Sort(D("{_id: -1}")).Skip(1).Limit(5).Project(D("{_id: 1, double: 1}")).ToListAsync();
        Assert.Equal([D("{_id: 4, double: 80}")], some);

        // A small batch leaves a cursor on the view's namespace; getMore drains it.
        var first = await Run("{find: 'big', batchSize: 3}");
        Assert.Equal("v.big", first["cursor"]["ns"].AsString);
        Assert.Equal(3, first["cursor"]["firstBatch"].AsBsonArray.Count);
        var cursorId = first["cursor"]["id"].AsInt64;
        Assert.NotEqual(0L, cursorId);
        var more = await _db.RunCommandAsync<O.BsonDocument>(new O.BsonDocument { { "getMore", cursorId }, { "collection", "big" } });
        Assert.Equal([6], more["cursor"]["nextBatch"].AsBsonArray.Select(d => d["_id"].AsInt32));
        Assert.Equal(0L, more["cursor"]["id"].AsInt64);

        // The driver's own cursor iteration across batches.
        var batched = await view.Find(FilterDefinition<O.BsonDocument>.Empty, new FindOptions { BatchSize = 1 }).ToListAsync();
        Assert.Equal(4, batched.Count);
    }

    [Fact]
    public async Task Aggregate_count_and_distinct_read_the_view()
    {
        await CreateBigView();
        var view = View("big");

        var grouped = await view.Aggregate().Group(D("{_id: '$tag', total: {$sum: '$double'}}")).Sort(D("{_id: 1}")).ToListAsync();
        Assert.Equal([D("{_id: 'even', total: 200}"), D("{_id: 'odd', total: 160}")], grouped);

        Assert.Equal(4, await view.CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));
        Assert.Equal(2, await view.CountDocumentsAsync(D("{tag: 'odd'}")));
        Assert.Equal(4, await view.EstimatedDocumentCountAsync());
        var count = await Run("{count: 'big', query: {x: {$gte: 40}}, skip: 1}");
        Assert.Equal(2, count["n"].AsInt32);

        var doubles = await view.DistinctAsync<int>("double", D("{tag: 'even'}"));
        Assert.Equal([80, 120], await doubles.ToListAsync());

        // A $lookup may read from a view as from a collection.
        var joined = await _source.Aggregate()
            .Match(D("{_id: {$in: [1, 3]}}"))
            .Lookup("big", "_id", "_id", "fromView")
            .Sort(D("{_id: 1}"))
            .ToListAsync();
        Assert.Empty(joined[0]["fromView"].AsBsonArray);
        Assert.Equal(60, joined[1]["fromView"][0]["double"].AsInt32);
    }

    [Fact]
    public async Task A_view_on_a_view_runs_both_pipelines_innermost_first()
    {
        await CreateBigView();
        await _db.CreateViewAsync<O.BsonDocument, O.BsonDocument>("bigOdd", "big", new O.BsonDocument[] { D("{$match: {tag: 'odd'}}"), D("{$project: {double: 1}}") });
        var view = View("bigOdd");
        Assert.Equal([D("{_id: 3, double: 60}"), D("{_id: 5, double: 100}")], await view.Find(FilterDefinition<O.BsonDocument>.Empty).ToListAsync());
        Assert.Equal(2, await view.EstimatedDocumentCountAsync());
        var summed = await view.Aggregate().Group(D("{_id: null, s: {$sum: '$double'}}")).SingleAsync();
        Assert.Equal(160, summed["s"].AsInt32);

        // Changes to the source show at once: a view stores only its definition.
        await _source.InsertOneAsync(D("{_id: 7, x: 70, tag: 'odd'}"));
        Assert.Equal(3, await view.CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));
    }

    [Fact]
    public async Task Writes_and_index_commands_on_a_view_fail_with_CommandNotSupportedOnView()
    {
        await CreateBigView();
        var view = View("big");

        var insert = await Assert.ThrowsAsync<MongoWriteException>(() => view.InsertOneAsync(D("{_id: 100}")));
        Assert.Equal(166, insert.WriteError.Code);
        Assert.Equal("Namespace v.big is a view, not a collection", insert.WriteError.Message);
        var update = await Assert.ThrowsAsync<MongoWriteException>(() => view.UpdateOneAsync(D("{_id: 3}"), D("{$set: {y: 1}}")));
        Assert.Equal(166, update.WriteError.Code);
        var delete = await Assert.ThrowsAsync<MongoWriteException>(() => view.DeleteManyAsync(FilterDefinition<O.BsonDocument>.Empty));
        Assert.Equal(166, delete.WriteError.Code);
        var bulk = await Assert.ThrowsAsync<MongoBulkWriteException<O.BsonDocument>>(() => view.BulkWriteAsync(
            [new InsertOneModel<O.BsonDocument>(D("{_id: 101}")), new DeleteOneModel<O.BsonDocument>(D("{_id: 3}"))],
            new BulkWriteOptions { IsOrdered = false }));
        Assert.All(bulk.WriteErrors, e => Assert.Equal(166, e.Code));
        Assert.Equal(2, bulk.WriteErrors.Count);

        var findAndModify = await Assert.ThrowsAsync<MongoCommandException>(() => view.FindOneAndUpdateAsync(D("{_id: 3}"), D("{$set: {y: 1}}")));
        Assert.Equal(166, findAndModify.Code);
        var index = await Assert.ThrowsAsync<MongoCommandException>(() => view.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(D("{x: 1}"))));
        Assert.Equal(166, index.Code);
        var listIndexes = await Assert.ThrowsAsync<MongoCommandException>(() => view.Indexes.ListAsync());
        Assert.Equal(166, listIndexes.Code);
        Assert.Equal("CommandNotSupportedOnView", listIndexes.CodeName);
        Assert.Equal(166, (await Fails("{dropIndexes: 'big', index: '*'}")).Code);

        // An aggregation may not write into a view either, but reading a view into a collection is fine.
        Assert.Equal(166, (await Fails("{aggregate: 'src', pipeline: [{$out: 'big'}], cursor: {}}")).Code);
        await Run("{aggregate: 'big', pipeline: [{$out: 'copy'}], cursor: {}}");
        Assert.Equal(4, await _db.GetCollection<O.BsonDocument>("copy").CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));

        // Nothing reached the source.
        Assert.Equal(6, await _source.CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));
        Assert.Null(await _source.Find(D("{y: {$exists: true}}")).FirstOrDefaultAsync());
    }

    [Fact]
    public async Task ListCollections_reports_views_with_their_definition()
    {
        await CreateBigView();
        var names = await (await _db.ListCollectionNamesAsync()).ToListAsync();
        Assert.Equal(["big", "src"], names.Order());

        var views = await (await _db.ListCollectionsAsync(new ListCollectionsOptions { Filter = D("{type: 'view'}") })).ToListAsync();
        var entry = Assert.Single(views);
        Assert.Equal(
            D("{name: 'big', type: 'view', options: {viewOn: 'src', pipeline: [{$match: {_id: {$gt: 2}}}, {$addFields: {double: {$multiply: ['$x', 2]}}}]}, info: {readOnly: true}}"),
            entry);

        var nameOnly = await Run("{listCollections: 1, nameOnly: true}");
        Assert.Equal([D("{name: 'big', type: 'view'}"), D("{name: 'src', type: 'collection'}")], nameOnly["cursor"]["firstBatch"].AsBsonArray);
        var byOption = await Run("{listCollections: 1, filter: {'options.viewOn': 'src'}}");
        Assert.Equal("big", byOption["cursor"]["firstBatch"][0]["name"].AsString);

        // A view with no pipeline lists an empty one.
        await Run("{create: 'plain', viewOn: 'src'}");
        var plain = await Run("{listCollections: 1, filter: {name: 'plain'}}");
        Assert.Equal(D("{viewOn: 'src', pipeline: []}"), plain["cursor"]["firstBatch"][0]["options"].AsBsonDocument);

        var stats = await Run("{dbStats: 1}");
        Assert.Equal(2, stats["views"].AsInt32);
        Assert.Equal(1, stats["collections"].AsInt32);
    }

    [Fact]
    public async Task Dropping_the_source_leaves_the_view_reading_empty()
    {
        await CreateBigView();
        await _db.DropCollectionAsync("src");
        var view = View("big");
        Assert.Empty(await view.Find(FilterDefinition<O.BsonDocument>.Empty).ToListAsync());
        Assert.Equal(0, await view.EstimatedDocumentCountAsync());
        Assert.Equal(["big"], await (await _db.ListCollectionNamesAsync()).ToListAsync());
        // The database lives on with only a view in it.
        Assert.Contains("v", await (await Client.ListDatabaseNamesAsync()).ToListAsync());

        await _source.InsertOneAsync(D("{_id: 9, x: 1}"));
        Assert.Equal(1, await view.CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));

        // Dropping the view leaves the source; a view on a missing name is allowed and reads empty.
        await _db.DropCollectionAsync("big");
        Assert.Equal(["src"], await (await _db.ListCollectionNamesAsync()).ToListAsync());
        Assert.Equal(1, await _source.CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));
        await Run("{create: 'ghost', viewOn: 'nothing'}");
        Assert.Empty(await View("ghost").Find(FilterDefinition<O.BsonDocument>.Empty).ToListAsync());
    }

    [Fact]
    public async Task CollMod_changes_a_views_definition()
    {
        await CreateBigView();
        await Run("{collMod: 'big', pipeline: [{$match: {tag: 'odd'}}]}");
        Assert.Equal([1, 3, 5], (await View("big").Find(FilterDefinition<O.BsonDocument>.Empty).ToListAsync()).Select(d => d["_id"].AsInt32));

        await Run("{create: 'other', viewOn: 'src', pipeline: [{$match: {_id: 6}}]}");
        await Run("{collMod: 'big', viewOn: 'other'}");
        Assert.Empty(await View("big").Find(FilterDefinition<O.BsonDocument>.Empty).ToListAsync());
        var listed = await Run("{listCollections: 1, filter: {name: 'big'}}");
        Assert.Equal(D("{viewOn: 'other', pipeline: [{$match: {tag: 'odd'}}]}"), listed["cursor"]["firstBatch"][0]["options"].AsBsonDocument);

        Assert.Equal(72, (await Fails("{collMod: 'big', validator: {x: 1}}")).Code);
        Assert.Equal(72, (await Fails("{collMod: 'src', viewOn: 'big', pipeline: []}")).Code);
        Assert.Equal(14, (await Fails("{collMod: 'big', pipeline: {$match: {}}}")).Code);
        // other reads big would make a loop: other -> big -> other.
        var cycle = await Fails("{collMod: 'other', viewOn: 'big'}");
        Assert.Equal(5, cycle.Code);
        Assert.Equal("View cycle detected: v.other => v.big => v.other", cycle.ErrorMessage);
        Assert.Equal(5, (await Fails("{collMod: 'other', pipeline: [{$lookup: {from: 'big', localField: 'a', foreignField: 'a', as: 'j'}}]}")).Code);
    }

    [Fact]
    public async Task Invalid_view_definitions_are_refused_as_the_server_refuses_them()
    {
        Assert.Equal(14, (await Fails("{create: 'bad', viewOn: 1}")).Code);
        Assert.Equal(14, (await Fails("{create: 'bad', viewOn: 'src', pipeline: {$match: {}}}")).Code);
        Assert.Equal(14, (await Fails("{create: 'bad', viewOn: 'src', pipeline: [1]}")).Code);
        Assert.Equal(2, (await Fails("{create: 'bad', viewOn: ''}")).Code);
        var noViewOn = await Fails("{create: 'bad', pipeline: []}");
        Assert.Equal(72, noViewOn.Code);
        Assert.Equal("'pipeline' requires 'viewOn' to also be specified", noViewOn.ErrorMessage);
        Assert.Equal(72, (await Fails("{create: 'bad', viewOn: 'src', capped: true, size: 4096}")).Code);
        Assert.Equal(72, (await Fails("{create: 'bad', viewOn: 'src', validator: {x: 1}}")).Code);
        Assert.Equal(72, (await Fails("{create: 'bad', viewOn: 'src', idIndex: {key: {_id: 1}, name: '_id_'}}")).Code);
        Assert.Equal(40415, (await Fails("{create: 'bad', viewOn: 'src', bogus: 1}")).Code);
        Assert.Equal(40324, (await Fails("{create: 'bad', viewOn: 'src', pipeline: [{$nope: 1}]}")).Code);
        Assert.Equal(167, (await Fails("{create: 'bad', viewOn: 'src', pipeline: [{$out: 'x'}]}")).Code);
        Assert.Equal(40600, (await Fails("{create: 'bad', viewOn: 'src', pipeline: [{$facet: {a: [{$out: 'x'}]}}]}")).Code);
        Assert.Equal(5, (await Fails("{create: 'self', viewOn: 'self'}")).Code);
        Assert.Equal(73, (await Fails("{create: 'system.views', viewOn: 'src'}")).Code);
        Assert.Equal(73, (await Fails("{create: 'bad$', viewOn: 'src'}")).Code);
        // Nothing half-created is left behind.
        Assert.Equal(["src"], await (await _db.ListCollectionNamesAsync()).ToListAsync());
        Assert.Null(await _db.GetCollection<O.BsonDocument>("x").Find(FilterDefinition<O.BsonDocument>.Empty).FirstOrDefaultAsync());

        // Names are shared with collections; creating the same view again is allowed, a different one is not.
        Assert.Equal(48, (await Fails("{create: 'src', viewOn: 'src'}")).Code);
        await CreateBigView();
        await CreateBigView();
        var different = await Fails("{create: 'big', viewOn: 'src', pipeline: []}");
        Assert.Equal(48, different.Code);
        Assert.StartsWith("namespace 'v.big' already exists, but with pipeline", different.ErrorMessage);
        Assert.Equal(48, (await Fails("{create: 'big'}")).Code);
        var rename = await Assert.ThrowsAsync<MongoCommandException>(() => Client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(D("{renameCollection: 'v.src', to: 'v.big'}")));
        Assert.Equal(48, rename.Code);
    }

    [Fact]
    public async Task A_views_collation_is_its_own_and_cannot_be_overridden()
    {
        await _db.GetCollection<O.BsonDocument>("names").InsertManyAsync([D("{_id: 1, n: 'b'}"), D("{_id: 2, n: 'A'}"), D("{_id: 3, n: 'a'}")]);
        await Run("{create: 'folded', viewOn: 'names', pipeline: [{$match: {n: 'a'}}], collation: {locale: 'en', strength: 2}}");

        // The view's pipeline and the reads through it compare case-insensitively.
        var view = View("folded");
        Assert.Equal([2, 3], (await view.Find(FilterDefinition<O.BsonDocument>.Empty).ToListAsync()).Select(d => d["_id"].AsInt32));
        Assert.Equal(2, await view.CountDocumentsAsync(D("{n: 'A'}")));
        var listed = await Run("{listCollections: 1, filter: {name: 'folded'}}");
        Assert.Equal("en", listed["cursor"]["firstBatch"][0]["options"]["collation"]["locale"].AsString);

        Assert.Equal(167, (await Fails("{find: 'folded', collation: {locale: 'fr'}}")).Code);
        Assert.Equal(167, (await Fails("{create: 'simpleOnFolded', viewOn: 'folded'}")).Code);
        await Run("{find: 'folded', collation: {locale: 'en', strength: 2}}");
    }

    [Fact]
    public async Task Views_live_and_die_with_their_database()
    {
        await CreateBigView();
        await Client.DropDatabaseAsync("v");
        Assert.DoesNotContain("v", await (await Client.ListDatabaseNamesAsync()).ToListAsync());
        // The name is free again, for a collection this time.
        await View("big").InsertOneAsync(D("{_id: 1}"));
        Assert.Equal(1, await View("big").CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));
    }
}
