using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// Hashed and wildcard indexes in the planner: an equality on a hashed field is an IXSCAN over mongod's hash of the
/// value, a predicate on one path a wildcard index covers is an IXSCAN over {$_path, path}; random documents and
/// queries return what the collection scan returns (and keep doing so through updates and deletes).
/// </summary>
public sealed class EngineSpecialIndexPlanTests : OfficialDriverTestBase
{
    private static readonly O.BsonValue[] Scalars =
    [
        -2, 0, 1, 2, 1.5, 2.0, "a", "b", "ab", true, false, new O.BsonDateTime(1000), O.Decimal128.Parse("2"), new O.BsonDocument("x", 1),
    ];

    private IMongoDatabase Db => Client.GetDatabase("special");

    private static O.BsonDocument D(string json) => O.BsonDocument.Parse(json);

    private O.BsonDocument Explain(string coll, string filter) =>
        Db.RunCommand<O.BsonDocument>(new O.BsonDocument { { "explain", new O.BsonDocument { { "find", coll }, { "filter", D(filter) } } }, { "verbosity", "executionStats" } });

    private static O.BsonDocument ExecStage(O.BsonDocument explain, string name) => Stage(explain["executionStats"]["executionStages"].AsBsonDocument, name, explain);

    private static O.BsonDocument Stage(O.BsonDocument explain, string name) => Stage(explain["queryPlanner"]["winningPlan"].AsBsonDocument, name, explain);

    private static O.BsonDocument Stage(O.BsonDocument root, string name, O.BsonDocument explain)
    {
        for (var s = root; s is not null; s = s.GetValue("inputStage", null)?.AsBsonDocument)
        {
            if (s["stage"].AsString == name) return s;
        }

        throw new Xunit.Sdk.XunitException("no " + name + " in " + explain["queryPlanner"]["winningPlan"].ToJson());
    }

    [Fact]
    public void The_hash_is_mongods()
    {
        // mongod's own start-up check of its hash function: {check: 42} hashes to -944302157085130861.
        Assert.Equal(-944302157085130861L, Mongo.InMemory.Engine.Indexing.HashedKey.Of(new Mongo.Bson.BsonInt32(42)));
        // Numbers are squashed to a 64-bit integer first, as on mongod: 42, 42L and 42.9 share a key.
        Assert.Equal(Mongo.InMemory.Engine.Indexing.HashedKey.Of(new Mongo.Bson.BsonInt64(42)), Mongo.InMemory.Engine.Indexing.HashedKey.Of(new Mongo.Bson.BsonDouble(42.9)));
        Assert.NotEqual(Mongo.InMemory.Engine.Indexing.HashedKey.Of(new Mongo.Bson.BsonString("42")), Mongo.InMemory.Engine.Indexing.HashedKey.Of(new Mongo.Bson.BsonInt32(42)));
    }

    [Fact]
    public void A_hashed_equality_is_an_ixscan_over_the_hash()
    {
        var c = Db.GetCollection<O.BsonDocument>("h");
        c.InsertMany(Enumerable.Range(0, 20).Select(i => new O.BsonDocument { { "_id", i }, { "h", i % 5 } }));
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{h: 'hashed'}")));

        var explain = Explain("h", "{h: 3}");
        var ixscan = Stage(explain, "IXSCAN");
        Assert.Equal(D("{h: 'hashed'}"), ixscan["keyPattern"]);
        Assert.Equal("h_hashed", ixscan["indexName"].AsString);
        var hash = Mongo.InMemory.Engine.Indexing.HashedKey.Of(new Mongo.Bson.BsonInt32(3));
        Assert.Equal($"[{hash}, {hash}]", ixscan["indexBounds"]["h"][0].AsString);
        Assert.Equal(4, ExecStage(explain, "IXSCAN")["keysExamined"].ToInt32());
        // A hash stands for several values: the predicate stays in the FETCH filter, as on mongod.
        Assert.Equal(D("{h: {$eq: 3}}"), Stage(explain, "FETCH")["filter"]);
        Assert.Equal(4, explain["executionStats"]["nReturned"].ToInt32());

        var inList = Explain("h", "{h: {$in: [1, 2]}}");
        Assert.Equal(2, Stage(inList, "IXSCAN")["indexBounds"]["h"].AsBsonArray.Count);
        Assert.Equal(8, ExecStage(inList, "IXSCAN")["keysExamined"].ToInt32());
        // A range cannot use hashes.
        Assert.Equal("COLLSCAN", Explain("h", "{h: {$gt: 2}}")["queryPlanner"]["winningPlan"]["stage"].AsString);
    }

