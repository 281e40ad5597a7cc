using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// $or plans (an OR of index scans when every branch has an index, else a collection scan) and anchored regular
/// expressions as index ranges: random data and queries give what a collection without indexes gives, and explain
/// shows mongod 8.0's shapes. Driven by the official MongoDB.Driver 3.14.0.
/// </summary>
public sealed class EngineIndexOrRegexTests : OfficialDriverTestBase
{
    private static readonly string[] Words = ["abc", "abd", "ab", "abcd", "Abc", "b", "ba", "a.c", "a*c", "xyz", "", "ab\nc", "é", "abc\u00ff"];

    private IMongoDatabase Db => Client.GetDatabase("orregex");

    private static O.BsonDocument D(string json) => O.BsonDocument.Parse(json);

    private O.BsonDocument Explain(string coll, O.BsonDocument find) =>
        Db.RunCommand<O.BsonDocument>(new O.BsonDocument { { "explain", new O.BsonDocument("find", coll).AddRange(find) }, { "verbosity", "executionStats" } });

    private static List<string> StageNames(O.BsonDocument stage)
    {
        var names = new List<string>();
        Walk(stage);
        return names;

        void Walk(O.BsonDocument s)
        {
            names.Add(s["stage"].AsString);
            if (s.GetValue("inputStage", null) is O.BsonDocument input) Walk(input);
            foreach (var i in s.GetValue("inputStages", new O.BsonArray()).AsBsonArray) Walk(i.AsBsonDocument);
        }
    }

    private static O.BsonValue RandomValue(Random rng) => rng.Next(6) switch
    {
        0 => rng.Next(10),
        1 => rng.Next(10) + 0.5,
        2 => new O.BsonArray { Words[rng.Next(Words.Length)], rng.Next(10) },
        3 => new O.BsonRegularExpression("^ab"),
        _ => Words[rng.Next(Words.Length)],
    };

    private static O.BsonDocument RandomDoc(Random rng, int id)
    {
        var doc = new O.BsonDocument("_id", id);
        foreach (var f in new[] { "a", "b", "c", "s" })
            if (rng.Next(5) > 0) doc[f] = f == "s" ? Words[rng.Next(Words.Length)] : RandomValue(rng);
        return doc;
    }

    private static O.BsonDocument RandomCondition(Random rng)
    {
        var field = new[] { "a", "b", "c", "s", "_id" }[rng.Next(5)];
        O.BsonValue condition = rng.Next(8) switch
        {
            0 => RandomValue(rng),
            1 => new O.BsonDocument("$gt", rng.Next(10)),
            2 => new O.BsonDocument("$lte", Words[rng.Next(Words.Length)]),
            3 => new O.BsonDocument("$in", new O.BsonArray { rng.Next(10), Words[rng.Next(Words.Length)] }),
            4 => new O.BsonRegularExpression(Regexes[rng.Next(Regexes.Length)]),
            5 => new O.BsonDocument { { "$regex", Regexes[rng.Next(Regexes.Length)] }, { "$options", rng.Next(2) == 0 ? "i" : "s" } },
            6 => new O.BsonDocument("$ne", Words[rng.Next(Words.Length)]),
            _ => rng.Next(20),
        };
        return new O.BsonDocument(field, condition);
    }

    private static readonly string[] Regexes = ["^ab", "^abc", "^ab.", "^abc*", "^a\\.c", "^a\\*", "bc", "^(ab|x)", "^ab$", "\\Aab", "^é", "^abc\u00ff", "^x{0}y"];

    private static List<string> Ids(IMongoCollection<O.BsonDocument> c, O.BsonDocument filter) =>
        c.Find(filter).ToList().ConvertAll(d => d["_id"].ToString()!).Order().ToList();

