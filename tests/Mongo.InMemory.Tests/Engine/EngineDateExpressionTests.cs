using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// The date expressions through the official driver, with fixtures from mongod's own jstests
/// (date_from_parts.js) and the MongoDB manual's examples, which show mongod 8.0's answers.
/// </summary>
public sealed class EngineDateExpressionTests : OfficialDriverTestBase
{
    private async Task<O.BsonDocument> Project(string projection, string document = "{_id: 1}")
    {
        var c = Client.GetDatabase("t").GetCollection<O.BsonDocument>("d" + Guid.NewGuid().ToString("N"));
        await c.InsertOneAsync(O.BsonDocument.Parse(document));
        return await c.Aggregate<O.BsonDocument>(new[] { O.BsonDocument.Parse("{$project: " + projection + "}") }).SingleAsync();
    }

    private async Task<int> ErrorCode(string projection, string document = "{_id: 1}")
    {
        var e = await Assert.ThrowsAsync<MongoCommandException>(() => Project(projection, document));
        return e.Code;
    }

    private static DateTime Utc(string iso) => DateTime.Parse(iso, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);

    // mongod's date_from_parts.js "out of range under and overflows" table: parts carry into the larger units.
    [Theory]
    [InlineData("0001-01-01T00:00:00.000Z", "{year: 1}")]
    [InlineData("9999-01-01T00:00:00.000Z", "{year: 9999}")]
    [InlineData("2016-11-01T00:00:00.000Z", "{year: 2017, month: -1}")]
    [InlineData("2016-12-01T00:00:00.000Z", "{year: 2017, month: 0}")]
    [InlineData("2018-01-01T00:00:00.000Z", "{year: 2017, month: 13}")]
    [InlineData("2016-12-30T00:00:00.000Z", "{year: 2017, day: -1}")]
    [InlineData("2016-12-31T00:00:00.000Z", "{year: 2017, day: 0}")]
    [InlineData("2017-03-02T00:00:00.000Z", "{year: 2017, day: 61}")]
    [InlineData("2016-12-31T23:00:00.000Z", "{year: 2017, hour: -1}")]
    [InlineData("2017-01-02T01:00:00.000Z", "{year: 2017, hour: 25}")]
    [InlineData("2016-12-31T23:59:00.000Z", "{year: 2017, minute: -1}")]
    [InlineData("2017-01-01T01:01:00.000Z", "{year: 2017, minute: 61}")]
    [InlineData("2016-12-31T23:59:59.000Z", "{year: 2017, second: -1}")]
    [InlineData("2019-04-12T11:50:12.000Z", "{year: 2017, second: 71841012}")]
    [InlineData("2017-08-07T08:51:58.000Z", "{year: 1970, second: 1502095918}")]
    [InlineData("2016-12-31T23:59:59.999Z", "{year: 2017, millisecond: -1}")]
    [InlineData("2017-01-01T00:00:01.001Z", "{year: 2017, millisecond: 1001}")]
    [InlineData("2017-08-07T08:51:58.551Z", "{year: 1970, millisecond: NumberLong('1502095918551')}")]
    [InlineData("2017-06-19T15:00:00.000Z", "{year: NumberDecimal('2017'), month: 6.0, day: NumberInt(19), hour: NumberLong(15)}")]
    [InlineData("2017-02-09T00:00:00.000Z", "{isoWeekYear: NumberDecimal('2017'), isoWeek: 6.0, isoDayOfWeek: NumberInt(4)}")]
    public async Task DateFromParts_carries_out_of_range_parts(string expected, string parts)
    {
        var r = await Project("{_id: 0, d: {$dateFromParts: " + parts + "}}");
        Assert.Equal(Utc(expected), r["d"].ToUniversalTime());
    }

