using Mongo.Bson;
using Mongo.InMemory.Engine.Expressions;

namespace Mongo.InMemory.Engine.Pipeline;

/// <summary>
/// $densify: sorts as mongod does ((partitions,) field), then walks the documents in that order, generating the missing
/// steps of each partition. Like mongod's stream, the steps a partition still needs after its last document (full and
/// explicit bounds) come out after all input documents.
/// </summary>
internal static partial class AggregationPipeline
{
    private sealed class DensifyRange
    {
        public required BsonValue Step { get; init; }

        public string? Unit { get; init; }

        /// <summary>"full", "partition", or null for explicit bounds.</summary>
        public string? Mode { get; init; }

        public BsonValue? Lower { get; init; }

        public BsonValue? Upper { get; init; }

        public BsonValue Next(BsonValue v) => Unit is null ? Num.Add(v, Step) : TimeUnits.Add((BsonDateTime)v, Unit, Step.ToInt64());

        public BsonValue Previous(BsonValue v) => Unit is null ? Num.Subtract(v, Step) : TimeUnits.Add((BsonDateTime)v, Unit, -Step.ToInt64());

        /// <summary>Whether v is a whole number of steps above base (mongod's isOnStepRelativeTo).</summary>
        public bool OnStep(BsonValue v, BsonValue baseValue)
        {
            if (Unit is null)
            {
                var diff = Num.Subtract(v, baseValue).ToDouble();
                return Math.IEEERemainder(diff, Step.ToDouble()) == 0 || diff % Step.ToDouble() == 0;
            }
            var stepped = baseValue;
            while (BsonOrder.Compare(stepped, v) < 0) stepped = Next(stepped);
            return BsonOrder.Compare(stepped, v) == 0;
        }
    }

    private sealed class DensifyPartition(BsonDocument template)
    {
        public BsonDocument Template { get; } = template;

        /// <summary>The last on-step value seen or generated (null: none yet).</summary>
        public BsonValue? Current { get; set; }
    }

