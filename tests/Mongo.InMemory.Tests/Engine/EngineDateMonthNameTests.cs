using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// %b and %B (mongod 7.0+): $dateToString writes the English month name in title case (abbreviated to three letters
/// for %b); $dateFromString reads either form for either specifier, without regard to case.
/// </summary>
public sealed class EngineDateMonthNameTests : OfficialDriverTestBase
{
    private async Task<O.BsonDocument> Project(string projection)
    {
        var c = Client.GetDatabase("t").GetCollection<O.BsonDocument>("m" + Guid.NewGuid().ToString("N"));
        await c.InsertOneAsync(new O.BsonDocument { { "_id", 1 }, { "d", new DateTime(2024, 9, 5, 7, 0, 0, DateTimeKind.Utc) } });
        return await c.Aggregate<O.BsonDocument>(new[] { O.BsonDocument.Parse("{$project: " + projection + "}") }).SingleAsync();
    }

    [Fact]
    public async Task DateToString_writes_month_names()
    {
        var r = await Project("{_id: 0, s: {$dateToString: {date: '$d', format: '%b|%B|%d %b %Y'}}, z: {$dateToString: {date: '$d', format: '%B', timezone: '-08:00'}}}");
        Assert.Equal("Sep|September|05 Sep 2024", r["s"].AsString);
        Assert.Equal("September", r["z"].AsString); // the month in the zone's local time
        var may = await Project("{_id: 0, s: {$dateToString: {date: {$dateFromParts: {year: 2024, month: 5}}, format: '%b %B'}}}");
        Assert.Equal("May May", may["s"].AsString);
    }

    [Theory]
    [InlineData("05 Sep 2024", "%d %b %Y")]
    [InlineData("05 september 2024", "%d %B %Y")]
    [InlineData("05 SEPT 2024", "%d %b %Y")]
    [InlineData("05 Sep 2024", "%d %B %Y")]
    [InlineData("2024-ix-05", "%Y-%b-%d")]
    public async Task DateFromString_reads_month_names(string text, string format)
    {
        var r = await Project("{_id: 0, d: {$dateFromString: {dateString: '" + text + "', format: '" + format + "'}}}");
        Assert.Equal(new DateTime(2024, 9, 5, 0, 0, 0, DateTimeKind.Utc), r["d"].ToUniversalTime());
    }

    [Fact]
    public async Task DateFromString_without_a_month_name_is_a_conversion_failure()
    {
        var r = await Project("{_id: 0, d: {$dateFromString: {dateString: '05 Sepx 2024', format: '%d %b %Y', onError: 'bad'}}}");
        Assert.Equal("bad", r["d"].AsString);
        var e = await Assert.ThrowsAsync<MongoCommandException>(() => Project("{_id: 0, d: {$dateFromString: {dateString: '05 9 2024', format: '%d %b %Y'}}}"));
        Assert.Equal(241, e.Code);
    }
}
