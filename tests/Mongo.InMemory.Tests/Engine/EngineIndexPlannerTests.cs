using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// The query planner against the collection scan: random documents (arrays, nulls and missing fields, mixed types,
/// nested paths) and random queries give the same results on a collection with secondary indexes as on one without,
/// while explain shows the indexes were in fact used; writes (updates, deletes, a transaction's commit) keep the
/// indexes in step. Driven by the official MongoDB.Driver 3.14.0.
/// </summary>
public sealed class EngineIndexPlannerTests : OfficialDriverTestBase
{
    private static readonly O.BsonValue?[] Pool =
    [
        -2, 0, 1, 2, 3, 1.5, 2.0, long.MaxValue, "a", "B", "b", "ab", "é", O.BsonNull.Value, null, null,
        new O.BsonArray { 1, 2 }, new O.BsonArray { "a", 3 }, new O.BsonArray(), new O.BsonArray { new O.BsonArray { 1 } },
        new O.BsonDocument("x", 1), true, false, new O.BsonDateTime(1000), new O.BsonDateTime(2000),
        O.Decimal128.Parse("2"), double.NaN,
    ];

    private static readonly string[] Fields = ["a", "b", "c", "d.e"];

    private IMongoDatabase Db => Client.GetDatabase("planner");

    private static O.BsonDocument D(string json) => O.BsonDocument.Parse(json);

    private static O.BsonValue? Pick(Random rng) => Pool[rng.Next(Pool.Length)];

    private static O.BsonDocument RandomDoc(Random rng, int id)
    {
        var doc = new O.BsonDocument("_id", id);
        foreach (var f in new[] { "a", "b", "c" })
            if (Pick(rng) is { } v) doc[f] = v;
        var e = Pick(rng);
        if (rng.Next(3) == 0) doc["d"] = new O.BsonArray { new O.BsonDocument("e", e ?? 1), new O.BsonDocument("e", 7) };
        else if (e is not null) doc["d"] = new O.BsonDocument("e", e);
        return doc;
    }

    private static O.BsonDocument RandomCondition(Random rng)
    {
        var field = Fields[rng.Next(Fields.Length)];
        var v = Pick(rng) ?? 1;
        var w = Pick(rng) ?? 2;
        O.BsonValue condition = rng.Next(9) switch
        {
            0 => v,
            1 => new O.BsonDocument("$gt", v),
            2 => new O.BsonDocument("$gte", v),
            3 => new O.BsonDocument("$lt", v),
            4 => new O.BsonDocument("$lte", v),
            5 => new O.BsonDocument("$in", new O.BsonArray { v, w }),
            6 => new O.BsonDocument { { "$gt", v }, { "$lt", w } },
            7 => new O.BsonDocument("$ne", v),
            _ => new O.BsonDocument("$exists", rng.Next(2) == 0),
        };
        return new O.BsonDocument(field, condition);
    }

    private static O.BsonDocument RandomFilter(Random rng)
    {
        var filter = RandomCondition(rng);
        if (rng.Next(2) == 0)
        {
            foreach (var e in RandomCondition(rng))
                if (!filter.Contains(e.Name)) filter.Add(e);
        }

        return filter;
    }

    private static List<string> Run(IMongoCollection<O.BsonDocument> c, O.BsonDocument filter, O.BsonDocument? sort, Collation? collation)
    {
        var find = c.Find(filter, new FindOptions { Collation = collation });
        // Without a sort any order is correct, so the two are compared as sets; with one, the _id makes ties ordered.
        var docs = (sort is null ? find.Sort(D("{_id: 1}")) : find.Sort(new O.BsonDocument(sort).Add("_id", 1))).ToList();
        return docs.ConvertAll(d => d.ToJson());
    }

    private static List<string> RunUnsorted(IMongoCollection<O.BsonDocument> c, O.BsonDocument filter, O.BsonDocument? sort, int limit, Collation? collation)
    {
        var find = c.Find(filter, new FindOptions { Collation = collation });
        if (sort is not null) find = find.Sort(sort);
        if (limit > 0) find = find.Limit(limit);
        return find.ToList().ConvertAll(d => d["_id"].ToString()!);
    }

    private O.BsonDocument Explain(string coll, O.BsonDocument find, string verbosity = "executionStats") =>
        Db.RunCommand<O.BsonDocument>(new O.BsonDocument { { "explain", new O.BsonDocument("find", coll).AddRange(find) }, { "verbosity", verbosity } });

    private static List<string> StageNames(O.BsonDocument stage)
    {
        var names = new List<string>();
        for (var s = stage; s is not null; s = s.GetValue("inputStage", null)?.AsBsonDocument) names.Add(s["stage"].AsString);
        return names;
    }