    private static List<BsonDocument> Densify(BsonValue spec, List<BsonDocument> docs, PipelineContext context)
    {
        if (spec is not BsonDocument dd) throw Errors.FailedToParse("The $densify stage specification must be an object, found " + BsonOrder.TypeName(spec));
        string? field = null;
        var partitionFields = new List<string>();
        DensifyRange? range = null;
        foreach (var (name, value) in dd)
        {
            switch (name)
            {
                case "field":
                    field = value is BsonString fs ? fs.Value : throw DensifyWrongType("field", value, "string");
                    break;
                case "partitionByFields":
                    if (value is not BsonArray pa) throw DensifyWrongType("partitionByFields", value, "array");
                    foreach (var p in pa) partitionFields.Add(p is BsonString ps ? ps.Value : throw DensifyWrongType("partitionByFields", p, "string"));
                    break;
                case "range":
                    range = ParseDensifyRange(value as BsonDocument ?? throw DensifyWrongType("range", value, "object"));
                    break;
                default:
                    throw Errors.Location(40415, "BSON field '$densify." + name + "' is an unknown field.");
            }
        }
        if (field is null) throw Errors.Location(40414, "BSON field '$densify.field' is missing but a required field");
        if (range is null) throw Errors.Location(40414, "BSON field '$densify.range' is missing but a required field");
        foreach (var path in partitionFields.Append(field)) CheckFieldPath(path);
        if (range.Mode == "partition" && partitionFields.Count == 0)
            throw Errors.Location(5733408, "One cannot specify the bounds as 'partition' without specifying a non-empty array of partitionByFields. You may have meant to specify 'full' bounds.");

        // The $sort mongod puts in front: (partition fields,) field — only the field for 'full' bounds.
        var sort = new BsonDocument();
        if (range.Mode != "full")
            foreach (var p in partitionFields) sort.Set(p, 1);
        sort.Set(field, 1);
        var sorted = SortSpec.Parse(sort, context.Collator).Sort(docs, d => d);

        var partitions = new Dictionary<string, DensifyPartition>(StringComparer.Ordinal);
        var partitionOrder = new List<DensifyPartition>();
        var result = new List<BsonDocument>(sorted.Count);
        BsonValue? globalMin = null, globalMax = null;
        var generated = 0L;
        void Emit(DensifyPartition partition, BsonValue value)
        {
            if (++generated > 500_000)
                throw Errors.Location(5897900, "Generated " + generated + " documents in $densify, which is over the limit of 500000. Increase the 'internalQueryMaxAllowedDensifyDocs' parameter to allow more generated documents");
            var doc = (BsonDocument)partition.Template.DeepClone();
            SetPath(doc, field, value);
            result.Add(doc);
        }

        foreach (var doc in sorted)
        {
            var raw = FieldPath.GetStrict(doc, field);
            if (raw is null || raw.BsonType is BsonType.Null or BsonType.Undefined)
            {
                // Documents without a value pass through untouched.
                result.Add(doc);
                continue;
            }
            var value = DensifyValue(raw, range);
            var template = new BsonDocument();
            foreach (var p in partitionFields)
                if (FieldPath.GetStrict(doc, p) is { } pv) SetPath(template, p, pv.DeepClone());
            var key = BsonOrder.Key(template, context.Collator);
            if (!partitions.TryGetValue(key, out var partition))
            {
                partition = new DensifyPartition(template);
                partitions[key] = partition;
                partitionOrder.Add(partition);
                partition.Current = range.Mode switch
                {
                    "full" => range.Previous(globalMin ?? value),
                    "partition" => null,
                    _ => range.Previous(range.Lower!),
                };
            }
            globalMin ??= value;
            globalMax = value;
            if (partition.Current is null)
            {
                // The first document of a partition with 'partition' bounds only anchors the steps.
                partition.Current = value;
                result.Add(doc);
                continue;
            }
            var upper = range.Mode is null && BsonOrder.Compare(value, range.Upper!) > 0 ? range.Upper! : value;
            if (range.Mode is null && BsonOrder.Compare(value, range.Lower!) < 0)
            {
                result.Add(doc);
                continue;
            }
            var next = range.Next(partition.Current);
            while (BsonOrder.Compare(next, upper) < 0)
            {
                Emit(partition, next);
                partition.Current = next;
                next = range.Next(next);
            }
            if (BsonOrder.Compare(next, value) == 0 || range.Mode is null && range.OnStep(value, partition.Current)) partition.Current = value;
            result.Add(doc);
        }

        // After the input: 'full' runs every partition up to the global maximum (inclusive when it is on the step),
        // explicit bounds up to the upper bound (exclusive); with no document at all explicit bounds still generate.
        if (range.Mode == "partition") return result;
        if (range.Mode is null && partitionOrder.Count == 0 && partitionFields.Count == 0)
        {
            var only = new DensifyPartition(new BsonDocument()) { Current = range.Previous(range.Lower!) };
            partitionOrder.Add(only);
        }
        if (range.Mode == "full" && (partitionFields.Count == 0 || globalMax is null)) return result;
        foreach (var partition in partitionOrder)
        {
            BsonValue max;
            if (range.Mode == "full") max = range.OnStep(globalMax!, globalMin!) ? range.Next(globalMax!) : globalMax!;
            else max = range.Upper!;
            var next = range.Next(partition.Current!);
            if (range.Mode is null && BsonOrder.Compare(next, range.Lower!) < 0) next = range.Lower!;
            while (BsonOrder.Compare(next, max) < 0)
            {
                Emit(partition, next);
                partition.Current = next;
                next = range.Next(next);
            }
        }
        return result;
    }

