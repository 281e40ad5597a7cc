using Mongo.Bson;
using Mongo.InMemory.Engine.Expressions;

namespace Mongo.InMemory.Engine.Pipeline;

/// <summary>
/// $setWindowFields: partitions sorted by (partition key, sortBy) as mongod sorts them, then each output field computed
/// per document over its window. Accumulator window functions run through <see cref="Group"/> over the window's
/// documents, so every $group accumulator is also a window function.
/// </summary>
internal static partial class AggregationPipeline
{
    /// <summary>Window functions that are not $group accumulators.</summary>
    private static readonly HashSet<string> s_windowOnlyFunctions = new(StringComparer.Ordinal)
    {
        "$rank", "$denseRank", "$documentNumber", "$shift", "$derivative", "$integral", "$expMovingAvg", "$linearFill", "$locf",
        "$covariancePop", "$covarianceSamp", "$first", "$last",
    };

    internal static bool IsWindowFunction(string name) =>
        s_windowOnlyFunctions.Contains(name) || Accumulators.Contains(name) || name == "$count" || Expressions.Accumulators.Names.Contains(name);

    private static List<BsonDocument> SetWindowFields(BsonValue spec, List<BsonDocument> docs, PipelineContext context)
    {
        if (spec is not BsonDocument sd)
            throw Errors.FailedToParse("the $setWindowFields stage specification must be an object, found " + BsonOrder.TypeName(spec));
        BsonValue? partitionBy = null;
        BsonDocument? sortBy = null;
        BsonDocument? output = null;
        foreach (var (name, value) in sd)
        {
            switch (name)
            {
                case "partitionBy":
                    ExpressionEvaluator.Validate(value);
                    partitionBy = value;
                    break;
                case "sortBy":
                    sortBy = value as BsonDocument ?? throw WrongType("sortBy", value, "object");
                    break;
                case "output":
                    output = value as BsonDocument ?? throw WrongType("output", value, "object");
                    break;
                default:
                    throw Errors.Location(40415, "BSON field '$setWindowFields." + name + "' is an unknown field.");
            }
        }
        if (output is null) throw Errors.Location(40414, "BSON field '$setWindowFields.output' is missing but a required field");
        var sortSpec = sortBy is null ? null : SortSpec.Parse(sortBy, context.Collator);
        var sortInfo = sortBy is null ? null : new SortSpecInfo(sortBy);
        var statements = new List<WindowStatement>();
        var paths = new List<string>();
        foreach (var (field, fn) in output)
        {
            foreach (var other in paths)
                if (other == field || other.StartsWith(field + ".", StringComparison.Ordinal) || field.StartsWith(other + ".", StringComparison.Ordinal))
                    throw Errors.Location(6307900, "$setWindowFields 'output' specification contains two conflicting paths");
            paths.Add(field);
            if (fn is not BsonDocument fd) throw Errors.FailedToParse("The field '" + field + "' must be an object");
            statements.Add(WindowStatement.Parse(field, fd, sortInfo, context));
        }
        if (partitionBy is BsonArray || ConstantOf(partitionBy ?? BsonNull.Value, context) is BsonArray)
            throw Errors.TypeMismatch("An expression used to partition cannot evaluate to value of type array");

        // Sort by (partition key, sortBy), stable, as the $sort mongod inserts before the window stage does.
        var keyed = new List<(BsonDocument Doc, BsonValue Partition, BsonValue?[]? SortKey)>(docs.Count);
        foreach (var doc in docs)
        {
            var key = partitionBy is null ? BsonNull.Value : ExpressionEvaluator.Evaluate(partitionBy, new ExprScope(doc, context.Variables, context.Collator)) ?? BsonNull.Value;
            if (key is BsonArray) throw Errors.TypeMismatch("An expression used to partition cannot evaluate to value of type array");
            keyed.Add((doc, key, sortSpec?.KeyOf(doc)));
        }
        var order = Enumerable.Range(0, keyed.Count).ToArray();
        Array.Sort(order, (x, y) =>
        {
            var c = BsonOrder.Compare(keyed[x].Partition, keyed[y].Partition, context.Collator);
            if (c == 0 && sortSpec is not null) c = sortSpec.CompareKeys(keyed[x].SortKey!, keyed[y].SortKey!);
            return c != 0 ? c : x.CompareTo(y);
        });

        var result = new List<BsonDocument>(docs.Count);
        var start = 0;
        while (start < order.Length)
        {
            var end = start + 1;
            while (end < order.Length && BsonOrder.Compare(keyed[order[start]].Partition, keyed[order[end]].Partition, context.Collator) == 0) end++;
            var partition = new List<BsonDocument>(end - start);
            for (var i = start; i < end; i++) partition.Add(keyed[order[i]].Doc);
            var outputs = new BsonValue?[statements.Count][];
            for (var s = 0; s < statements.Count; s++)
            {
                Commands.OperationDeadline.Check();
                outputs[s] = statements[s].Compute(partition, sortInfo, context);
            }
            for (var i = 0; i < partition.Count; i++)
            {
                var copy = (BsonDocument)partition[i].DeepClone();
                for (var s = 0; s < statements.Count; s++)
                {
                    var value = outputs[s][i];
                    if (value is null) RemovePath(copy, statements[s].Field);
                    else SetPath(copy, statements[s].Field, value);
                }
                result.Add(copy);
            }
            start = end;
        }
        return result;
    }