    [Fact]
    public void Random_or_and_regex_queries_return_what_the_collection_scan_returns()
    {
        var rng = new Random(2026120618);
        var plain = Db.GetCollection<O.BsonDocument>("plain");
        var indexed = Db.GetCollection<O.BsonDocument>("indexed");
        indexed.Indexes.CreateMany(
        [
            new CreateIndexModel<O.BsonDocument>(D("{a: 1}")),
            new CreateIndexModel<O.BsonDocument>(D("{b: -1}")),
            new CreateIndexModel<O.BsonDocument>(D("{s: 1, c: 1}")),
        ]);
        var docs = Enumerable.Range(0, 250).Select(i => RandomDoc(rng, i)).ToList();
        plain.InsertMany(docs);
        indexed.InsertMany(docs);

        var orPlans = 0;
        var regexScans = 0;
        for (var q = 0; q < 300; q++)
        {
            O.BsonDocument filter;
            if (q % 3 == 0)
            {
                filter = RandomCondition(rng);
            }
            else
            {
                var branches = new O.BsonArray();
                for (var b = rng.Next(1, 4); b > 0; b--) branches.Add(RandomCondition(rng));
                filter = new O.BsonDocument("$or", branches);
                if (rng.Next(3) == 0) filter.AddRange(RandomCondition(rng).Where(e => e.Name != "$or"));
            }

            Assert.True(Ids(plain, filter).SequenceEqual(Ids(indexed, filter)), "filter " + filter.ToJson());
            Assert.Equal(plain.CountDocuments(filter), indexed.CountDocuments(filter));
            var explain = Explain("indexed", new O.BsonDocument("filter", filter));
            var stages = StageNames(explain["queryPlanner"]["winningPlan"].AsBsonDocument);
            if (stages.Contains("OR")) orPlans++;
            if (filter.ElementCount == 1 && filter.GetElement(0).Value is O.BsonRegularExpression && stages.Contains("IXSCAN")) regexScans++;
            Assert.Equal(Ids(plain, filter).Count, explain["executionStats"]["nReturned"].ToInt32());
        }

        Assert.True(orPlans > 20, "OR plans: " + orPlans);
        Assert.True(regexScans > 5, "regex index scans: " + regexScans);
    }

