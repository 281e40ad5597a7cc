using System.Text.RegularExpressions;
using Mongo.Bson;

namespace Mongo.InMemory.Engine.Expressions;

/// <summary>
/// $regexMatch, $regexFind and $regexFindAll: one argument parser and one match shape for the three, so their
/// validation order (regex type before input type), null handling and code-point indexes cannot drift apart.
/// </summary>
internal static partial class ExpressionEvaluator
{
    /// <summary>$regexMatch (a boolean) or $regexFind (the first match as {match, idx, captures}, or null).</summary>
    private static BsonValue RegexFind(string op, BsonValue operand, ExprScope scope)
    {
        if (RegexArguments(op, operand, scope) is not var (text, regex)) return op == "$regexMatch" ? false : BsonNull.Value;
        var m = regex.Match(text);
        if (op == "$regexMatch") return m.Success;
        return m.Success ? MatchDocument(text, m) : BsonNull.Value;
    }

    /// <summary>
    /// $regexFindAll: every non-overlapping match as {match, idx, captures}; an empty match moves the search on by one
    /// code point.
    /// </summary>
    private static BsonValue RegexFindAll(BsonValue operand, ExprScope scope)
    {
        var result = new BsonArray();
        if (RegexArguments("$regexFindAll", operand, scope) is not var (text, regex)) return result;
        var start = 0;
        while (start <= text.Length)
        {
            var m = regex.Match(text, start);
            if (!m.Success) break;
            result.Add(MatchDocument(text, m));
            if (m.Length > 0) start = m.Index + m.Length;
            else start = m.Index + (m.Index < text.Length && char.IsHighSurrogate(text[m.Index]) ? 2 : 1);
        }
        return result;
    }

    /// <summary>The input string and compiled pattern; null when either is null or missing (each operator's empty answer).</summary>
    private static (string Text, Regex Regex)? RegexArguments(string op, BsonValue operand, ExprScope scope)
    {
        var spec = Spec(op, operand);
        var input = Evaluate(Required(spec, op, "input"), scope);
        var regex = Evaluate(Required(spec, op, "regex"), scope);
        var options = spec.TryGetValue("options", out var o) ? Evaluate(o, scope) : null;
        string pattern, opts = options is BsonString os ? os.Value : "";
        if (regex is BsonRegularExpression re) { pattern = re.Pattern; if (opts.Length == 0) opts = re.Options; }
        else if (regex is BsonString rs) pattern = rs.Value;
        else if (IsNullish(regex)) return null;
        else throw Errors.Location(51105, op + " needs 'regex' to be of type string or regex");
        if (IsNullish(input)) return null;
        if (input is not BsonString si) throw Errors.Location(51104, op + " needs 'input' to be of type string");
        return (si.Value, Query.RegexCache.Get(pattern, opts));
    }

    // idx counts code points, as mongod's does (not UTF-16 units).
    private static BsonDocument MatchDocument(string text, Match m)
    {
        var captures = new BsonArray();
        for (var g = 1; g < m.Groups.Count; g++) captures.Add(m.Groups[g].Success ? m.Groups[g].Value : BsonNull.Value);
        return new BsonDocument { { "match", m.Value }, { "idx", CodePointIndex(text, m.Index) }, { "captures", captures } };
    }

    private static int CodePointIndex(string s, int utf16Index)
    {
        var n = 0;
        for (var i = 0; i < utf16Index; i++)
            if (!char.IsLowSurrogate(s[i])) n++;
        return n;
    }
}
