using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// Explain's shapes checked against mongod's source (master's plan_explainer_impl.cpp statsToBSON and
/// plan_explainer_express.cpp, 8.0's express and get_executor.cpp rules, and 8.0.0's printed express output): field
/// order, int32 counts, parsedQuery's canonical form, EXPRESS/IDHACK, RECORD_STORE_FAST_COUNT, COUNT_SCAN,
/// DISTINCT_SCAN and the UPDATE stage's would-be counts; the commands' answers stay what they were.
/// </summary>
public sealed class EngineExplainShapeTests : OfficialDriverTestBase
{
    private IMongoDatabase Db => Client.GetDatabase("shapes");

    private static O.BsonDocument D(string json) => O.BsonDocument.Parse(json);

    private IMongoCollection<O.BsonDocument> Seed()
    {
        var c = Db.GetCollection<O.BsonDocument>("c");
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{a: 1}")));
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{u: 1}"), new CreateIndexOptions { Unique = true }));
        c.InsertMany(Enumerable.Range(0, 50).Select(i => new O.BsonDocument { { "_id", i }, { "a", i % 5 }, { "b", i }, { "u", i } }));
        return c;
    }

    private O.BsonDocument Explain(string command, string verbosity = "executionStats") =>
        Db.RunCommand<O.BsonDocument>(new O.BsonDocument { { "explain", D(command) }, { "verbosity", verbosity } });

    private static string[] Names(O.BsonValue doc) => doc.AsBsonDocument.Names.ToArray();

    [Fact]
    public void Stage_fields_follow_statsToBSON_order_and_counts_are_int32()
    {
        Seed();
        var explain = Explain("{find: 'c', filter: {b: {$lt: 7}}}");
        Assert.Equal(["explainVersion", "queryPlanner", "executionStats", "command", "serverInfo", "serverParameters", "ok"], Names(explain));
        Assert.Equal(
            ["namespace", "parsedQuery", "indexFilterSet", "queryHash", "planCacheShapeHash", "planCacheKey", "optimizationTimeMillis",
             "maxIndexedOrSolutionsReached", "maxIndexedAndSolutionsReached", "maxScansToExplodeReached", "prunedSimilarIndexes",
             "winningPlan", "rejectedPlans"],
            Names(explain["queryPlanner"]));
        Assert.Equal(["isCached", "stage", "filter", "direction"], Names(explain["queryPlanner"]["winningPlan"]));
        var stats = explain["executionStats"].AsBsonDocument;
        Assert.Equal(["executionSuccess", "nReturned", "executionTimeMillis", "totalKeysExamined", "totalDocsExamined", "executionStages"], Names(stats));
        Assert.Equal(
            ["isCached", "stage", "filter", "nReturned", "executionTimeMillisEstimate", "works", "advanced", "needTime", "needYield",
             "saveState", "restoreState", "isEOF", "direction", "docsExamined"],
            Names(stats["executionStages"]));
        // appendNumber writes an int below 2^30: every count is an int32.
        foreach (var field in new[] { "nReturned", "executionTimeMillis", "totalKeysExamined", "totalDocsExamined" })
            Assert.Equal(O.BsonType.Int32, stats[field].BsonType);
        foreach (var field in new[] { "nReturned", "works", "advanced", "needTime", "docsExamined" })
            Assert.Equal(O.BsonType.Int32, stats["executionStages"][field].BsonType);
        Assert.Equal(7, stats["nReturned"].AsInt32);
        Assert.Equal(50, stats["executionStages"]["docsExamined"].AsInt32);

        var fetch = Explain("{find: 'c', filter: {a: 2, b: {$gt: 30}}, skip: 1, limit: 2}");
        var limit = fetch["executionStats"]["executionStages"].AsBsonDocument;
        Assert.Equal(["isCached", "stage", "nReturned", "executionTimeMillisEstimate", "works", "advanced", "needTime", "needYield",
            "saveState", "restoreState", "isEOF", "limitAmount", "inputStage"], Names(limit));
        Assert.Equal(O.BsonType.Int32, limit["limitAmount"].BsonType);
        var skip = limit["inputStage"].AsBsonDocument;
        Assert.Equal("SKIP", skip["stage"].AsString);
        Assert.Equal(O.BsonType.Int32, skip["skipAmount"].BsonType);
        var fetchStage = skip["inputStage"].AsBsonDocument;
        Assert.Equal(["stage", "filter", "nReturned"], Names(fetchStage).Take(3));
        Assert.Equal(["docsExamined", "alreadyHasObj", "inputStage"], Names(fetchStage).TakeLast(3));
        var ixscan = fetchStage["inputStage"].AsBsonDocument;
        Assert.Equal(["keyPattern", "indexName", "isMultiKey", "multiKeyPaths", "isUnique", "isSparse", "isPartial", "indexVersion",
            "direction", "indexBounds", "keysExamined", "seeks", "dupsTested", "dupsDropped"], Names(ixscan).Skip(10));
        Assert.Equal(O.BsonType.Int32, ixscan["indexVersion"].BsonType);

        // A blocking sort (7.0 and 8.0 print spilledDataStorageSize after spills).
        var sort = Explain("{find: 'c', filter: {}, sort: {b: -1}, limit: 3}")["executionStats"]["executionStages"].AsBsonDocument;
        Assert.Equal("SORT", sort["stage"].AsString);
        Assert.Equal(["sortPattern", "memLimit", "limitAmount", "type", "totalDataSizeSorted", "usedDisk", "spills", "spilledDataStorageSize", "inputStage"],
            Names(sort).TakeLast(9));
        Assert.Equal("simple", sort["type"].AsString);
    }

