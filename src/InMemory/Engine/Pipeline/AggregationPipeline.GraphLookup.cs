using Mongo.Bson;
using Mongo.InMemory.Engine.Expressions;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine.Pipeline;

/// <summary>$graphLookup: a breadth-first search over a collection, one $in query per depth level, as mongod runs it.</summary>
internal static partial class AggregationPipeline
{
    private static List<BsonDocument> GraphLookup(BsonValue spec, List<BsonDocument> docs, PipelineContext context)
    {
        if (spec is not BsonDocument gd)
            throw Errors.FailedToParse("the $graphLookup stage specification must be an object, but found " + BsonOrder.TypeName(spec));
        if (!gd.Contains("from")) throw Errors.FailedToParse("missing 'from' option to $graphLookup stage specification: " + Shell.Format(gd));
        string? from = null, asField = null, connectFrom = null, connectTo = null, depthField = null;
        BsonValue? startWith = null;
        long? maxDepth = null;
        BsonDocument? restrict = null;
        foreach (var (name, argument) in gd)
        {
            switch (name)
            {
                case "startWith":
                    ExpressionEvaluator.Validate(argument);
                    startWith = argument;
                    continue;
                case "maxDepth":
                    if (!argument.IsNumeric) throw Errors.Location(40100, "maxDepth must be numeric, found type: " + BsonOrder.TypeName(argument));
                    var depth = argument.ToDouble();
                    var asLong = depth >= long.MaxValue ? long.MaxValue : depth <= long.MinValue ? long.MinValue : (long)depth;
                    if (asLong < 0) throw Errors.Location(40101, "maxDepth requires a nonnegative argument, found: " + asLong);
                    if (asLong != depth) throw Errors.Location(40102, "maxDepth could not be represented as a long long: " + asLong);
                    maxDepth = asLong;
                    continue;
                case "restrictSearchWithMatch":
                    restrict = argument as BsonDocument
                        ?? throw Errors.Location(40185, "restrictSearchWithMatch must be an object, found " + BsonOrder.TypeName(argument));
                    FilterParser.Parse(restrict, context.Variables, context.Collator); // a bad filter fails before any document is read
                    continue;
            }
            if (name is "from" or "as" or "connectFromField" or "depthField" or "connectToField" && argument is not (BsonString or BsonDocument))
                throw Errors.Location(40103, "expected string as argument for " + name + ", found: " + BsonOrder.TypeName(argument));
            switch (name)
            {
                case "from":
                    if (argument is not BsonString fs)
                        throw Errors.FailedToParse("$graphLookup with syntax {from: {db:<>, coll:<>},..} is not supported for db: " +
                            (argument.AsDocument.GetValueOrDefault("db") as BsonString)?.Value + " and coll: " + (argument.AsDocument.GetValueOrDefault("coll") as BsonString)?.Value);
                    if (fs.Value.Length == 0) throw Errors.InvalidNamespace("invalid $graphLookup namespace: " + context.Database + ".");
                    from = fs.Value;
                    break;
                case "as": asField = StringArgument(argument, name); break;
                case "connectFromField": connectFrom = StringArgument(argument, name); break;
                case "connectToField": connectTo = StringArgument(argument, name); break;
                case "depthField": depthField = StringArgument(argument, name); break;
                default: throw Errors.Location(40104, "Unknown argument to $graphLookup: " + name);
            }
        }
        if (from is null || string.IsNullOrEmpty(asField) || startWith is null || string.IsNullOrEmpty(connectFrom) || string.IsNullOrEmpty(connectTo))
            throw Errors.Location(40105, "$graphLookup requires 'from', 'as', 'startWith', 'connectFromField', and 'connectToField' to be specified.");

        var foreign = context.Load(context.Database, from);
        var fromParts = connectFrom.Split('.');
        var result = new List<BsonDocument>(docs.Count);
        foreach (var doc in docs)
        {
            var start = ExpressionEvaluator.Evaluate(startWith, new ExprScope(doc, context.Variables, context.Collator));
            var frontier = new FrontierSet(context.Collator);
            if (start is BsonArray startArray)
                foreach (var v in startArray) frontier.Add(v);
            else frontier.Add(start);

            // Keyed by _id under the simple comparison, as the server de-duplicates; insertion order is discovery order.
            var visited = new Dictionary<string, BsonDocument>(StringComparer.Ordinal);
            var found = new List<BsonDocument>();
            for (long level = 0; frontier.Count > 0 && (maxDepth is null || level <= maxDepth); level++)
            {
                Commands.OperationDeadline.Check();
                var filter = FilterParser.Parse(FrontierQuery(frontier, connectTo, restrict), context.Variables, context.Collator);
                var next = new FrontierSet(context.Collator);
                foreach (var candidate in foreign)
                {
                    if (!filter.Matches(candidate)) continue;
                    if (!candidate.TryGetValue("_id", out var id))
                        throw Errors.Location(40271, "Documents in the '" + context.Database + "." + from + "' namespace must contain an _id for de-duplication in $graphLookup");
                    var key = BsonOrder.Key(id);
                    if (visited.ContainsKey(key)) continue;
                    var hit = (BsonDocument)candidate.DeepClone();
                    if (depthField is not null) SetPath(hit, depthField, new BsonInt64(level));
                    visited[key] = hit;
                    found.Add(hit);
                    var values = new List<BsonValue?>();
                    FieldPath.Collect(hit, fromParts, 0, values, expandLeafArrays: true);
                    foreach (var v in values)
                        if (v is not null) next.Add(v);
                }
                frontier = next;
            }
            var copy = (BsonDocument)doc.DeepClone();
            SetPath(copy, asField, new BsonArray(found));
            result.Add(copy);
        }
        return result;
    }

