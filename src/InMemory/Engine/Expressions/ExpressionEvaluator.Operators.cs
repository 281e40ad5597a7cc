using Mongo.Bson;

namespace Mongo.InMemory.Engine.Expressions;

internal static partial class ExpressionEvaluator
{
    private static readonly HashSet<string> KnownOperators =
    [
        "$literal", "$add", "$subtract", "$multiply", "$divide", "$mod", "$abs", "$ceil", "$floor", "$round", "$trunc", "$sqrt",
        "$pow", "$exp", "$ln", "$log10", "$log", "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$cmp", "$and", "$or", "$not",
        "$cond", "$ifNull", "$switch", "$concat", "$substr", "$substrBytes", "$substrCP", "$toUpper", "$toLower", "$split",
        "$strLenCP", "$strLenBytes", "$trim", "$ltrim", "$rtrim", "$indexOfCP", "$indexOfBytes", "$strcasecmp", "$regexMatch",
        "$regexFind", "$replaceOne", "$replaceAll", "$size", "$arrayElemAt", "$first", "$last", "$filter", "$map", "$reduce", "$in",
        "$concatArrays", "$slice", "$isArray", "$reverseArray", "$range", "$indexOfArray", "$setUnion", "$setIntersection",
        "$setDifference", "$setEquals", "$setIsSubset", "$anyElementTrue", "$allElementsTrue", "$arrayToObject",
        "$objectToArray", "$mergeObjects", "$sortArray", "$type", "$toString", "$toInt", "$toLong", "$toDouble", "$toDecimal",
        "$toBool", "$toDate", "$toObjectId", "$convert", "$isNumber", "$year", "$month", "$dayOfMonth", "$hour", "$minute",
        "$second", "$millisecond", "$dayOfWeek", "$dayOfYear", "$dateToString", "$let", "$getField", "$setField", "$rand", "$max", "$min",
        "$sum", "$avg", "$zip", "$dateAdd", "$dateSubtract", "$dateDiff", "$isoDayOfWeek", "$week", "$toHashedIndexKey",
    ];

    private static BsonValue? Operator(string op, BsonValue operand, ExprScope scope)
    {
        switch (op)
        {
            case "$literal": return operand;
            case "$add": return AddOp(Args(operand, scope));
            case "$subtract": return SubtractOp(ArgsN(op, operand, scope, 2, 2));
            case "$multiply": return MultiplyOp(Args(operand, scope));
            case "$divide": return DivideOp(ArgsN(op, operand, scope, 2, 2));
            case "$mod": return ModOp(ArgsN(op, operand, scope, 2, 2));
            case "$abs":
            case "$ceil":
            case "$floor":
            case "$sqrt":
            case "$exp":
            case "$ln":
            case "$log10":
                return UnaryMath(op, ArgsN(op, operand, scope, 1, 1)[0]);
            case "$round":
            case "$trunc":
                return RoundOp(op, ArgsN(op, operand, scope, 1, 2));
            case "$pow":
            case "$log":
                return BinaryMath(op, ArgsN(op, operand, scope, 2, 2));
            case "$eq":
            case "$ne":
            case "$gt":
            case "$gte":
            case "$lt":
            case "$lte":
            case "$cmp":
                {
                    var a = ArgsN(op, operand, scope, 2, 2);
                    var c = Compare(a[0], a[1], scope.Collator);
                    return op switch
                    {
                        "$eq" => (BsonValue)(c == 0),
                        "$ne" => c != 0,
                        "$gt" => c > 0,
                        "$gte" => c >= 0,
                        "$lt" => c < 0,
                        "$lte" => c <= 0,
                        _ => new BsonInt32(c),
                    };
                }
            case "$and":
                {
                    if (operand is BsonArray arr)
                    {
                        foreach (var item in arr)
                            if (!Truthy(Evaluate(item, scope))) return BsonBoolean.False;
                        return BsonBoolean.True;
                    }
                    return Truthy(Evaluate(operand, scope));
                }
            case "$or":
                {
                    if (operand is BsonArray arr)
                    {
                        foreach (var item in arr)
                            if (Truthy(Evaluate(item, scope))) return BsonBoolean.True;
                        return BsonBoolean.False;
                    }
                    return Truthy(Evaluate(operand, scope));
                }
            case "$not": return !Truthy(ArgsN(op, operand, scope, 1, 1)[0]);
            case "$cond": return CondOp(operand, scope);
            case "$ifNull":
                {
                    if (operand is not BsonArray arr || arr.Count < 2)
                        throw Errors.Location(1257300, "$ifNull needs at least two arguments");
                    for (var i = 0; i < arr.Count - 1; i++)
                    {
                        var v = Evaluate(arr[i], scope);
                        if (!IsNullish(v)) return v;
                    }
                    return Evaluate(arr[^1], scope);
                }
            case "$switch": return SwitchOp(operand, scope);
            case "$let":
                {
                    var spec = Spec(op, operand);
                    if (Required(spec, op, "vars") is not BsonDocument vars) throw Errors.FailedToParse("invalid parameter: expected an object (vars)");
                    var inner = scope;
                    foreach (var (name, value) in vars) inner = inner.With(name, Evaluate(value, scope));
                    return Evaluate(Required(spec, op, "in"), inner);
                }
            case "$getField":
                {
                    BsonValue fieldExpr;
                    BsonValue? input;
                    if (operand is BsonDocument spec && spec.Contains("field"))
                    {
                        fieldExpr = spec["field"];
                        input = spec.TryGetValue("input", out var inputExpr) ? Evaluate(inputExpr, scope) : scope.Current;
                    }
                    else
                    {
                        fieldExpr = operand;
                        input = scope.Current;
                    }
                    var field = Evaluate(fieldExpr, scope);
                    if (field is not BsonString fs) throw Errors.Location(3041704, "$getField requires 'field' to evaluate to type String");
                    return input is BsonDocument d && d.TryGetValue(fs.Value, out var fv) ? fv : null;
                }
            case "$setField":
                {
                    // {$setField: {field, input, value}}: a copy of input with one field (any name, even "$a" or "a.b") set or,
                    // for value $$REMOVE, removed.
                    if (operand is not BsonDocument spec) throw Errors.Location(4161100, "$setField only supports an object as its argument");
                    var field = Evaluate(Required(spec, op, "field"), scope);
                    if (field is not BsonString fs) throw Errors.Location(4161106, "$setField requires 'field' to evaluate to type String");
                    var input = Evaluate(Required(spec, op, "input"), scope);
                    if (input is null or BsonNull) return BsonNull.Value;
                    if (input is not BsonDocument inputDoc) throw Errors.Location(4161105, "$setField requires 'input' to evaluate to type Object");
                    var value = Evaluate(Required(spec, op, "value"), scope);
                    var output = new BsonDocument(inputDoc);
                    if (value is null) output.Remove(fs.Value);
                    else output.Set(fs.Value, value);
                    return output;
                }
            case "$rand": return new BsonDouble(Random.Shared.NextDouble());
            case "$max":
            case "$min":
            case "$sum":
            case "$avg":
                {
                    IEnumerable<BsonValue?> values;
                    if (operand is BsonArray arr && arr.Count != 1) values = Args(operand, scope);
                    else
                    {
                        var single = Evaluate(operand is BsonArray one ? one[0] : operand, scope);
                        values = single is BsonArray sa ? sa : new BsonValue?[] { single };
                    }
                    return ArrayAccumulate(op, values, scope.Collator);
                }
            default:
                return OperatorMore(op, operand, scope);
        }
    }