    [Fact]
    public void Random_queries_return_what_the_collection_scan_returns_and_use_the_indexes()
    {
        var rng = new Random(20261206);
        var plain = Db.GetCollection<O.BsonDocument>("plain");
        var indexed = Db.GetCollection<O.BsonDocument>("indexed");
        indexed.Indexes.CreateMany(
        [
            new CreateIndexModel<O.BsonDocument>(D("{a: 1}")),
            new CreateIndexModel<O.BsonDocument>(D("{b: -1, a: 1}")),
            new CreateIndexModel<O.BsonDocument>(D("{c: 1}"), new CreateIndexOptions { Sparse = true }),
            new CreateIndexModel<O.BsonDocument>(D("{'d.e': 1}")),
            new CreateIndexModel<O.BsonDocument>(D("{c: 1, b: 1}"), new CreateIndexOptions<O.BsonDocument> { PartialFilterExpression = D("{c: {$gt: 0}}") }),
        ]);
        var docs = Enumerable.Range(0, 300).Select(i => RandomDoc(rng, i)).ToList();
        plain.InsertMany(docs);
        indexed.InsertMany(docs);

        var usedIndex = 0;
        var queries = 0;
        for (var round = 0; round < 4; round++)
        {
            for (var q = 0; q < 120; q++)
            {
                var filter = RandomFilter(rng);
                O.BsonDocument? sort = rng.Next(3) switch
                {
                    0 => D("{a: 1}"),
                    1 => D("{b: -1}"),
                    _ => null,
                };
                Assert.True(Run(plain, filter, sort, null).SequenceEqual(Run(indexed, filter, sort, null)), "filter " + filter.ToJson() + " sort " + sort?.ToJson());
                var limit = rng.Next(3) == 0 ? 5 : 0;
                var expected = RunUnsorted(plain, filter, null, 0, null).Order().ToList();
                var actual = RunUnsorted(indexed, filter, null, 0, null).Order().ToList();
                Assert.True(expected.SequenceEqual(actual), "unsorted " + filter.ToJson());
                Assert.Equal(plain.CountDocuments(filter), indexed.CountDocuments(filter));
                queries++;
                var explain = Explain("indexed", new O.BsonDocument("filter", filter));
                if (StageNames(explain["queryPlanner"]["winningPlan"].AsBsonDocument).Contains("IXSCAN")) usedIndex++;
                Assert.Equal(actual.Count, explain["executionStats"]["nReturned"].ToInt32());
                _ = limit;
            }

            // Writes between rounds: the indexes must follow updates, replacements and deletes.
            for (var w = 0; w < 60; w++)
            {
                var id = rng.Next(300);
                var replacement = RandomDoc(rng, id);
                switch (rng.Next(3))
                {
                    case 0:
                        plain.ReplaceOne(D("{_id: " + id + "}"), replacement);
                        indexed.ReplaceOne(D("{_id: " + id + "}"), replacement);
                        break;
                    case 1:
                        var set = new O.BsonDocument("$set", new O.BsonDocument("a", Pick(rng) ?? 5));
                        plain.UpdateMany(D("{_id: {$gte: " + id + ", $lt: " + (id + 5) + "}}"), set);
                        indexed.UpdateMany(D("{_id: {$gte: " + id + ", $lt: " + (id + 5) + "}}"), set);
                        break;
                    default:
                        plain.DeleteOne(D("{_id: " + id + "}"));
                        indexed.DeleteOne(D("{_id: " + id + "}"));
                        if (rng.Next(2) == 0)
                        {
                            plain.InsertOne(replacement);
                            indexed.InsertOne(replacement);
                        }

                        break;
                }
            }
        }

        // Most random conditions are on indexed paths with boundable operands: the indexes must have been used.
        Assert.True(usedIndex > queries / 3, "index used for " + usedIndex + " of " + queries + " queries");
    }