    [Fact]
    public void Or_of_indexed_branches_is_an_or_of_index_scans_with_duplicates_dropped()
    {
        var c = Db.GetCollection<O.BsonDocument>("or");
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{a: 1}")));
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{b: 1}")));
        c.InsertMany(Enumerable.Range(0, 100).Select(i => new O.BsonDocument { { "_id", i }, { "a", i % 10 }, { "b", i }, { "c", i % 2 } }));

        var explain = Explain("or", D("{filter: {$or: [{a: 3}, {b: {$lt: 5}}, {_id: 13}]}}"));
        var plan = explain["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal("SUBPLAN", plan["stage"].AsString);
        var or = plan["inputStage"]["inputStage"].AsBsonDocument;
        Assert.Equal("FETCH", plan["inputStage"]["stage"].AsString);
        Assert.Equal("OR", or["stage"].AsString);
        var inputs = or["inputStages"].AsBsonArray.Select(s => s.AsBsonDocument).ToList();
        Assert.Equal(["a_1", "b_1", "_id_"], inputs.Select(s => s["indexName"].AsString));
        Assert.All(inputs, s => Assert.Equal("IXSCAN", s["stage"].AsString));
        Assert.Equal(new O.BsonArray { "[3, 3]" }, inputs[0]["indexBounds"]["a"]);
        Assert.Equal(new O.BsonArray { "[-inf.0, 5)" }, inputs[1]["indexBounds"]["b"]);
        Assert.Equal(new O.BsonArray { "[13, 13]" }, inputs[2]["indexBounds"]["_id"]);
        var stats = explain["executionStats"].AsBsonDocument;
        // a = 3: 3, 13, ..., 93 (10); b < 5: 0..4 (5, 3 already met); _id 13 (met): 14 documents, 16 keys.
        Assert.Equal(14, stats["nReturned"].ToInt32());
        Assert.Equal(16, stats["totalKeysExamined"].ToInt32());
        Assert.Equal(14, stats["totalDocsExamined"].ToInt32());
        var orStats = stats["executionStages"]["inputStage"]["inputStage"].AsBsonDocument;
        Assert.Equal(16, orStats["dupsTested"].ToInt32());
        Assert.Equal(2, orStats["dupsDropped"].ToInt32());
        Assert.Equal(14, c.CountDocuments(D("{$or: [{a: 3}, {b: {$lt: 5}}, {_id: 13}]}")));

        // Beside other conditions (not rooted): no SUBPLAN, and the other conditions filter at the FETCH.
        var contained = Explain("or", D("{filter: {c: 1, $or: [{a: 3}, {b: {$lt: 5}}]}}"))["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal(["FETCH", "OR", "IXSCAN", "IXSCAN"], StageNames(contained));
        Assert.Equal(D("{c: {$eq: 1}}"), contained["filter"]);

        // A branch whose bounds leave a condition fetches it under the OR.
        var residual = Explain("or", D("{filter: {$or: [{a: 3, c: 0}, {b: 7}]}}"))["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal(["SUBPLAN", "FETCH", "OR", "FETCH", "IXSCAN", "IXSCAN"], StageNames(residual));
        Assert.Equal([7], c.Find(D("{$or: [{a: 3, c: 0}, {b: 7}]}")).ToList().Select(d => d["_id"].ToInt32()));

        // One branch without an index: the whole $or scans the collection, as mongod's planner does.
        var unindexed = Explain("or", D("{filter: {$or: [{a: 3}, {c: 1}]}}"));
        Assert.Equal("COLLSCAN", unindexed["queryPlanner"]["winningPlan"]["stage"].AsString);
        Assert.Equal(100, unindexed["executionStats"]["totalDocsExamined"].ToInt32());

        // Equalities on one path are an $in, as mongod rewrites them: one scan of that path's index.
        var sameField = Explain("or", D("{filter: {$or: [{a: 5}, {a: 3}]}}"))["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal(["FETCH", "IXSCAN"], StageNames(sameField));
        Assert.Equal(new O.BsonArray { "[3, 3]", "[5, 5]" }, sameField["inputStage"]["indexBounds"]["a"]);
        Assert.Equal(20, c.CountDocuments(D("{$or: [{a: 5}, {a: 3}]}")));

        // A one-branch $or is its branch.
        Assert.Equal(["FETCH", "IXSCAN"], StageNames(Explain("or", D("{filter: {$or: [{a: 3}]}}"))["queryPlanner"]["winningPlan"].AsBsonDocument));
    }

    [Fact]
    public void Anchored_regex_scans_its_prefix_range_and_other_regexes_do_not()
    {
        var c = Db.GetCollection<O.BsonDocument>("regex");
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{s: 1}")));
        var words = new[] { "ab", "abc", "abcd", "abcz", "abd", "Abc", "b", "aa" };
        c.InsertMany(words.Select((w, i) => new O.BsonDocument { { "_id", i }, { "s", w } }));
        c.InsertOne(new O.BsonDocument { { "_id", 100 }, { "s", new O.BsonRegularExpression("^abc") } });

        var explain = Explain("regex", D("{filter: {s: /^abc/}}"));
        var fetch = explain["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal(["FETCH", "IXSCAN"], StageNames(fetch));
        Assert.False(fetch.Contains("filter")); // an anchored literal: the bounds are exact
        Assert.Equal(new O.BsonArray { "[\"abc\", \"abd\")", "[/^abc/, /^abc/]" }, fetch["inputStage"]["indexBounds"]["s"]);
        var stats = explain["executionStats"].AsBsonDocument;
        Assert.Equal(4, stats["nReturned"].ToInt32()); // abc, abcd, abcz and the stored /^abc/
        // Two intervals: as mongod's bounds checker, the scan reads "abd" (past the first) before it seeks to the second.
        Assert.Equal(5, stats["totalKeysExamined"].ToInt32());
        Assert.Equal(4, stats["totalDocsExamined"].ToInt32());
        Assert.Equal([1, 2, 3, 100], c.Find(D("{s: /^abc/}")).ToList().Select(d => d["_id"].ToInt32()).Order());

        // More than a literal: the prefix bounds the scan, the regex filters what is fetched.
        var inexact = Explain("regex", D("{filter: {s: {$regex: '^abc.'}}}"))["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal(new O.BsonArray { "[\"abc\", \"abd\")", "[/^abc./, /^abc./]" }, inexact["inputStage"]["indexBounds"]["s"]);
        Assert.Equal("s", inexact["filter"].AsBsonDocument.GetElement(0).Name);
        Assert.Equal([2, 3], c.Find(D("{s: {$regex: '^abc.'}}")).ToList().Select(d => d["_id"].ToInt32()).Order());

        // An optional last character leaves the prefix shorter.
        Assert.Equal(new O.BsonArray { "[\"ab\", \"ac\")", "[/^abc?/, /^abc?/]" },
            Explain("regex", D("{filter: {s: /^abc?/}}"))["queryPlanner"]["winningPlan"]["inputStage"]["indexBounds"]["s"]);

        // Case-insensitive or unanchored: no prefix, a collection scan.
        Assert.Equal("COLLSCAN", Explain("regex", D("{filter: {s: /^abc/i}}"))["queryPlanner"]["winningPlan"]["stage"].AsString);
        Assert.Equal("COLLSCAN", Explain("regex", D("{filter: {s: /bc/}}"))["queryPlanner"]["winningPlan"]["stage"].AsString);
        Assert.Equal([1, 2, 3, 5], c.Find(D("{s: /^abc/i}")).ToList().Select(d => d["_id"].ToInt32()).Order());
    }

    [Fact]
    public void Covered_projection_reads_only_the_index_keys()
    {
        var c = Db.GetCollection<O.BsonDocument>("covered");
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{a: 1, b: 1}")));
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{t: 1}")));
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{s: 1}"), new CreateIndexOptions { Collation = new Collation("en", strength: CollationStrength.Secondary) }));
        c.InsertMany(Enumerable.Range(0, 50).Select(i => new O.BsonDocument { { "_id", i }, { "a", i }, { "b", i % 7 }, { "c", "x" }, { "t", new O.BsonArray { i, i + 1 } }, { "s", "w" + i } }));

        var covered = Explain("covered", D("{filter: {a: {$gte: 40}, b: {$lt: 3}}, projection: {a: 1, b: 1, _id: 0}}"));
        var plan = covered["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal(["PROJECTION_COVERED", "IXSCAN"], StageNames(plan));
        Assert.Equal(D("{a: 1, b: 1, _id: 0}"), plan["transformBy"]);
        var stats = covered["executionStats"].AsBsonDocument;
        Assert.Equal(4, stats["nReturned"].ToInt32()); // 42, 43, 44 and 49 have b < 3
        Assert.Equal(0, stats["totalDocsExamined"].ToInt32());
        Assert.True(stats["totalKeysExamined"].ToInt32() >= 4);
        var found = c.Find(D("{a: {$gte: 40}, b: {$lt: 3}}")).Project(D("{a: 1, b: 1, _id: 0}")).ToList();
        Assert.Equal([D("{a: 42, b: 0}"), D("{a: 43, b: 1}"), D("{a: 44, b: 2}"), D("{a: 49, b: 0}")], found);

        // With a limit the LIMIT stage sits between, still without FETCH.
        Assert.Equal(["PROJECTION_COVERED", "LIMIT", "IXSCAN"],
            StageNames(Explain("covered", D("{filter: {a: {$gt: 10}}, projection: {a: 1, _id: 0}, limit: 2}"))["queryPlanner"]["winningPlan"].AsBsonDocument));

        // Not covered, as on mongod: _id included, a field outside the key, a condition the bounds leave, a multikey
        // index, an index with a collation, and a key field the bounds let be null (null or missing: only the document knows).
        foreach (var (filter, projection) in new[]
        {
            ("{a: {$gte: 40}}", "{a: 1}"),
            ("{a: {$gte: 40}}", "{a: 1, c: 1, _id: 0}"),
            ("{a: {$gte: 40}, c: 'x'}", "{a: 1, _id: 0}"),
            ("{t: 5}", "{t: 1, _id: 0}"),
            ("{s: 'w5'}", "{s: 1, _id: 0}"),
            ("{a: {$gte: 40}}", "{a: 1, b: 1, _id: 0}"),
        })
        {
            var find = new O.BsonDocument { { "filter", D(filter) }, { "projection", D(projection) } };
            if (filter.StartsWith("{s", StringComparison.Ordinal)) find.Add("collation", D("{locale: 'en', strength: 2}"));
            var explain = Explain("covered", find);
            var stages = StageNames(explain["queryPlanner"]["winningPlan"].AsBsonDocument);
            Assert.DoesNotContain("PROJECTION_COVERED", stages);
            Assert.Contains("FETCH", stages);
            Assert.True(explain["executionStats"]["totalDocsExamined"].ToInt32() > 0, filter + " " + projection);
        }
    }
}