    [Fact]
    public void ParsedQuery_is_the_canonical_sorted_flattened_tree()
    {
        Seed();
        var parsed = Explain("{find: 'c', filter: {b: 1, a: {$gt: 1, $lt: 5}, c: /x/i, d: {$ne: 2}, e: {$in: [3, 1, 1]}, f: {$exists: false}, $and: [{g: 1}, {$and: [{h: {$nin: [2, 1]}}]}]}}", "queryPlanner")["queryPlanner"]["parsedQuery"];
        // Sorted by MatchType (EQ, LT, GT, REGEX, EXISTS-under-NOT, IN, NOT) then path; $ne/$nin/$exists: false are NOTs.
        // (The driver's JSON reader would turn {$regex, $options} into a regular expression value: built by hand.)
        var regex = new O.BsonDocument("c", new O.BsonDocument { { "$regex", "x" }, { "$options", "i" } });
        var expected = D("""
            {$and: [
                {b: {$eq: 1}}, {g: {$eq: 1}}, {a: {$lt: 5}}, {a: {$gt: 1}}, {c: 0}, {e: {$in: [1, 3]}},
                {d: {$not: {$eq: 2}}}, {f: {$not: {$exists: true}}}, {h: {$not: {$in: [1, 2]}}}
            ]}
            """);
        expected["$and"][4] = regex;
        Assert.Equal(expected, parsed.AsBsonDocument);
        Assert.Equal(O.BsonType.String, parsed["$and"][4]["c"]["$regex"].BsonType);
        var anchored = Explain("{find: 'c', filter: {s: /^a/}}", "queryPlanner")["queryPlanner"]["parsedQuery"].AsBsonDocument;
        Assert.Equal(["$regex"], Names(anchored["s"]));
        Assert.Equal("^a", anchored["s"]["$regex"].AsString);
        // A one-branch $or is its branch; a $or's branches are sorted too.
        Assert.Equal(D("{a: {$eq: 1}}"), Explain("{find: 'c', filter: {$or: [{a: 1}]}}", "queryPlanner")["queryPlanner"]["parsedQuery"].AsBsonDocument);
        Assert.Equal(D("{$or: [{a: {$eq: 1}}, {b: {$gt: 3}}]}"),
            Explain("{find: 'c', filter: {$or: [{b: {$gt: 3}}, {a: 1}]}}", "queryPlanner")["queryPlanner"]["parsedQuery"].AsBsonDocument);
        // The optimizer's rewrites: an $or of one path's equalities is an $in, a one-value $in an $eq, $all an $and.
        Assert.Equal(D("{a: {$in: [1, 2]}}"), Explain("{find: 'c', filter: {$or: [{a: 2}, {a: 1}]}}", "queryPlanner")["queryPlanner"]["parsedQuery"].AsBsonDocument);
        Assert.Equal(D("{a: {$eq: 4}}"), Explain("{find: 'c', filter: {a: {$in: [4]}}}", "queryPlanner")["queryPlanner"]["parsedQuery"].AsBsonDocument);
        Assert.Equal(D("{$and: [{t: {$eq: 1}}, {t: {$eq: 2}}]}"), Explain("{find: 'c', filter: {t: {$all: [1, 2]}}}", "queryPlanner")["queryPlanner"]["parsedQuery"].AsBsonDocument);
    }

