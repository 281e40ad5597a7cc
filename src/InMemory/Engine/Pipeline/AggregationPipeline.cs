using Mongo.Bson;
using Mongo.InMemory.Engine.Expressions;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine.Pipeline;

/// <summary>What stages may need besides their input: the catalog (for $lookup/$out/$merge), the database, let-variables.</summary>
internal sealed class PipelineContext
{
    public required Storage Storage { get; init; }

    public required string Database { get; init; }

    public IReadOnlyDictionary<string, BsonValue>? Variables { get; init; }

    /// <summary>The aggregation's collation (null: simple): $match, $sort, $group keys and expressions compare strings by it.</summary>
    public Collation.Collator? Collator { get; init; }

    /// <summary>The server's known sessions, for $listLocalSessions (null: the stage is unavailable here).</summary>
    public Func<List<BsonDocument>>? LocalSessions { get; init; }

    /// <summary>The operations in progress, for $currentOp (null: not {aggregate: 1} on admin).</summary>
    public Func<List<BsonDocument>>? CurrentOps { get; init; }

    /// <summary>The collection the aggregate command names (null for <c>{aggregate: 1}</c> and update pipelines).</summary>
    public string? Collection { get; init; }

    /// <summary>The server's "host:port", which $indexStats reports (null: the machine name alone).</summary>
    public string? Host { get; init; }

    /// <summary>The aggregate command's bypassDocumentValidation: $out and $merge then skip the target's validator.</summary>
    public bool BypassDocumentValidation { get; init; }
    /// <summary>The server running the aggregation (null: an update pipeline): its role and sessions, for the admin stages.</summary>
    public Server.ServerState? Server { get; init; }

    /// <summary>The aggregate command's own pipeline: only its first stage may be a $match with $text.</summary>
    public BsonArray? TopLevelPipeline { get; init; }

    /// <summary>Documents of a collection or view in natural order (copies), empty when it does not exist.</summary>
    public List<BsonDocument> Load(string database, string collection) => Storage.OpenForRead(database, collection).TakeAll();
}

/// <summary>Runs aggregation pipelines over materialised documents (callers hold the storage lock).</summary>
internal static partial class AggregationPipeline
{
    /// <summary>Every stage name mongod 8.0 recognises (whether or not Mongo.InMemory implements it).</summary>
    private static readonly HashSet<string> s_knownStages = new(StringComparer.Ordinal)
    {
        "$addFields", "$bucket", "$bucketAuto", "$changeStream", "$changeStreamSplitLargeEvent", "$collStats", "$count", "$currentOp",
        "$densify", "$documents", "$facet", "$fill", "$geoNear", "$graphLookup", "$group", "$indexStats", "$limit", "$listClusterCatalog",
        "$listLocalSessions", "$listSampledQueries", "$listSearchIndexes", "$listSessions", "$lookup", "$match", "$merge", "$out",
        "$planCacheStats", "$project", "$querySettings", "$queryStats", "$redact", "$replaceRoot", "$replaceWith", "$sample", "$search",
        "$searchMeta", "$set", "$setWindowFields", "$shardedDataDistribution", "$skip", "$sort", "$sortByCount", "$unionWith", "$unset",
        "$unwind", "$vectorSearch",
    };

    /// <summary>Whether mongod knows a stage of this name (an unknown one is error 40324 wherever a pipeline is parsed).</summary>
    public static bool IsKnownStage(string name) => s_knownStages.Contains(name);

    public static List<BsonDocument> Run(BsonArray stages, List<BsonDocument> input, PipelineContext context) => RunFrom(stages, input, context, 0);

    /// <summary>
    /// The stages from <paramref name="start"/> on (those before it were answered by the read), each at its position;
    /// <paramref name="counts"/> (explain's executionStats) receives how many documents each stage returned.
    /// </summary>
    private static List<BsonDocument> RunFrom(BsonArray stages, List<BsonDocument> input, PipelineContext context, int start, Dictionary<int, long>? counts = null)
    {
        var docs = input;
        for (var i = start; i < stages.Count; i++)
        {
            if (stages[i] is not BsonDocument stage) throw Errors.TypeMismatch("Each element of the 'pipeline' array must be an object");
            if (stage.ElementCount != 1)
                throw Errors.Location(40323, "A pipeline stage specification object must contain exactly one field.");
            var (name, spec) = stage.GetElement(0);
            if (name is "$out" or "$merge" && i != stages.Count - 1)
                throw Errors.Location(40601, name + " can only be the final stage in the pipeline");
            Commands.OperationDeadline.CheckNow();
            docs = RunStage(name, spec, docs, context, i, topLevelFirst: i == 0 && ReferenceEquals(stages, context.TopLevelPipeline));
            counts?.Add(i, docs.Count);
        }
        return docs;
    }

