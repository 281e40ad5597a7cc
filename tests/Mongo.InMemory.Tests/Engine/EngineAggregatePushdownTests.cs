using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// An aggregate's leading $match/$sort (and the $skip/$limit after them) read through the query planner, as mongod
/// pushes them into its query layer: random pipelines over an indexed collection return what they return over the same
/// documents without indexes (and through a view, and under a collation), the indexes they use count the access in
/// $indexStats, and the stages after the read keep their position rules. Driven by the official MongoDB.Driver 3.14.0.
/// </summary>
public sealed class EngineAggregatePushdownTests : OfficialDriverTestBase
{
    private static readonly string[] Words = ["abc", "Abc", "ab", "b", "B", "xyz", "", "é", "E"];

    private IMongoDatabase Db => Client.GetDatabase("pushdown");

    private static O.BsonDocument D(string json) => O.BsonDocument.Parse(json);

    private static O.BsonValue RandomValue(Random rng) => rng.Next(7) switch
    {
        0 or 1 => rng.Next(8),
        2 => rng.Next(8) + 0.5,
        3 => O.BsonNull.Value,
        _ => Words[rng.Next(Words.Length)],
    };

    private static O.BsonDocument RandomDoc(Random rng, int id)
    {
        var doc = new O.BsonDocument("_id", id);
        foreach (var f in new[] { "a", "b", "c" })
            if (rng.Next(6) > 0) doc[f] = RandomValue(rng);
        if (rng.Next(8) == 0) doc["m"] = new O.BsonArray { rng.Next(8), rng.Next(8) }; // a multikey field
        return doc;
    }

    private static O.BsonDocument RandomMatch(Random rng)
    {
        var field = new[] { "a", "b", "c", "m", "_id" }[rng.Next(5)];
        O.BsonValue condition = rng.Next(7) switch
        {
            0 => RandomValue(rng),
            1 => new O.BsonDocument("$gt", rng.Next(8)),
            2 => new O.BsonDocument("$lte", Words[rng.Next(Words.Length)]),
            3 => new O.BsonDocument("$in", new O.BsonArray { rng.Next(8), Words[rng.Next(Words.Length)] }),
            4 => new O.BsonDocument("$ne", rng.Next(8)),
            5 => new O.BsonDocument("$exists", rng.Next(2) == 0),
            _ => rng.Next(200),
        };
        var match = new O.BsonDocument(field, condition);
        if (rng.Next(3) == 0)
            match = new O.BsonDocument("$or", new O.BsonArray { match, new O.BsonDocument(new[] { "a", "b" }[rng.Next(2)], RandomValue(rng)) });
        return match;
    }

    // Sorts ending in _id are total (one order only); the others leave ties, whose order is not defined.
    private static readonly string[] Sorts = ["{a: 1}", "{a: -1}", "{b: 1, _id: 1}", "{a: 1, b: -1}", "{a: -1, b: 1}", "{c: 1, _id: -1}", "{_id: -1}", "{m: 1, _id: 1}"];

    /// <summary>A random pipeline: [$match] [$sort] [$skip] [$limit] [$project or $group], and whether its output order is defined.</summary>
    private static (O.BsonArray Pipeline, bool Ordered) RandomPipeline(Random rng)
    {
        var pipeline = new O.BsonArray();
        if (rng.Next(4) > 0) pipeline.Add(new O.BsonDocument("$match", RandomMatch(rng)));
        string? sort = rng.Next(3) > 0 ? Sorts[rng.Next(Sorts.Length)] : null;
        var total = sort is not null && sort.Contains("_id", StringComparison.Ordinal);
        if (sort is not null) pipeline.Add(new O.BsonDocument("$sort", D(sort)));
        // A $skip/$limit picks documents by their order: only after a total sort is the pick defined.
        if (total && rng.Next(2) == 0) pipeline.Add(new O.BsonDocument("$skip", rng.Next(5)));
        if (total && rng.Next(2) == 0) pipeline.Add(new O.BsonDocument("$limit", rng.Next(1, 30)));
        switch (rng.Next(4))
        {
            case 0:
                pipeline.Add(D("{$project: {a: 1, c: 1}}"));
                break;
            case 1:
                pipeline.Add(D("{$group: {_id: '$a', n: {$sum: 1}}}"));
                return (pipeline, false);
        }

        return (pipeline, total);
    }

