using Mongo.Bson;
using Mongo.Testing;
using Xunit;
using O = MongoDB.Bson;
using OD = MongoDB.Driver;

namespace Mongo.Driver.Tests.Api;

/// <summary>What our driver writes, the official MongoDB.Driver 3.14.0 reads back byte for byte, and the other way round.</summary>
public sealed class InteropTests : IClassFixture<MongoServerFixture>
{
    private readonly MongoServerFixture _server;

    public InteropTests(MongoServerFixture server) => _server = server;

    private static BsonDocument Rich(int id) => new()
    {
        { "_id", id },
        { "int32", -7 },
        { "int64", 1L << 40 },
        { "double", 3.25 },
        { "negZero", -0.0 },
        { "string", "héllo wörld ✓" },
        { "bool", true },
        { "null", BsonNull.Value },
        { "oid", new BsonObjectId(ObjectId.Parse("5f1e2d3c4b5a697887766554")) },
        { "date", new BsonDateTime(1_700_000_000_123) },
        { "decimal", new BsonDecimal128(Decimal128.Parse("1234.5678E-3")) },
        { "binary", new BsonBinaryData([1, 2, 3], BsonBinarySubType.Binary) },
        { "uuid", new BsonBinaryData(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff").ToByteArray(bigEndian: true), BsonBinarySubType.UuidStandard) },
        { "regex", new BsonRegularExpression("^a.*z$", "im") },
        { "timestamp", new BsonTimestamp(1_700_000_000, 7) },
        { "minKey", BsonMinKey.Value },
        { "maxKey", BsonMaxKey.Value },
        { "js", new BsonJavaScript("function() { return 1; }") },
        { "nested", new BsonDocument { { "a", new BsonArray { 1, "two", new BsonDocument("three", 3.0), new BsonArray { 4L } } }, { "b", new BsonDocument() } } },
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OfficialDriverReadsWhatWeWrite(bool async)
    {
        var name = "interop_ours_" + async;
        await using var ours = new MongoClient(_server.ConnectionString);
        var collection = ours.GetDatabase("driver_api_interop").GetCollection(name);
        ours.GetDatabase("driver_api_interop").DropCollection(name);
        var documents = new[] { Rich(1), Rich(2) };
        if (async)
        {
            await collection.InsertManyAsync(documents);
        }
        else
        {
            collection.InsertMany(documents);
        }

        var official = new OD.MongoClient(_server.ConnectionString);
        // RawBsonDocument on the official side: its DOM maps -0.0 to a cached 0.0, which would hide what the server stored.
        var officialCollection = official.GetDatabase("driver_api_interop").GetCollection<O.RawBsonDocument>(name);
        var read = OD.IAsyncCursorSourceExtensions.ToList(
            OD.IMongoCollectionExtensions.Find(officialCollection, OD.FilterDefinition<O.RawBsonDocument>.Empty).Sort(OD.Builders<O.RawBsonDocument>.Sort.Ascending("_id")));
        Assert.Equal(2, read.Count);
        for (int i = 0; i < documents.Length; i++)
        {
            Assert.Equal(Convert.ToHexString(documents[i].ToBytes()), Convert.ToHexString(O.BsonExtensionMethods.ToBson(read[i])));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WeReadWhatTheOfficialDriverWrites(bool async)
    {
        var name = "interop_official_" + async;
        var expected = new[] { Rich(1), Rich(2) };
        var official = new OD.MongoClient(_server.ConnectionString);
        var officialDatabase = official.GetDatabase("driver_api_interop");
        officialDatabase.DropCollection(name);
        officialDatabase.GetCollection<O.RawBsonDocument>(name).InsertMany(expected.Select(d => new O.RawBsonDocument(d.ToBytes())));

        await using var ours = new MongoClient(_server.ConnectionString);
        var query = ours.GetDatabase("driver_api_interop").GetCollection(name).Find(Filter.Empty).Sort(Sort.Ascending("_id"));
        var read = async ? await query.ToListAsync() : query.ToList();
        Assert.Equal(2, read.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].ToBytes(), read[i].ToBytes());
            Assert.Equal(expected[i], read[i]);
        }
    }

    [Fact]
    public void GeneratedIdsAreObjectIdsTheOfficialDriverSees()
    {
        using var ours = new MongoClient(_server.ConnectionString);
        var collection = ours.GetDatabase("driver_api_interop").GetCollection("interop_ids");
        ours.GetDatabase("driver_api_interop").DropCollection("interop_ids");
        var id = collection.InsertOne(new BsonDocument("x", 1)).InsertedId;

        var official = new OD.MongoClient(_server.ConnectionString);
        var officialCollection = official.GetDatabase("driver_api_interop").GetCollection<O.BsonDocument>("interop_ids");
        var document = Assert.Single(OD.IAsyncCursorSourceExtensions.ToList(OD.IMongoCollectionExtensions.Find(officialCollection, OD.FilterDefinition<O.BsonDocument>.Empty)));
        Assert.Equal("_id", document.GetElement(0).Name);
        Assert.Equal(id.AsObjectId.ToString(), document["_id"].AsObjectId.ToString());
    }
}
