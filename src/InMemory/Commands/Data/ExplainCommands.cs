using System.Text;
using Mongo.Bson;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Engine.Planning;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Commands.Data;

/// <summary>
/// The explain command (find, count, distinct, aggregate, update, delete, findAndModify) and aggregate's
/// <c>explain: true</c>, answered in mongod 8.0's classic-engine shape: explainVersion "1", queryPlanner with the
/// winning plan's stage tree, executionStats when asked (the plan is run, nothing is written), command, serverInfo.
/// </summary>
internal static partial class ExplainCommands
{
    public static BsonDocument Explain(CommandContext context)
    {
        var cmd = context.Command;
        if (cmd["explain"] is not BsonDocument inner || inner.ElementCount == 0)
            throw Errors.BadValue("explain command requires a nested object");
        var verbosity = ParseVerbosity(cmd);
        var name = inner.GetElement(0).Name;
        return name switch
        {
            "find" => Find(context, inner, verbosity),
            "count" => Count(context, inner, verbosity),
            "distinct" => Distinct(context, inner, verbosity),
            "aggregate" => Aggregate(context, inner, verbosity),
            "update" => Update(context, inner, verbosity),
            "delete" => Delete(context, inner, verbosity),
            "findAndModify" or "findandmodify" => FindAndModify(context, inner, verbosity),
            _ => throw Errors.Of(ErrorCodes.CommandNotFound, "Explain failed due to unknown command: " + name),
        };
    }

    /// <summary>aggregate with explain: true (the queryPlanner verbosity, as on the server).</summary>
    public static BsonDocument AggregateExplain(CommandContext context) => Aggregate(context, context.Command, ExplainVerbosity.QueryPlanner);

    private static ExplainVerbosity ParseVerbosity(BsonDocument cmd)
    {
        if (!cmd.TryGetValue("verbosity", out var v)) return ExplainVerbosity.AllPlansExecution;
        return v is BsonString s ? s.Value switch
        {
            "queryPlanner" => ExplainVerbosity.QueryPlanner,
            "executionStats" => ExplainVerbosity.ExecutionStats,
            "allPlansExecution" => ExplainVerbosity.AllPlansExecution,
            _ => throw Errors.BadValue("verbosity string must be one of {'queryPlanner', 'executionStats', 'allPlansExecution'}"),
        } : throw Errors.TypeMismatch("BSON field 'explain.verbosity' is the wrong type '" + BsonOrder.TypeName(v) + "', expected type 'string'");
    }

    private static string Collection(BsonDocument inner)
    {
        if (inner.GetElement(0).Value is not BsonString { Value.Length: > 0 } s)
            throw Errors.InvalidNamespace("collection name has invalid type " + BsonOrder.TypeName(inner.GetElement(0).Value));
        return s.Value;
    }

    private static BsonDocument Find(CommandContext context, BsonDocument inner, ExplainVerbosity verbosity)
    {
        var collName = Collection(inner);
        var filter = DataCommand.OptionalDocument(inner, "filter");
        var skip = DataCommand.OptionalLong(inner, "skip") ?? 0;
        var limit = Math.Abs(DataCommand.OptionalLong(inner, "limit") ?? 0);
        var projection = DataCommand.OptionalDocument(inner, "projection");
        Projection.Parse(projection, isFind: true, DataCommand.Let(inner));
        return Query(context, inner, collName, filter, verbosity, e => e with
        {
            Sort = DataCommand.OptionalDocument(inner, "sort"),
            Projection = projection,
            Skip = skip,
            Limit = limit,
        });
    }

    private static BsonDocument Count(CommandContext context, BsonDocument inner, ExplainVerbosity verbosity)
    {
        var collName = Collection(inner);
        var query = DataCommand.OptionalDocument(inner, "query");
        return Query(context, inner, collName, query, verbosity, e => e with
        {
            Skip = DataCommand.OptionalLong(inner, "skip") ?? 0,
            Limit = Math.Abs(DataCommand.OptionalLong(inner, "limit") ?? 0),
            Root = "COUNT",
            ReportsZero = true,
        });
    }

    private static BsonDocument Distinct(CommandContext context, BsonDocument inner, ExplainVerbosity verbosity)
    {
        var collName = Collection(inner);
        if (!inner.TryGetValue("key", out var key) || key is not BsonString)
            throw Errors.Location(40414, "BSON field 'distinct.key' is missing but a required field");
        return Query(context, inner, collName, DataCommand.OptionalDocument(inner, "query"), verbosity, e => e with { DistinctKey = ((BsonString)key).Value });
    }

