using System.Diagnostics;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// The explain command for each command it covers and aggregate's explain: true, in mongod 8.0's shape, through the
/// official MongoDB.Driver 3.14.0 (which has no explain helper of its own: its users run the command) and PyMongo's
/// Cursor.explain() when python3-pymongo is installed. Explained writes change nothing.
/// </summary>
public sealed class EngineExplainTests : OfficialDriverTestBase
{
    private IMongoDatabase Db => Client.GetDatabase("explain");

    private static O.BsonDocument D(string json) => O.BsonDocument.Parse(json);

    private IMongoCollection<O.BsonDocument> Seed()
    {
        var c = Db.GetCollection<O.BsonDocument>("c");
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{a: 1}")));
        c.InsertMany(Enumerable.Range(0, 50).Select(i => new O.BsonDocument { { "_id", i }, { "a", i % 5 }, { "b", i } }));
        return c;
    }

    private O.BsonDocument Explain(O.BsonDocument command, string? verbosity = null)
    {
        var explain = new O.BsonDocument("explain", command);
        if (verbosity is not null) explain.Add("verbosity", verbosity);
        return Db.RunCommand<O.BsonDocument>(explain);
    }

    [Fact]
    public void Find_explain_has_mongod_8_top_level_shape_for_each_verbosity()
    {
        Seed();
        var planner = Explain(D("{find: 'c', filter: {a: 2}}"), "queryPlanner");
        Assert.Equal("1", planner["explainVersion"].AsString);
        Assert.Equal(1.0, planner["ok"].ToDouble());
        var qp = planner["queryPlanner"].AsBsonDocument;
        Assert.Equal("explain.c", qp["namespace"].AsString);
        Assert.Equal(D("{a: {$eq: 2}}"), qp["parsedQuery"].AsBsonDocument);
        Assert.Matches("^[0-9A-F]{8}$", qp["queryHash"].AsString);
        Assert.Equal(new O.BsonArray(), qp["rejectedPlans"].AsBsonArray);
        Assert.Equal("FETCH", qp["winningPlan"]["stage"].AsString);
        Assert.Equal("IXSCAN", qp["winningPlan"]["inputStage"]["stage"].AsString);
        Assert.Equal(D("{a: 1}"), qp["winningPlan"]["inputStage"]["keyPattern"].AsBsonDocument);
        Assert.False(planner.Contains("executionStats"));
        Assert.Equal("c", planner["command"]["find"].AsString);
        Assert.Equal("explain", planner["command"]["$db"].AsString);
        Assert.Equal("8.0.4", planner["serverInfo"]["version"].AsString);
        Assert.True(planner["serverInfo"]["port"].ToInt32() > 0);

        var stats = Explain(D("{find: 'c', filter: {a: 2}}"), "executionStats")["executionStats"].AsBsonDocument;
        Assert.True(stats["executionSuccess"].AsBoolean);
        Assert.Equal(10, stats["nReturned"].ToInt32());
        Assert.Equal(10, stats["totalKeysExamined"].ToInt32());
        Assert.Equal(10, stats["totalDocsExamined"].ToInt32());
        Assert.True(stats.Contains("executionTimeMillis"));
        Assert.Equal(10, stats["executionStages"]["nReturned"].ToInt32());
        Assert.Equal(10, stats["executionStages"]["inputStage"]["keysExamined"].ToInt32());
        Assert.False(stats.Contains("allPlansExecution"));

        // The explain command's default verbosity is allPlansExecution.
        Assert.True(Explain(D("{find: 'c', filter: {a: 2}}"))["executionStats"].AsBsonDocument.Contains("allPlansExecution"));

        var scan = Explain(D("{find: 'c', filter: {b: {$gte: 45}}, projection: {b: 1}}"), "executionStats");
        Assert.Equal("PROJECTION_SIMPLE", scan["queryPlanner"]["winningPlan"]["stage"].AsString);
        Assert.Equal("COLLSCAN", scan["queryPlanner"]["winningPlan"]["inputStage"]["stage"].AsString);
        Assert.Equal(5, scan["executionStats"]["nReturned"].ToInt32());
        Assert.Equal(50, scan["executionStats"]["totalDocsExamined"].ToInt32());
        Assert.Equal(0, scan["executionStats"]["totalKeysExamined"].ToInt32());
    }

    [Fact]
    public void Explain_of_missing_collection_bad_verbosity_and_unknown_command()
    {
        Assert.Equal("EOF", Explain(D("{find: 'none', filter: {a: 1}}"), "queryPlanner")["queryPlanner"]["winningPlan"]["stage"].AsString);
        Assert.Equal(2, Assert.Throws<MongoCommandException>(() => Explain(D("{find: 'c'}"), "loud")).Code);
        Assert.Equal(59, Assert.Throws<MongoCommandException>(() => Explain(D("{listIndexes: 'c'}"))).Code);
    }

