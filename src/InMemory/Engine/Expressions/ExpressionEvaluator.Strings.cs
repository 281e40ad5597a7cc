using System.Globalization;
using System.Text;
using Mongo.Bson;

namespace Mongo.InMemory.Engine.Expressions;

internal static partial class ExpressionEvaluator
{
    private static BsonValue? OperatorMore(string op, BsonValue operand, ExprScope scope)
    {
        switch (op)
        {
            case "$concat":
                {
                    var sb = new StringBuilder();
                    foreach (var a in Args(operand, scope))
                    {
                        if (IsNullish(a)) return BsonNull.Value;
                        if (a is not BsonString s) throw Errors.Location(16702, "$concat only supports strings, not " + BsonOrder.TypeName(a));
                        sb.Append(s.Value);
                    }
                    return sb.ToString();
                }
            case "$substr":
            case "$substrBytes":
            case "$substrCP":
                {
                    var a = ArgsN(op, operand, scope, 3, 3);
                    var s = StringOrEmpty(op, a[0]);
                    if (a[1] is null || !a[1]!.IsNumeric) throw Errors.Location(34450, op + ": starting index must be a numeric type");
                    if (a[2] is null || !a[2]!.IsNumeric) throw Errors.Location(34452, op + ": length must be a numeric type");
                    var start = a[1]!.ToInt64();
                    var len = a[2]!.ToInt64();
                    if (op == "$substrCP")
                    {
                        var cps = CodePoints(s);
                        if (start < 0) throw Errors.Location(34455, "$substrCP: starting index must be non-negative");
                        if (start >= cps.Count) return "";
                        var end = len < 0 ? cps.Count : (int)Math.Min(cps.Count, start + len);
                        var sb = new StringBuilder();
                        for (var i = (int)start; i < end; i++) sb.Append(char.ConvertFromUtf32(cps[i]));
                        return sb.ToString();
                    }
                    var bytes = Encoding.UTF8.GetBytes(s);
                    if (start < 0 || start >= bytes.Length) return "";
                    var count = len < 0 ? bytes.Length - (int)start : (int)Math.Min(bytes.Length - start, len);
                    return Encoding.UTF8.GetString(bytes, (int)start, count);
                }
            case "$toUpper":
                return StringOrEmpty(op, ArgsN(op, operand, scope, 1, 1)[0]).ToUpperInvariant();
            case "$toLower":
                return StringOrEmpty(op, ArgsN(op, operand, scope, 1, 1)[0]).ToLowerInvariant();
            case "$split":
                {
                    var a = ArgsN(op, operand, scope, 2, 2);
                    if (IsNullish(a[0])) return BsonNull.Value;
                    if (a[0] is not BsonString s) throw Errors.Location(40085, "$split requires an expression that evaluates to a string as a first argument, found: " + BsonOrder.TypeName(a[0]));
                    if (a[1] is not BsonString d) throw Errors.Location(40086, "$split requires an expression that evaluates to a string as a second argument, found: " + BsonOrder.TypeName(a[1]));
                    if (d.Value.Length == 0) throw Errors.Location(40087, "$split requires a non-empty separator");
                    var result = new BsonArray();
                    foreach (var part in s.Value.Split(d.Value)) result.Add(part);
                    return result;
                }
            case "$strLenCP":
                {
                    var v = ArgsN(op, operand, scope, 1, 1)[0];
                    if (v is not BsonString s) throw Errors.Location(34471, "$strLenCP requires a string argument, found: " + BsonOrder.TypeName(v));
                    return CodePoints(s.Value).Count;
                }
            case "$strLenBytes":
                {
                    var v = ArgsN(op, operand, scope, 1, 1)[0];
                    if (v is not BsonString s) throw Errors.Location(34473, "$strLenBytes requires a string argument, found: " + BsonOrder.TypeName(v));
                    return Encoding.UTF8.GetByteCount(s.Value);
                }
            case "$trim":
            case "$ltrim":
            case "$rtrim":
                {
                    var spec = Spec(op, operand);
                    var input = Evaluate(Required(spec, op, "input"), scope);
                    if (IsNullish(input)) return BsonNull.Value;
                    if (input is not BsonString s) throw Errors.Location(50699, op + " requires its input to be a string, got " + Shell.Format(input) + " (of type " + BsonOrder.TypeName(input) + ") instead.");
                    char[]? chars = null;
                    if (spec.TryGetValue("chars", out var charsExpr))
                    {
                        var c = Evaluate(charsExpr, scope);
                        if (IsNullish(c)) return BsonNull.Value;
                        if (c is not BsonString cs) throw Errors.Location(50700, op + " requires 'chars' to be a string");
                        chars = cs.Value.ToCharArray();
                    }
                    chars ??= [' ', '\t', '\n', '\r', '\v', '\f', '\0', '\u00a0', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a', '\u3000', '\u1680', '\u202f', '\u205f', '\u0085'];
                    return op switch
                    {
                        "$trim" => s.Value.Trim(chars),
                        "$ltrim" => s.Value.TrimStart(chars),
                        _ => s.Value.TrimEnd(chars),
                    };
                }
            case "$indexOfCP":
            case "$indexOfBytes":
                {
                    var a = ArgsN(op, operand, scope, 2, 4);
                    if (IsNullish(a[0])) return BsonNull.Value;
                    if (a[0] is not BsonString s) throw Errors.Location(40091, op + " requires a string as the first argument, found: " + BsonOrder.TypeName(a[0]));
                    if (a[1] is not BsonString t) throw Errors.Location(40092, op + " requires a string as the second argument, found: " + BsonOrder.TypeName(a[1]));
                    var start = a.Length > 2 && a[2] is not null ? a[2]!.ToInt32() : 0;
                    var end = a.Length > 3 && a[3] is not null ? a[3]!.ToInt32() : s.Value.Length;
                    if (start > s.Value.Length || start > end) return -1;
                    end = Math.Min(end, s.Value.Length);
                    var idx = s.Value.IndexOf(t.Value, start, end - start, StringComparison.Ordinal);
                    return idx;
                }
            case "$strcasecmp":
                {
                    var a = ArgsN(op, operand, scope, 2, 2);
                    var x = IsNullish(a[0]) ? "" : StringOrEmpty(op, a[0]).ToUpperInvariant();
                    var y = IsNullish(a[1]) ? "" : StringOrEmpty(op, a[1]).ToUpperInvariant();
                    var c = string.CompareOrdinal(x, y);
                    return c < 0 ? -1 : c > 0 ? 1 : 0;
                }
            case "$regexMatch":
            case "$regexFind":
                return RegexFind(op, operand, scope);
            case "$replaceOne":
            case "$replaceAll":
                {
                    var spec = Spec(op, operand);
                    var input = Evaluate(Required(spec, op, "input"), scope);
                    var find = Evaluate(Required(spec, op, "find"), scope);
                    var replacement = Evaluate(Required(spec, op, "replacement"), scope);
                    if (IsNullish(input) || IsNullish(find) || IsNullish(replacement)) return BsonNull.Value;
                    if (input is not BsonString s || find is not BsonString f || replacement is not BsonString r)
                        throw Errors.Location(51746, op + " requires that 'input', 'find' and 'replacement' be strings");
                    if (op == "$replaceAll") return f.Value.Length == 0 ? s.Value : s.Value.Replace(f.Value, r.Value, StringComparison.Ordinal);
                    var i = s.Value.IndexOf(f.Value, StringComparison.Ordinal);
                    return i < 0 ? s.Value : string.Concat(s.Value.AsSpan(0, i), r.Value, s.Value.AsSpan(i + f.Value.Length));
                }
            default:
                return ArrayOperator(op, operand, scope);
        }
    }

    private static string StringOrEmpty(string op, BsonValue? v)
    {
        if (IsNullish(v)) return "";
        return v switch
        {
            BsonString s => s.Value,
            BsonSymbol sym => sym.Name,
            BsonInt32 or BsonInt64 or BsonDouble or BsonDecimal128 or BsonDateTime or BsonTimestamp => ToStringValue(v!),
            _ => throw Errors.Location(16007, op + " can't convert from BSON type " + BsonOrder.TypeName(v) + " to String"),
        };
    }

    private static List<int> CodePoints(string s)
    {
        var list = new List<int>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                list.Add(char.ConvertToUtf32(s[i], s[i + 1]));
                i++;
            }
            else list.Add(s[i]);
        }
        return list;
    }

    private static string ToStringValue(BsonValue v) => v switch
    {
        BsonString s => s.Value,
        BsonInt32 i => i.Value.ToString(CultureInfo.InvariantCulture),
        BsonInt64 l => l.Value.ToString(CultureInfo.InvariantCulture),
        BsonDouble d => FormatDouble(d.Value),
        BsonDecimal128 m => m.Value.ToString() ?? "",
        BsonBoolean b => b.Value ? "true" : "false",
        BsonObjectId o => o.Value.ToString(),
        BsonDateTime dt => DateTimeOffset.FromUnixTimeMilliseconds(dt.MillisecondsSinceEpoch).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        BsonSymbol sym => sym.Name,
        _ => Shell.Format(v),
    };

    private static string FormatDouble(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsPositiveInfinity(d)) return "Infinity";
        if (double.IsNegativeInfinity(d)) return "-Infinity";
        return d.ToString("R", CultureInfo.InvariantCulture);
    }
}
