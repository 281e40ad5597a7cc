using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>
/// The server keeps inserted documents as Mongo.Bson decoded them: a large one stays in its validated bytes until a
/// query needs its fields, and is sent back by copying them, so the official driver reads exactly what it wrote.
/// </summary>
public sealed class FidelityLazyStorageTests : IAsyncLifetime
{
    private InMemoryMongoServer _server = null!;

    public async Task InitializeAsync() => _server = await InMemoryMongoServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static O.BsonDocument Wide(int fields)
    {
        var doc = new O.BsonDocument("_id", O.ObjectId.GenerateNewId());
        for (int i = 0; i < fields; i++)
        {
            doc.Add("field" + i, i % 3 == 0 ? (O.BsonValue)("text " + i) : i % 3 == 1 ? i : new O.BsonDocument("n", i));
        }

        return doc;
    }

    [Fact]
    public async Task Large_inserted_document_is_stored_encoded_and_read_back_byte_for_byte()
    {
        using var client = new MongoClient(_server.ConnectionString);
        var collection = client.GetDatabase("test").GetCollection<O.BsonDocument>("lazy");
        O.BsonDocument sent = Wide(5000);
        await collection.InsertOneAsync(sent);

        Mongo.Bson.BsonDocument stored = Assert.Single(_server.State.Storage.GetCollection("test", "lazy")!.Documents);
        byte[] sentBytes = O.BsonExtensionMethods.ToBson(sent);
        Assert.Equal(sentBytes, stored.UnmaterializedBytes.ToArray()); // the _id check and index insert did not materialise it
        Assert.Equal(sentBytes.Length, stored.GetEncodedSize());

        var found = await collection.Find(new O.BsonDocument("_id", sent["_id"])).SingleAsync();
        Assert.Equal(sentBytes, O.BsonExtensionMethods.ToBson(found));

        // A query on a later field materialises the stored document; it still matches and reads back the same.
        var byField = await collection.Find(new O.BsonDocument("field4996", 4996)).SingleAsync();
        Assert.Equal(sentBytes, O.BsonExtensionMethods.ToBson(byField));
        Assert.True(stored.UnmaterializedBytes.IsEmpty);
    }

    [Fact]
    public async Task Document_without_leading_id_gets_it_moved_first_and_updates_change_the_stored_copy()
    {
        using var client = new MongoClient(_server.ConnectionString);
        var collection = client.GetDatabase("test").GetCollection<O.BsonDocument>("lazy_id");
        var sent = Wide(3000);
        var id = sent["_id"];
        sent.Remove("_id");
        sent.Add("_id", id); // last: the server moves it first, which needs the materialised document
        await collection.InsertOneAsync(sent);

        var found = await collection.Find(new O.BsonDocument("_id", id)).SingleAsync();
        Assert.Equal("_id", found.GetElement(0).Name);
        Assert.Equal(3001, found.ElementCount);

        await collection.UpdateOneAsync(new O.BsonDocument("_id", id), new O.BsonDocument("$set", new O.BsonDocument("field0", "changed")));
        found = await collection.Find(new O.BsonDocument("_id", id)).SingleAsync();
        Assert.Equal("changed", found["field0"].AsString);
    }
}
