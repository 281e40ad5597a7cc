using Mongo.Bson;
using Mongo.Testing;
using Xunit;
using O = MongoDB.Bson;
using OD = MongoDB.Driver;

namespace Mongo.Driver.Tests.Api;

/// <summary>What our MongoClient.BulkWrite writes across collections, the official MongoDB.Driver reads back byte for byte.</summary>
public sealed class ClientBulkWriteInteropTests : IClassFixture<MongoServerFixture>
{
    private readonly MongoServerFixture _server;

    public ClientBulkWriteInteropTests(MongoServerFixture server) => _server = server;

    private static BsonDocument Document(int id) => new()
    {
        { "_id", id },
        { "int64", 1L << 40 },
        { "string", "héllo ✓" },
        { "decimal", new BsonDecimal128(Decimal128.Parse("1234.5678E-3")) },
        { "binary", new BsonBinaryData([1, 2, 3], BsonBinarySubType.Binary) },
        { "date", new BsonDateTime(1_700_000_000_123) },
        { "nested", new BsonDocument("a", new BsonArray { 1, "two", new BsonDocument("three", 3.0) }) },
    };

    private static List<O.RawBsonDocument> ReadWithOfficialDriver(OD.MongoClient official, string database, string collection) =>
        OD.IAsyncCursorSourceExtensions.ToList(
            OD.IMongoCollectionExtensions.Find(official.GetDatabase(database).GetCollection<O.RawBsonDocument>(collection), OD.FilterDefinition<O.RawBsonDocument>.Empty)
                .Sort(OD.Builders<O.RawBsonDocument>.Sort.Ascending("_id")));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OfficialDriverReadsWhatOurClientBulkWriteWrote(bool async)
    {
        string db1 = "cbw_interop_a_" + async, db2 = "cbw_interop_b_" + async;
        await using var ours = new MongoClient(_server.ConnectionString);
        await ours.DropDatabaseAsync(db1);
        await ours.DropDatabaseAsync(db2);
        var models = new ClientBulkWriteModel[]
        {
            new ClientInsertOneModel<BsonDocument>(new CollectionNamespace(db1, "c"), Document(1)),
            new ClientInsertOneModel<BsonDocument>(new CollectionNamespace(db2, "d"), Document(2)),
            new ClientInsertOneModel<BsonDocument>(new CollectionNamespace(db1, "c"), Document(3)),
            new ClientUpdateOneModel(new CollectionNamespace(db1, "c"), new BsonDocument("_id", 3), new BsonDocument("$set", new BsonDocument("string", "changed"))),
            new ClientReplaceOneModel<BsonDocument>(new CollectionNamespace(db2, "d"), new BsonDocument("_id", 4), Document(4)) { IsUpsert = true },
            new ClientDeleteOneModel(new CollectionNamespace(db1, "c"), new BsonDocument("_id", 1)),
        };
        var options = new ClientBulkWriteOptions { VerboseResults = true };

        var result = async ? await ours.BulkWriteAsync(models, options) : ours.BulkWrite(models, options);

        Assert.Equal((2 + 1, 1L, 1L, 1L), (result.InsertedCount, result.UpsertedCount, result.ModifiedCount, result.DeletedCount));
        Assert.Equal(new BsonInt32(4), result.UpdateResults[4].UpsertedId);
        var official = new OD.MongoClient(_server.ConnectionString);
        var expectedC = Document(3);
        expectedC["string"] = "changed";
        var c = ReadWithOfficialDriver(official, db1, "c");
        Assert.Equal([Convert.ToHexString(expectedC.ToBytes())], c.Select(d => Convert.ToHexString(O.BsonExtensionMethods.ToBson(d))));
        var d = ReadWithOfficialDriver(official, db2, "d");
        Assert.Equal([Convert.ToHexString(Document(2).ToBytes()), Convert.ToHexString(Document(4).ToBytes())], d.Select(x => Convert.ToHexString(O.BsonExtensionMethods.ToBson(x))));
    }
}
