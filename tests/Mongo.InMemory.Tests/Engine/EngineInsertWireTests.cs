using Mongo.InMemory;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// Batch inserts over the wire (the official driver sends them as a document sequence), which the server stores
/// without copying: results, write errors, and the stored documents themselves.
/// </summary>
public sealed class EngineInsertWireTests : OfficialDriverTestBase
{
    private IMongoCollection<O.BsonDocument> Coll(string name) => Client.GetDatabase("test").GetCollection<O.BsonDocument>(name);

    private static List<O.BsonDocument> Batch(int count, int duplicateAt) => Enumerable.Range(0, count)
        .Select(i => new O.BsonDocument { { "name", "n" + i }, { "nested", new O.BsonDocument("v", i) }, { "list", new O.BsonArray { i, "x" } }, { "_id", i == duplicateAt ? 0 : i } })
        .ToList();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_duplicate_in_a_batch_stops_an_ordered_insert_and_is_skipped_by_an_unordered_one(bool ordered)
    {
        var c = Coll("dup" + ordered);
        var ex = await Assert.ThrowsAsync<MongoBulkWriteException<O.BsonDocument>>(() =>
            c.InsertManyAsync(Batch(1000, duplicateAt: 500), new InsertManyOptions { IsOrdered = ordered }));
        var error = Assert.Single(ex.WriteErrors);
        Assert.Equal(500, error.Index);
        Assert.Equal(11000, error.Code);
        Assert.Equal("E11000 duplicate key error collection: test.dup" + ordered + " index: _id_ dup key: { _id: 0 }", error.Message);
        Assert.Equal(ordered ? 500 : 999, await c.CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));
    }

    [Fact]
    public async Task Stored_documents_are_what_was_sent_with_id_first_and_independent_of_each_other()
    {
        var c = Coll("stored");
        var sent = Batch(200, duplicateAt: -1);
        await c.InsertManyAsync(sent);
        await c.InsertOneAsync(new O.BsonDocument("noId", true));
        var stored = await c.Find(FilterDefinition<O.BsonDocument>.Empty).ToListAsync();
        Assert.Equal(201, stored.Count);
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal("_id", stored[i].GetElement(0).Name);
            Assert.Equal(i, stored[i]["_id"].AsInt32);
            Assert.Equal(sent[i]["nested"], stored[i]["nested"]);
            Assert.Equal(sent[i]["list"], stored[i]["list"]);
        }

        Assert.Equal(O.BsonType.ObjectId, stored[200]["_id"].BsonType);

        // Documents of one batch share field names, never values: updating one leaves the others alone.
        await c.UpdateOneAsync(new O.BsonDocument("_id", 1), new O.BsonDocument("$set", new O.BsonDocument("nested.v", -1)));
        await c.UpdateOneAsync(new O.BsonDocument("_id", 2), new O.BsonDocument("$push", new O.BsonDocument("list", "y")));
        var one = await c.Find(new O.BsonDocument("_id", 1)).SingleAsync();
        var two = await c.Find(new O.BsonDocument("_id", 2)).SingleAsync();
        var three = await c.Find(new O.BsonDocument("_id", 3)).SingleAsync();
        Assert.Equal(-1, one["nested"]["v"].AsInt32);
        Assert.Equal(3, two["list"].AsBsonArray.Count);
        Assert.Equal(new O.BsonDocument("v", 3), three["nested"]);
        Assert.Equal(2, three["list"].AsBsonArray.Count);
    }

    [Fact]
    public async Task Invalid_documents_in_a_batch_become_write_errors_with_their_index()
    {
        var c = Coll("invalid");
        var docs = new List<O.BsonDocument> { new() { { "_id", 1 } }, new() { { "_id", new O.BsonArray { 1 } } }, new() { { "_id", 3 } } };
        var ex = await Assert.ThrowsAsync<MongoBulkWriteException<O.BsonDocument>>(() => c.InsertManyAsync(docs, new InsertManyOptions { IsOrdered = false }));
        var error = Assert.Single(ex.WriteErrors);
        Assert.Equal(1, error.Index);
        Assert.Equal(53, error.Code);
        Assert.Equal(2, await c.CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));
    }
}
