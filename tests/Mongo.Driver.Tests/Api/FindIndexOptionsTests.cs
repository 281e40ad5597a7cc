using Mongo.Bson;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Api;

/// <summary>
/// The find options that walk an index (min, max, returnKey, showRecordId) and noCursorTimeout/allowPartialResults:
/// sent by FindOptions and the fluent query, answered by the server.
/// </summary>
public sealed class FindIndexOptionsTests(MongoServerFixture server) : ServerClientTestBase(server)
{
    private async Task<MongoCollection<BsonDocument>> ItemsAsync()
    {
        var collection = Client.GetDatabase("findopts").GetCollection("items" + Guid.NewGuid().ToString("N")[..8]);
        await collection.InsertManyAsync(Enumerable.Range(1, 6).Select(i => new BsonDocument { { "_id", i }, { "a", 7 - i } }));
        await collection.CreateIndexAsync(IndexKeys.Ascending("a"));
        return collection;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FluentMinMaxWalkTheHintedIndexRange(bool async)
    {
        var collection = await ItemsAsync();
        var query = collection.Find(Filter.Empty).Hint("a_1").Min(new BsonDocument("a", 2)).Max(new BsonDocument("a", 5));
        var docs = async ? await query.ToListAsync() : query.ToList();
        Assert.Equal([5, 4, 3], docs.Select(d => d["_id"].AsInt32)); // a = 2, 3, 4 in index order
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FindOptionsReturnKeyAndShowRecordId(bool async)
    {
        var collection = await ItemsAsync();
        var keysQuery = collection.Find(Filter.Empty, new FindOptions { Hint = "a_1", ReturnKey = true, Limit = 2 });
        var keys = async ? await keysQuery.ToListAsync() : keysQuery.ToList();
        Assert.Equal([new BsonDocument("a", 1), new BsonDocument("a", 2)], keys);

        var withIds = collection.Find(Filter.Empty).Sort(Sort.Ascending("_id")).ShowRecordId();
        var docs = async ? await withIds.ToListAsync() : withIds.ToList();
        var recordIds = docs.Select(d => d["$recordId"].ToInt64()).ToList();
        Assert.Equal(6, recordIds.Distinct().Count());
        Assert.Equal(recordIds.Order(), recordIds);
    }

    [Fact]
    public async Task MinWithoutHintIsTheServersError()
    {
        var collection = await ItemsAsync();
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => collection.Find(Filter.Empty).Min(new BsonDocument("a", 2)).ToListAsync());
        Assert.Equal(51173, ex.Code);
    }

    [Fact]
    public async Task NoCursorTimeoutAndAllowPartialResultsAreAccepted()
    {
        var collection = await ItemsAsync();
        var docs = await collection.Find(Filter.Empty, new FindOptions { NoCursorTimeout = true, AllowPartialResults = true, BatchSize = 2 }).ToListAsync();
        Assert.Equal(6, docs.Count);
    }
}
