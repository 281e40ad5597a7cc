using System.Text;
using Mongo.Bson;

namespace Mongo.InMemory.Engine.Expressions;

/// <summary>
/// The expressions mongod 8.0 has beyond the classic set: bitwise ($bitAnd, $bitOr, $bitXor, $bitNot), $binarySize,
/// the timestamp parts ($tsSecond, $tsIncrement), $unsetField, $stdDevPop/$stdDevSamp over an array, $regexFindAll and
/// $toUUID, with mongod's codes and messages (expression.cpp, exec/expression/evaluate_*.cpp).
/// </summary>
internal static partial class ExpressionEvaluator
{
    /// <summary>The operator names this file evaluates (checked by <see cref="Validate"/> with the other tables).</summary>
    private static readonly HashSet<string> Version8Operators =
    [
        "$bitAnd", "$bitOr", "$bitXor", "$bitNot", "$binarySize", "$tsSecond", "$tsIncrement", "$unsetField",
        "$stdDevPop", "$stdDevSamp", "$regexFindAll", "$toUUID",
    ];

    private static BsonValue? Version8Operator(string op, BsonValue operand, ExprScope scope)
    {
        switch (op)
        {
            case "$bitAnd":
            case "$bitOr":
            case "$bitXor":
                return BitwiseFold(op, Args(operand, scope));
            case "$bitNot":
                {
                    var v = ArgsN(op, operand, scope, 1, 1)[0];
                    if (IsNullish(v)) return BsonNull.Value;
                    // A number of the wrong kind is a type mismatch; anything else is not a number at all (two codes, as mongod).
                    if (!v!.IsNumeric) throw Errors.Location(28765, op + " only supports numeric types, not " + BsonOrder.TypeName(v));
                    return v switch
                    {
                        BsonInt32 i => new BsonInt32(~i.Value),
                        BsonInt64 l => new BsonInt64(~l.Value),
                        _ => throw Errors.TypeMismatch(op + " only supports int and long, not: " + BsonOrder.TypeName(v) + "."),
                    };
                }
            case "$binarySize":
                {
                    var v = ArgsN(op, operand, scope, 1, 1)[0];
                    if (IsNullish(v)) return BsonNull.Value;
                    return v switch
                    {
                        BsonString s => Encoding.UTF8.GetByteCount(s.Value),
                        BsonBinaryData b => b.Bytes.Length,
                        _ => throw Errors.Location(51276, "$binarySize requires a string or BinData argument, found: " + BsonOrder.TypeName(v)),
                    };
                }
            case "$tsSecond":
            case "$tsIncrement":
                {
                    var v = ArgsN(op, operand, scope, 1, 1)[0];
                    if (IsNullish(v)) return BsonNull.Value;
                    // mongod's message starts with a space; kept so the text matches.
                    if (v is not BsonTimestamp ts)
                        throw Errors.Location(op == "$tsSecond" ? 5687301 : 5687302, " Argument to " + op + " must be a timestamp, but is " + BsonOrder.TypeName(v));
                    return new BsonInt64(op == "$tsSecond" ? ts.Timestamp : ts.Increment);
                }
            case "$unsetField":
                return UnsetField(operand, scope);
            case "$stdDevPop":
            case "$stdDevSamp":
                {
                    // Like $avg as an expression: one operand that is an array means its elements, otherwise the operands.
                    IEnumerable<BsonValue?> values;
                    if (operand is BsonArray arr && arr.Count != 1) values = Args(operand, scope);
                    else
                    {
                        var single = Evaluate(operand is BsonArray one ? one[0] : operand, scope);
                        values = single is BsonArray sa ? sa : new BsonValue?[] { single };
                    }
                    return StandardDeviation(values, op == "$stdDevSamp");
                }
            case "$regexFindAll":
                return RegexFindAll(operand, scope);
            default:
                return ToUuid(ArgsN(op, operand, scope, 1, 1)[0]);
        }
    }

    /// <summary>$bitAnd/$bitOr/$bitXor: ints stay int, a long makes the result long; null (or missing) anywhere gives null.</summary>
    private static BsonValue BitwiseFold(string op, BsonValue?[] args)
    {
        long acc = op == "$bitAnd" ? -1 : 0;
        var isLong = false;
        foreach (var a in args)
        {
            if (IsNullish(a)) return BsonNull.Value;
            long n;
            switch (a)
            {
                case BsonInt32 i: n = i.Value; break;
                case BsonInt64 l: n = l.Value; isLong = true; break;
                default: throw Errors.TypeMismatch(op + " only supports int and long operands.");
            }
            acc = op switch
            {
                "$bitAnd" => acc & n,
                "$bitOr" => acc | n,
                _ => acc ^ n,
            };
        }
        return isLong ? new BsonInt64(acc) : new BsonInt32((int)acc);
    }

    /// <summary>Population or sample standard deviation of the numeric values (others ignored); null when too few.</summary>
    private static BsonValue StandardDeviation(IEnumerable<BsonValue?> values, bool sample)
    {
        // Welford's running mean and sum of squared deviations, as the accumulator does.
        long count = 0;
        double mean = 0, m2 = 0;
        foreach (var v in values)
        {
            if (v is null || !v.IsNumeric) continue;
            var x = v.ToDouble();
            count++;
            var delta = x - mean;
            mean += delta / count;
            m2 += delta * (x - mean);
        }
        if (count == 0 || sample && count == 1) return BsonNull.Value;
        return new BsonDouble(Math.Sqrt(m2 / (sample ? count - 1 : count)));
    }

    /// <summary>
    /// {$unsetField: {field, input}}: $setField with $$REMOVE. 'field' must be a constant string (parse-time errors
    /// 4161106-4161108 as mongod); an input that is null or missing gives null.
    /// </summary>
    private static BsonValue? UnsetField(BsonValue operand, ExprScope scope)
    {
        const string op = "$unsetField";
        if (operand is not BsonDocument spec) throw Errors.Location(4161100, op + " only supports an object as its argument");
        BsonValue? fieldExpr = null, inputExpr = null;
        foreach (var (name, value) in spec)
        {
            if (name == "field") fieldExpr = value;
            else if (name == "input") inputExpr = value;
            else throw Errors.Location(4161101, op + " found an unknown argument: " + name);
        }
        if (fieldExpr is null) throw Errors.Location(4161102, op + " requires 'field' to be specified");
        if (inputExpr is null) throw Errors.Location(4161109, op + " requires 'input' to be specified");
        var field = ConstantFieldName(op, fieldExpr);
        var input = Evaluate(inputExpr, scope);
        if (IsNullish(input)) return BsonNull.Value;
        if (input is not BsonDocument inputDoc) throw Errors.Location(4161105, op + " requires 'input' to evaluate to type Object");
        var output = new BsonDocument(inputDoc);
        output.Remove(field);
        return output;
    }

    private static string ConstantFieldName(string op, BsonValue fieldExpr)
    {
        var constant = fieldExpr;
        if (fieldExpr is BsonDocument d && d.ElementCount == 1 && d.GetElement(0).Name == "$literal") constant = d[0];
        else if (fieldExpr is BsonString s && s.Value.StartsWith('$'))
            throw Errors.Location(4161108, "A field path reference which is not allowed in this context. Did you mean {$literal: '" + s.Value + "'}?");
        else if (fieldExpr is BsonDocument or BsonArray)
            throw Errors.Location(4161106, op + " requires 'field' to evaluate to a constant, but got a non-constant argument");
        if (constant is not BsonString name)
            throw Errors.Location(4161107, op + " requires 'field' to evaluate to type String, but got " + BsonOrder.TypeName(constant));
        return name.Value;
    }
}