    private static Commands.CommandException WrongType(string field, BsonValue value, string expected) =>
        Errors.TypeMismatch("BSON field '$setWindowFields." + field + "' is the wrong type '" + BsonOrder.TypeName(value) + "', expected type '" + expected + "'");

    /// <summary>Parses an accumulator as $group does, so a bad argument fails even when no document is read.</summary>
    internal static void ValidateAccumulator(string op, BsonValue argument, PipelineContext context) =>
        Group(new BsonDocument { { "_id", BsonNull.Value }, { "v", new BsonDocument(op, argument) } }, [], context);

    /// <summary>The value of one accumulator over a window's documents, by the $group machinery (empty windows get the accumulator's empty value).</summary>
    internal static BsonValue? AccumulateWindow(string op, BsonValue argument, List<BsonDocument> window, PipelineContext context)
    {
        if (window.Count == 0)
        {
            return op switch
            {
                "$sum" or "$count" => new BsonInt32(0),
                "$push" or "$addToSet" or "$firstN" or "$lastN" or "$maxN" or "$minN" or "$topN" or "$bottomN" => new BsonArray(),
                "$mergeObjects" => new BsonDocument(),
                // One null per requested percentile.
                "$percentile" when argument is BsonDocument { } pd && pd.TryGetValue("p", out var p) && p is BsonArray ps =>
                    new BsonArray(Enumerable.Repeat<BsonValue>(BsonNull.Value, ps.Count)),
                _ => BsonNull.Value,
            };
        }
        var spec = new BsonDocument { { "_id", BsonNull.Value }, { "v", new BsonDocument(op, argument) } };
        return Group(spec, window, context)[0]["v"];
    }

    /// <summary>The $group accumulators whose state grows one document at a time, so a window that only grows can reuse it.</summary>
    private static readonly HashSet<string> s_prefixAccumulators = new(StringComparer.Ordinal)
    {
        "$sum", "$count", "$avg", "$min", "$max", "$push", "$addToSet", "$stdDevPop", "$stdDevSamp", "$mergeObjects",
    };

    /// <summary>
    /// For windows starting at the partition's first document ('unbounded' lower bound): one $group accumulator state fed
    /// document by document, read after each window end, instead of a $group over every window (quadratic).
    /// Null when the function is not one whose $group state can be read mid-way.
    /// </summary>
    internal static Func<int, BsonValue?>? PrefixAccumulator(string op, BsonValue argument, List<BsonDocument> partition, PipelineContext context)
    {
        if (!s_prefixAccumulators.Contains(op)) return null;
        if (op == "$count")
        {
            op = "$sum";
            argument = new BsonInt32(1);
        }
        var state = new GroupState(1) { Id = BsonNull.Value };
        var added = 0;
        return end =>
        {
            // Window ends only move forward: add the documents up to this one.
            for (; added <= end; added++)
            {
                var v = ExpressionEvaluator.Evaluate(argument, new ExprScope(partition[added], context.Variables, context.Collator));
                Accumulate(state, 0, op, v, context.Collator);
            }
            return Finish(state, 0, op).DeepClone();
        };
    }
}
