using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>
/// find's min, max, returnKey, showRecordId and noCursorTimeout through the official driver, with mongod's answers and
/// errors (51173, 51174, 51175, 51176, and the refusal on views).
/// </summary>
public sealed class FidelityFindIndexOptionsTests : IAsyncLifetime
{
    private InMemoryMongoServer _server = null!;
    private MongoClient _client = null!;
    private IMongoCollection<O.BsonDocument> _items = null!;

    public async Task InitializeAsync()
    {
        _server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { CursorTimeout = TimeSpan.FromMilliseconds(300) });
        _client = new MongoClient(_server.ConnectionString);
        _items = _client.GetDatabase("findopts").GetCollection<O.BsonDocument>("items");
        await _items.InsertManyAsync(Enumerable.Range(1, 10).Select(i => new O.BsonDocument { { "_id", i }, { "a", i * 10 }, { "b", i % 3 } }));
        await _items.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(new O.BsonDocument("a", 1)));
        await _items.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(new O.BsonDocument { { "b", -1 }, { "a", 1 } }));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static List<int> Ids(IEnumerable<O.BsonDocument> docs) => docs.Select(d => d["_id"].AsInt32).ToList();

    [Fact]
    public async Task Min_and_max_bound_the_hinted_index_range()
    {
        var options = new FindOptions<O.BsonDocument> { Hint = "a_1", Min = new O.BsonDocument("a", 30), Max = new O.BsonDocument("a", 70) };
        var docs = await (await _items.FindAsync(O.BsonDocument.Parse("{}"), options)).ToListAsync();
        Assert.Equal([3, 4, 5, 6], Ids(docs)); // min inclusive, max exclusive
    }

    [Fact]
    public async Task Min_alone_and_the_filter_combine()
    {
        var options = new FindOptions<O.BsonDocument> { Hint = new O.BsonDocument("a", 1), Min = new O.BsonDocument("a", 60) };
        var docs = await (await _items.FindAsync(O.BsonDocument.Parse("{ b: { $ne: 0 } }"), options)).ToListAsync();
        Assert.Equal([7, 8, 10], Ids(docs));
    }

    [Fact]
    public async Task Bounds_follow_a_compound_index_order_with_descending_fields()
    {
        // Index {b: -1, a: 1}: b descending, then a ascending. From (b 2, a 50) up to (b 1, a 40), excluded.
        var options = new FindOptions<O.BsonDocument>
        {
            Hint = "b_-1_a_1",
            Min = new O.BsonDocument { { "b", 2 }, { "a", 50 } },
            Max = new O.BsonDocument { { "b", 1 }, { "a", 40 } },
        };
        var docs = await (await _items.FindAsync(O.BsonDocument.Parse("{}"), options)).ToListAsync();
        Assert.Equal([5, 8, 1], Ids(docs)); // b=2: a 50, 80; then b=1: a 10 (a 40 is the excluded max)
    }

    [Fact]
    public async Task Min_without_a_hint_is_51173()
    {
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => _items.FindAsync(O.BsonDocument.Parse("{}"), new FindOptions<O.BsonDocument> { Min = new O.BsonDocument("a", 1) }));
        Assert.Equal(51173, ex.Code);
        Assert.EndsWith("When using min()/max() a hint of which index to use must be provided", ex.ErrorMessage);
    }

    [Theory]
    [InlineData("{ b: 1 }")] // not the index's field
    [InlineData("{ a: 1, b: 1 }")] // more fields than the key
    public async Task Bounds_that_do_not_name_the_key_are_51174(string bound)
    {
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => _items.FindAsync(
            O.BsonDocument.Parse("{}"), new FindOptions<O.BsonDocument> { Hint = "a_1", Max = O.BsonDocument.Parse(bound) }));
        Assert.Equal(51174, ex.Code);
        Assert.EndsWith("The index chosen is not compatible with min/max", ex.ErrorMessage);
    }

    [Fact]
    public async Task Min_not_below_max_is_51175()
    {
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => _items.FindAsync(
            O.BsonDocument.Parse("{}"), new FindOptions<O.BsonDocument> { Hint = "a_1", Min = new O.BsonDocument("a", 50), Max = new O.BsonDocument("a", 50) }));
        Assert.Equal(51175, ex.Code);
    }

    [Fact]
    public async Task Min_and_max_with_different_fields_are_51176()
    {
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => _items.FindAsync(
            O.BsonDocument.Parse("{}"), new FindOptions<O.BsonDocument> { Hint = "a_1", Min = new O.BsonDocument("a", 50), Max = new O.BsonDocument("b", 1) }));
        Assert.Equal(51176, ex.Code);
        Assert.Equal("min and max must have the same field names", ex.ErrorMessage);
    }

    [Fact]
    public async Task ReturnKey_returns_the_hinted_index_keys()
    {
        var options = new FindOptions<O.BsonDocument> { Hint = "b_-1_a_1", ReturnKey = true, Limit = 3 };
        var docs = await (await _items.FindAsync(O.BsonDocument.Parse("{}"), options)).ToListAsync();
        Assert.Equal(
            [O.BsonDocument.Parse("{ b: 2, a: 20 }"), O.BsonDocument.Parse("{ b: 2, a: 50 }"), O.BsonDocument.Parse("{ b: 2, a: 80 }")],
            docs);
    }

    [Fact]
    public async Task ReturnKey_sorted_by_id_uses_the_id_index_and_hides_the_record_id()
    {
        // The command-monitoring spec's case: {filter: {}, sort: {_id: 1}, showRecordId, returnKey} gives {_id: n} only.
        var options = new FindOptions<O.BsonDocument> { Sort = new O.BsonDocument("_id", 1), ReturnKey = true, ShowRecordId = true, Limit = 2 };
        var docs = await (await _items.FindAsync(O.BsonDocument.Parse("{}"), options)).ToListAsync();
        Assert.Equal([new O.BsonDocument("_id", 1), new O.BsonDocument("_id", 2)], docs);
    }

    [Fact]
    public async Task ReturnKey_on_a_collection_scan_returns_empty_documents()
    {
        var docs = await (await _items.FindAsync(O.BsonDocument.Parse("{ c: { $exists: false } }"), new FindOptions<O.BsonDocument> { ReturnKey = true, Limit = 2 })).ToListAsync();
        Assert.Equal([new O.BsonDocument(), new O.BsonDocument()], docs);
    }

    [Fact]
    public async Task ReturnKey_when_several_indexes_could_serve_is_refused_clearly()
    {
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => _items.FindAsync(O.BsonDocument.Parse("{ a: 10, b: 1 }"), new FindOptions<O.BsonDocument> { ReturnKey = true }));
        Assert.Equal(238, ex.Code);
        Assert.Contains("add a hint", ex.ErrorMessage);
    }

    [Fact]
    public async Task ShowRecordId_adds_increasing_record_ids_that_stay_with_their_documents()
    {
        var options = new FindOptions<O.BsonDocument> { ShowRecordId = true, Sort = new O.BsonDocument("_id", 1) };
        var before = await (await _items.FindAsync(O.BsonDocument.Parse("{}"), options)).ToListAsync();
        var ids = before.Select(d => d["$recordId"].AsInt64).ToList();
        Assert.Equal(ids.OrderBy(i => i), ids); // insertion order
        Assert.Equal(ids.Count, ids.Distinct().Count());

        await _items.DeleteOneAsync(new O.BsonDocument("_id", 1));
        await _items.InsertOneAsync(new O.BsonDocument { { "_id", 11 }, { "a", 110 } });
        var after = await (await _items.FindAsync(O.BsonDocument.Parse("{}"), options)).ToListAsync();
        Assert.Equal(before[1]["$recordId"], after[0]["$recordId"]); // _id 2 keeps its number
        Assert.True(after[^1]["$recordId"].AsInt64 > ids.Max()); // the new document is numbered after every earlier one
    }

    [Fact]
    public async Task Index_options_on_a_view_are_refused_as_mongod_does()
    {
        var db = _client.GetDatabase("findopts");
        await db.CreateViewAsync<O.BsonDocument, O.BsonDocument>("itemsView", "items", PipelineDefinition<O.BsonDocument, O.BsonDocument>.Create(Array.Empty<O.BsonDocument>()));
        var view = db.GetCollection<O.BsonDocument>("itemsView");
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => view.FindAsync(O.BsonDocument.Parse("{}"), new FindOptions<O.BsonDocument> { ShowRecordId = true }));
        Assert.Equal(168, ex.Code);
        Assert.Equal("Option showRecordId not supported in aggregation.", ex.ErrorMessage);
    }

    [Theory]
    [InlineData("min", "1", "BSON field 'FindCommandRequest.min' is the wrong type 'int', expected type 'object'")]
    [InlineData("returnKey", "'yes'", "BSON field 'FindCommandRequest.returnKey' is the wrong type 'string', expected type 'bool'")]
    public async Task Wrongly_typed_options_are_TypeMismatch(string field, string value, string message)
    {
        var command = O.BsonDocument.Parse("{ find: 'items', " + field + ": " + value + " }");
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => _client.GetDatabase("findopts").RunCommandAsync<O.BsonDocument>(command));
        Assert.Equal(14, ex.Code);
        Assert.Equal(message, ex.ErrorMessage);
    }

    [Fact]
    public async Task NoCursorTimeout_keeps_an_idle_cursor_the_reaper_kills_otherwise()
    {
        var db = _client.GetDatabase("findopts");
        var kept = await db.RunCommandAsync<O.BsonDocument>(O.BsonDocument.Parse("{ find: 'items', batchSize: 1, noCursorTimeout: true }"));
        var reaped = await db.RunCommandAsync<O.BsonDocument>(O.BsonDocument.Parse("{ find: 'items', batchSize: 1 }"));
        long keptId = kept["cursor"]["id"].ToInt64();
        long reapedId = reaped["cursor"]["id"].ToInt64();

        // The server's cursor timeout is 300 ms here; poll serverStatus (which touches no cursor) generously until the
        // ordinary cursor has been reaped.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await db.RunCommandAsync<O.BsonDocument>(new O.BsonDocument("serverStatus", 1)))["metrics"]["cursor"]["timedOut"].ToInt64() < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the idle cursor was never reaped");
            await Task.Delay(200);
        }

        var gone = await Assert.ThrowsAsync<MongoCommandException>(() => db.RunCommandAsync<O.BsonDocument>(new O.BsonDocument { { "getMore", reapedId }, { "collection", "items" }, { "batchSize", 1 } }));
        Assert.Equal(43, gone.Code);
        var next = await db.RunCommandAsync<O.BsonDocument>(new O.BsonDocument { { "getMore", keptId }, { "collection", "items" }, { "batchSize", 1 } });
        Assert.Single(next["cursor"]["nextBatch"].AsBsonArray);
    }
}