    [Fact]
    public void A_compound_hashed_index_bounds_its_other_fields_and_drops_duplicate_keys()
    {
        var c = Db.GetCollection<O.BsonDocument>("ch");
        c.InsertMany([D("{_id: 1, a: [1, 2], h: 5}"), D("{_id: 2, a: 1, h: 5}"), D("{_id: 3, a: 3, h: 5}"), D("{_id: 4, a: 1, h: 6}")]);
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{a: 1, h: 'hashed'}")));

        var explain = Explain("ch", "{a: {$in: [1, 2]}, h: 5}");
        var ixscan = Stage(explain, "IXSCAN");
        Assert.Equal(D("{a: 1, h: 'hashed'}"), ixscan["keyPattern"]);
        Assert.Equal(2, ixscan["indexBounds"]["a"].AsBsonArray.Count);
        Assert.Equal(1, ExecStage(explain, "IXSCAN")["dupsDropped"].ToInt32()); // document 1 has keys under a: 1 and a: 2
        Assert.Equal(2, explain["executionStats"]["nReturned"].ToInt32());
        Assert.Equal([1, 2], c.Find(D("{a: {$in: [1, 2]}, h: 5}")).ToList().Select(d => d["_id"].ToInt32()).Order());
    }

    [Fact]
    public void A_wildcard_index_answers_one_path()
    {
        var c = Db.GetCollection<O.BsonDocument>("w");
        c.InsertMany(
        [
            D("{_id: 1, a: 1, b: {c: 'x'}}"),
            D("{_id: 2, a: [1, 2], b: {c: 'y'}}"),
            D("{_id: 3, a: 3, b: [{c: 'x'}, {c: 'z'}]}"),
        ]);
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{'$**': 1}")));

        var explain = Explain("w", "{'b.c': 'x'}");
        var ixscan = Stage(explain, "IXSCAN");
        Assert.Equal("$**_1", ixscan["indexName"].AsString);
        Assert.Equal(D("{$_path: 1, 'b.c': 1}"), ixscan["keyPattern"]);
        Assert.Equal("[\"b.c\", \"b.c\"]", ixscan["indexBounds"]["$_path"][0].AsString);
        Assert.Equal("[\"x\", \"x\"]", ixscan["indexBounds"]["b.c"][0].AsString);
        Assert.Equal(2, explain["executionStats"]["nReturned"].ToInt32());

        var range = Explain("w", "{a: {$gte: 2}}");
        var rangeScan = Stage(range, "IXSCAN");
        Assert.True(rangeScan["isMultiKey"].AsBoolean); // a held an array
        Assert.Equal("[2, inf.0]", rangeScan["indexBounds"]["a"][0].AsString);
        Assert.Equal(2, range["executionStats"]["nReturned"].ToInt32());

        // An object equality is compared whole, which the leaf keys cannot answer.
        Assert.Equal("COLLSCAN", Explain("w", "{b: {c: 'x'}}")["queryPlanner"]["winningPlan"]["stage"].AsString);
    }

    [Fact]
    public void A_wildcard_projection_limits_the_paths_it_answers()
    {
        var c = Db.GetCollection<O.BsonDocument>("wp");
        c.InsertMany([D("{_id: 1, a: {x: 1}, b: 1}"), D("{_id: 2, a: {x: 2}, b: 2}")]);
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{'$**': 1}"), new CreateIndexOptions<O.BsonDocument> { WildcardProjection = D("{a: 1}") }));
        Assert.Equal("IXSCAN", Stage(Explain("wp", "{'a.x': 2}"), "IXSCAN")["stage"].AsString);
        Assert.Equal("COLLSCAN", Explain("wp", "{b: 2}")["queryPlanner"]["winningPlan"]["stage"].AsString);

        var sub = Db.GetCollection<O.BsonDocument>("ws");
        sub.InsertMany([D("{_id: 1, a: {x: 1}, b: 1}")]);
        sub.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{'a.$**': 1}")));
        Assert.Equal("a.$**_1", Stage(Explain("ws", "{'a.x': 1}"), "IXSCAN")["indexName"].AsString);
        Assert.Equal("COLLSCAN", Explain("ws", "{b: 1}")["queryPlanner"]["winningPlan"]["stage"].AsString);
    }