    /// <summary>An update pipeline applied to one document.</summary>
    public static BsonDocument RunOnDocument(BsonArray stages, BsonDocument doc, IReadOnlyDictionary<string, BsonValue>? variables, Collation.Collator? collator = null)
    {
        var context = new PipelineContext { Storage = new Storage(), Database = "", Variables = variables, Collator = collator };
        var result = Run(stages, [doc], context);
        if (result.Count != 1) throw Errors.BadValue("update pipeline must produce exactly one document");
        return result[0];
    }

    private static List<BsonDocument> RunStage(string name, BsonValue spec, List<BsonDocument> docs, PipelineContext context, int index, bool topLevelFirst = false)
    {
        switch (name)
        {
            case "$match":
                {
                    if (spec is not BsonDocument md) throw Errors.Location(15959, "the match filter must be an expression in an object");
                    var filter = FilterParser.Parse(md, context.Variables, context.Collator);
                    if (NearFilter.FindIn(filter) is not null)
                        throw Errors.Location(5626500, "$geoNear, $near, and $nearSphere are not allowed in this context, as these operators require sorting geospatial data. If you do not need sort, consider using $geoWithin instead.");
                    if (TextFilter.FindIn(filter) is not null)
                    {
                        if (!topLevelFirst) throw Errors.Location(17313, "$match with $text is only allowed as the first pipeline stage");
                        // Binds the search to the collection's text index (27 without one), as the find planner does.
                        if (context.Collection is not null && context.Storage.GetCollection(context.Database, context.Collection) is { } collection)
                            Planning.QueryPlanner.Plan(collection, filter, md, context.Collator);
                    }
                    return docs.Where(d =>
                    {
                        Commands.OperationDeadline.Check();
                        return filter.Matches(d);
                    }).ToList();
                }
            case "$project":
                {
                    if (spec is not BsonDocument pd) throw Errors.Location(15969, "$project specification must be an object");
                    var projection = Projection.Parse(pd, isFind: false, context.Variables)!;
                    return docs.Select(d => DocumentMetadata.Carry(d, projection.Apply(d))).ToList();
                }
            case "$unset":
                {
                    var fields = spec switch
                    {
                        BsonString s => [s.Value],
                        BsonArray a when a.All(v => v is BsonString) => a.Select(v => v.AsString).ToList(),
                        _ => throw Errors.Location(31002, "$unset specification must be a string or an array containing only string values"),
                    };
                    if (fields.Count == 0) throw Errors.Location(31119, "$unset specification must be a string or an array with at least one field");
                    var pd = new BsonDocument();
                    foreach (var f in fields) pd.Set(f, 0);
                    var projection = Projection.Parse(pd, isFind: false, context.Variables)!;
                    return docs.Select(d => DocumentMetadata.Carry(d, projection.Apply(d))).ToList();
                }
            case "$addFields":
            case "$set":
                {
                    if (spec is not BsonDocument ad) throw Errors.Location(40272, name + " specification stage must be an object, got " + BsonOrder.TypeName(spec));
                    ExpressionEvaluator.Validate(ad);
                    return docs.Select(d => DocumentMetadata.Carry(d, AddFields(d, ad, context))).ToList();
                }
            case "$replaceRoot":
            case "$replaceWith":
                {
                    BsonValue expr;
                    if (name == "$replaceRoot")
                    {
                        if (spec is not BsonDocument rd || !rd.TryGetValue("newRoot", out expr!))
                            throw Errors.Location(40231, "no newRoot specified for the $replaceRoot stage");
                    }
                    else expr = spec;
                    return docs.Select(d =>
                    {
                        var v = ExpressionEvaluator.Evaluate(expr, new ExprScope(d, context.Variables, context.Collator));
                        if (v is not BsonDocument nd)
                            throw Errors.Location(40228, "'newRoot' expression must evaluate to an object, but resulting value was: " + (v is null ? "MISSING" : Shell.Format(v)) +
                                ". Type of resulting value: '" + BsonOrder.TypeName(v) + "'. Input document: " + Shell.Format(d));
                        return DocumentMetadata.Carry(d, nd);
                    }).ToList();
                }
            case "$sort":
                {
                    if (spec is not BsonDocument sd || sd.ElementCount == 0) throw Errors.Location(15976, "$sort stage must have at least one sort key");
                    return SortSpec.Parse(sd, context.Collator).Sort(docs, d => d);
                }
            case "$skip":
                {
                    var n = PositiveLong(spec, "$skip", 15956, allowZero: true);
                    return docs.Skip((int)Math.Min(n, int.MaxValue)).ToList();
                }
            case "$limit":
                {
                    var n = PositiveLong(spec, "$limit", 15958, allowZero: false);
                    return docs.Take((int)Math.Min(n, int.MaxValue)).ToList();
                }
            case "$count":
                {
                    if (spec is not BsonString cs || cs.Value.Length == 0) throw Errors.Location(40156, "the count field must be a non-empty string");
                    if (cs.Value.StartsWith('$')) throw Errors.Location(40158, "the count field cannot be a $-prefixed path");
                    if (cs.Value.Contains('.', StringComparison.Ordinal)) throw Errors.Location(40160, "the count field cannot contain '.'");
                    return docs.Count == 0 ? [] : [new BsonDocument(cs.Value, docs.Count)];
                }
            case "$group":
                return Group(spec, docs, context);
            case "$sortByCount":
                {
                    var grouped = Group(new BsonDocument { { "_id", spec }, { "count", new BsonDocument("$sum", 1) } }, docs, context);
                    return SortSpec.Parse(new BsonDocument("count", -1), context.Collator).Sort(grouped, d => d);
                }
            case "$unwind":
                return Unwind(spec, docs);
            case "$lookup":
                return Lookup(spec, docs, context);
            case "$facet":
                {
                    if (spec is not BsonDocument fd) throw Errors.Location(15947, "a facet's fields must be specified in an object");
                    var result = new BsonDocument();
                    foreach (var (facet, pipeline) in fd)
                    {
                        if (pipeline is not BsonArray fp) throw Errors.Location(40170, "arguments to $facet must be arrays, " + facet + " is type " + BsonOrder.TypeName(pipeline));
                        foreach (var st in fp)
                        {
                            var stageName = st is BsonDocument sdoc && sdoc.ElementCount > 0 ? sdoc.GetElement(0).Name : "";
                            if (stageName is "$out" or "$merge" or "$facet")
                                throw Errors.Location(40600, stageName + " is not allowed to be used within a $facet stage");
                        }
                        var copy = docs.Select(d => (BsonDocument)d.DeepClone()).ToList();
                        result.Add(facet, new BsonArray(Run(fp, copy, context)));
                    }
                    return [result];
                }
            case "$sample":
                {
                    if (spec is not BsonDocument sd || !sd.TryGetValue("size", out var size) || !size.IsNumeric || size.ToDouble() < 0)
                        throw Errors.Location(28747, "size argument to $sample must be a number");
                    return docs.OrderBy(_ => Random.Shared.Next()).Take(size.ToInt32()).ToList();
                }
            case "$unionWith":
                {
                    string coll;
                    BsonArray? pipeline = null;
                    if (spec is BsonString us) coll = us.Value;
                    else if (spec is BsonDocument ud && ud.TryGetValue("coll", out var c) && c is BsonString cs2)
                    {
                        coll = cs2.Value;
                        pipeline = ud.GetValueOrDefault("pipeline") as BsonArray;
                    }
                    else throw Errors.FailedToParse("the $unionWith stage specification must be an object or string, but found " + BsonOrder.TypeName(spec));
                    var other = context.Load(context.Database, coll);
                    if (pipeline is not null) other = Run(pipeline, other, context);
                    var result = new List<BsonDocument>(docs);
                    result.AddRange(other);
                    return result;
                }
            case "$documents":
                {
                    if (index != 0) throw Errors.Location(40602, "$documents is only valid as the first stage in a pipeline");
                    var v = ExpressionEvaluator.Evaluate(spec, new ExprScope(new BsonDocument(), context.Variables, context.Collator));
                    if (v is not BsonArray arr) throw Errors.Location(5858203, "error during $documents stage: an array is expected");
                    return arr.Select(x => x as BsonDocument ?? throw Errors.TypeMismatch("$documents must evaluate to an array of objects")).ToList();
                }
            case "$listLocalSessions":
                {
                    if (index != 0) throw Errors.Location(40602, "$listLocalSessions is only valid as the first stage in a pipeline");
                    if (context.LocalSessions is null) throw Errors.Location(50891, "$listLocalSessions must be run against the database with {aggregate: 1}, not a collection");
                    return context.LocalSessions();
                }
            case "$currentOp":
                {
                    if (index != 0) throw Errors.Location(40602, "$currentOp is only valid as the first stage in a pipeline");
                    if (context.CurrentOps is null) throw Errors.InvalidNamespace("$currentOp must be run against the 'admin' database with {aggregate: 1}");
                    return context.CurrentOps();
                }
            case "$collStats":
                return CollStats(spec, context, index);
            case "$geoNear":
                return GeoNear(spec, docs, context, topLevelFirst);
            case "$out":
                return Out(spec, docs, context);
            case "$merge":
                return Merge(spec, docs, context);
            case "$bucket":
                return Bucket(spec, docs, context);
            case "$bucketAuto":
                return BucketAuto(spec, docs, context);
            case "$graphLookup":
                return GraphLookup(spec, docs, context);
            case "$setWindowFields":
                return SetWindowFields(spec, docs, context);
            case "$redact":
                return Redact(spec, docs, context);
            case "$indexStats":
                return IndexStats(spec, context, index);
            case "$planCacheStats":
                return PlanCacheStats(spec, context, index);
            case "$densify":
                return Densify(spec, docs, context);
            case "$fill":
                return Fill(spec, docs, context);
            case "$changeStream":
                throw Errors.NotImplemented(name + " is not supported by Mongo.InMemory");
            default:
                return RunAdminStage(name, spec, context, index) ?? throw Errors.Location(40324, "Unrecognized pipeline stage name: '" + name + "'");
        }
    }

