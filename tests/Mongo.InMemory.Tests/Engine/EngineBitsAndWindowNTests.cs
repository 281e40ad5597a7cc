using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// The bit-test query operators ($bitsAllSet, $bitsAnySet, $bitsAllClear, $bitsAnyClear), $sampleRate, and the
/// accumulator window functions $minN/$maxN/$firstN/$lastN/$topN/$bottomN/$top/$bottom/$median/$percentile.
/// </summary>
public sealed class EngineBitsAndWindowNTests : OfficialDriverTestBase
{
    private async Task<IMongoCollection<O.BsonDocument>> Collection(params string[] docs)
    {
        var c = Client.GetDatabase("t").GetCollection<O.BsonDocument>("x" + Guid.NewGuid().ToString("N"));
        await c.InsertManyAsync(docs.Select(O.BsonDocument.Parse));
        return c;
    }

    private static async Task<int[]> Ids(IMongoCollection<O.BsonDocument> c, string filter) =>
        (await c.Find(O.BsonDocument.Parse(filter)).Sort("{_id: 1}").ToListAsync()).Select(d => d["_id"].AsInt32).ToArray();

    private static readonly string[] BitDocs =
    [
        "{_id: 1, a: 54}", // 0b110110
        "{_id: 2, a: 20}", // 0b010100
        "{_id: 3, a: NumberLong(-1)}",
        "{_id: 4, a: BinData(0, 'Ng==')}", // byte 0x36 = 54
        "{_id: 5, a: 54.0}",
        "{_id: 6, a: 1.5}",
        "{_id: 7, a: 'x'}",
        "{_id: 8, a: [1, 20]}",
    ];

