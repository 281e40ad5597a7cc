using Mongo.Bson;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine.Updates;

/// <summary>A parsed update: a replacement document, operator update, or aggregation pipeline.</summary>
internal sealed partial class Update
{
    private static readonly HashSet<string> Operators =
    [
        "$set", "$unset", "$inc", "$mul", "$min", "$max", "$rename", "$push", "$addToSet", "$pull", "$pullAll", "$pop",
        "$currentDate", "$setOnInsert", "$bit",
    ];

    private readonly BsonDocument? _replacement;
    private readonly List<(string Op, string Path, string[] Parts, BsonValue Operand)>? _ops;
    private readonly BsonArray? _pipeline;
    private readonly Dictionary<string, Filter> _arrayFilters = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, BsonValue>? _variables;

    // The operation's collation (null: simple), which arrayFilters, $pull, $min/$max, $addToSet and $push's $sort compare by.
    private Collation.Collator? _collator;

    public bool IsReplacement => _replacement is not null;

    public bool IsPipeline => _pipeline is not null;

    public BsonDocument? Replacement => _replacement;

    private Update(BsonDocument? replacement, List<(string, string, string[], BsonValue)>? ops, BsonArray? pipeline,
        IReadOnlyDictionary<string, BsonValue>? variables)
    {
        _replacement = replacement;
        _ops = ops;
        _pipeline = pipeline;
        _variables = variables;
    }

    public static Update Parse(BsonValue update, BsonArray? arrayFilters, IReadOnlyDictionary<string, BsonValue>? variables = null, Collation.Collator? collator = null)
    {
        if (update is BsonArray pipeline)
        {
            if (arrayFilters is { Count: > 0 })
                throw Errors.FailedToParse("arrayFilters may not be specified for pipeline-style updates");
            foreach (var stage in pipeline)
            {
                if (stage is not BsonDocument sd || sd.ElementCount != 1) throw Errors.FailedToParse("A pipeline stage specification object must contain exactly one field.");
                var name = sd.GetElement(0).Name;
                if (name is not ("$set" or "$addFields" or "$unset" or "$project" or "$replaceWith" or "$replaceRoot"))
                    throw Errors.InvalidOptions(name + " is not allowed to be used within an update");
            }
            return new Update(null, null, pipeline, variables) { _collator = collator };
        }
        if (update is not BsonDocument doc) throw Errors.FailedToParse("Update argument must be either an object or an array");
        if (doc.ElementCount == 0 || !doc.GetElement(0).Name.StartsWith('$'))
        {
            foreach (var (name, _) in doc)
            {
                if (name.StartsWith('$'))
                    throw Errors.DollarPrefixedFieldName("The dollar ($) prefixed field '" + name + "' in '" + name + "' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.");
            }
            if (arrayFilters is { Count: > 0 }) throw Errors.FailedToParse("arrayFilters may not be specified for replacement-style updates");
            return new Update(doc, null, null, variables) { _collator = collator };
        }
        var ops = new List<(string, string, string[], BsonValue)>();
        foreach (var (op, spec) in doc)
        {
            if (!Operators.Contains(op))
                throw Errors.FailedToParse("Unknown modifier: " + op + ". Expected a valid update modifier or pipeline-style update specified as an array");
            if (spec is not BsonDocument fields)
                throw Errors.FailedToParse("Modifiers operate on fields but we found type " + BsonOrder.TypeName(spec) +
                    " instead. For example: {$mod: {<field>: ...}} not {" + op + ": " + Shell.Format(spec) + "}");
            foreach (var (path, operand) in fields)
            {
                ValidatePath(op, path);
                if (op == "$rename")
                {
                    if (operand is not BsonString target) throw Errors.BadValue("The 'to' field for $rename must be a string: " + path + ": " + Shell.Format(operand));
                    ValidatePath(op, target.Value);
                    if (target.Value == path) throw Errors.BadValue("The source and target field for $rename must differ: " + path + ": " + Shell.Format(operand));
                    if (path.Contains('$', StringComparison.Ordinal) || target.Value.Contains('$', StringComparison.Ordinal))
                        throw Errors.BadValue("The source field for $rename may not be dynamic: " + path);
                }
                if (op is "$inc" or "$mul" && !operand.IsNumeric)
                    throw Errors.TypeMismatch("Cannot " + (op == "$inc" ? "increment" : "multiply") + " with non-numeric argument: {" + path + ": " + Shell.Format(operand) + "}");
                if (op == "$pop" && !(operand.IsNumeric && Math.Abs(operand.ToDouble()) == 1))
                    throw Errors.FailedToParse("$pop expects 1 or -1, found: " + Shell.Format(operand));
                if (op == "$pullAll" && operand is not BsonArray)
                    throw Errors.BadValue("$pullAll requires an array argument but was given a " + BsonOrder.TypeName(operand));
                if (op == "$currentDate" && !(operand is BsonBoolean || operand is BsonDocument cd && cd.TryGetValue("$type", out var ct) && ct is BsonString { Value: "date" or "timestamp" }))
                    throw Errors.BadValue("The '$type' string field is required to be 'date' or 'timestamp': {$currentDate: {field : {$type: 'date'}}}");
                ops.Add((op, path, path.Split('.'), operand));
            }
        }
        CheckConflicts(ops);
        var result = new Update(null, ops, null, variables) { _collator = collator };
        result.ParseArrayFilters(arrayFilters ?? []);
        return result;
    }