    private static long PositiveLong(BsonValue spec, string stage, int code, bool allowZero)
    {
        if (!spec.IsNumeric) throw Errors.Location(code, "invalid argument to " + stage + " stage: Expected a number in: " + stage + ": " + Shell.Format(spec));
        var d = spec.ToDouble();
        if (Math.Truncate(d) != d) throw Errors.Location(code, "invalid argument to " + stage + " stage: Expected an integer: " + stage + ": " + Shell.Format(spec));
        if (d < 0 || !allowZero && d == 0)
            throw Errors.Location(code, "invalid argument to " + stage + " stage: Expected a " + (allowZero ? "non-negative" : "positive") + " number in: " + stage + ": " + Shell.Format(spec));
        return (long)d;
    }

    public static BsonDocument AddFields(BsonDocument doc, BsonDocument spec, PipelineContext context)
    {
        var scope = new ExprScope(doc, context.Variables, context.Collator);
        var result = (BsonDocument)doc.DeepClone();
        foreach (var (path, expr) in spec)
        {
            if (path.StartsWith('$')) throw Errors.Location(16410, "FieldPath field names may not start with '$'. Consider using $getField or $setField.");
            if (expr is BsonDocument nested && nested.ElementCount > 0 && !nested.GetElement(0).Name.StartsWith('$'))
            {
                // A nested specification merges into an existing sub-document.
                var existing = FieldPath.GetStrict(result, path) as BsonDocument ?? new BsonDocument();
                var merged = AddFieldsNested(existing, nested, scope);
                SetPath(result, path, merged);
                continue;
            }
            var value = ExpressionEvaluator.Evaluate(expr, scope);
            if (value is null) RemovePath(result, path);
            else SetPath(result, path, value);
        }
        return result;
    }