    [Fact]
    public void Collation_aware_index_is_used_only_for_its_collation_and_agrees_with_the_scan()
    {
        var caseInsensitive = new Collation("en", strength: CollationStrength.Secondary);
        var plain = Db.GetCollection<O.BsonDocument>("plainS");
        var indexed = Db.GetCollection<O.BsonDocument>("indexedS");
        indexed.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{s: 1}"), new CreateIndexOptions { Collation = caseInsensitive }));
        string[] words = ["apple", "Apple", "APPLE", "banana", "Banana", "cherry", "äpple", "b"];
        var docs = Enumerable.Range(0, 40).Select(i => new O.BsonDocument { { "_id", i }, { "s", words[i % words.Length] } }).ToList();
        plain.InsertMany(docs);
        indexed.InsertMany(docs);
        foreach (var filter in new[] { D("{s: 'apple'}"), D("{s: {$gt: 'apple'}}"), D("{s: {$in: ['BANANA', 'b']}}"), D("{s: {$lte: 'b'}}") })
        {
            foreach (var collation in new[] { caseInsensitive, null })
            {
                Assert.Equal(Run(plain, filter, D("{s: 1}"), collation), Run(indexed, filter, D("{s: 1}"), collation));
                var explain = Db.RunCommand<O.BsonDocument>(new O.BsonDocument
                {
                    { "explain", new O.BsonDocument { { "find", "indexedS" }, { "filter", filter } }.AddRange(collation is null ? new O.BsonDocument() : new O.BsonDocument("collation", collation.ToBsonDocument())) },
                    { "verbosity", "queryPlanner" },
                });
                var stages = StageNames(explain["queryPlanner"]["winningPlan"].AsBsonDocument);
                // A string bound is only valid under the index's own collation; the simple one must scan.
                Assert.Equal(collation is not null, stages.Contains("IXSCAN"));
            }
        }
    }