    [Fact]
    public void Count_distinct_update_delete_findAndModify_explain_and_write_nothing()
    {
        var c = Seed();
        var count = Explain(D("{count: 'c', query: {a: 1}}"), "executionStats");
        Assert.Equal("COUNT", count["queryPlanner"]["winningPlan"]["stage"].AsString);
        Assert.Equal(10, count["executionStats"]["executionStages"]["nCounted"].ToInt32());
        Assert.Equal(10, count["executionStats"]["totalKeysExamined"].ToInt32());

        var distinct = Explain(D("{distinct: 'c', key: 'b', query: {a: 3}}"), "executionStats");
        Assert.Equal("IXSCAN", distinct["queryPlanner"]["winningPlan"]["inputStage"]["stage"].AsString);

        var update = Explain(D("{update: 'c', updates: [{q: {a: 4}, u: {$set: {z: 1}}, multi: true}]}"), "executionStats");
        Assert.Equal("UPDATE", update["queryPlanner"]["winningPlan"]["stage"].AsString);
        Assert.Equal(10, update["executionStats"]["executionStages"]["nMatched"].ToInt32());
        var updateOne = Explain(D("{update: 'c', updates: [{q: {a: 4}, u: {$set: {z: 1}}}]}"), "executionStats");
        Assert.Equal(1, updateOne["executionStats"]["executionStages"]["nMatched"].ToInt32());
        Assert.Equal(1, updateOne["executionStats"]["totalDocsExamined"].ToInt32());
        Assert.Equal(16, Assert.Throws<MongoCommandException>(() => Explain(D("{update: 'c', updates: [{q: {}, u: {}}, {q: {}, u: {}}]}"))).Code);

        var delete = Explain(D("{delete: 'c', deletes: [{q: {b: {$lt: 7}}, limit: 0}]}"), "executionStats");
        Assert.Equal("BATCHED_DELETE", delete["queryPlanner"]["winningPlan"]["stage"].AsString); // a multi-document delete
        var deleteOne = Explain(D("{delete: 'c', deletes: [{q: {b: {$lt: 7}}, limit: 1}]}"), "executionStats");
        Assert.Equal("DELETE", deleteOne["queryPlanner"]["winningPlan"]["stage"].AsString);
        Assert.Equal(1, deleteOne["executionStats"]["executionStages"]["nWouldDelete"].ToInt32());
        Assert.Equal("COLLSCAN", delete["queryPlanner"]["winningPlan"]["inputStage"]["stage"].AsString);
        Assert.Equal(7, delete["executionStats"]["executionStages"]["nWouldDelete"].ToInt32());

        var fam = Explain(D("{findAndModify: 'c', query: {a: 0}, sort: {a: 1}, update: {$set: {z: 1}}}"), "executionStats");
        Assert.Equal("UPDATE", fam["queryPlanner"]["winningPlan"]["stage"].AsString);
        Assert.Equal("FETCH", fam["queryPlanner"]["winningPlan"]["inputStage"]["stage"].AsString);

        Assert.Equal(50, c.CountDocuments(D("{}")));
        Assert.Equal(0, c.CountDocuments(D("{z: {$exists: true}}")));
    }

    [Fact]
    public void Aggregate_explain_true_and_explain_of_aggregate()
    {
        Seed();
        var pushed = Db.RunCommand<O.BsonDocument>(D("{aggregate: 'c', pipeline: [{$match: {a: 1}}, {$sort: {a: 1}}], explain: true}"));
        Assert.Equal("1", pushed["explainVersion"].AsString);
        Assert.Equal("FETCH", pushed["queryPlanner"]["winningPlan"]["stage"].AsString);
        Assert.False(pushed.Contains("executionStats"));

        var staged = Explain(D("{aggregate: 'c', pipeline: [{$match: {a: {$in: [1, 2]}}}, {$group: {_id: '$a', n: {$sum: 1}}}], cursor: {}}"), "executionStats");
        var stages = staged["stages"].AsBsonArray;
        Assert.Equal(2, stages.Count);
        var cursor = stages[0]["$cursor"].AsBsonDocument;
        Assert.Equal("IXSCAN", cursor["queryPlanner"]["winningPlan"]["inputStage"]["stage"].AsString);
        Assert.Equal(20, cursor["executionStats"]["nReturned"].ToInt32());
        Assert.Equal(D("{$group: {_id: '$a', n: {$sum: 1}}, nReturned: NumberLong(2), executionTimeMillisEstimate: NumberLong(0)}"), stages[1].AsBsonDocument);
    }

    private const string PyMongoScript = """
        import sys, pymongo
        client = pymongo.MongoClient(sys.argv[1], serverSelectionTimeoutMS=5000)
        c = client.explainpy.c
        c.create_index('k')
        c.insert_many([{'_id': i, 'k': i % 10} for i in range(100)])
        plan = c.find({'k': 3}).explain()
        print(plan['queryPlanner']['winningPlan']['inputStage']['stage'], plan['executionStats']['nReturned'],
              plan['executionStats']['totalKeysExamined'], plan['executionStats']['totalDocsExamined'])
        plan = c.find({}).sort('k', -1).limit(2).explain()
        stages = []
        s = plan['queryPlanner']['winningPlan']
        while s is not None:
            stages.append(s['stage'])
            s = s.get('inputStage')
        print(','.join(stages))
        """;

    [SkippableFact]
    public async Task PyMongo_cursor_explain_reports_the_index_scan()
    {
        var python = FindPythonWithPyMongo();
        Skip.If(python is null, "PyMongo is not installed (apt-get install python3-pymongo): the PyMongo explain test cannot run");
        var start = new ProcessStartInfo(python!) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(PyMongoScript);
        start.ArgumentList.Add(Server.ConnectionString);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var stdout = await output;
        Assert.True(process.ExitCode == 0, "PyMongo script failed: " + stdout + await errors);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["IXSCAN 10 10 10", "LIMIT,FETCH,IXSCAN"], lines);
    }

    private static string? FindPythonWithPyMongo()
    {
        foreach (var candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                var check = new ProcessStartInfo(candidate) { RedirectStandardOutput = true, RedirectStandardError = true };
                check.ArgumentList.Add("-c");
                check.ArgumentList.Add("import pymongo");
                using var process = Process.Start(check);
                if (process is null) continue;
                process.WaitForExit(30_000);
                if (process.HasExited && process.ExitCode == 0) return candidate;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed under this name.
            }
        }

        return null;
    }
}