    [Fact]
    public async Task Bit_tests_by_positions_bitmask_and_binData()
    {
        var c = await Collection(BitDocs);
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 8 }, await Ids(c, "{a: {$bitsAllSet: [2, 4]}}"));
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 8 }, await Ids(c, "{a: {$bitsAllSet: 20}}"));
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 8 }, await Ids(c, "{a: {$bitsAllSet: BinData(0, 'FA==')}}"));
        Assert.Equal(new[] { 1, 3, 4, 5 }, await Ids(c, "{a: {$bitsAllSet: [1, 5]}}"));
        Assert.Equal(new[] { 1, 3, 4, 5, 8 }, await Ids(c, "{a: {$bitsAnySet: [0, 1]}}"));
        Assert.Equal(new[] { 2, 8 }, await Ids(c, "{a: {$bitsAllClear: [1, 5]}}"));
        // Bit 100 is set in a negative number only (a positive one, or a BinData shorter than 13 bytes, has it clear).
        Assert.Equal(new[] { 1, 2, 4, 5, 8 }, await Ids(c, "{a: {$bitsAnyClear: [1, 100]}}"));
        Assert.Equal(new[] { 3 }, await Ids(c, "{a: {$bitsAllSet: [63, 200]}}"));
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 8 }, await Ids(c, "{a: {$bitsAllSet: []}}"));
        Assert.Empty(await Ids(c, "{a: {$bitsAnySet: []}}"));
        Assert.Equal(new[] { 6, 7 }, await Ids(c, "{a: {$not: {$bitsAnySet: [0, 1, 2, 3, 4, 5]}}}"));
    }

    [Fact]
    public async Task Bit_tests_refuse_bad_masks_as_mongod()
    {
        var c = await Collection(BitDocs);
        var e = await Assert.ThrowsAsync<MongoCommandException>(() => Ids(c, "{a: {$bitsAllSet: -1}}"));
        Assert.Equal((9, "Expected a positive number in: $bitsAllSet: -1"), (e.Code, e.ErrorMessage));
        e = await Assert.ThrowsAsync<MongoCommandException>(() => Ids(c, "{a: {$bitsAnySet: 1.5}}"));
        Assert.Equal(9, e.Code);
        e = await Assert.ThrowsAsync<MongoCommandException>(() => Ids(c, "{a: {$bitsAllClear: [1, -2]}}"));
        Assert.Equal((2, "Failed to parse bit position. Expected a positive number in: 1: -2"), (e.Code, e.ErrorMessage));
        e = await Assert.ThrowsAsync<MongoCommandException>(() => Ids(c, "{a: {$bitsAnyClear: 'x'}}"));
        Assert.Equal((2, "$bitsAnyClear takes an Array, a number, or a BinData but received: $bitsAnyClear: \"x\""), (e.Code, e.ErrorMessage));
    }

    [Fact]
    public async Task Bit_tests_with_an_index_on_the_field_give_the_same_answer()
    {
        var c = await Collection(BitDocs);
        await c.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{a: 1}")));
        Assert.Equal(new[] { 1, 3, 4, 5 }, await Ids(c, "{a: {$bitsAllSet: [1, 5]}}"));
        Assert.Equal(new[] { 2, 8 }, await Ids(c, "{a: {$bitsAllClear: [1, 5]}}"));
    }

    [Fact]
    public async Task SampleRate_keeps_a_random_share_and_checks_its_argument()
    {
        var c = await Collection(Enumerable.Range(1, 200).Select(i => "{_id: " + i + ", a: [{b: 1}]}").ToArray());
        Assert.Empty(await Ids(c, "{$sampleRate: 0}"));
        Assert.Equal(200, (await Ids(c, "{$sampleRate: 1}")).Length);
        var half = (await Ids(c, "{$sampleRate: 0.5}")).Length;
        Assert.InRange(half, 40, 160); // far outside is about 10^-18 likely

        var e = await Assert.ThrowsAsync<MongoCommandException>(() => Ids(c, "{$sampleRate: 'x'}"));
        Assert.Equal((2, "argument to $sampleRate must be a numeric type"), (e.Code, e.ErrorMessage));
        e = await Assert.ThrowsAsync<MongoCommandException>(() => Ids(c, "{$sampleRate: 1.5}"));
        Assert.Equal((2, "numeric argument to $sampleRate must be in [0, 1]"), (e.Code, e.ErrorMessage));
        e = await Assert.ThrowsAsync<MongoCommandException>(() => Ids(c, "{a: {$elemMatch: {$sampleRate: 0.5}}}"));
        Assert.Equal((2, "$sampleRate can only be applied to the top-level document"), (e.Code, e.ErrorMessage));
    }

    private static async Task<List<O.BsonDocument>> Window(IMongoCollection<O.BsonDocument> c, string output) =>
        await c.Aggregate<O.BsonDocument>(new[]
        {
            O.BsonDocument.Parse("{$setWindowFields: {sortBy: {_id: 1}, output: " + output + "}}"),
            O.BsonDocument.Parse("{$project: {_id: 0, v: 1}}"),
        }).ToListAsync();

    private static string Json(List<O.BsonDocument> r) =>
        O.BsonExtensionMethods.ToJson(new O.BsonArray(r.Select(d => d.GetValue("v", O.BsonNull.Value))));

    [Fact]
    public async Task N_accumulators_are_window_functions()
    {
        var c = await Collection("{_id: 1, x: 5}", "{_id: 2, x: 1}", "{_id: 3, x: 4}", "{_id: 4, x: 2}");
        var r = await Window(c, "{v: {$minN: {input: '$x', n: 2}, window: {documents: ['unbounded', 'current']}}}");
        Assert.Equal("[[5], [1, 5], [1, 4], [1, 2]]", Json(r));
        r = await Window(c, "{v: {$maxN: {input: '$x', n: 2}, window: {documents: [-1, 0]}}}");
        Assert.Equal("[[5], [5, 1], [4, 1], [4, 2]]", Json(r));
        r = await Window(c, "{v: {$firstN: {input: '$x', n: 2}, window: {documents: [0, 'unbounded']}}}");
        Assert.Equal("[[5, 1], [1, 4], [4, 2], [2]]", Json(r));
        r = await Window(c, "{v: {$lastN: {input: '$x', n: 3}}}");
        Assert.All(r, d => Assert.Equal("[1, 4, 2]", O.BsonExtensionMethods.ToJson(d["v"])));
        r = await Window(c, "{v: {$topN: {output: '$_id', sortBy: {x: -1}, n: 2}, window: {documents: [-1, 1]}}}");
        Assert.Equal("[[1, 2], [1, 3], [3, 4], [3, 4]]", Json(r));
        r = await Window(c, "{v: {$bottom: {output: '$_id', sortBy: {x: -1}}, window: {documents: ['unbounded', 'current']}}}");
        Assert.Equal(new[] { 1, 2, 2, 2 }, r.Select(d => d["v"].AsInt32).ToArray());
        r = await Window(c, "{v: {$top: {output: '$x', sortBy: {x: 1}}, window: {documents: [1, 1]}}}");
        Assert.Equal("[1, 4, 2, null]", Json(r));
        r = await Window(c, "{v: {$bottomN: {output: '$x', sortBy: {x: 1}, n: 2}, window: {documents: [1, 2]}}}");
        Assert.Equal("[[1, 4], [2, 4], [2], []]", Json(r));

        var e = await Assert.ThrowsAsync<MongoCommandException>(() => Window(c, "{v: {$minN: {input: '$x', n: 0}}}"));
        Assert.Equal(5787908, e.Code);
    }

    [Fact]
    public async Task Median_and_percentile_are_window_functions()
    {
        var c = await Collection("{_id: 1, x: 5}", "{_id: 2, x: 1}", "{_id: 3, x: 4}", "{_id: 4, x: 2}");
        var r = await Window(c, "{v: {$median: {input: '$x', method: 'approximate'}, window: {documents: ['unbounded', 'current']}}}");
        Assert.Equal(new[] { 5.0, 1.0, 4.0, 2.0 }, r.Select(d => d["v"].ToDouble()).ToArray());
        r = await Window(c, "{v: {$percentile: {input: '$x', p: [0.5, 1], method: 'approximate'}, window: {documents: [1, 5]}}}");
        Assert.Equal("[[2.0, 4.0], [2.0, 4.0], [2.0, 2.0], [null, null]]", Json(r));
    }
}