    // date_from_parts.js: the same local parts read in offset and Olson zones.
    [Theory]
    [InlineData("-04:00", "2017-06-19T19:01:51.551Z")]
    [InlineData("+03", "2017-06-19T12:01:51.551Z")]
    [InlineData("-0320", "2017-06-19T18:21:51.551Z")]
    [InlineData("America/New_York", "2017-06-19T19:01:51.551Z")]
    [InlineData("Europe/Amsterdam", "2017-06-19T13:01:51.551Z")]
    public async Task DateFromParts_reads_the_parts_in_the_time_zone(string zone, string expected)
    {
        var r = await Project("{_id: 0, c: {$dateFromParts: {year: 2017, month: 6, day: 19, hour: 15, minute: 1, second: 51, millisecond: 551, timezone: '" + zone + "'}}," +
            " i: {$dateFromParts: {isoWeekYear: 2017, isoWeek: 25, isoDayOfWeek: 1, hour: 15, minute: 1, second: 51, millisecond: 551, timezone: '" + zone + "'}}}");
        Assert.Equal(Utc(expected), r["c"].ToUniversalTime());
        Assert.Equal(Utc(expected), r["i"].ToUniversalTime());
    }

    [Fact]
    public async Task DateFromParts_refuses_bad_arguments_with_mongods_codes()
    {
        Assert.Equal(40519, await ErrorCode("{d: {$dateFromParts: true}}"));
        Assert.Equal(40518, await ErrorCode("{d: {$dateFromParts: {unknown: true}}}"));
        Assert.Equal(40516, await ErrorCode("{d: {$dateFromParts: {}}}"));
        Assert.Equal(40489, await ErrorCode("{d: {$dateFromParts: {year: 2017, isoWeek: 3}}}"));
        Assert.Equal(40525, await ErrorCode("{d: {$dateFromParts: {isoWeekYear: 2017, month: 12}}}"));
        Assert.Equal(40515, await ErrorCode("{d: {$dateFromParts: {year: '2017'}}}"));
        Assert.Equal(40515, await ErrorCode("{d: {$dateFromParts: {year: 2017.3}}}"));
        Assert.Equal(40523, await ErrorCode("{d: {$dateFromParts: {year: 10000}}}"));
        Assert.Equal(31095, await ErrorCode("{d: {$dateFromParts: {isoWeekYear: -1}}}"));
        Assert.Equal(31034, await ErrorCode("{d: {$dateFromParts: {year: 1970, month: 32768}}}"));
        Assert.Equal(40485, await ErrorCode("{d: {$dateFromParts: {year: 1970, timezone: 'Mars/Olympus'}}}"));
        Assert.Equal(40485, await ErrorCode("{d: {$dateFromParts: {year: 1970, timezone: 'Eastern Standard Time'}}}"));
        Assert.Equal(40517, await ErrorCode("{d: {$dateFromParts: {year: 1970, timezone: 5}}}"));
        var r = await Project("{_id: 0, n: {$dateFromParts: {year: 2017, month: null}}, z: {$dateFromParts: {year: 2017, timezone: '$nope'}}}");
        Assert.Equal(O.BsonNull.Value, r["n"]);
        Assert.Equal(O.BsonNull.Value, r["z"]);
    }

    // The manual's $dateToParts example.
    [Fact]
    public async Task DateToParts_in_calendar_and_iso_forms_and_in_a_zone()
    {
        var r = await Project("{_id: 0, p: {$dateToParts: {date: '$d'}}, i: {$dateToParts: {date: '$d', iso8601: true}}, z: {$dateToParts: {date: '$d', timezone: 'America/New_York'}}}",
            "{_id: 1, d: ISODate('2017-01-01T01:29:09.123Z')}");
        Assert.Equal(O.BsonDocument.Parse("{year: 2017, month: 1, day: 1, hour: 1, minute: 29, second: 9, millisecond: 123}"), r["p"]);
        Assert.Equal(O.BsonDocument.Parse("{isoWeekYear: 2016, isoWeek: 52, isoDayOfWeek: 7, hour: 1, minute: 29, second: 9, millisecond: 123}"), r["i"]);
        Assert.Equal(O.BsonDocument.Parse("{year: 2016, month: 12, day: 31, hour: 20, minute: 29, second: 9, millisecond: 123}"), r["z"]);
        Assert.Equal(40521, await ErrorCode("{p: {$dateToParts: {date: '$$NOW', iso8601: 1}}}"));
        Assert.Equal(40520, await ErrorCode("{p: {$dateToParts: {date: '$$NOW', x: 1}}}"));
        Assert.Equal(40522, await ErrorCode("{p: {$dateToParts: {timezone: 'UTC'}}}"));
    }

