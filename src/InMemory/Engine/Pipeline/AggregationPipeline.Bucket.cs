using Mongo.Bson;
using Mongo.InMemory.Engine.Expressions;

namespace Mongo.InMemory.Engine.Pipeline;

/// <summary>$bucket and $bucketAuto: both group through <see cref="Group"/>, so every accumulator $group knows works here too.</summary>
internal static partial class AggregationPipeline
{
    /// <summary>$bucket is, as in mongod, a $group keyed by a $switch over the boundaries followed by a $sort on _id.</summary>
    private static List<BsonDocument> Bucket(BsonValue spec, List<BsonDocument> docs, PipelineContext context)
    {
        if (spec is not BsonDocument bd)
            throw Errors.Location(40201, "Argument to $bucket stage must be an object, but found type: " + BsonOrder.TypeName(spec) + ".");
        BsonValue? groupBy = null;
        List<BsonValue>? boundaries = null;
        BsonValue? defaultValue = null;
        BsonDocument? output = null;
        foreach (var (name, argument) in bd)
        {
            switch (name)
            {
                case "groupBy":
                    if (!IsGroupByExpression(argument))
                        throw Errors.Location(40202, "The $bucket 'groupBy' field must be defined as a $-prefixed path or an expression, but found: " + Shell.Format(argument) + ".");
                    groupBy = argument;
                    break;
                case "boundaries":
                    if (argument is not BsonArray ba)
                        throw Errors.Location(40200, "The $bucket 'boundaries' field must be an array, but found type: " + BsonOrder.TypeName(argument) + ".");
                    boundaries = [];
                    foreach (var element in ba)
                    {
                        boundaries.Add(ConstantOf(element, context)
                            ?? throw Errors.Location(40191, "The $bucket 'boundaries' field must be an array of constant values, but found value: " + Shell.Format(element) + "."));
                    }
                    if (boundaries.Count < 2)
                        throw Errors.Location(40192, "The $bucket 'boundaries' field must have at least 2 values, but found " + boundaries.Count + " value(s).");
                    for (var i = 1; i < boundaries.Count; i++)
                    {
                        var (lower, upper) = (boundaries[i - 1], boundaries[i]);
                        if (BsonValue.CanonicalRank(lower.BsonType) != BsonValue.CanonicalRank(upper.BsonType))
                            throw Errors.Location(40193, "All values in the the 'boundaries' option to $bucket must have the same type. Found conflicting types " +
                                BsonOrder.TypeName(lower) + " and " + BsonOrder.TypeName(upper) + ".");
                        if (BsonOrder.Compare(lower, upper, context.Collator) >= 0)
                            throw Errors.Location(40194, "The 'boundaries' option to $bucket must be sorted, but elements " + (i - 1) + " and " + i +
                                " are not in ascending order (" + Shell.Format(lower) + " is not less than " + Shell.Format(upper) + ").");
                    }
                    break;
                case "default":
                    defaultValue = ConstantOf(argument, context)
                        ?? throw Errors.Location(40195, "The $bucket 'default' field must be a constant expression, but found: " + Shell.Format(argument) + ".");
                    break;
                case "output":
                    output = argument as BsonDocument
                        ?? throw Errors.Location(40196, "The $bucket 'output' field must be an object, but found type: " + BsonOrder.TypeName(argument) + ".");
                    break;
                default:
                    throw Errors.Location(40197, "Unrecognized option to $bucket: " + name + ".");
            }
        }
        if (groupBy is null || boundaries is null) throw Errors.Location(40198, "$bucket requires 'groupBy' and 'boundaries' to be specified.");
        if (defaultValue is not null && BsonValue.CanonicalRank(defaultValue.BsonType) == BsonValue.CanonicalRank(boundaries[0].BsonType)
            && BsonOrder.Compare(defaultValue, boundaries[0], context.Collator) >= 0 && BsonOrder.Compare(defaultValue, boundaries[^1], context.Collator) < 0)
            throw Errors.Location(40199, "The $bucket 'default' field must be less than the lowest boundary or greater than or equal to the highest boundary.");

        var branches = new BsonArray();
        for (var i = 1; i < boundaries.Count; i++)
        {
            var lower = new BsonDocument("$literal", boundaries[i - 1]);
            var upper = new BsonDocument("$literal", boundaries[i]);
            var test = new BsonDocument("$and", new BsonArray
            {
                new BsonDocument("$gte", new BsonArray { groupBy, lower }),
                new BsonDocument("$lt", new BsonArray { groupBy, upper.DeepClone() }),
            });
            branches.Add(new BsonDocument { { "case", test }, { "then", lower.DeepClone() } });
        }
        var switchSpec = new BsonDocument("branches", branches);
        if (defaultValue is not null) switchSpec.Add("default", new BsonDocument("$literal", defaultValue));
        var groupSpec = new BsonDocument("_id", new BsonDocument("$switch", switchSpec));
        if (output is null) groupSpec.Add("count", new BsonDocument("$sum", 1));
        else
            foreach (var element in output) groupSpec.Add(element.Name, element.Value);
        var grouped = Group(groupSpec, docs, context);
        return SortSpec.Parse(new BsonDocument("_id", 1), context.Collator).Sort(grouped, d => d);
    }

