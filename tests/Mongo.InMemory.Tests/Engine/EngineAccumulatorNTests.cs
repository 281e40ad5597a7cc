using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>$firstN/$lastN/$maxN/$minN/$topN/$bottomN/$top/$bottom/$median/$percentile in $group and as expressions.</summary>
public sealed class EngineAccumulatorNTests : OfficialDriverTestBase
{
    // The manual's $percentile/$median example data.
    private const string Scores =
        "[{_id: 1, studentId: '2345', test01: 62, test02: 81, test03: 80}," +
        " {_id: 2, studentId: '2356', test01: 60, test02: 83, test03: 79}," +
        " {_id: 3, studentId: '2358', test01: 67, test02: 82, test03: 78}," +
        " {_id: 4, studentId: '2367', test01: 64, test02: 72, test03: 77}," +
        " {_id: 5, studentId: '2369', test01: 60, test02: 53, test03: 72}]";

    private async Task<List<O.BsonDocument>> Aggregate(string documents, params string[] stages)
    {
        var c = Client.GetDatabase("t").GetCollection<O.BsonDocument>("a" + Guid.NewGuid().ToString("N"));
        await c.InsertManyAsync(O.Serialization.BsonSerializer.Deserialize<O.BsonArray>(documents).Select(v => v.AsBsonDocument));
        return await c.Aggregate<O.BsonDocument>(stages.Select(O.BsonDocument.Parse).ToArray()).ToListAsync();
    }

    private async Task<int> ErrorCode(string documents, params string[] stages)
    {
        var e = await Assert.ThrowsAsync<MongoCommandException>(() => Aggregate(documents, stages));
        return e.Code;
    }

    [Fact]
    public async Task Percentile_and_median_match_the_manuals_answers()
    {
        var r = (await Aggregate(Scores, "{$group: {_id: null, p: {$percentile: {input: '$test01', p: [0.5, 0.75, 0.9, 0.95], method: 'approximate'}}," +
            " m: {$median: {input: '$test01', method: 'approximate'}}, none: {$median: {input: '$nothing', method: 'approximate'}}," +
            " pn: {$percentile: {input: '$nothing', p: [0.1, 0.2], method: 'approximate'}}}}")).Single();
        Assert.Equal(new O.BsonArray { 62.0, 64.0, 67.0, 67.0 }, r["p"]);
        Assert.Equal(62.0, r["m"].AsDouble);
        Assert.Equal(O.BsonNull.Value, r["none"]);
        Assert.Equal(new O.BsonArray { O.BsonNull.Value, O.BsonNull.Value }, r["pn"]);

        // As expressions over the three tests of each student (the manual's $project example).
        var e = await Aggregate(Scores, "{$match: {_id: {$in: [1, 5]}}}", "{$sort: {_id: 1}}",
            "{$project: {_id: 0, m: {$median: {input: ['$test01', '$test02', '$test03'], method: 'approximate'}}," +
            " p: {$percentile: {input: ['$test01', '$test02', '$test03'], p: [0.5, 0.95], method: 'approximate'}}, s: {$median: {input: 4, method: 'approximate'}}}}");
        Assert.Equal(80.0, e[0]["m"].AsDouble);
        Assert.Equal(new O.BsonArray { 80.0, 81.0 }, e[0]["p"]);
        Assert.Equal(60.0, e[1]["m"].AsDouble);
        Assert.Equal(4.0, e[1]["s"].AsDouble);

        Assert.Equal(2, await ErrorCode(Scores, "{$group: {_id: null, m: {$median: {input: '$test01', method: 'continuous'}}}}"));
        Assert.Equal(7750303, await ErrorCode(Scores, "{$group: {_id: null, p: {$percentile: {input: '$test01', p: [1.5], method: 'approximate'}}}}"));
        Assert.Equal(7750301, await ErrorCode(Scores, "{$group: {_id: null, p: {$percentile: {input: '$test01', p: 0.5, method: 'approximate'}}}}"));
        Assert.Equal(7750300, await ErrorCode(Scores, "{$group: {_id: null, p: {$percentile: {input: '$test01', p: '$ps', method: 'approximate'}}}}"));
        var literal = (await Aggregate(Scores, "{$group: {_id: null, p: {$percentile: {input: '$test02', p: {$literal: [0.5]}, method: 'approximate'}}}}")).Single();
        Assert.Equal(new O.BsonArray { 81.0 }, literal["p"]);
        Assert.Equal(7436100, await ErrorCode(Scores, "{$group: {_id: null, m: {$median: '$test01'}}}"));
        Assert.Equal(40414, await ErrorCode(Scores, "{$group: {_id: null, m: {$median: {input: '$test01'}}}}"));
    }