    private static List<string> Run(IMongoCollection<O.BsonDocument> c, O.BsonArray pipeline, bool ordered, O.BsonDocument? collation = null)
    {
        var options = new AggregateOptions { Collation = collation is null ? null : Collation.FromBsonDocument(collation) };
        var docs = c.Aggregate<O.BsonDocument>(pipeline.Select(s => s.AsBsonDocument).ToArray(), options).ToList().ConvertAll(d => d.ToJson());
        return ordered ? docs : docs.Order(StringComparer.Ordinal).ToList();
    }

    private long Ops(string collection, string index)
    {
        var stats = Db.GetCollection<O.BsonDocument>(collection).Aggregate<O.BsonDocument>(new[] { D("{$indexStats: {}}") }).ToList();
        return stats.Single(s => s["name"] == index)["accesses"]["ops"].ToInt64();
    }

    [Fact]
    public void Random_pipelines_return_what_they_return_without_indexes_through_views_and_collations()
    {
        var rng = new Random(2026120620);
        var plain = Db.GetCollection<O.BsonDocument>("plain");
        var indexed = Db.GetCollection<O.BsonDocument>("indexed");
        indexed.Indexes.CreateMany(
        [
            new CreateIndexModel<O.BsonDocument>(D("{a: 1}")),
            new CreateIndexModel<O.BsonDocument>(D("{b: 1, _id: 1}")),
            new CreateIndexModel<O.BsonDocument>(D("{a: 1, b: -1}")),
            new CreateIndexModel<O.BsonDocument>(D("{c: 1}"), new CreateIndexOptions { Sparse = true }),
            new CreateIndexModel<O.BsonDocument>(D("{m: 1}")),
            new CreateIndexModel<O.BsonDocument>(D("{b: 1}"), new CreateIndexOptions<O.BsonDocument> { Name = "b_ci", Collation = new Collation("en", strength: CollationStrength.Secondary) }),
        ]);
        var docs = Enumerable.Range(0, 300).Select(i => RandomDoc(rng, i)).ToList();
        plain.InsertMany(docs);
        indexed.InsertMany(docs);
        Db.RunCommand<O.BsonDocument>(D("{create: 'view', viewOn: 'indexed', pipeline: [{$match: {_id: {$lt: 250}}}]}"));
        var view = Db.GetCollection<O.BsonDocument>("view");
        var caseless = D("{locale: 'en', strength: 2}");

        var before = Ops("indexed", "a_1") + Ops("indexed", "b_1__id_1") + Ops("indexed", "a_1_b_-1") + Ops("indexed", "b_ci");
        for (var q = 0; q < 150; q++)
        {
            var (pipeline, ordered) = RandomPipeline(rng);
            Assert.Equal(Run(plain, pipeline, ordered), Run(indexed, pipeline, ordered));
            if (q % 3 == 0)
            {
                var viaView = new O.BsonArray { D("{$match: {_id: {$lt: 250}}}") }.AddRange(pipeline);
                Assert.Equal(Run(plain, viaView, ordered), Run(view, pipeline, ordered));
            }

            if (q % 3 == 1) Assert.Equal(Run(plain, pipeline, ordered, caseless), Run(indexed, pipeline, ordered, caseless));
        }

        // The indexes did answer pipelines (the planner chose them over a scan many times).
        var after = Ops("indexed", "a_1") + Ops("indexed", "b_1__id_1") + Ops("indexed", "a_1_b_-1") + Ops("indexed", "b_ci");
        Assert.True(after - before > 30, "index accesses: " + (after - before));
    }

    [Fact]
    public void An_indexed_match_and_a_sort_on_an_indexed_field_read_through_the_index()
    {
        var c = Db.GetCollection<O.BsonDocument>("reads");
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{a: 1}")));
        c.InsertMany(Enumerable.Range(0, 2000).Select(i => new O.BsonDocument { { "_id", i }, { "a", (i * 7919) % 2000 }, { "b", i % 3 } }));

        var match = c.Aggregate<O.BsonDocument>(new[] { D("{$match: {a: {$gte: 10, $lt: 13}}}"), D("{$project: {_id: 0, a: 1}}") }).ToList();
        Assert.Equal([10, 11, 12], match.Select(d => d["a"].ToInt32()).Order());
        Assert.Equal(1, Ops("reads", "a_1"));

        // A leading $sort the index order gives, then $limit: the first documents in index order, no in-memory sort.
        var sorted = c.Aggregate<O.BsonDocument>(new[] { D("{$sort: {a: -1}}"), D("{$skip: 1}"), D("{$limit: 3}") }).ToList();
        Assert.Equal([1998, 1997, 1996], sorted.Select(d => d["a"].ToInt32()));
        Assert.Equal(2, Ops("reads", "a_1"));

        // The command's hint makes the read walk the index even though it bounds nothing.
        var hinted = c.Aggregate<O.BsonDocument>(new[] { D("{$match: {b: 2}}") }, new AggregateOptions { Hint = D("{a: 1}") }).ToList();
        Assert.Equal(666, hinted.Count);
        Assert.Equal(3, Ops("reads", "a_1"));

        // An unindexed $match reads every document, as before: no index is used.
        Assert.Equal(667, c.Aggregate<O.BsonDocument>(new[] { D("{$match: {b: 1}}") }).ToList().Count);
        Assert.Equal(3, Ops("reads", "a_1"));
    }