    private static BsonValue? ArrayAccumulate(string op, IEnumerable<BsonValue?> values, Collation.Collator? collator)
    {
        switch (op)
        {
            case "$sum":
                {
                    BsonValue total = new BsonInt32(0);
                    foreach (var v in values)
                        if (v is not null && v.IsNumeric) total = Num.Add(total, v);
                    return total;
                }
            case "$avg":
                {
                    BsonValue total = new BsonInt32(0);
                    var n = 0;
                    var dec = false;
                    foreach (var v in values)
                    {
                        if (v is null || !v.IsNumeric) continue;
                        total = Num.Add(total, v);
                        dec |= v.IsDecimal128;
                        n++;
                    }
                    if (n == 0) return BsonNull.Value;
                    return dec ? Num.Decimal(total.ToDouble() / n) : new BsonDouble(total.ToDouble() / n);
                }
            default:
                {
                    BsonValue? best = null;
                    foreach (var v in values)
                    {
                        if (IsNullish(v)) continue;
                        if (best is null || (op == "$max" ? Compare(v, best, collator) > 0 : Compare(v, best, collator) < 0)) best = v;
                    }
                    return best ?? BsonNull.Value;
                }
        }
    }

    private static BsonValue? CondOp(BsonValue operand, ExprScope scope)
    {
        BsonValue ifExpr, thenExpr, elseExpr;
        if (operand is BsonArray arr)
        {
            if (arr.Count != 3) throw Errors.Location(16020, "Expression $cond takes exactly 3 arguments. " + arr.Count + " were passed in.");
            ifExpr = arr[0]; thenExpr = arr[1]; elseExpr = arr[2];
        }
        else if (operand is BsonDocument d)
        {
            ifExpr = d.TryGetValue("if", out var i) ? i : throw Errors.Location(17080, "Missing 'if' parameter to $cond");
            thenExpr = d.TryGetValue("then", out var t) ? t : throw Errors.Location(17081, "Missing 'then' parameter to $cond");
            elseExpr = d.TryGetValue("else", out var e) ? e : throw Errors.Location(17082, "Missing 'else' parameter to $cond");
        }
        else throw Errors.Location(16020, "Expression $cond takes exactly 3 arguments. 1 were passed in.");
        return Truthy(Evaluate(ifExpr, scope)) ? Evaluate(thenExpr, scope) : Evaluate(elseExpr, scope);
    }

    private static BsonValue? SwitchOp(BsonValue operand, ExprScope scope)
    {
        var spec = Spec("$switch", operand);
        if (!spec.TryGetValue("branches", out var branches) || branches is not BsonArray list)
            throw Errors.Location(40060, "$switch requires at least one branch.");
        foreach (var b in list)
        {
            if (b is not BsonDocument bd) throw Errors.Location(40061, "$switch expected each branch to be an object");
            if (!bd.TryGetValue("case", out var c)) throw Errors.Location(40064, "$switch requires each branch have a 'case' expression");
            if (!bd.TryGetValue("then", out var t)) throw Errors.Location(40065, "$switch requires each branch have a 'then' expression.");
            if (Truthy(Evaluate(c, scope))) return Evaluate(t, scope);
        }
        if (spec.TryGetValue("default", out var def)) return Evaluate(def, scope);
        throw Errors.Location(40066, "$switch could not find a matching branch for an input, and no default was specified.");
    }
}