    [Fact]
    public async Task FirstN_lastN_maxN_minN_in_group()
    {
        const string docs = "[{_id: 1, g: 'a', v: 3}, {_id: 2, g: 'a', v: null}, {_id: 3, g: 'a'}, {_id: 4, g: 'a', v: 9}, {_id: 5, g: 'a', v: 1}, {_id: 6, g: 'b', v: 5}]";
        var r = await Aggregate(docs, "{$sort: {_id: 1}}",
            "{$group: {_id: '$g', f: {$firstN: {input: '$v', n: 3}}, l: {$lastN: {input: '$v', n: 2}}, mx: {$maxN: {input: '$v', n: 2}}," +
            " mn: {$minN: {input: '$v', n: 5}}, byKey: {$firstN: {input: '$_id', n: {$cond: {if: {$eq: ['$_id', 'a']}, then: 2, else: 1}}}}}}",
            "{$sort: {_id: 1}}");
        // $firstN/$lastN keep nulls and turn missing into null; $maxN/$minN skip both.
        Assert.Equal(O.BsonArray.Create(new object?[] { 3, null, null }), r[0]["f"]);
        Assert.Equal(new O.BsonArray { 9, 1 }, r[0]["l"]);
        Assert.Equal(new O.BsonArray { 9, 3 }, r[0]["mx"]);
        Assert.Equal(new O.BsonArray { 1, 3, 9 }, r[0]["mn"]);
        Assert.Equal(new O.BsonArray { 1, 2 }, r[0]["byKey"]); // 'n' may depend on the group's _id
        Assert.Equal(new O.BsonArray { 6 }, r[1]["byKey"]);

        Assert.Equal(5787908, await ErrorCode(docs, "{$group: {_id: null, f: {$firstN: {input: '$v', n: 0}}}}"));
        Assert.Equal(5787903, await ErrorCode(docs, "{$group: {_id: null, f: {$firstN: {input: '$v', n: 1.5}}}}"));
        Assert.Equal(5787902, await ErrorCode(docs, "{$group: {_id: null, f: {$maxN: {input: '$v', n: 'x'}}}}"));
        Assert.Equal(5787906, await ErrorCode(docs, "{$group: {_id: null, f: {$lastN: {input: '$v'}}}}"));
        Assert.Equal(5787907, await ErrorCode(docs, "{$group: {_id: null, f: {$minN: {n: 1}}}}"));
        Assert.Equal(5787901, await ErrorCode(docs, "{$group: {_id: null, f: {$minN: {n: 1, input: 1, x: 1}}}}"));
        Assert.Equal(5787801, await ErrorCode(docs, "{$group: {_id: null, f: {$firstN: 1}}}"));
    }

    [Fact]
    public async Task TopN_bottomN_top_bottom_follow_sortBy()
    {
        // The manual's game scores example.
        const string games =
            "[{playerId: 'PlayerA', gameId: 'G1', score: 31}, {playerId: 'PlayerB', gameId: 'G1', score: 33}," +
            " {playerId: 'PlayerC', gameId: 'G1', score: 99}, {playerId: 'PlayerD', gameId: 'G1', score: 1}," +
            " {playerId: 'PlayerA', gameId: 'G2', score: 10}, {playerId: 'PlayerB', gameId: 'G2', score: 14}," +
            " {playerId: 'PlayerC', gameId: 'G2', score: 66}, {playerId: 'PlayerD', gameId: 'G2', score: 80}]";
        var r = await Aggregate(games,
            "{$group: {_id: '$gameId', top3: {$topN: {output: ['$playerId', '$score'], sortBy: {score: -1}, n: 3}}," +
            " bottom2: {$bottomN: {output: '$playerId', sortBy: {score: -1}, n: 2}}, best: {$top: {output: '$playerId', sortBy: {score: -1}}}," +
            " worst: {$bottom: {output: '$score', sortBy: {score: -1}}}}}", "{$sort: {_id: 1}}");
        Assert.Equal(O.BsonArray.Create(new object[] { new object[] { "PlayerC", 99 }, new object[] { "PlayerB", 33 }, new object[] { "PlayerA", 31 } }), r[0]["top3"]);
        Assert.Equal(new O.BsonArray { "PlayerA", "PlayerD" }, r[0]["bottom2"]);
        Assert.Equal("PlayerC", r[0]["best"].AsString);
        Assert.Equal(1, r[0]["worst"].AsInt32);
        Assert.Equal("PlayerD", r[1]["best"].AsString);
        Assert.Equal(new O.BsonArray { "PlayerB", "PlayerA" }, r[1]["bottom2"]);

        Assert.Equal(5788005, await ErrorCode(games, "{$group: {_id: null, t: {$top: {output: '$score'}}}}"));
        Assert.Equal(5788004, await ErrorCode(games, "{$group: {_id: null, t: {$topN: {n: 1, sortBy: {score: 1}}}}}"));
        Assert.Equal(5788003, await ErrorCode(games, "{$group: {_id: null, t: {$bottomN: {output: 1, sortBy: {score: 1}}}}}"));
        Assert.Equal(5788002, await ErrorCode(games, "{$group: {_id: null, t: {$top: {n: 1, output: 1, sortBy: {score: 1}}}}}"));
        Assert.Equal(5788001, await ErrorCode(games, "{$group: {_id: null, t: {$top: 1}}}"));
    }

    [Fact]
    public async Task N_expressions_over_arrays()
    {
        var r = (await Aggregate("[{_id: 1, a: [5, null, 2, 8, 1]}]",
            "{$project: {_id: 0, f: {$firstN: {input: '$a', n: 2}}, l: {$lastN: {input: '$a', n: 2}}, mx: {$maxN: {input: '$a', n: 2}}," +
            " mn: {$minN: {input: '$a', n: 10}}, big: {$firstN: {input: [1, 2], n: 5}}}}")).Single();
        Assert.Equal(O.BsonArray.Create(new object?[] { 5, null }), r["f"]);
        Assert.Equal(new O.BsonArray { 8, 1 }, r["l"]);
        Assert.Equal(new O.BsonArray { 8, 5 }, r["mx"]);
        Assert.Equal(new O.BsonArray { 1, 2, 5, 8 }, r["mn"]);
        Assert.Equal(new O.BsonArray { 1, 2 }, r["big"]);
        Assert.Equal(5788200, await ErrorCode("[{_id: 1, a: 3}]", "{$project: {f: {$firstN: {input: '$a', n: 1}}}}"));
        Assert.Equal(168, await ErrorCode("[{_id: 1, a: 3}]", "{$project: {f: {$topN: {output: '$a', n: 1, sortBy: {a: 1}}}}}"));
    }
}