    private static O.BsonDocument RandomDoc(Random rng, int id)
    {
        O.BsonValue Scalar() => Scalars[rng.Next(Scalars.Length)];
        var doc = new O.BsonDocument("_id", id);
        if (rng.Next(5) > 0) doc["h"] = Scalar(); // the hashed field: never an array (mongod refuses those)
        doc["a"] = rng.Next(4) switch
        {
            0 => Scalar(),
            1 => new O.BsonArray { Scalar(), Scalar() },
            2 => new O.BsonDocument { { "b", Scalar() }, { "c", new O.BsonArray { Scalar() } } },
            _ => new O.BsonArray { new O.BsonDocument("b", Scalar()), Scalar() },
        };
        if (rng.Next(2) == 0) doc["n"] = new O.BsonDocument("m", Scalar());
        return doc;
    }

    private static O.BsonDocument RandomFilter(Random rng)
    {
        var field = new[] { "h", "a", "a.b", "a.c", "n.m" }[rng.Next(5)];
        var v = Scalars[rng.Next(Scalars.Length)];
        O.BsonValue condition = rng.Next(5) switch
        {
            0 or 1 => v,
            2 => new O.BsonDocument("$gt", v),
            3 => new O.BsonDocument("$lte", v),
            _ => new O.BsonDocument("$in", new O.BsonArray { v, Scalars[rng.Next(Scalars.Length)] }),
        };
        return new O.BsonDocument(field, condition);
    }

    [Fact]
    public void Random_queries_on_hashed_and_wildcard_indexes_return_what_the_scan_returns()
    {
        var rng = new Random(15);
        var plain = Db.GetCollection<O.BsonDocument>("plain");
        var hashed = Db.GetCollection<O.BsonDocument>("hashed");
        var wildcard = Db.GetCollection<O.BsonDocument>("wildcard");
        hashed.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{h: 'hashed'}")));
        wildcard.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{'$**': 1}")));
        var docs = Enumerable.Range(0, 200).Select(i => RandomDoc(rng, i)).ToList();
        foreach (var c in new[] { plain, hashed, wildcard }) c.InsertMany(docs.Select(d => d.DeepClone().AsBsonDocument));

        // Writes after the index exists keep its keys in step.
        foreach (var c in new[] { plain, hashed, wildcard })
        {
            c.UpdateMany(D("{_id: {$lt: 40}}"), D("{$set: {h: 2, 'n.m': 'b'}}"));
            c.DeleteMany(D("{_id: {$gte: 180}}"));
        }

        int hashedScans = 0, wildcardScans = 0;
        for (var q = 0; q < 150; q++)
        {
            var filter = RandomFilter(rng);
            var expected = plain.Find(filter).ToList().Select(d => d["_id"].ToInt32()).Order().ToList();
            Assert.True(expected.SequenceEqual(hashed.Find(filter).ToList().Select(d => d["_id"].ToInt32()).Order()), "hashed " + filter.ToJson());
            Assert.True(expected.SequenceEqual(wildcard.Find(filter).ToList().Select(d => d["_id"].ToInt32()).Order()), "wildcard " + filter.ToJson());
            if (Explain("hashed", filter.ToJson()).ToJson().Contains("IXSCAN", StringComparison.Ordinal)) hashedScans++;
            if (Explain("wildcard", filter.ToJson()).ToJson().Contains("IXSCAN", StringComparison.Ordinal)) wildcardScans++;
        }

        Assert.True(hashedScans > 10, "hashed index used " + hashedScans + " times");
        Assert.True(wildcardScans > 40, "wildcard index used " + wildcardScans + " times");
    }
}