    [Fact]
    public void Indexed_sort_is_not_sorted_in_memory_and_limit_stops_the_scan()
    {
        var c = Db.GetCollection<O.BsonDocument>("sorted");
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{x: 1}")));
        c.InsertMany(Enumerable.Range(0, 1000).Select(i => new O.BsonDocument { { "_id", i }, { "x", (i * 7919) % 1000 } }));

        var explain = Explain("sorted", D("{sort: {x: -1}, limit: 3}"));
        var plan = explain["queryPlanner"]["winningPlan"].AsBsonDocument;
        var stages = StageNames(plan);
        Assert.DoesNotContain("SORT", stages);
        Assert.Equal(["LIMIT", "FETCH", "IXSCAN"], stages);
        var ixscan = plan["inputStage"]["inputStage"].AsBsonDocument;
        Assert.Equal("backward", ixscan["direction"].AsString);
        Assert.Equal(new O.BsonArray { "[MaxKey, MinKey]" }, ixscan["indexBounds"]["x"]);
        var stats = explain["executionStats"].AsBsonDocument;
        Assert.Equal(3, stats["nReturned"].ToInt32());
        Assert.Equal(3, stats["totalKeysExamined"].ToInt32());
        Assert.Equal(3, stats["totalDocsExamined"].ToInt32());
        Assert.Equal([999, 998, 997], c.Find(D("{}")).Sort(D("{x: -1}")).Limit(3).ToList().Select(d => d["x"].ToInt32()));

        // Without an index on the sort key the same query sorts in memory.
        var unindexed = Explain("sorted", D("{sort: {y: 1}, limit: 3}"))["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal(["SORT", "COLLSCAN"], StageNames(unindexed));
        Assert.Equal(104857600, unindexed["memLimit"].ToInt32());
    }

    [Fact]
    public void Equality_range_in_and_compound_prefix_bounds_are_reported_with_honest_counts()
    {
        var c = Db.GetCollection<O.BsonDocument>("bounds");
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{a: 1, b: -1}")));
        c.InsertMany(Enumerable.Range(0, 100).Select(i => new O.BsonDocument { { "_id", i }, { "a", i % 10 }, { "b", i } }));

        var eq = Explain("bounds", D("{filter: {a: 3, b: {$gt: 50}}}"));
        var ix = eq["queryPlanner"]["winningPlan"]["inputStage"].AsBsonDocument;
        Assert.Equal("IXSCAN", ix["stage"].AsString);
        Assert.Equal("a_1_b_-1", ix["indexName"].AsString);
        Assert.Equal(new O.BsonArray { "[3, 3]" }, ix["indexBounds"]["a"]);
        Assert.Equal(new O.BsonArray { "[inf.0, 50)" }, ix["indexBounds"]["b"]);
        Assert.False(ix["isMultiKey"].AsBoolean);
        var stats = eq["executionStats"].AsBsonDocument;
        Assert.Equal(5, stats["nReturned"].ToInt32()); // 53, 63, 73, 83, 93
        Assert.Equal(5, stats["totalKeysExamined"].ToInt32());
        Assert.Equal(5, stats["totalDocsExamined"].ToInt32());

        var inQuery = Explain("bounds", D("{filter: {a: {$in: [1, 2]}}}"));
        Assert.Equal(new O.BsonArray { "[1, 1]", "[2, 2]" }, inQuery["queryPlanner"]["winningPlan"]["inputStage"]["indexBounds"]["a"]);
        Assert.Equal(20, inQuery["executionStats"]["totalKeysExamined"].ToInt32());

        // A condition on the second field only cannot use the index: a collection scan examines every document.
        var second = Explain("bounds", D("{filter: {b: 5}}"));
        Assert.Equal("COLLSCAN", second["queryPlanner"]["winningPlan"]["stage"].AsString);
        Assert.Equal(100, second["executionStats"]["totalDocsExamined"].ToInt32());
        Assert.Equal(0, second["executionStats"]["totalKeysExamined"].ToInt32());
    }

    [Fact]
    public void Multikey_index_reports_its_paths_and_drops_duplicate_documents()
    {
        var c = Db.GetCollection<O.BsonDocument>("multikey");
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{tags: 1}")));
        c.InsertMany([D("{_id: 1, tags: [1, 2, 3]}"), D("{_id: 2, tags: [3, 4]}"), D("{_id: 3, tags: 5}")]);
        // Two conditions on an array may hold on different elements: [1, 2, 3] matches {$gt: 2, $lt: 2.5} through 3 and 1.
        Assert.Equal([1], c.Find(D("{tags: {$gt: 2, $lt: 2.5}}")).ToList().Select(d => d["_id"].ToInt32()));
        var explain = Explain("multikey", D("{filter: {tags: {$gte: 2}}}"));
        var ix = explain["queryPlanner"]["winningPlan"]["inputStage"].AsBsonDocument;
        Assert.True(ix["isMultiKey"].AsBoolean);
        Assert.Equal(new O.BsonArray { "tags" }, ix["multiKeyPaths"]["tags"]);
        var stats = explain["executionStats"].AsBsonDocument;
        Assert.Equal(3, stats["nReturned"].ToInt32());
        Assert.Equal(5, stats["totalKeysExamined"].ToInt32()); // 2 and 3 of _id 1, 3 and 4 of _id 2, 5 of _id 3
        Assert.Equal(2, stats["executionStages"]["inputStage"]["dupsDropped"].ToInt32()); // 3 of _id 1 and 4 of _id 2 come again
    }

    [Fact]
    public void Hint_by_name_and_key_pattern_and_a_bad_hint_gets_error_2()
    {
        var c = Db.GetCollection<O.BsonDocument>("hinted");
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{a: 1}"), new CreateIndexOptions { Sparse = true }));
        c.InsertMany([D("{_id: 1, a: 2}"), D("{_id: 2}"), D("{_id: 3, a: 1}")]);
        var byName = Explain("hinted", D("{filter: {}, hint: 'a_1'}"));
        Assert.Equal("a_1", byName["queryPlanner"]["winningPlan"]["inputStage"]["indexName"].AsString);
        // As on the server, a hinted sparse index only yields the documents it holds, in key order.
        Assert.Equal([3, 1], c.Find(D("{}"), new FindOptions { Hint = "a_1" }).ToList().Select(d => d["_id"].ToInt32()));
        Assert.Equal([3, 1], c.Find(D("{}"), new FindOptions { Hint = D("{a: 1}") }).ToList().Select(d => d["_id"].ToInt32()));
        Assert.Equal([1, 2, 3], c.Find(D("{}"), new FindOptions { Hint = D("{_id: 1}") }).ToList().Select(d => d["_id"].ToInt32()));
        Assert.Equal([3, 2, 1], c.Find(D("{}"), new FindOptions { Hint = D("{_id: 1}") }).Sort(D("{_id: -1}")).ToList().Select(d => d["_id"].ToInt32()));
        var idScan = Explain("hinted", D("{filter: {}, sort: {_id: -1}, hint: {_id: 1}}"))["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal(["FETCH", "IXSCAN"], StageNames(idScan));
        Assert.Equal("backward", idScan["inputStage"]["direction"].AsString);
        var natural = Explain("hinted", D("{filter: {a: 1}, hint: {$natural: 1}}"));
        Assert.Equal("COLLSCAN", natural["queryPlanner"]["winningPlan"]["stage"].AsString);

        var bad = Assert.Throws<MongoCommandException>(() => c.Find(D("{}"), new FindOptions { Hint = "nope" }).ToList());
        Assert.Equal(2, bad.Code);
        Assert.Contains("hint provided does not correspond to an existing index", bad.Message);
        var badExplain = Assert.Throws<MongoCommandException>(() => Explain("hinted", D("{filter: {}, hint: {b: 1}}")));
        Assert.Equal(2, badExplain.Code);
    }
}
