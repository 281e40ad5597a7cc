using Mongo.InMemory.Engine;
using MongoDB.Driver;
using Xunit;
using B = Mongo.Bson;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>
/// Find results of stored documents that a query has materialised are copies over bytes encoded once and kept beside
/// the stored document; an update stores a new document, so nothing read afterwards may come from the old bytes.
/// </summary>
public sealed class StoredDocumentBytesTests : IAsyncLifetime
{
    private InMemoryMongoServer _server = null!;
    private MongoClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        var settings = MongoClientSettings.FromConnectionString(_server.ConnectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(10);
        _client = new MongoClient(settings);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private IMongoCollection<O.BsonDocument> Items => _client.GetDatabase("bytes").GetCollection<O.BsonDocument>("items");

    private B.BsonDocument StoredById(int id) =>
        _server.State.Storage.GetCollection("bytes", "items")!.Documents.Single(d => d["_id"].ToInt32() == id);

    private static O.BsonDocument Item(int id, string text) => new() { { "_id", id }, { "text", text }, { "n", id * 10 }, { "tags", new O.BsonArray { "a", id } } };

    [Fact]
    public void Result_copy_of_a_materialised_document_is_encoded_once_and_equal_to_it()
    {
        var stored = B.BsonDocument.FromBytes(B.BsonDocument.Parse("""{ "_id": 1, "a": { "b": [1, "two"] }, "s": "héllo" }""").ToBytes());
        _ = stored["s"]; // materialise it, as a filter on a later field does
        Assert.True(stored.UnmaterializedBytes.IsEmpty);
        Assert.False(StoredDocumentBytes.HasBytes(stored));

        B.BsonDocument first = StoredDocumentBytes.ResultCopy(stored);
        Assert.True(StoredDocumentBytes.HasBytes(stored));
        Assert.Equal(stored.ToBytes(), first.UnmaterializedBytes.ToArray());
        Assert.Equal(stored, first);

        // The copy is private: changing it leaves the stored document and the next copy alone.
        first.Set("s", "changed");
        B.BsonDocument second = StoredDocumentBytes.ResultCopy(stored);
        Assert.Equal("héllo", second["s"].ToString());
        Assert.Equal("héllo", stored["s"].ToString());
        Assert.False(second.UnmaterializedBytes.IsEmpty);
    }

    [Fact]
    public void Result_copy_of_a_still_encoded_document_shares_its_bytes_and_keeps_none()
    {
        // Over 256 bytes: Mongo.Bson decodes smaller documents at once, larger ones stay encoded until read.
        var stored = B.BsonDocument.FromBytes(new B.BsonDocument { { "_id", 2 }, { "x", new string('x', 400) } }.ToBytes());
        Assert.False(stored.UnmaterializedBytes.IsEmpty);
        B.BsonDocument copy = StoredDocumentBytes.ResultCopy(stored);
        Assert.Equal(stored.UnmaterializedBytes.ToArray(), copy.UnmaterializedBytes.ToArray());
        Assert.False(StoredDocumentBytes.HasBytes(stored));
    }

    [Fact]
    public async Task Finds_use_the_kept_bytes_and_see_every_update()
    {
        // Documents this small are stored materialised (Mongo.Bson decodes up to 256 bytes at once), so every find
        // of them goes through the kept bytes.
        await Items.InsertManyAsync(Enumerable.Range(1, 50).Select(i => Item(i, "v1")));
        var filter = new O.BsonDocument("tags", "a");
        var found = await Items.Find(filter).Sort(new O.BsonDocument("_id", 1)).ToListAsync();
        Assert.Equal(50, found.Count);
        Assert.Equal(O.BsonExtensionMethods.ToBson(Item(7, "v1")), O.BsonExtensionMethods.ToBson(found[6]));
        Assert.True(StoredById(7).UnmaterializedBytes.IsEmpty);
        Assert.True(StoredDocumentBytes.HasBytes(StoredById(7)));

        await Items.UpdateOneAsync(new O.BsonDocument("_id", 7), new O.BsonDocument("$set", new O.BsonDocument("text", "v2")));
        await Items.ReplaceOneAsync(new O.BsonDocument("_id", 8), Item(8, "v3"));
        await Items.DeleteOneAsync(new O.BsonDocument("_id", 9));
        Assert.False(StoredDocumentBytes.HasBytes(StoredById(7))); // a new stored document: nothing kept yet

        var all = await Items.Find(filter).Sort(new O.BsonDocument("_id", 1)).ToListAsync();
        Assert.Equal(49, all.Count);
        Assert.Equal(O.BsonExtensionMethods.ToBson(Item(7, "v2")), O.BsonExtensionMethods.ToBson(all[6]));
        Assert.Equal(O.BsonExtensionMethods.ToBson(Item(8, "v3")), O.BsonExtensionMethods.ToBson(all[7]));
        Assert.Equal(10, all[8]["_id"].AsInt32);

        // Read again through the kept bytes of the new documents: still the new content.
        Assert.True(StoredDocumentBytes.HasBytes(StoredById(7)));
        var again = await Items.Find(new O.BsonDocument { { "_id", new O.BsonDocument("$in", new O.BsonArray { 7, 8 }) }, { "tags", "a" } }).Sort(new O.BsonDocument("_id", 1)).ToListAsync();
        Assert.Equal(["v2", "v3"], again.Select(d => d["text"].AsString));
    }

    [Fact]
    public async Task Transactions_read_their_own_writes_and_others_see_them_only_after_commit()
    {
        await Items.InsertManyAsync(Enumerable.Range(1, 5).Select(i => Item(i, "v1")));
        var filter = new O.BsonDocument("tags", "a");
        Assert.Equal(5, (await Items.Find(filter).ToListAsync()).Count);
        Assert.True(StoredDocumentBytes.HasBytes(StoredById(1))); // materialised by the filter, bytes kept

        using (var aborted = await _client.StartSessionAsync())
        {
            aborted.StartTransaction();
            await Items.UpdateOneAsync(aborted, new O.BsonDocument("_id", 1), new O.BsonDocument("$set", new O.BsonDocument("text", "aborted")));
            Assert.Equal("aborted", (await Items.Find(aborted, filter).Sort(new O.BsonDocument("_id", 1)).FirstAsync())["text"].AsString);
            Assert.Equal("v1", (await Items.Find(filter).Sort(new O.BsonDocument("_id", 1)).FirstAsync())["text"].AsString);
            await aborted.AbortTransactionAsync();
        }

        Assert.Equal("v1", (await Items.Find(filter).Sort(new O.BsonDocument("_id", 1)).FirstAsync())["text"].AsString);

        using var committed = await _client.StartSessionAsync();
        committed.StartTransaction();
        await Items.UpdateOneAsync(committed, new O.BsonDocument("_id", 2), new O.BsonDocument("$set", new O.BsonDocument("text", "committed")));
        var inside = await Items.Find(committed, filter).Sort(new O.BsonDocument("_id", 1)).ToListAsync();
        Assert.Equal("committed", inside[1]["text"].AsString);
        Assert.Equal("v1", (await Items.Find(filter).Sort(new O.BsonDocument("_id", 1)).ToListAsync())[1]["text"].AsString);
        await committed.CommitTransactionAsync();

        var after = await Items.Find(filter).Sort(new O.BsonDocument("_id", 1)).ToListAsync();
        Assert.Equal(["v1", "committed", "v1", "v1", "v1"], after.Select(d => d["text"].AsString));
        Assert.Equal(O.BsonExtensionMethods.ToBson(Item(3, "v1")), O.BsonExtensionMethods.ToBson(after[2]));
    }

    [Fact]
    public async Task Projected_and_batched_results_are_unchanged()
    {
        await Items.InsertManyAsync(Enumerable.Range(1, 300).Select(i => Item(i, "p")));
        var filter = new O.BsonDocument("tags", "a");
        var projected = await Items.Find(filter).Project(new O.BsonDocument { { "n", 1 }, { "_id", 0 } }).Sort(new O.BsonDocument("_id", 1)).ToListAsync();
        Assert.Equal(300, projected.Count);
        Assert.Equal(new O.BsonDocument("n", 30), projected[2]);

        // Small batches: the documents come back over many getMores, each the same bytes as inserted.
        var batched = await Items.Find(filter, new FindOptions { BatchSize = 7 }).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 300), batched.Select(d => d["_id"].AsInt32));
        Assert.All(batched, d => Assert.Equal(O.BsonExtensionMethods.ToBson(Item(d["_id"].AsInt32, "p")), O.BsonExtensionMethods.ToBson(d)));
    }
}
