using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>The top command: per-namespace totals in mongod's shape, admin only.</summary>
public sealed class FidelityTopCommandTests : OfficialDriverTestBase
{
    [Fact]
    public async Task Top_counts_each_kind_of_operation_per_namespace()
    {
        var c = Client.GetDatabase("shop").GetCollection<O.BsonDocument>("orders");
        await c.InsertOneAsync(new O.BsonDocument("_id", 1));
        await c.InsertOneAsync(new O.BsonDocument("_id", 2));
        await c.Find(new O.BsonDocument()).ToListAsync();
        await c.UpdateOneAsync(new O.BsonDocument("_id", 1), O.BsonDocument.Parse("{$set: {a: 1}}"));
        await c.DeleteOneAsync(new O.BsonDocument("_id", 2));
        await c.CountDocumentsAsync(new O.BsonDocument());

        var top = await Client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("top", 1));
        var totals = top["totals"].AsBsonDocument;
        Assert.Equal("all times in microseconds", totals["note"].AsString);
        var orders = totals["shop.orders"].AsBsonDocument;
        Assert.Equal(new[] { "total", "readLock", "writeLock", "queries", "getmore", "insert", "update", "remove", "commands" }, orders.Names);
        Assert.Equal(2L, orders["insert"]["count"].AsInt64);
        Assert.Equal(1L, orders["queries"]["count"].AsInt64);
        Assert.Equal(1L, orders["update"]["count"].AsInt64);
        Assert.Equal(1L, orders["remove"]["count"].AsInt64);
        Assert.Equal(1L, orders["commands"]["count"].AsInt64); // the count's aggregate
        Assert.Equal(4L, orders["writeLock"]["count"].AsInt64);
        Assert.Equal(2L, orders["readLock"]["count"].AsInt64);
        Assert.Equal(6L, orders["total"]["count"].AsInt64);
        Assert.True(orders["total"]["time"].AsInt64 >= orders["insert"]["time"].AsInt64);

        var refused = await Assert.ThrowsAsync<MongoCommandException>(() => Client.GetDatabase("shop").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("top", 1)));
        Assert.Equal(13, refused.Code);
    }
}
