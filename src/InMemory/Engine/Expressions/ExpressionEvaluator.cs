using Mongo.Bson;

namespace Mongo.InMemory.Engine.Expressions;

/// <summary>
/// Evaluates aggregation expressions (field paths, variables, literals, operator documents).
/// A C# <c>null</c> result is a missing value.
/// </summary>
internal static partial class ExpressionEvaluator
{
    public static BsonValue? Evaluate(BsonValue expression, ExprScope scope)
    {
        switch (expression)
        {
            case BsonString s when s.Value.Length > 0 && s.Value[0] == '$':
                return EvaluatePath(s.Value, scope);
            case BsonDocument doc:
                if (doc.ElementCount > 0 && doc.GetElement(0).Name.StartsWith('$'))
                {
                    if (doc.ElementCount != 1)
                        throw Errors.Location(15983, "an expression specification must contain exactly one field, the name of the expression. Found " +
                            doc.ElementCount + " fields in " + Shell.Format(doc));
                    var e = doc.GetElement(0);
                    return Operator(e.Name, e.Value, scope);
                }
                {
                    var result = new BsonDocument();
                    foreach (var (name, value) in doc)
                    {
                        var v = Evaluate(value, scope);
                        if (v is not null) result.Add(name, v);
                    }
                    return result;
                }
            case BsonArray arr:
                {
                    var result = new BsonArray();
                    foreach (var item in arr) result.Add(Evaluate(item, scope) ?? BsonNull.Value);
                    return result;
                }
            default:
                return expression;
        }
    }

    /// <summary>Evaluates, turning missing into null (for places where the server substitutes null).</summary>
    public static BsonValue EvaluateOrNull(BsonValue expression, ExprScope scope) => Evaluate(expression, scope) ?? BsonNull.Value;

    /// <summary>Checks operator names up front so a bad expression fails even when no document is evaluated.</summary>
    public static void Validate(BsonValue expression)
    {
        switch (expression)
        {
            case BsonDocument doc:
                if (doc.ElementCount > 0 && doc.GetElement(0).Name.StartsWith('$'))
                {
                    var name = doc.GetElement(0).Name;
                    if (doc.ElementCount != 1)
                        throw Errors.Location(15983, "an expression specification must contain exactly one field, the name of the expression. Found " +
                            doc.ElementCount + " fields in " + Shell.Format(doc));
                    if (!KnownOperators.Contains(name) && !ExtraOperators.Contains(name) && !DateOperators.Contains(name) && !AccumulatorExpressions.Contains(name) &&
                        !Version8Operators.Contains(name))
                        throw Errors.InvalidPipelineOperator("Unrecognized expression '" + name + "'");
                    if (name == "$literal") return;
                    if (name == "$meta") DocumentMetadata.ValidateName(doc[0]);
                    // mongod checks $unsetField's 'field' when it parses the expression, before any document is read.
                    if (name == "$unsetField" && doc[0] is BsonDocument unset && unset.TryGetValue("field", out var unsetField))
                        ConstantFieldName(name, unsetField);
                    Validate(doc[0]);
                    return;
                }
                foreach (var e in doc) Validate(e.Value);
                return;
            case BsonArray arr:
                foreach (var item in arr) Validate(item);
                return;
            case BsonString s when s.Value.StartsWith("$$", StringComparison.Ordinal):
                return;
            default:
                return;
        }
    }

    private static BsonValue? EvaluatePath(string path, ExprScope scope)
    {
        BsonValue? start;
        string rest;
        if (path.StartsWith("$$", StringComparison.Ordinal))
        {
            var body = path[2..];
            var dot = body.IndexOf('.', StringComparison.Ordinal);
            var name = dot < 0 ? body : body[..dot];
            rest = dot < 0 ? "" : body[(dot + 1)..];
            switch (name)
            {
                case "ROOT": start = scope.Root; break;
                case "CURRENT": start = scope.TryGet("CURRENT", out var cur) ? cur : scope.Current; break;
                case "REMOVE": return null;
                case "NOW": start = scope.Now; break;
                case "CLUSTER_TIME": start = new BsonTimestamp((uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 1); break;
                default:
                    if (!scope.TryGet(name, out start))
                        throw Errors.Location(17276, "Use of undefined variable: " + name);
                    break;
            }
        }
        else
        {
            if (path.Length == 1) throw Errors.Location(16872, "'$' by itself is not a valid FieldPath");
            start = scope.Current;
            rest = path[1..];
        }
        if (rest.Length == 0) return start;
        return GetPath(start, rest.Split('.'), 0);
    }

    /// <summary>The aggregation field-path walk: arrays map the rest of the path over their elements.</summary>
    public static BsonValue? GetPath(BsonValue? current, string[] parts, int i)
    {
        if (i == parts.Length) return current;
        switch (current)
        {
            case BsonDocument d:
                return d.TryGetValue(parts[i], out var v) ? GetPath(v, parts, i + 1) : null;
            case BsonArray a:
                {
                    var result = new BsonArray();
                    foreach (var e in a)
                    {
                        if (e is BsonDocument or BsonArray)
                        {
                            var r = GetPath(e, parts, i);
                            if (r is not null) result.Add(r);
                        }
                    }
                    return result;
                }
            default:
                return null;
        }
    }

    private static BsonValue?[] Args(BsonValue operand, ExprScope scope)
    {
        if (operand is BsonArray arr)
        {
            var r = new BsonValue?[arr.Count];
            for (var i = 0; i < arr.Count; i++) r[i] = Evaluate(arr[i], scope);
            return r;
        }
        return [Evaluate(operand, scope)];
    }

    private static BsonValue?[] ArgsN(string op, BsonValue operand, ExprScope scope, int min, int max)
    {
        var args = Args(operand, scope);
        if (args.Length < min || args.Length > max)
        {
            var expected = min == max ? min.ToString(System.Globalization.CultureInfo.InvariantCulture) : min + " to " + max;
            throw Errors.Location(16020, "Expression " + op + " takes exactly " + expected + " arguments. " + args.Length + " were passed in.");
        }
        return args;
    }

    private static bool IsNullish(BsonValue? v) => v is null || v.BsonType is BsonType.Null or BsonType.Undefined;

    /// <summary>Comparison used by aggregation: a missing value compares like undefined (below null).</summary>
    public static int Compare(BsonValue? a, BsonValue? b, Collation.Collator? collator = null) =>
        BsonOrder.Compare(a ?? BsonUndefined.Value, b ?? BsonUndefined.Value, collator);

    private static bool Truthy(BsonValue? v) => v is not null && v.ToBoolean();

    private static BsonDocument Spec(string op, BsonValue operand)
    {
        if (operand is not BsonDocument d) throw Errors.FailedToParse(op + " only supports an object as its argument");
        return d;
    }

    private static BsonValue Required(BsonDocument spec, string op, string field)
    {
        if (!spec.TryGetValue(field, out var v)) throw Errors.FailedToParse("Missing '" + field + "' parameter to " + op);
        return v;
    }
}