    private static string StringArgument(BsonValue argument, string name) =>
        argument is BsonString s ? s.Value : throw Errors.TypeMismatch("BSON field '$graphLookup." + name + "' is the wrong type 'object', expected type 'string'");

    /// <summary>{$and: [restrictSearchWithMatch, {to: {$in: frontier}}]}, with mongod's guards so null never matches missing or undefined.</summary>
    private static BsonDocument FrontierQuery(FrontierSet frontier, string connectTo, BsonDocument? restrict)
    {
        var and = new BsonArray();
        if (restrict is not null) and.Add(restrict);
        var matchNull = false;
        var matchUndefined = false;
        var seenMissing = false;
        var inList = new BsonArray();
        foreach (var v in frontier.Values)
        {
            // A missing start value contributes no $in element (it matches nothing), only the $exists guard.
            if (v is null) { seenMissing = true; continue; }
            if (v.BsonType == BsonType.Null) matchNull = true;
            else if (v.BsonType == BsonType.Undefined) matchUndefined = true;
            inList.Add(v);
        }
        and.Add(new BsonDocument(connectTo, new BsonDocument("$in", inList)));
        if (matchNull || matchUndefined || seenMissing) and.Add(new BsonDocument(connectTo, new BsonDocument("$exists", true)));
        if (matchNull && !matchUndefined) and.Add(new BsonDocument(connectTo, new BsonDocument("$not", new BsonDocument("$type", "undefined"))));
        else if (matchUndefined && !matchNull) and.Add(new BsonDocument(connectTo, new BsonDocument("$not", new BsonDocument("$type", "null"))));
        return new BsonDocument("$and", and);
    }

    /// <summary>The values still to search for, de-duplicated under the aggregation's collation.</summary>
    private sealed class FrontierSet(Collation.Collator? collator)
    {
        private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

        public List<BsonValue?> Values { get; } = [];

        public int Count => Values.Count;

        public void Add(BsonValue? value)
        {
            if (_keys.Add(value is null ? "\u0000missing" : BsonOrder.Key(value, collator))) Values.Add(value);
        }
    }
}