    [Fact]
    public async Task DateFromString_reads_iso_strings_formats_and_zones()
    {
        var r = await Project("{_id: 0," +
            " a: {$dateFromString: {dateString: '2017-02-08T12:10:40.787', timezone: 'America/New_York'}}," +
            " b: {$dateFromString: {dateString: '06-15-2018', format: '%m-%d-%Y'}}," +
            " c: {$dateFromString: {dateString: '15-06-2018', format: '%d-%m-%Y'}}," +
            " d: {$dateFromString: {dateString: '2017-07-12T22:23:55+02:00'}}," +
            " e: {$dateFromString: {dateString: '2017-07-12 22:23:55 Europe/Paris'}}," +
            " f: {$dateFromString: {dateString: '2017-07-12T22:23:55Z'}}," +
            " g: {$dateFromString: {dateString: '2018-06-15 10:20:30.500 +0530', format: '%Y-%m-%d %H:%M:%S.%L %z'}}," +
            " h: {$dateFromString: {dateString: 'not a date', onError: 'bad'}}," +
            " i: {$dateFromString: {dateString: null, onNull: 'none'}}," +
            " j: {$dateFromString: {dateString: 5, onError: 'typed'}}," +
            " k: {$dateFromString: {dateString: '2017-W', format: '%G-W%V-%u', onError: 'iso'}}," +
            " l: {$dateFromString: {dateString: '2017-W06-4', format: '%G-W%V-%u'}}}");
        Assert.Equal(Utc("2017-02-08T17:10:40.787Z"), r["a"].ToUniversalTime());
        Assert.Equal(Utc("2018-06-15T00:00:00Z"), r["b"].ToUniversalTime());
        Assert.Equal(Utc("2018-06-15T00:00:00Z"), r["c"].ToUniversalTime());
        Assert.Equal(Utc("2017-07-12T20:23:55Z"), r["d"].ToUniversalTime());
        Assert.Equal(Utc("2017-07-12T20:23:55Z"), r["e"].ToUniversalTime());
        Assert.Equal(Utc("2017-07-12T22:23:55Z"), r["f"].ToUniversalTime());
        Assert.Equal(Utc("2018-06-15T04:50:30.500Z"), r["g"].ToUniversalTime());
        Assert.Equal("bad", r["h"].AsString);
        Assert.Equal("none", r["i"].AsString);
        Assert.Equal("typed", r["j"].AsString);
        Assert.Equal("iso", r["k"].AsString);
        Assert.Equal(Utc("2017-02-09T00:00:00Z"), r["l"].ToUniversalTime());

        Assert.Equal(241, await ErrorCode("{d: {$dateFromString: {dateString: '2017-02-30'}}}"));
        Assert.Equal(241, await ErrorCode("{d: {$dateFromString: {dateString: '2017-07-12T22:23:55Z', timezone: 'Europe/Paris'}}}"));
        Assert.Equal(40540, await ErrorCode("{d: {$dateFromString: 'x'}}"));
        Assert.Equal(40541, await ErrorCode("{d: {$dateFromString: {dateString: 'x', bogus: 1}}}"));
        Assert.Equal(40542, await ErrorCode("{d: {$dateFromString: {format: '%Y'}}}"));
        Assert.Equal(40684, await ErrorCode("{d: {$dateFromString: {dateString: '2017', format: 5}}}"));
    }