    [Fact]
    public void A_collated_index_scan_prints_its_collation_after_the_index_name()
    {
        var c = Db.GetCollection<O.BsonDocument>("fr");
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{s: 1}"), new CreateIndexOptions { Collation = new Collation("fr") }));
        c.InsertMany(Enumerable.Range(0, 10).Select(i => new O.BsonDocument { { "_id", i }, { "s", "x" + i } }));
        var ix = Explain("{find: 'fr', filter: {s: 'x3'}, collation: {locale: 'fr'}}", "queryPlanner")["queryPlanner"]["winningPlan"]["inputStage"].AsBsonDocument;
        Assert.Equal("IXSCAN", ix["stage"].AsString);
        Assert.Equal(["stage", "keyPattern", "indexName", "collation", "isMultiKey"], Names(ix).Take(5));
        Assert.Equal("fr", ix["collation"]["locale"].AsString);
        Assert.Single(c.Find(D("{s: 'x3'}"), new FindOptions { Collation = new Collation("fr") }).ToList());
    }

    [Fact]
    public void Id_equality_is_express_unless_idhack_or_the_plan_is_needed()
    {
        var c = Seed();
        var planner = Explain("{find: 'c', filter: {_id: 7}}")["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal(D("{isCached: false, stage: 'EXPRESS_IXSCAN', keyPattern: '{ _id: 1 }', indexName: '_id_'}"), planner);
        var stats = Explain("{find: 'c', filter: {_id: {$eq: 7}}}")["executionStats"].AsBsonDocument;
        // 8.0.0's express stage: no common counters, its counts after the index.
        Assert.Equal(D("{isCached: false, stage: 'EXPRESS_IXSCAN', keyPattern: '{ _id: 1 }', indexName: '_id_', keysExamined: 1, docsExamined: 1, nReturned: 1}"),
            stats["executionStages"].AsBsonDocument);
        Assert.Equal(1, stats["totalKeysExamined"].AsInt32);
        var missing = Explain("{find: 'c', filter: {_id: 700}}")["executionStats"].AsBsonDocument;
        Assert.Equal(0, missing["executionStages"]["keysExamined"].AsInt32);
        Assert.Equal(0, missing["nReturned"].AsInt32);

        // An equality a unique single-field index answers is express too; a non-unique one only with limit 1.
        Assert.Equal(D("{isCached: false, stage: 'EXPRESS_IXSCAN', keyPattern: '{ u: 1 }', indexName: 'u_1'}"),
            Explain("{find: 'c', filter: {u: 9}}", "queryPlanner")["queryPlanner"]["winningPlan"].AsBsonDocument);
        Assert.Equal("a_1", Explain("{find: 'c', filter: {a: 3}, limit: 1}", "queryPlanner")["queryPlanner"]["winningPlan"]["indexName"].AsString);
        Assert.Equal("FETCH", Explain("{find: 'c', filter: {a: 3}}", "queryPlanner")["queryPlanner"]["winningPlan"]["stage"].AsString);

        // Not express: a computed projection keeps IDHACK under the projection; a skip plans the _id index scan.
        var projected = Explain("{find: 'c', filter: {_id: 7}, projection: {b: {$add: ['$b', 1]}}}")["executionStats"]["executionStages"].AsBsonDocument;
        Assert.Equal("PROJECTION_DEFAULT", projected["stage"].AsString);
        Assert.Equal("IDHACK", projected["inputStage"]["stage"].AsString);
        Assert.Equal(1, projected["inputStage"]["keysExamined"].AsInt32);
        Assert.Equal(1, projected["inputStage"]["docsExamined"].AsInt32);
        Assert.False(projected["inputStage"].AsBsonDocument.Contains("keyPattern"));
        var skipped = Explain("{find: 'c', filter: {_id: 7}, skip: 1}", "queryPlanner")["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal(["SKIP", "FETCH", "IXSCAN"], Stages(skipped));

        // Updates and deletes by _id are express writes (nothing is written); an upsert is UPDATE over IDHACK.
        var update = Explain("{update: 'c', updates: [{q: {_id: 4}, u: {$set: {b: 100}}}]}")["executionStats"].AsBsonDocument;
        Assert.Equal(D("{isCached: false, stage: 'EXPRESS_UPDATE', keyPattern: '{ _id: 1 }', indexName: '_id_', keysExamined: 1, docsExamined: 1, nReturned: 0, nWouldModify: 1, nWouldUpsert: 0, nWouldDelete: 0}"),
            update["executionStages"].AsBsonDocument);
        var delete = Explain("{delete: 'c', deletes: [{q: {_id: 4}, limit: 1}]}")["executionStats"]["executionStages"].AsBsonDocument;
        Assert.Equal("EXPRESS_DELETE", delete["stage"].AsString);
        Assert.Equal(1, delete["nWouldDelete"].AsInt32);
        var upsert = Explain("{update: 'c', updates: [{q: {_id: 400}, u: {$set: {b: 1}}, upsert: true}]}")["executionStats"]["executionStages"].AsBsonDocument;
        Assert.Equal("UPDATE", upsert["stage"].AsString);
        Assert.Equal(1, upsert["nWouldUpsert"].AsInt32);
        Assert.Equal("IDHACK", upsert["inputStage"]["stage"].AsString);
        var count = Explain("{count: 'c', query: {_id: 4}}")["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal(["COUNT", "IDHACK"], Stages(count));

        Assert.Equal(4, c.Find(D("{_id: 4}")).Single()["b"].AsInt32);
        Assert.Equal(50, c.CountDocuments(D("{}")));
    }

    [Fact]
    public void Update_stage_reports_matched_and_would_modify()
    {
        var c = Seed();
        var same = Explain("{update: 'c', updates: [{q: {a: 1}, u: {$set: {a: 1}}, multi: true}]}")["executionStats"]["executionStages"].AsBsonDocument;
        Assert.Equal("UPDATE", same["stage"].AsString);
        Assert.Equal(["nMatched", "nWouldModify", "nWouldUpsert", "inputStage"], Names(same).TakeLast(4));
        Assert.Equal(10, same["nMatched"].AsInt32);
        Assert.Equal(0, same["nWouldModify"].AsInt32);
        var changing = Explain("{update: 'c', updates: [{q: {a: 1, b: {$lt: 20}}, u: {$inc: {b: 1}}, multi: true}]}")["executionStats"]["executionStages"].AsBsonDocument;
        Assert.Equal(4, changing["nMatched"].AsInt32);
        Assert.Equal(4, changing["nWouldModify"].AsInt32);
        var fam = Explain("{findAndModify: 'c', query: {a: 2}, sort: {b: -1}, update: {$set: {z: 1}}}")["executionStats"]["executionStages"].AsBsonDocument;
        Assert.Equal(1, fam["nWouldModify"].AsInt32);
        // An update that fails on a document is an execution error inside the explain, as mongod reports it.
        var failing = Explain("{update: 'c', updates: [{q: {a: 3}, u: {$inc: {_id: 1}}}]}")["executionStats"].AsBsonDocument;
        Assert.False(failing["executionSuccess"].AsBoolean);
        Assert.Equal(66, failing["errorCode"].AsInt32);
        Assert.Equal(0, c.CountDocuments(D("{z: 1}")));
        Assert.Equal(20, c.Find(D("{_id: 19}")).Single()["b"].AsInt32 + 1);
    }

    [Fact]
    public void Count_uses_the_record_store_count_or_a_count_scan_with_unchanged_answers()
    {
        var c = Seed();
        var fast = Explain("{count: 'c', skip: 5, limit: 10}");
        Assert.Equal(D("{isCached: false, stage: 'RECORD_STORE_FAST_COUNT'}"), fast["queryPlanner"]["winningPlan"].AsBsonDocument);
        var fastStage = fast["executionStats"]["executionStages"].AsBsonDocument;
        Assert.Equal(10, fastStage["nCounted"].AsInt32);
        Assert.Equal(5, fastStage["nSkipped"].AsInt32);
        Assert.Equal(0, fast["executionStats"]["totalDocsExamined"].AsInt32);
        Assert.Equal(10, Db.RunCommand<O.BsonDocument>(D("{count: 'c', skip: 5, limit: 10}"))["n"].ToInt32());

        var point = Explain("{count: 'c', query: {a: 2}}");
        var plan = point["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal(["COUNT", "COUNT_SCAN"], Stages(plan));
        var scan = plan["inputStage"].AsBsonDocument;
        Assert.Equal(["stage", "keyPattern", "indexName", "isMultiKey", "multiKeyPaths", "isUnique", "isSparse", "isPartial", "indexVersion", "indexBounds"], Names(scan));
        Assert.Equal(D("{startKey: {a: 2}, startKeyInclusive: true, endKey: {a: 2}, endKeyInclusive: true}"), scan["indexBounds"].AsBsonDocument);
        var stats = point["executionStats"].AsBsonDocument;
        Assert.Equal(10, stats["totalKeysExamined"].AsInt32);
        Assert.Equal(0, stats["totalDocsExamined"].AsInt32);
        Assert.Equal(0, stats["nReturned"].AsInt32);
        Assert.Equal(10, stats["executionStages"]["nCounted"].AsInt32);
        Assert.Equal(10, stats["executionStages"]["inputStage"]["nReturned"].AsInt32);
        Assert.Equal("keysExamined", Names(stats["executionStages"]["inputStage"])[10]);

        var range = Explain("{count: 'c', query: {a: {$gte: 1, $lt: 3}}}", "queryPlanner")["queryPlanner"]["winningPlan"]["inputStage"].AsBsonDocument;
        Assert.Equal(D("{startKey: {a: 1}, startKeyInclusive: true, endKey: {a: 3}, endKeyInclusive: false}"), range["indexBounds"].AsBsonDocument);
        // A condition the index does not answer needs the documents: COUNT over FETCH over IXSCAN.
        Assert.Equal(["COUNT", "FETCH", "IXSCAN"], Stages(Explain("{count: 'c', query: {a: 2, b: {$gt: 30}}}", "queryPlanner")["queryPlanner"]["winningPlan"].AsBsonDocument));
        // A hint on an empty query scans the hinted index's whole range, counted.
        Assert.Equal(["COUNT", "COUNT_SCAN"], Stages(Explain("{count: 'c', hint: {a: 1}}", "queryPlanner")["queryPlanner"]["winningPlan"].AsBsonDocument));

        Assert.Equal(10, c.CountDocuments(D("{a: 2}")));
        Assert.Equal(20, c.CountDocuments(D("{a: {$gte: 1, $lt: 3}}")));
        Assert.Equal(4, c.CountDocuments(D("{a: 2, b: {$gt: 30}}")));
    }

    [Fact]
    public void Distinct_on_an_indexed_key_is_a_distinct_scan_with_unchanged_values()
    {
        var c = Seed();
        var explain = Explain("{distinct: 'c', key: 'a'}");
        var plan = explain["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal(["PROJECTION_COVERED", "DISTINCT_SCAN"], Stages(plan));
        Assert.Equal(D("{_id: 0, a: 1}"), plan["transformBy"].AsBsonDocument);
        var scan = plan["inputStage"].AsBsonDocument;
        Assert.Equal(["stage", "keyPattern", "indexName", "isMultiKey", "multiKeyPaths", "isUnique", "isSparse", "isPartial", "indexVersion", "direction", "indexBounds"], Names(scan));
        Assert.Equal(D("{a: ['[MinKey, MaxKey]']}"), scan["indexBounds"].AsBsonDocument);
        var stats = explain["executionStats"].AsBsonDocument;
        Assert.Equal(5, stats["nReturned"].AsInt32);
        Assert.Equal(5, stats["totalKeysExamined"].AsInt32);
        Assert.Equal(0, stats["totalDocsExamined"].AsInt32);
        Assert.Equal(5, stats["executionStages"]["inputStage"]["keysExamined"].AsInt32);

        var ranged = Explain("{distinct: 'c', key: 'a', query: {a: {$gt: 2}}}")["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal(["PROJECTION_COVERED", "DISTINCT_SCAN"], Stages(ranged));
        Assert.Equal(D("{a: ['(2, inf.0]']}"), ranged["inputStage"]["indexBounds"].AsBsonDocument);
        Assert.Equal(["FETCH", "IXSCAN"], Stages(Explain("{distinct: 'c', key: 'a', query: {a: 1, b: {$gt: 3}}}", "queryPlanner")["queryPlanner"]["winningPlan"].AsBsonDocument));
        Assert.Equal(["COLLSCAN"], Stages(Explain("{distinct: 'c', key: 'b'}", "queryPlanner")["queryPlanner"]["winningPlan"].AsBsonDocument));

        Assert.Equal([0, 1, 2, 3, 4], c.Distinct<int>("a", D("{}")).ToList());
        Assert.Equal([3, 4], c.Distinct<int>("a", D("{a: {$gt: 2}}")).ToList());
    }

    private static string[] Stages(O.BsonDocument plan)
    {
        var names = new List<string>();
        for (O.BsonValue? s = plan; s is O.BsonDocument d; s = d.GetValue("inputStage", null)) names.Add(d["stage"].AsString);
        return names.ToArray();
    }
}
