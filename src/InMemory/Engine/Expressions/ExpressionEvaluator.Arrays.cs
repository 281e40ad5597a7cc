using Mongo.Bson;

namespace Mongo.InMemory.Engine.Expressions;

internal static partial class ExpressionEvaluator
{
    private static BsonValue? ArrayOperator(string op, BsonValue operand, ExprScope scope)
    {
        switch (op)
        {
            case "$size":
                {
                    var v = ArgsN(op, operand, scope, 1, 1)[0];
                    if (v is not BsonArray a) throw Errors.Location(17124, "The argument to $size must be an array. Type of argument: " + BsonOrder.TypeName(v));
                    return a.Count;
                }
            case "$arrayElemAt":
                {
                    var a = ArgsN(op, operand, scope, 2, 2);
                    if (IsNullish(a[0]) || IsNullish(a[1])) return BsonNull.Value;
                    if (a[0] is not BsonArray arr) throw Errors.Location(28689, "$arrayElemAt's first argument must be an array, but is " + BsonOrder.TypeName(a[0]));
                    if (!a[1]!.IsNumeric) throw Errors.Location(28690, "$arrayElemAt's second argument must be a numeric value, but is " + BsonOrder.TypeName(a[1]));
                    var i = a[1]!.ToInt64();
                    if (i < 0) i += arr.Count;
                    return i >= 0 && i < arr.Count ? arr[(int)i] : null;
                }
            case "$first":
            case "$last":
                {
                    var v = ArgsN(op, operand, scope, 1, 1)[0];
                    if (IsNullish(v)) return BsonNull.Value;
                    if (v is not BsonArray arr) throw Errors.Location(28689, op + "'s argument must be an array, but is " + BsonOrder.TypeName(v));
                    if (arr.Count == 0) return null;
                    return op == "$first" ? arr[0] : arr[^1];
                }
            case "$filter":
                {
                    var spec = Spec(op, operand);
                    var input = Evaluate(Required(spec, op, "input"), scope);
                    var name = spec.TryGetValue("as", out var asv) ? asv.AsString : "this";
                    var cond = Required(spec, op, "cond");
                    long limit = long.MaxValue;
                    if (spec.TryGetValue("limit", out var limitExpr))
                    {
                        var l = Evaluate(limitExpr, scope);
                        if (!IsNullish(l))
                        {
                            limit = l!.ToInt64();
                            if (limit < 1) throw Errors.Location(327391, "$filter: limit must be greater than 0");
                        }
                    }
                    if (IsNullish(input)) return BsonNull.Value;
                    if (input is not BsonArray arr) throw Errors.Location(28651, "input to $filter must be an array not " + BsonOrder.TypeName(input));
                    var result = new BsonArray();
                    foreach (var e in arr)
                    {
                        if (result.Count >= limit) break;
                        if (Truthy(Evaluate(cond, scope.With(name, e)))) result.Add(e);
                    }
                    return result;
                }
            case "$map":
                {
                    var spec = Spec(op, operand);
                    var input = Evaluate(Required(spec, op, "input"), scope);
                    var name = spec.TryGetValue("as", out var asv) ? asv.AsString : "this";
                    var inExpr = Required(spec, op, "in");
                    if (IsNullish(input)) return BsonNull.Value;
                    if (input is not BsonArray arr) throw Errors.Location(16883, "input to $map must be an array not " + BsonOrder.TypeName(input));
                    var result = new BsonArray();
                    foreach (var e in arr) result.Add(Evaluate(inExpr, scope.With(name, e)) ?? BsonNull.Value);
                    return result;
                }
            case "$reduce":
                {
                    var spec = Spec(op, operand);
                    var input = Evaluate(Required(spec, op, "input"), scope);
                    var acc = Evaluate(Required(spec, op, "initialValue"), scope);
                    var inExpr = Required(spec, op, "in");
                    if (IsNullish(input)) return BsonNull.Value;
                    if (input is not BsonArray arr) throw Errors.Location(40080, "$reduce requires that 'input' be an array, found: " + BsonOrder.TypeName(input));
                    foreach (var e in arr) acc = Evaluate(inExpr, scope.With("this", e).With("value", acc));
                    return acc;
                }
            case "$in":
                {
                    var a = ArgsN(op, operand, scope, 2, 2);
                    if (a[1] is not BsonArray arr) throw Errors.Location(40081, "$in requires an array as a second argument, found: " + BsonOrder.TypeName(a[1]));
                    foreach (var e in arr)
                        if (Compare(a[0], e, scope.Collator) == 0) return true;
                    return false;
                }
            case "$concatArrays":
                {
                    var result = new BsonArray();
                    foreach (var v in Args(operand, scope))
                    {
                        if (IsNullish(v)) return BsonNull.Value;
                        if (v is not BsonArray arr) throw Errors.Location(28664, "$concatArrays only supports arrays, not " + BsonOrder.TypeName(v));
                        foreach (var e in arr) result.Add(e);
                    }
                    return result;
                }
            case "$slice":
                {
                    var a = ArgsN(op, operand, scope, 2, 3);
                    if (IsNullish(a[0])) return BsonNull.Value;
                    if (a[0] is not BsonArray arr) throw Errors.Location(28724, "First argument to $slice must be an array, but is of type: " + BsonOrder.TypeName(a[0]));
                    int start, count;
                    if (a.Length == 2)
                    {
                        var n = a[1]!.ToInt32();
                        if (n >= 0) { start = 0; count = n; }
                        else { start = Math.Max(0, arr.Count + n); count = arr.Count - start; }
                    }
                    else
                    {
                        var p = a[1]!.ToInt32();
                        count = a[2]!.ToInt32();
                        if (count <= 0) throw Errors.Location(28729, "Third argument to $slice must be positive: " + count);
                        start = p >= 0 ? Math.Min(p, arr.Count) : Math.Max(0, arr.Count + p);
                    }
                    var result = new BsonArray();
                    for (var i = start; i < arr.Count && i < start + (long)count; i++) result.Add(arr[i]);
                    return result;
                }
            case "$isArray":
                return ArgsN(op, operand, scope, 1, 1)[0] is BsonArray;
            case "$reverseArray":
                {
                    var v = ArgsN(op, operand, scope, 1, 1)[0];
                    if (IsNullish(v)) return BsonNull.Value;
                    if (v is not BsonArray arr) throw Errors.Location(34435, "The argument to $reverseArray must be an array, but was of type: " + BsonOrder.TypeName(v));
                    var result = new BsonArray();
                    for (var i = arr.Count - 1; i >= 0; i--) result.Add(arr[i]);
                    return result;
                }
            case "$range":
                {
                    var a = ArgsN(op, operand, scope, 2, 3);
                    var start = a[0]!.ToInt64();
                    var end = a[1]!.ToInt64();
                    var step = a.Length > 2 ? a[2]!.ToInt64() : 1;
                    if (step == 0) throw Errors.Location(34449, "$range requires a non-zero step value");
                    var result = new BsonArray();
                    for (var i = start; step > 0 ? i < end : i > end; i += step) result.Add(Num.Int(i));
                    return result;
                }
            case "$indexOfArray":
                {
                    var a = ArgsN(op, operand, scope, 2, 4);
                    if (IsNullish(a[0])) return BsonNull.Value;
                    if (a[0] is not BsonArray arr) throw Errors.Location(40090, "$indexOfArray requires an array as a first argument, found: " + BsonOrder.TypeName(a[0]));
                    var start = a.Length > 2 ? a[2]!.ToInt32() : 0;
                    var end = a.Length > 3 ? Math.Min(a[3]!.ToInt32(), arr.Count) : arr.Count;
                    for (var i = start; i < end; i++)
                        if (Compare(arr[i], a[1], scope.Collator) == 0) return i;
                    return -1;
                }
            case "$setUnion":
            case "$setIntersection":
            case "$setDifference":
            case "$setEquals":
            case "$setIsSubset":
                return SetOperator(op, Args(operand, scope));
            case "$anyElementTrue":
            case "$allElementsTrue":
                {
                    var v = ArgsN(op, operand, scope, 1, 1)[0];
                    if (v is not BsonArray arr) throw Errors.Location(17040, op + "'s argument must be an array, but is " + BsonOrder.TypeName(v));
                    foreach (var e in arr)
                    {
                        var t = e.ToBoolean();
                        if (op == "$anyElementTrue" && t) return true;
                        if (op == "$allElementsTrue" && !t) return false;
                    }
                    return op == "$allElementsTrue";
                }
            case "$arrayToObject":
                {
                    var v = ArgsN(op, operand, scope, 1, 1)[0];
                    if (IsNullish(v)) return BsonNull.Value;
                    if (v is not BsonArray arr) throw Errors.Location(40386, "$arrayToObject requires an array input, found: " + BsonOrder.TypeName(v));
                    var result = new BsonDocument();
                    foreach (var e in arr)
                    {
                        if (e is BsonArray pair && pair.Count == 2 && pair[0] is BsonString k) result.Set(k.Value, pair[1]);
                        else if (e is BsonDocument kv && kv.ElementCount == 2 && kv.TryGetValue("k", out var kk) && kk is BsonString ks && kv.TryGetValue("v", out var vv))
                            result.Set(ks.Value, vv);
                        else throw Errors.Location(40398, "Unrecognised input type format for $arrayToObject: " + BsonOrder.TypeName(e));
                    }
                    return result;
                }
            case "$objectToArray":
                {
                    var v = ArgsN(op, operand, scope, 1, 1)[0];
                    if (IsNullish(v)) return BsonNull.Value;
                    if (v is not BsonDocument d) throw Errors.Location(40390, "$objectToArray requires a document input, found: " + BsonOrder.TypeName(v));
                    var result = new BsonArray();
                    foreach (var (k, val) in d) result.Add(new BsonDocument { { "k", k }, { "v", val } });
                    return result;
                }
            case "$mergeObjects":
                {
                    var result = new BsonDocument();
                    foreach (var v in Args(operand, scope))
                    {
                        if (IsNullish(v)) continue;
                        if (v is not BsonDocument d) throw Errors.Location(40400, "$mergeObjects requires object inputs, but input " + Shell.Format(v) + " is of type " + BsonOrder.TypeName(v));
                        foreach (var (k, val) in d) result.Set(k, val);
                    }
                    return result;
                }
            case "$sortArray":
                {
                    var spec = Spec(op, operand);
                    var input = Evaluate(Required(spec, op, "input"), scope);
                    var sortBy = Required(spec, op, "sortBy");
                    if (IsNullish(input)) return BsonNull.Value;
                    if (input is not BsonArray arr) throw Errors.Location(2942504, "The input argument to $sortArray must be an array, but was of type: " + BsonOrder.TypeName(input));
                    var list = new List<BsonValue>(arr);
                    if (sortBy is BsonDocument sd)
                    {
                        var sort = SortSpec.Parse(sd, scope.Collator);
                        list.Sort((x, y) => sort.Compare(x as BsonDocument ?? new BsonDocument(), y as BsonDocument ?? new BsonDocument()));
                    }
                    else
                    {
                        var dir = sortBy.ToInt32();
                        list.Sort((x, y) => dir * BsonOrder.Compare(x, y, scope.Collator));
                    }
                    return new BsonArray(list);
                }
            case "$zip":
                {
                    var spec = Spec(op, operand);
                    var inputs = Evaluate(Required(spec, op, "inputs"), scope);
                    if (inputs is not BsonArray ia) throw Errors.Location(34461, "inputs must be an array of expressions");
                    var arrays = new List<BsonArray>();
                    foreach (var x in ia)
                    {
                        if (IsNullish(x)) return BsonNull.Value;
                        if (x is not BsonArray xa) throw Errors.Location(34468, "$zip found a non-array expression in input");
                        arrays.Add(xa);
                    }
                    var longest = spec.TryGetValue("useLongestLength", out var ul) && ul.ToBoolean();
                    var n = arrays.Count == 0 ? 0 : longest ? arrays.Max(a => a.Count) : arrays.Min(a => a.Count);
                    var result = new BsonArray();
                    for (var i = 0; i < n; i++)
                    {
                        var row = new BsonArray();
                        foreach (var a in arrays) row.Add(i < a.Count ? a[i] : BsonNull.Value);
                        result.Add(row);
                    }
                    return result;
                }
            default:
                return TypeOperator(op, operand, scope);
        }
    }

