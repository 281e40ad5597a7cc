using System.Text;
using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine.Planning;

/// <summary>Index bounds of a regular expression: the range of strings its literal prefix allows (mongod's simpleRegex).</summary>
internal static partial class QueryPlanner
{
    /// <summary>
    /// The intervals of an anchored regular expression with a literal prefix, e.g. <c>/^abc/</c>: the strings from
    /// "abc" up to "abd" (excluded), and the regular expression itself (a stored regex equal to it matches too). Null
    /// when the pattern has no such prefix (not anchored, case-insensitive, an alternation, a flag other than s, x or
    /// m after \A) or the index compares strings under a collation (its keys are then not the strings themselves).
    /// </summary>
    private static Interval[]? RegexIntervals(RegexPredicate regex, Collator? indexCollator)
    {
        if (indexCollator is not null) return null;
        if (LiteralPrefix(regex.Pattern, regex.Options) is not { Length: > 0 } prefix) return null;
        var low = new BsonString(prefix);
        var last = prefix[^1];
        // The next string after every string with the prefix: the last character plus one. Past the basic plane's
        // low part the UTF-16 and code point orders differ, so the range then runs to the end of the strings.
        var range = last + 1 < 0xD800
            ? new Interval(low, true, new BsonString(prefix[..^1] + (char)(last + 1)), false)
            : new Interval(low, true, new BsonDocument(), false);
        return [range, Interval.Point(new BsonRegularExpression(regex.Pattern, regex.Options))];
    }

    /// <summary>Whether the pattern is an anchored literal and nothing else: its bounds then match exactly what it matches.</summary>
    internal static bool IsExactPrefix(string pattern, string options) => LiteralPrefix(pattern, options, out var exact) is { Length: > 0 } && exact;

    /// <summary>The characters every match must start with, or null when the pattern does not fix any.</summary>
    internal static string? LiteralPrefix(string pattern, string options) => LiteralPrefix(pattern, options, out _);

    private static string? LiteralPrefix(string pattern, string options, out bool exact)
    {
        exact = false;
        int i;
        bool multilineOk;
        if (pattern.StartsWith("\\A", StringComparison.Ordinal))
        {
            i = 2;
            multilineOk = true;
        }
        else if (pattern.StartsWith('^'))
        {
            i = 1;
            multilineOk = false;
        }
        else return null;

        if (pattern.Contains('|', StringComparison.Ordinal)) return null;
        var extended = false;
        foreach (var flag in options)
        {
            switch (flag)
            {
                case 'm' when multilineOk: break;
                case 's': break;
                case 'x': extended = true; break;
                default: return null; // 'i' above all: the prefix would have to be every casing of itself
            }
        }

        var sb = new StringBuilder();
        var stopped = false;
        while (i < pattern.Length)
        {
            var c = pattern[i++];
            if (c is '*' or '?' or '{')
            {
                // The character before may occur zero times: it is not part of the prefix.
                if (sb.Length > 0) sb.Length--;
                stopped = true;
                break;
            }

            if (c == '\\')
            {
                if (i >= pattern.Length)
                {
                    stopped = true;
                    break;
                }

                var next = pattern[i++];
                if (next == 'Q')
                {
                    var end = pattern.IndexOf("\\E", i, StringComparison.Ordinal);
                    var quoted = end < 0 ? pattern[i..] : pattern[i..end];
                    i = end < 0 ? pattern.Length : end + 2;
                    sb.Append(quoted);
                    // A quantifier after the quote applies to its last character only.
                    continue;
                }

                if (char.IsAsciiLetterOrDigit(next))
                {
                    stopped = true; // a class (\d, \w...), a back reference or an anchor
                    break;
                }

                sb.Append(next);
                continue;
            }

            if (extended && c == '#')
            {
                stopped = true;
                break;
            }

            if (extended && char.IsWhiteSpace(c)) continue;
            // Metacharacters, and a surrogate (a quantifier after it would apply to the whole code point).
            if ("^$.[]()+}".Contains(c, StringComparison.Ordinal) || char.IsSurrogate(c))
            {
                stopped = true;
                break;
            }

            sb.Append(c);
        }

        exact = i >= pattern.Length && !stopped;
        return sb.ToString();
    }
}