    /// <summary>A $bucket groupBy is a $-prefixed string or an operator object.</summary>
    private static bool IsGroupByExpression(BsonValue value) =>
        value is BsonDocument d && d.ElementCount > 0 && d.GetElement(0).Name.StartsWith('$')
        || value is BsonString s && s.Value.StartsWith('$');

    /// <summary>The value of an expression that references no document field and no variable (null when it does).</summary>
    internal static BsonValue? ConstantOf(BsonValue expression, PipelineContext context)
    {
        if (!IsConstantExpression(expression)) return null;
        ExpressionEvaluator.Validate(expression);
        return ExpressionEvaluator.Evaluate(expression, new ExprScope(new BsonDocument(), context.Variables, context.Collator)) ?? null;
    }

    private static bool IsConstantExpression(BsonValue expression) => expression switch
    {
        BsonString s => !s.Value.StartsWith('$'),
        BsonDocument d when d.ElementCount > 0 && d.GetElement(0).Name == "$literal" => true,
        BsonDocument d => d.All(e => IsConstantExpression(e.Value)),
        BsonArray a => a.All(IsConstantExpression),
        _ => true,
    };

    private static List<BsonDocument> BucketAuto(BsonValue spec, List<BsonDocument> docs, PipelineContext context)
    {
        if (spec is not BsonDocument bd)
            throw Errors.Location(40240, "The argument to $bucketAuto must be an object, but found type: " + BsonOrder.TypeName(spec));
        BsonValue? groupBy = null;
        int? buckets = null;
        var output = new BsonDocument();
        GranularityRounder? rounder = null;
        foreach (var (name, argument) in bd)
        {
            switch (name)
            {
                case "groupBy":
                    // Here a bare "$" is refused too: the path needs at least one character.
                    if (!(argument is BsonDocument gd && gd.ElementCount > 0 && gd.GetElement(0).Name.StartsWith('$')
                          || argument is BsonString gs && gs.Value.Length > 1 && gs.Value.StartsWith('$')))
                        throw Errors.Location(40239, "The $bucketAuto 'groupBy' field must be defined as a $-prefixed path or an expression object, but found: " + Shell.Format(argument));
                    ExpressionEvaluator.Validate(argument);
                    groupBy = argument;
                    break;
                case "buckets":
                    if (!argument.IsNumeric)
                        throw Errors.Location(40241, "The $bucketAuto 'buckets' field must be a numeric value, but found type: " + BsonOrder.TypeName(argument));
                    var count = argument.ToDouble();
                    if (Math.Truncate(count) != count || count < int.MinValue || count > int.MaxValue)
                        throw Errors.Location(40242, "The $bucketAuto 'buckets' field must be representable as a 32-bit integer, but found " + Shell.Format(new BsonDouble(count)));
                    buckets = (int)count;
                    break;
                case "output":
                    output = argument as BsonDocument
                        ?? throw Errors.Location(40244, "The $bucketAuto 'output' field must be an object, but found type: " + BsonOrder.TypeName(argument));
                    break;
                case "granularity":
                    if (argument is not BsonString gran)
                        throw Errors.Location(40261, "The $bucketAuto 'granularity' field must be a string, but found type: " + BsonOrder.TypeName(argument));
                    rounder = GranularityRounder.Get(gran.Value);
                    break;
                default:
                    throw Errors.Location(40245, "Unrecognized option to $bucketAuto: " + name);
            }
        }
        if (groupBy is null || buckets is null) throw Errors.Location(40246, "$bucketAuto requires 'groupBy' and 'buckets' to be specified");
        if (buckets <= 0) throw Errors.Location(40243, "The $bucketAuto 'buckets' field must be greater than 0, but found: " + buckets);
        var groupSpec = new BsonDocument("_id", BsonNull.Value);
        if (output.ElementCount == 0) groupSpec.Add("count", new BsonDocument("$sum", 1));
        else
            foreach (var element in output) groupSpec.Add(element.Name, element.Value);
        Group(groupSpec, [], context); // parses the output up front, so a bad accumulator fails even on no input

        var keyed = new List<(BsonValue Key, BsonDocument Doc)>(docs.Count);
        foreach (var doc in docs)
        {
            var key = ExpressionEvaluator.Evaluate(groupBy, new ExprScope(doc, context.Variables, context.Collator)) ?? BsonNull.Value;
            if (rounder is not null)
            {
                if (!key.IsNumeric)
                    throw Errors.Location(40258, "$bucketAuto can specify a 'granularity' with numeric boundaries only, but found a value with type: " + BsonOrder.TypeName(key));
                var d = key.ToDouble();
                if (double.IsNaN(d)) throw Errors.Location(40259, "$bucketAuto can specify a 'granularity' with numeric boundaries only, but found a NaN");
                if (d < 0) throw Errors.Location(40260, "$bucketAuto can specify a 'granularity' with non-negative numbers only, but found a negative number");
            }
            keyed.Add((key, doc));
        }
        // A stable sort keeps input order among equal keys, as mongod's sorter (keyed by input position) does.
        var sorted = keyed.Select((k, i) => (k.Key, k.Doc, Position: i)).ToList();
        sorted.Sort((a, b) =>
        {
            var c = BsonOrder.Compare(a.Key, b.Key, context.Collator);
            return c != 0 ? c : a.Position.CompareTo(b.Position);
        });

        var result = new List<BsonDocument>();
        if (sorted.Count == 0) return result;
        var approxSize = Math.Max(1L, (long)Math.Round((double)sorted.Count / buckets.Value, MidpointRounding.AwayFromZero));
        var next = 0;
        BsonValue? previousMax = null;
        for (var bucketNumber = 1; bucketNumber <= buckets && next < sorted.Count; bucketNumber++)
        {
            var members = new List<BsonDocument>();
            var first = sorted[next];
            var min = rounder is not null ? previousMax ?? rounder.RoundDown(first.Key) : first.Key;
            var max = first.Key;
            var isLast = bucketNumber == buckets;
            for (var i = 0L; next < sorted.Count && (i < approxSize || isLast); i++)
            {
                members.Add(sorted[next].Doc);
                max = sorted[next].Key;
                next++;
            }
            if (rounder is not null)
            {
                var boundary = rounder.RoundUp(max);
                // Values below the rounded boundary (or equal to the last key) belong to this bucket too.
                while (next < sorted.Count && (BsonOrder.Compare(boundary, sorted[next].Key, context.Collator) > 0 || BsonOrder.Compare(max, sorted[next].Key, context.Collator) == 0))
                {
                    members.Add(sorted[next].Doc);
                    max = sorted[next].Key;
                    next++;
                }
                // A bucket whose rounded max is 0 ends where the next one starts (rounded down), keeping max exclusive.
                max = boundary.ToDouble() == 0.0 && next < sorted.Count ? rounder.RoundDown(sorted[next].Key) : boundary;
            }
            else
            {
                while (next < sorted.Count && BsonOrder.Compare(max, sorted[next].Key, context.Collator) == 0)
                {
                    members.Add(sorted[next].Doc);
                    next++;
                }
                if (next < sorted.Count) max = sorted[next].Key;
            }
            previousMax = max;
            var accumulated = Group(groupSpec, members, context)[0];
            accumulated.Set("_id", new BsonDocument { { "min", min }, { "max", max } });
            result.Add(accumulated);
        }
        return result;
    }
}