    private static BsonValue? SetOperator(string op, BsonValue?[] args)
    {
        var sets = new List<BsonArray>();
        foreach (var a in args)
        {
            if (IsNullish(a) && op is "$setUnion" or "$setIntersection" or "$setDifference") return BsonNull.Value;
            if (a is not BsonArray arr) throw Errors.Location(17044, "All operands of " + op + " must be arrays. One argument is of type: " + BsonOrder.TypeName(a));
            sets.Add(arr);
        }
        static List<BsonValue> Distinct(IEnumerable<BsonValue> values)
        {
            var seen = new HashSet<string>();
            var list = new List<BsonValue>();
            foreach (var v in values)
                if (seen.Add(BsonOrder.Key(v))) list.Add(v);
            return list;
        }
        static HashSet<string> Keys(BsonArray a)
        {
            var s = new HashSet<string>();
            foreach (var v in a) s.Add(BsonOrder.Key(v));
            return s;
        }
        switch (op)
        {
            case "$setUnion":
                return new BsonArray(Distinct(sets.SelectMany(s => s)));
            case "$setIntersection":
                {
                    if (sets.Count == 0) return new BsonArray();
                    var result = Distinct(sets[0]);
                    foreach (var s in sets.Skip(1))
                    {
                        var k = Keys(s);
                        result = result.Where(v => k.Contains(BsonOrder.Key(v))).ToList();
                    }
                    return new BsonArray(result);
                }
            case "$setDifference":
                {
                    if (sets.Count != 2) throw Errors.Location(17048, "$setDifference takes exactly 2 arguments");
                    var k = Keys(sets[1]);
                    return new BsonArray(Distinct(sets[0]).Where(v => !k.Contains(BsonOrder.Key(v))));
                }
            case "$setEquals":
                {
                    if (sets.Count < 2) throw Errors.Location(17045, "$setEquals needs at least two arguments");
                    var first = Keys(sets[0]);
                    foreach (var s in sets.Skip(1))
                        if (!first.SetEquals(Keys(s))) return false;
                    return true;
                }
            default:
                {
                    if (sets.Count != 2) throw Errors.Location(17310, "$setIsSubset takes exactly 2 arguments");
                    return Keys(sets[0]).IsSubsetOf(Keys(sets[1]));
                }
        }
    }
}