    private static BsonValue DensifyValue(BsonValue raw, DensifyRange range)
    {
        if (!raw.IsNumeric && raw is not BsonDateTime) throw Errors.Location(5733201, "Densify field type must be numeric or a date");
        if (range.Unit is not null && raw.IsNumeric)
            throw Errors.Location(6053600, "Encountered numeric densify value in collection when step has a date unit.");
        if (range.Unit is null && raw is BsonDateTime)
            throw Errors.Location(6053600, "Encountered date densify value in collection when step does not have a date unit.");
        return raw;
    }

    private static void CheckFieldPath(string path)
    {
        if (path.Length == 0) throw Errors.Location(40352, "FieldPath cannot be constructed with empty string");
        if (path.StartsWith('$')) throw Errors.Location(16410, "FieldPath field names may not start with '$'. Consider using $getField or $setField.");
        if (path.Split('.').Any(p => p.Length == 0)) throw Errors.Location(15998, "FieldPath field names may not be empty strings.");
    }

    private static DensifyRange ParseDensifyRange(BsonDocument rd)
    {
        BsonValue? step = null, bounds = null;
        string? unit = null;
        foreach (var (name, value) in rd)
        {
            switch (name)
            {
                case "step": step = value; break;
                case "unit": unit = value is BsonString us ? us.Value : throw DensifyWrongType("range.unit", value, "string"); break;
                case "bounds": bounds = value; break;
                default: throw Errors.Location(40415, "BSON field '$densify.range." + name + "' is an unknown field.");
            }
        }
        if (step is null) throw Errors.Location(40414, "BSON field '$densify.range.step' is missing but a required field");
        if (bounds is null) throw Errors.Location(40414, "BSON field '$densify.range.bounds' is missing but a required field");
        if (!step.IsNumeric || step.ToDouble() <= 0)
            throw Errors.Location(5733401, "The step parameter in a range statement must be a strictly positive numeric value");
        if (unit is not null)
        {
            var d = step.ToDouble();
            if (Math.Truncate(d) != d || d > long.MaxValue)
                throw Errors.Location(6586400, "The step parameter in a range statement must be a whole number when densifying a date range");
            unit = TimeUnits.Parse(unit);
        }
        switch (bounds)
        {
            case BsonArray { Count: var c } when c != 2:
                throw Errors.Location(5733403, "A bounding array in a range statement must have exactly two elements");
            case BsonArray a:
                if (BsonOrder.Compare(a[0], a[1]) > 0) throw Errors.Location(5733402, "A bounding array must be an ascending array of either two dates or two numbers");
                if (a[0].IsNumeric)
                {
                    if (unit is not null) throw Errors.Location(5733409, "Numeric bounds may not have unit parameter");
                    if (!a[1].IsNumeric) throw Errors.Location(5733406, "A bounding array must contain either both dates or both numeric types");
                    if (a[0].BsonType != a[1].BsonType || a[0].BsonType != step.BsonType)
                        throw Errors.Location(5876900, "Upper bound, lower bound, and step must all have the same type");
                }
                else if (a[0] is BsonDateTime)
                {
                    if (a[1] is not BsonDateTime) throw Errors.Location(5733405, "A bounding array must contain either both dates or both numeric types");
                    if (unit is null) throw Errors.Location(5733410, "A bounding array of dates must specify a unit");
                }
                else throw Errors.Location(5946800, "Explicit bounds must be numeric or dates");
                return new DensifyRange { Step = step, Unit = unit, Lower = a[0], Upper = a[1] };
            case BsonString { Value: "full" or "partition" } s:
                return new DensifyRange { Step = step, Unit = unit, Mode = s.Value };
            case BsonString:
                throw Errors.Location(5946802, "Bounds string must either be 'full' or 'partition'");
            default:
                throw Errors.Location(5733404, "The bounds in a range statement must be the string 'full', 'partition', or an ascending array of two numbers or two dates");
        }
    }

    private static Commands.CommandException DensifyWrongType(string field, BsonValue value, string expected) =>
        Errors.TypeMismatch("BSON field '$densify." + field + "' is the wrong type '" + BsonOrder.TypeName(value) + "', expected type '" + expected + "'");
}