    [Fact]
    public async Task DateTrunc_bins_in_the_zone_from_the_2000_reference()
    {
        var r = await Project("{_id: 0," +
            // The manual's example: two-week bins starting on Monday in Los Angeles.
            " w: {$dateTrunc: {date: '$o', unit: 'week', binSize: 2, timezone: 'America/Los_Angeles', startOfWeek: 'Monday'}}," +
            " m: {$dateTrunc: {date: '$d', unit: 'month'}}," +
            " q: {$dateTrunc: {date: '$d', unit: 'quarter'}}," +
            " y: {$dateTrunc: {date: '$d', unit: 'year', binSize: 5}}," +
            " k: {$dateTrunc: {date: '$d', unit: 'day', timezone: 'Asia/Kolkata'}}," +
            " h: {$dateTrunc: {date: '$d', unit: 'hour', binSize: 2, timezone: 'Asia/Kolkata'}}," +
            " s: {$dateTrunc: {date: '$d', unit: 'second'}}," +
            " sw: {$dateTrunc: {date: '$d', unit: 'week'}}," +
            " n: {$dateTrunc: {date: null, unit: 'day'}}}",
            "{_id: 1, o: ISODate('2020-05-18T14:10:30Z'), d: ISODate('2021-03-20T11:30:05.250Z')}");
        Assert.Equal(Utc("2020-05-11T07:00:00Z"), r["w"].ToUniversalTime());
        Assert.Equal(Utc("2021-03-01T00:00:00Z"), r["m"].ToUniversalTime());
        Assert.Equal(Utc("2021-01-01T00:00:00Z"), r["q"].ToUniversalTime());
        Assert.Equal(Utc("2020-01-01T00:00:00Z"), r["y"].ToUniversalTime());
        Assert.Equal(Utc("2021-03-19T18:30:00Z"), r["k"].ToUniversalTime());
        Assert.Equal(Utc("2021-03-20T10:30:00Z"), r["h"].ToUniversalTime());
        Assert.Equal(Utc("2021-03-20T11:30:05Z"), r["s"].ToUniversalTime());
        Assert.Equal(Utc("2021-03-14T00:00:00Z"), r["sw"].ToUniversalTime()); // weeks start on Sunday by default
        Assert.Equal(O.BsonNull.Value, r["n"]);

        Assert.Equal(5439012, await ErrorCode("{t: {$dateTrunc: {date: 'x', unit: 'day'}}}"));
        Assert.Equal(5439014, await ErrorCode("{t: {$dateTrunc: {date: '$$NOW', unit: 'fortnight'}}}"));
        Assert.Equal(5439017, await ErrorCode("{t: {$dateTrunc: {date: '$$NOW', unit: 'day', binSize: 1.5}}}"));
        Assert.Equal(5439018, await ErrorCode("{t: {$dateTrunc: {date: '$$NOW', unit: 'day', binSize: 0}}}"));
        Assert.Equal(5439016, await ErrorCode("{t: {$dateTrunc: {date: '$$NOW', unit: 'week', startOfWeek: 'someday'}}}"));
    }

    [Fact]
    public async Task Part_extractors_and_dateToString_honour_the_timezone()
    {
        var r = await Project("{_id: 0," +
            " h: {$hour: {date: '$d', timezone: 'Asia/Kolkata'}}, m: {$minute: {date: '$d', timezone: '+05:30'}}," +
            " day: {$dayOfMonth: {date: '$d', timezone: 'America/New_York'}}, w: {$isoWeek: {date: '$d', timezone: 'America/New_York'}}," +
            " y: {$isoWeekYear: {date: '$d', timezone: 'Pacific/Auckland'}}, nz: {$year: {date: '$d', timezone: 'Pacific/Auckland'}}," +
            " s: {$dateToString: {date: '$e', format: '%H:%M:%S:%L%z', timezone: 'America/New_York'}}," +
            " o: {$dateToString: {date: '$e', format: '%Z', timezone: 'America/New_York'}}," +
            " iso: {$dateToString: {date: '$e', timezone: '+01:00'}}," +
            " parts: {$dateToString: {date: '$e', format: '%G-W%V-%u %j %U %w %%'}}," +
            " add: {$dateAdd: {startDate: '$e', unit: 'day', amount: 1, timezone: 'America/New_York'}}," +
            " diff: {$dateDiff: {startDate: '$d', endDate: '$e', unit: 'year'}}}",
            "{_id: 1, d: ISODate('2017-01-01T01:29:09.123Z'), e: ISODate('2014-01-01T08:15:39.736Z')}");
        Assert.Equal(6, r["h"].AsInt32);
        Assert.Equal(59, r["m"].AsInt32);
        Assert.Equal(31, r["day"].AsInt32);
        Assert.Equal(52, r["w"].AsInt32);
        Assert.Equal(2016L, r["y"].ToInt64());
        Assert.Equal(2017, r["nz"].AsInt32);
        Assert.Equal("03:15:39:736-0500", r["s"].AsString);
        Assert.Equal("-300", r["o"].AsString);
        Assert.Equal("2014-01-01T09:15:39.736", r["iso"].AsString);
        Assert.Equal("2014-W01-3 001 00 4 %", r["parts"].AsString);
        Assert.Equal(Utc("2014-01-02T08:15:39.736Z"), r["add"].ToUniversalTime());
        Assert.Equal(-3L, r["diff"].ToInt64());
        Assert.Equal(40485, await ErrorCode("{h: {$hour: {date: '$$NOW', timezone: 'Nowhere/City'}}}"));
        Assert.Equal(18536, await ErrorCode("{s: {$dateToString: {date: '$$NOW', format: '%Q'}}}"));
    }