    private static void ValidatePath(string op, string path)
    {
        if (path.Length == 0) throw Errors.EmptyFieldName("An empty update path is not valid.");
        foreach (var part in path.Split('.'))
        {
            if (part.Length == 0) throw Errors.EmptyFieldName("The update path '" + path + "' contains an empty field name, which is not allowed.");
        }
        _ = op;
    }

    private static void CheckConflicts(List<(string Op, string Path, string[] Parts, BsonValue Operand)> ops)
    {
        var paths = new List<string>(ops.Count + 4);
        foreach (var o in ops)
        {
            paths.Add(o.Path);
            if (o.Op == "$rename") paths.Add(o.Operand.AsString);
        }
        for (var i = 0; i < paths.Count; i++)
        {
            for (var j = 0; j < paths.Count; j++)
            {
                if (i == j) continue;
                var a = paths[i]; var b = paths[j];
                if (a == b && i < j || b.StartsWith(a + ".", StringComparison.Ordinal))
                    throw Errors.ConflictingUpdateOperators("Updating the path '" + b + "' would create a conflict at '" + a + "'");
            }
        }
    }

    private void ParseArrayFilters(BsonArray filters)
    {
        foreach (var f in filters)
        {
            if (f is not BsonDocument fd) throw Errors.TypeMismatch("Each array filter must be an object");
            string? id = null;
            foreach (var (name, _) in fd)
            {
                if (name.StartsWith('$'))
                {
                    if (name is "$and" or "$or" or "$nor")
                    {
                        id ??= FirstIdentifier(fd[name]);
                        continue;
                    }
                    throw Errors.FailedToParse("Error parsing array filter :: caused by :: unknown top level operator: " + name);
                }
                var dot = name.IndexOf('.', StringComparison.Ordinal);
                var top = dot < 0 ? name : name[..dot];
                if (id is not null && id != top)
                    throw Errors.FailedToParse("Error parsing array filter :: caused by :: Expected a single top-level field name, found '" + id + "' and '" + top + "'");
                id = top;
            }
            if (id is null) throw Errors.FailedToParse("Cannot use an expression without a top-level field name in arrayFilters");
            if (!char.IsLower(id[0]) || !id.All(char.IsLetterOrDigit))
                throw Errors.BadValue("Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '" + id + "'");
            if (_arrayFilters.ContainsKey(id)) throw Errors.FailedToParse("Found multiple array filters with the same top-level field name " + id);
            _arrayFilters[id] = FilterParser.Parse(fd, null, _collator);
        }
        var used = new HashSet<string>();
        foreach (var o in _ops!)
        {
            foreach (var part in o.Parts)
            {
                if (part.StartsWith("$[", StringComparison.Ordinal) && part.EndsWith(']') && part.Length > 3)
                {
                    var id = part[2..^1];
                    if (!_arrayFilters.ContainsKey(id))
                        throw Errors.BadValue("No array filter found for identifier '" + id + "' in path '" + o.Path + "'");
                    used.Add(id);
                }
            }
        }
        foreach (var id in _arrayFilters.Keys)
        {
            if (!used.Contains(id))
                throw Errors.FailedToParse("The array filter for identifier '" + id + "' was not used in the update " + Shell.Format(OpsDocument()));
        }
    }

    private static string? FirstIdentifier(BsonValue v)
    {
        if (v is not BsonArray arr) return null;
        foreach (var item in arr)
        {
            if (item is BsonDocument d && d.ElementCount > 0)
            {
                var name = d.GetElement(0).Name;
                if (!name.StartsWith('$')) return name.Split('.')[0];
            }
        }
        return null;
    }

    private BsonDocument OpsDocument()
    {
        var doc = new BsonDocument();
        foreach (var o in _ops!)
        {
            if (!doc.TryGetValue(o.Op, out var sub)) doc.Add(o.Op, sub = new BsonDocument());
            ((BsonDocument)sub).Add(o.Path, o.Operand);
        }
        return doc;
    }
}