    [Fact]
    public void Stages_after_the_read_keep_their_position_rules()
    {
        var c = Db.GetCollection<O.BsonDocument>("rules");
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{a: 1}")));
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{t: 'text'}")));
        c.InsertMany([D("{_id: 1, a: 1, t: 'coffee'}"), D("{_id: 2, a: 2, t: 'tea'}")]);

        MongoCommandException Fails(params string[] stages) =>
            Assert.Throws<MongoCommandException>(() => c.Aggregate<O.BsonDocument>(stages.Select(D).ToArray()).ToList());

        Assert.Equal(40602, Fails("{$match: {a: 1}}", "{$documents: [{x: 1}]}").Code);
        Assert.Equal(17313, Fails("{$match: {$text: {$search: 'coffee'}}}", "{$match: {$text: {$search: 'tea'}}}").Code);
        Assert.Equal(40603, Fails("{$sort: {a: 1}}", "{$geoNear: {near: [0, 0], distanceField: 'd'}}").Code);
        Assert.Equal(15976, Fails("{$match: {a: 1}}", "{$sort: {}}").Code);
        Assert.Equal(15958, Fails("{$sort: {a: 1}}", "{$limit: 0}").Code);
        Assert.Equal(5626500, Fails("{$match: {a: {$near: [0, 0]}}}").Code);
    }

    [Fact]
    public void A_text_search_in_the_first_match_reads_the_term_map()
    {
        var c = Db.GetCollection<O.BsonDocument>("text");
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{t: 'text'}")));
        c.InsertMany(Enumerable.Range(0, 50).Select(i => new O.BsonDocument { { "_id", i }, { "t", i % 10 == 0 ? "coffee shop" : "green tea" } }));

        var found = c.Aggregate<O.BsonDocument>(new[]
        {
            D("{$match: {$text: {$search: 'coffee'}}}"), D("{$project: {s: {$meta: 'textScore'}}}"), D("{$sort: {_id: 1}}"),
        }).ToList();
        Assert.Equal([0, 10, 20, 30, 40], found.Select(d => d["_id"].ToInt32()));
        Assert.All(found, d => Assert.True(d["s"].ToDouble() > 0));
        // The read went through the text index (a scan that only binds the search would not count an access).
        Assert.Equal(1, Ops("text", "t_text"));
    }

    private O.BsonDocument ExplainAggregate(string collection, string pipeline, string verbosity) => Db.RunCommand<O.BsonDocument>(new O.BsonDocument
    {
        { "explain", new O.BsonDocument { { "aggregate", collection }, { "pipeline", BsonSerializer.Deserialize<O.BsonArray>(pipeline) }, { "cursor", new O.BsonDocument() } } },
        { "verbosity", verbosity },
    });

    private static List<string> StageNames(O.BsonDocument stage)
    {
        var names = new List<string>();
        for (O.BsonDocument? s = stage; s is not null; s = s.GetValue("inputStage", null) as O.BsonDocument) names.Add(s["stage"].AsString);
        return names;
    }

