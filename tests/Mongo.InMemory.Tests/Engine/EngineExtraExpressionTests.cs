using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>Trigonometry, $bsonSize, $isoWeek and $isoWeekYear as mongod 8.0 evaluates them.</summary>
public sealed class EngineExtraExpressionTests : OfficialDriverTestBase
{
    private async Task<O.BsonDocument> Project(string projection, string document = "{_id: 1}")
    {
        var c = Client.GetDatabase("t").GetCollection<O.BsonDocument>("x" + Guid.NewGuid().ToString("N"));
        await c.InsertOneAsync(O.BsonDocument.Parse(document));
        return await c.Aggregate<O.BsonDocument>(new[] { O.BsonDocument.Parse("{$project: " + projection + "}") }).SingleAsync();
    }

    [Fact]
    public async Task Trigonometry_follows_the_input_type_and_domain()
    {
        var r = await Project("{_id: 0, s: {$sin: 0}, c: {$cos: 0}, a: {$atan2: [1, 1]}, d: {$radiansToDegrees: {$acos: -1}}, r: {$degreesToRadians: 180}, n: {$sinh: null}, dec: {$cos: {$literal: NumberDecimal('0')}}, m: {$tanh: '$missing'}}");
        Assert.Equal(0.0, r["s"].AsDouble);
        Assert.Equal(1.0, r["c"].AsDouble);
        Assert.Equal(Math.PI / 4, r["a"].AsDouble, 12);
        Assert.Equal(180.0, r["d"].AsDouble, 9);
        Assert.Equal(Math.PI, r["r"].AsDouble, 12);
        Assert.Equal(O.BsonNull.Value, r["n"]);
        Assert.Equal(O.BsonType.Decimal128, r["dec"].BsonType);
        Assert.Equal(O.BsonNull.Value, r["m"]);

        var domain = await Assert.ThrowsAsync<MongoCommandException>(() => Project("{v: {$asin: 2}}"));
        Assert.Equal(50989, domain.Code);
        var type = await Assert.ThrowsAsync<MongoCommandException>(() => Project("{v: {$sin: 'x'}}"));
        Assert.Equal(28765, type.Code);
    }

    [Fact]
    public async Task BsonSize_and_iso_weeks()
    {
        var r = await Project("{_id: 0, size: {$bsonSize: '$$ROOT'}, none: {$bsonSize: '$nope'}, w: {$isoWeek: '$d'}, y: {$isoWeekYear: '$d'}, w2: {$isoWeek: {date: '$e'}}}",
            "{_id: 1, d: ISODate('2021-01-01T00:00:00Z'), e: ISODate('2024-12-30T12:00:00Z')}");
        Assert.Equal(O.BsonExtensionMethods.ToBson(O.BsonDocument.Parse("{_id: 1, d: ISODate('2021-01-01T00:00:00Z'), e: ISODate('2024-12-30T12:00:00Z')}")).Length, r["size"].AsInt32);
        Assert.Equal(O.BsonNull.Value, r["none"]);
        Assert.Equal(53, r["w"].AsInt32); // 2021-01-01 is in ISO week 53 of 2020
        Assert.Equal(2020L, r["y"].ToInt64());
        Assert.Equal(1, r["w2"].AsInt32); // 2024-12-30 is in ISO week 1 of 2025

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => Project("{v: {$bsonSize: 'str'}}"));
        Assert.Equal(31393, error.Code);
    }
}