    [Fact]
    public async Task DateAdd_and_dateDiff_count_calendar_units_on_the_zones_clock()
    {
        var r = await Project("{_id: 0," +
            // Noon in New York plus one day across the spring-forward is noon again: 23 real hours.
            " day: {$dateAdd: {startDate: '$n', unit: 'day', amount: 1, timezone: 'America/New_York'}}," +
            " hours: {$dateAdd: {startDate: '$n', unit: 'hour', amount: 24, timezone: 'America/New_York'}}," +
            " month: {$dateSubtract: {startDate: '$m', unit: 'month', amount: 1}}," +
            // mongod's unit test: 18:23:36 to 20:00 crosses two hour boundaries.
            " diff: {$dateDiff: {startDate: '$a', endDate: '$b', unit: 'hour', timezone: 'GMT'}}," +
            " weeks: {$dateDiff: {startDate: '$a', endDate: '$n', unit: 'week', startOfWeek: 'monday'}}," +
            " none: {$dateAdd: {startDate: null, unit: 'day', amount: 1}}}",
            "{_id: 1, n: ISODate('2026-03-07T17:00:00Z'), m: ISODate('2021-03-31T10:00:00Z'), a: ISODate('2020-11-01T18:23:36Z'), b: ISODate('2020-11-01T20:00:00Z')}");
        Assert.Equal(Utc("2026-03-08T16:00:00Z"), r["day"].ToUniversalTime());
        Assert.Equal(Utc("2026-03-08T17:00:00Z"), r["hours"].ToUniversalTime());
        Assert.Equal(Utc("2021-02-28T10:00:00Z"), r["month"].ToUniversalTime());
        Assert.Equal(2L, r["diff"].ToInt64());
        Assert.Equal(279L, r["weeks"].ToInt64());
        Assert.Equal(O.BsonNull.Value, r["none"]);

        Assert.Equal(5166400, await ErrorCode("{x: {$dateAdd: 1}}"));
        Assert.Equal(5166401, await ErrorCode("{x: {$dateAdd: {startDate: '$$NOW', unit: 'day', amount: 1, extra: 1}}}"));
        Assert.Equal(5166402, await ErrorCode("{x: {$dateAdd: {startDate: '$$NOW', unit: 'day'}}}"));
        Assert.Equal(5166403, await ErrorCode("{x: {$dateSubtract: {startDate: 'x', unit: 'day', amount: 1}}}"));
        Assert.Equal(5166405, await ErrorCode("{x: {$dateAdd: {startDate: '$$NOW', unit: 'day', amount: 1.5}}}"));
        Assert.Equal(5439014, await ErrorCode("{x: {$dateAdd: {startDate: '$$NOW', unit: 'century', amount: 1}}}"));
        Assert.Equal(5166301, await ErrorCode("{x: {$dateDiff: 'startDate'}}"));
        Assert.Equal(5166302, await ErrorCode("{x: {$dateDiff: {startDate: '$$NOW', endDate: '$$NOW', unit: 'day', timeGone: 'yes'}}}"));
        Assert.Equal(5166303, await ErrorCode("{x: {$dateDiff: {endDate: '$$NOW', unit: 'day'}}}"));
        Assert.Equal(5166307, await ErrorCode("{x: {$dateDiff: {startDate: 'date', endDate: '$$NOW', unit: 'hour'}}}"));
        Assert.Equal(5439013, await ErrorCode("{x: {$dateDiff: {startDate: '$$NOW', endDate: '$$NOW', unit: 2}}}"));
        Assert.Equal(40485, await ErrorCode("{x: {$dateDiff: {startDate: '$$NOW', endDate: '$$NOW', unit: 'hour', timezone: 'INVALID'}}}"));
    }
}
