using Mongo.Bson;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Engine.Pipeline;
using Mongo.InMemory.Engine.Planning;

namespace Mongo.InMemory.Commands.Data;

/// <summary>
/// The explain of an aggregate, in mongod 8.0's classic shape. The stages the query layer takes (leading $match
/// stages, a $sort, then $skip stages and a $limit) are explained as a find; when they are the whole pipeline the
/// reply is that find's explain with <c>queryPlanner.optimizedPipeline: true</c>, otherwise <c>stages</c> holds the
/// query under <c>$cursor</c> and the remaining stages, each with <c>nReturned</c> and
/// <c>executionTimeMillisEstimate</c> at executionStats verbosity (the pipeline is run, as the server runs it).
/// </summary>
internal static partial class ExplainCommands
{
    private static BsonDocument Aggregate(CommandContext context, BsonDocument inner, ExplainVerbosity verbosity)
    {
        if (inner.GetElement(0).Value is not BsonString)
            throw Errors.NotImplemented("explain of an aggregation without a collection ({aggregate: 1}) is not supported by Mongo.InMemory");
        var collName = Collection(inner);
        if (!inner.TryGetValue("pipeline", out var pv) || pv is not BsonArray pipeline)
            throw Errors.TypeMismatch("'pipeline' option must be specified as an array");
        foreach (var value in pipeline)
            if (value is not BsonDocument { ElementCount: 1 }) throw Errors.TypeMismatch("Each element of the 'pipeline' array must be an object");

        var (filter, sort, skip, limit, at) = QueryPrefix(pipeline);
        if (at == pipeline.Count)
        {
            var whole = Query(context, inner, collName, filter, verbosity, e => e with { Sort = sort, Skip = skip, Limit = limit });
            // The server says so when nothing is left for the pipeline to do.
            var planner = (BsonDocument)whole["queryPlanner"];
            var optimized = new BsonDocument();
            foreach (var e in planner)
            {
                if (e.Name == "optimizationTimeMillis") optimized.Add("optimizedPipeline", true);
                optimized.Add(e);
            }

            whole["queryPlanner"] = optimized;
            return whole;
        }

        var stats = verbosity != ExplainVerbosity.QueryPlanner;
        if (stats && pipeline[^1] is BsonDocument last && last.GetElement(0).Name is "$out" or "$merge")
            throw Errors.NotImplemented("explain with '" + (verbosity == ExplainVerbosity.ExecutionStats ? "executionStats" : "allPlansExecution") +
                "' verbosity of a pipeline ending in " + last.GetElement(0).Name + " is not supported by Mongo.InMemory (it would write)");

        // The classic engine's shape for a pipeline with stages of its own: the query under $cursor, then the stages.
        var full = Query(context, inner, collName, filter, verbosity, e => e with { Sort = sort, Skip = skip, Limit = limit });
        var cursor = new BsonDocument("queryPlanner", full["queryPlanner"]);
        var counts = stats ? StageCounts(context, inner, collName, pipeline) : null;
        if (full.TryGetValue("executionStats", out var executionStats))
        {
            cursor.Add("executionStats", executionStats);
            cursor = new BsonDocument("$cursor", cursor);
            cursor.Add("nReturned", ((BsonDocument)executionStats)["nReturned"].ToInt64()).Add("executionTimeMillisEstimate", 0L);
        }
        else
        {
            cursor = new BsonDocument("$cursor", cursor);
        }

        var stages = new BsonArray { cursor };
        for (var i = at; i < pipeline.Count; i++)
        {
            var stage = (BsonDocument)pipeline[i].DeepClone();
            if (counts is not null) stage.Add("nReturned", counts.GetValueOrDefault(i)).Add("executionTimeMillisEstimate", 0L);
            stages.Add(stage);
        }

        var result = new BsonDocument { { "explainVersion", "1" }, { "stages", stages } };
        foreach (var e in full)
            if (e.Name is not ("explainVersion" or "queryPlanner" or "executionStats")) result.Add(e);
        return result;
    }

    /// <summary>
    /// What the server pushes into its query: leading $match stages (one $and), a $sort after them, then $skip stages
    /// and one $limit (the find's skip and limit); <c>At</c> is the first stage left to the pipeline.
    /// </summary>
    private static (BsonDocument? Filter, BsonDocument? Sort, long Skip, long Limit, int At) QueryPrefix(BsonArray pipeline)
    {
        var matches = new List<BsonDocument>();
        BsonDocument? sort = null;
        long skip = 0;
        var at = 0;
        long limit = 0;
        for (; at < pipeline.Count && limit == 0; at++)
        {
            var stage = (BsonDocument)pipeline[at];
            var (op, spec) = (stage.GetElement(0).Name, stage[0]);
            if (op == "$match" && sort is null && skip == 0 && spec is BsonDocument m) matches.Add(m);
            else if (op == "$sort" && sort is null && skip == 0 && spec is BsonDocument { ElementCount: > 0 } s) sort = s;
            else if (op == "$skip" && Count(spec, allowZero: true) is { } n) skip += n;
            else if (op == "$limit" && Count(spec, allowZero: false) is { } l) limit = l;
            else break;
        }

        BsonDocument? filter = matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => new BsonDocument("$and", new BsonArray(matches)),
        };
        return (filter, sort, skip, limit, at);

        static long? Count(BsonValue spec, bool allowZero)
        {
            if (!spec.IsNumeric) return null;
            var d = spec.ToDouble();
            return Math.Truncate(d) == d && (d > 0 || allowZero && d == 0) && d < long.MaxValue ? (long)d : null;
        }
    }

    /// <summary>Runs the pipeline as the aggregate command does and counts what each stage run in memory returned.</summary>
    private static Dictionary<int, long> StageCounts(CommandContext context, BsonDocument inner, string collName, BsonArray pipeline)
    {
        var counts = new Dictionary<int, long>();
        var collator = DataCommand.Collation(context, inner, collName);
        lock (context.Storage.Sync)
        {
            var source = context.Storage.OpenForRead(context.DatabaseName, collName);
            var pc = new PipelineContext
            {
                Storage = context.Storage,
                Database = context.DatabaseName,
                Variables = DataCommand.Let(inner),
                Collator = collator,
                Collection = collName,
                Host = context.Server.HostAndPort,
                TopLevelPipeline = pipeline,
            };
            AggregationPipeline.RunOn(source, pipeline, pc, inner.GetValueOrDefault("hint"), counts);
        }

        return counts;
    }
}