    private static BsonDocument Update(CommandContext context, BsonDocument inner, ExplainVerbosity verbosity)
    {
        var stmt = SingleStatement(inner, "updates");
        var multi = DataCommand.OptionalBool(stmt, "multi", false);
        var q = DataCommand.OptionalDocument(stmt, "q") ?? new BsonDocument();
        if (!stmt.TryGetValue("u", out var u)) throw Errors.Location(40414, "BSON field 'update.updates.u' is missing but a required field");
        return Query(context, stmt, Collection(inner), q, verbosity, e => e with
        {
            Root = "UPDATE",
            Single = !multi,
            Sort = DataCommand.OptionalDocument(stmt, "sort"),
            ReportsZero = true,
            Update = u,
            ArrayFilters = DataCommand.OptionalArray(stmt, "arrayFilters"),
            Upsert = DataCommand.OptionalBool(stmt, "upsert", false),
        }, inner);
    }

    private static BsonDocument Delete(CommandContext context, BsonDocument inner, ExplainVerbosity verbosity)
    {
        var stmt = SingleStatement(inner, "deletes");
        var q = DataCommand.OptionalDocument(stmt, "q") ?? new BsonDocument();
        var single = DataCommand.OptionalLong(stmt, "limit") is 1;
        return Query(context, stmt, Collection(inner), q, verbosity, e => e with { Root = "DELETE", Single = single, ReportsZero = true }, inner);
    }

    private static BsonDocument FindAndModify(CommandContext context, BsonDocument inner, ExplainVerbosity verbosity)
    {
        var remove = DataCommand.OptionalBool(inner, "remove", false);
        return Query(context, inner, Collection(inner), DataCommand.OptionalDocument(inner, "query"), verbosity, e => e with
        {
            Root = remove ? "DELETE" : "UPDATE",
            Single = true,
            Sort = DataCommand.OptionalDocument(inner, "sort"),
            ReportsZero = true,
            Update = remove ? null : inner.GetValueOrDefault("update"),
            ArrayFilters = DataCommand.OptionalArray(inner, "arrayFilters"),
            Upsert = DataCommand.OptionalBool(inner, "upsert", false),
            ReturnFields = DataCommand.OptionalDocument(inner, "fields") is { ElementCount: > 0 },
        });
    }

    private static BsonDocument SingleStatement(BsonDocument inner, string field)
    {
        if (!inner.TryGetValue(field, out var v) || v is not BsonArray statements)
            throw Errors.Location(40414, "BSON field '" + inner.GetElement(0).Name + "." + field + "' is missing but a required field");
        if (statements.Count != 1) throw Errors.InvalidLength("explained write batches must be of size 1");
        return statements[0] as BsonDocument ?? throw Errors.TypeMismatch("BSON field '" + field + "' must hold objects");
    }

    private sealed record Options(BsonDocument? Sort = null, BsonDocument? Projection = null, long Skip = 0, long Limit = 0,
        string? Root = null, bool Single = false, bool ReportsZero = false, string? DistinctKey = null, BsonValue? Update = null,
        BsonArray? ArrayFilters = null, bool Upsert = false, bool ReturnFields = false);