    private static BsonDocument AddFieldsNested(BsonDocument existing, BsonDocument spec, ExprScope scope)
    {
        var result = (BsonDocument)existing.DeepClone();
        foreach (var (name, expr) in spec)
        {
            if (expr is BsonDocument nested && nested.ElementCount > 0 && !nested.GetElement(0).Name.StartsWith('$'))
            {
                result.Set(name, AddFieldsNested(result.GetValueOrDefault(name) as BsonDocument ?? new BsonDocument(), nested, scope));
                continue;
            }
            var v = ExpressionEvaluator.Evaluate(expr, scope);
            if (v is null) result.Remove(name);
            else result.Set(name, v);
        }
        return result;
    }

    /// <summary>$addFields semantics for dotted paths: create sub-documents; over arrays, set in each element document.</summary>
    public static void SetPath(BsonDocument doc, string path, BsonValue value)
    {
        var parts = path.Split('.');
        SetPathParts(doc, parts, 0, value);
    }

    private static void SetPathParts(BsonDocument doc, string[] parts, int i, BsonValue value)
    {
        if (i == parts.Length - 1)
        {
            doc.Set(parts[i], value);
            return;
        }
        var existing = doc.GetValueOrDefault(parts[i]);
        switch (existing)
        {
            case BsonDocument sub:
                SetPathParts(sub, parts, i + 1, value);
                return;
            case BsonArray arr:
                for (var k = 0; k < arr.Count; k++)
                {
                    if (arr[k] is BsonDocument ed) SetPathParts(ed, parts, i + 1, value);
                    else
                    {
                        var nd = new BsonDocument();
                        SetPathParts(nd, parts, i + 1, value);
                        arr[k] = nd;
                    }
                }
                return;
            default:
                {
                    var nd = new BsonDocument();
                    SetPathParts(nd, parts, i + 1, value);
                    doc.Set(parts[i], nd);
                    return;
                }
        }
    }

    private static void RemovePath(BsonDocument doc, string path)
    {
        var parts = path.Split('.');
        BsonValue? cur = doc;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            cur = cur is BsonDocument d && d.TryGetValue(parts[i], out var v) ? v : null;
            if (cur is null) return;
        }
        if (cur is BsonDocument last) last.Remove(parts[^1]);
    }
}