    [Fact]
    public void Explain_shows_a_wholly_pushed_pipeline_as_the_query_and_otherwise_the_cursor_then_each_stage_with_its_count()
    {
        var c = Db.GetCollection<O.BsonDocument>("explained");
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{a: 1}")));
        c.InsertMany(Enumerable.Range(0, 100).Select(i => new O.BsonDocument { { "_id", i }, { "a", i % 10 }, { "b", i } }));

        // $match, $sort, $skip and $limit all go to the query layer: the reply is the query's explain.
        var whole = ExplainAggregate("explained", "[{$match: {a: {$gte: 3}}}, {$sort: {a: 1}}, {$skip: 1}, {$limit: 2}]", "executionStats");
        Assert.False(whole.Contains("stages"));
        Assert.True(whole["queryPlanner"]["optimizedPipeline"].AsBoolean);
        Assert.Equal(["LIMIT", "SKIP", "FETCH", "IXSCAN"], StageNames(whole["queryPlanner"]["winningPlan"].AsBsonDocument));
        Assert.Equal(2, whole["executionStats"]["nReturned"].ToInt32());

        // A $group is the pipeline's own: $cursor with the query, then every stage with what it returned.
        const string grouped = "[{$match: {a: {$in: [1, 2]}}}, {$group: {_id: '$a', n: {$sum: 1}}}, {$sort: {_id: 1}}, {$limit: 1}]";
        var staged = ExplainAggregate("explained", grouped, "executionStats");
        Assert.False(staged.Contains("queryPlanner"));
        var stages = staged["stages"].AsBsonArray.Select(s => s.AsBsonDocument).ToList();
        Assert.Equal(["$cursor", "$group", "$sort", "$limit"], stages.Select(s => s.GetElement(0).Name));
        Assert.Contains("IXSCAN", StageNames(stages[0]["$cursor"]["queryPlanner"]["winningPlan"].AsBsonDocument));
        Assert.Equal([20L, 2L, 2L, 1L], stages.Select(s => s["nReturned"].ToInt64()));
        Assert.All(stages, s => Assert.Equal(O.BsonType.Int64, s["executionTimeMillisEstimate"].BsonType));
        Assert.Equal(20, stages[0]["$cursor"]["executionStats"]["nReturned"].ToInt32());

        // At queryPlanner verbosity nothing runs: no counts.
        var planned = ExplainAggregate("explained", grouped, "queryPlanner");
        Assert.All(planned["stages"].AsBsonArray, s => Assert.False(s.AsBsonDocument.Contains("nReturned")));

        // Counting would run the write: refused clearly rather than done.
        var write = Assert.Throws<MongoCommandException>(() => ExplainAggregate("explained", "[{$match: {a: 1}}, {$project: {a: 1}}, {$out: 'other'}]", "executionStats"));
        Assert.Equal(238, write.Code);
        Assert.DoesNotContain("other", Db.ListCollectionNames().ToList());
    }

    [Fact]
    public void A_lookup_on_an_indexed_foreign_field_uses_the_index_and_joins_what_a_scan_joins()
    {
        var rng = new Random(2026120621);
        O.BsonValue Key() => rng.Next(6) switch
        {
            0 => O.BsonNull.Value,
            1 => new O.BsonArray { rng.Next(20), Words[rng.Next(Words.Length)] },
            2 => Words[rng.Next(Words.Length)],
            _ => rng.Next(20),
        };
        var people = Enumerable.Range(0, 120).Select(i =>
        {
            var d = new O.BsonDocument("_id", i);
            if (rng.Next(8) > 0) d["key"] = Key();
            return d.Add("name", "p" + i);
        }).ToList();
        var plain = Db.GetCollection<O.BsonDocument>("people_plain");
        var indexed = Db.GetCollection<O.BsonDocument>("people_indexed");
        indexed.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{key: 1}")));
        // Inserted in another order than _id: the joined arrays keep the collection's order, not the index's.
        plain.InsertMany(people.AsEnumerable().Reverse());
        indexed.InsertMany(people.AsEnumerable().Reverse());
        var orders = Db.GetCollection<O.BsonDocument>("orders");
        orders.InsertMany(Enumerable.Range(0, 150).Select(i =>
        {
            var d = new O.BsonDocument("_id", i);
            if (rng.Next(8) > 0) d["cust"] = Key();
            return d;
        }));

        string Joined(string from, string extra, O.BsonDocument? collation = null) => string.Join("\n", orders.Aggregate<O.BsonDocument>(
            new[] { D("{$lookup: {from: '" + from + "', localField: 'cust', foreignField: 'key', as: 'j'" + extra + "}}") },
            new AggregateOptions { Collation = collation is null ? null : Collation.FromBsonDocument(collation) }).ToList().Select(d => d.ToJson()));

        var before = Ops("people_indexed", "key_1");
        Assert.Equal(Joined("people_plain", ""), Joined("people_indexed", ""));
        Assert.True(Ops("people_indexed", "key_1") - before > 60, "the index answered the lookups");
        Assert.Equal(Joined("people_plain", ", pipeline: [{$project: {name: 1}}]"), Joined("people_indexed", ", pipeline: [{$project: {name: 1}}]"));
        var caseless = D("{locale: 'en', strength: 2}");
        Assert.Equal(Joined("people_plain", "", caseless), Joined("people_indexed", "", caseless));
    }
}