    /// <summary>
    /// Plans (and with executionStats runs) one query on a collection and shapes the explain reply. <c>options</c> is
    /// the document holding the operation's hint, collation and let (a write's statement); <c>echo</c> the command to
    /// echo in "command" when not that document itself.
    /// </summary>
    private static BsonDocument Query(CommandContext context, BsonDocument options, string collName, BsonDocument? rawFilter, ExplainVerbosity verbosity,
        Func<Options, Options> configure, BsonDocument? echo = null)
    {
        var o = configure(new Options());
        var collator = DataCommand.Collation(context, options, collName);
        var filter = FilterParser.Parse(rawFilter, DataCommand.Let(options), collator);
        if (o.Sort is not null) SortSpec.Parse(o.Sort, collator);
        var ns = DataCommand.Namespace(context, collName);
        var hint = options.GetValueOrDefault("hint");
        BsonDocument result;
        lock (context.Storage.Sync)
        {
            var db = context.Storage.GetDatabase(context.DatabaseName);
            if (db?.GetView(collName) is not null)
                throw Errors.NotImplemented("explain on a view is not supported by Mongo.InMemory");
            var collection = db?.Get(collName);
            DataCommand.CheckHint(options, collection);
            var explainer = new PlanExplainer
            {
                Collection = collection,
                Filter = filter,
                RawFilter = rawFilter,
                Collator = collator,
                Sort = o.Sort,
                Hint = hint is BsonNull ? null : hint,
                Projection = o.Projection,
                Skip = o.Skip,
                Limit = o.Limit,
                RootStage = o.Root,
                SingleWrite = o.Single,
                DistinctKey = o.DistinctKey,
                Update = o.Update is null ? null : Engine.Updates.Update.Parse(o.Update, o.ArrayFilters, DataCommand.Let(options), collator),
                Upsert = o.Upsert,
                HasReturnFields = o.ReturnFields,
            };
            var queryPlanner = new BsonDocument
            {
                { "namespace", ns },
                { "parsedQuery", PlanExplainer.ParsedQuery(rawFilter) },
                { "indexFilterSet", false },
                { "queryHash", ShapeHash(rawFilter, o.Sort, o.Projection, null) },
                { "planCacheShapeHash", ShapeHash(rawFilter, o.Sort, o.Projection, null) },
                { "planCacheKey", ShapeHash(rawFilter, o.Sort, o.Projection, collection) },
                { "optimizationTimeMillis", 0 },
                { "maxIndexedOrSolutionsReached", false },
                { "maxIndexedAndSolutionsReached", false },
                { "maxScansToExplodeReached", false },
                { "prunedSimilarIndexes", false },
                { "winningPlan", explainer.WinningPlan() },
                { "rejectedPlans", new BsonArray() },
            };
            result = new BsonDocument { { "explainVersion", "1" }, { "queryPlanner", queryPlanner } };
            if (verbosity != ExplainVerbosity.QueryPlanner)
            {
                explainer.Execute();
                result.Add("executionStats", explainer.ExecutionStats(verbosity, o.ReportsZero ? 0 : explainer.Returned));
            }
        }

        var command = (BsonDocument)(echo ?? options).DeepClone();
        command.Remove("explain");
        if (!command.Contains("$db")) command.Add("$db", context.DatabaseName);
        result.Add("command", command);
        result.Add("serverInfo", new BsonDocument
        {
            { "host", Environment.MachineName },
            { "port", context.Server.Port },
            { "version", context.Server.Options.ServerVersion },
            { "gitVersion", "0000000000000000000000000000000000000000" },
        });
        result.Add("serverParameters", ServerParameters());
        return result;
    }

    private static BsonDocument ServerParameters() => new()
    {
        { "internalQueryFacetBufferSizeBytes", 104857600 },
        { "internalQueryFacetMaxOutputDocSizeBytes", 104857600 },
        { "internalLookupStageIntermediateDocumentMaxSizeBytes", 104857600 },
        { "internalDocumentSourceGroupMaxMemoryBytes", 104857600 },
        { "internalQueryMaxBlockingSortMemoryUsageBytes", 104857600 },
        { "internalQueryProhibitBlockingMergeOnMongoS", 0 },
        { "internalQueryMaxAddToSetBytes", 104857600 },
        { "internalDocumentSourceSetWindowFieldsMaxMemoryBytes", 104857600 },
        { "internalQueryFrameworkControl", "trySbeRestricted" },
        { "internalQueryPlannerIgnoreIndexWithCollationForRegex", 1 },
    };

    /// <summary>
    /// An 8-hex-digit hash of the query's shape (field names and operators, not values), as queryHash is: equal for
    /// queries that differ only in their values; with a collection, its indexes too (planCacheKey).
    /// </summary>
    private static string ShapeHash(BsonDocument? filter, BsonDocument? sort, BsonDocument? projection, CollectionData? collection)
    {
        var sb = new StringBuilder();
        Shape(sb, filter);
        sb.Append('|');
        Shape(sb, sort);
        sb.Append('|');
        Shape(sb, projection);
        if (collection is not null)
            foreach (var index in collection.Indexes) sb.Append('|').Append(index.Name);
        var hash = 2166136261u;
        foreach (var c in sb.ToString()) hash = (hash ^ c) * 16777619u;
        return hash.ToString("X8", System.Globalization.CultureInfo.InvariantCulture);

        static void Shape(StringBuilder sb, BsonValue? v)
        {
            switch (v)
            {
                case BsonDocument d:
                    sb.Append('{');
                    foreach (var e in d)
                    {
                        sb.Append(e.Name).Append(':');
                        Shape(sb, e.Value);
                    }

                    sb.Append('}');
                    break;
                case BsonArray a:
                    sb.Append('[');
                    foreach (var e in a)
                        if (e is BsonDocument) Shape(sb, e);
                    sb.Append(']');
                    break;
                default:
                    sb.Append('?');
                    break;
            }
        }
    }
}
