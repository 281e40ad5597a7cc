using System.Globalization;
using System.Text;

namespace Mongo.InMemory.Engine.Collation;

/// <summary>
/// numericOrdering before .NET 10 (which added <c>CompareOptions.NumericOrdering</c>): strings are split into runs of
/// ASCII digits and other text; digit runs compare by value (leading zeros ignored), text runs by the locale. Compiled
/// on every target (used only on net8.0) so the net10.0 tests can check it against ICU's numeric ordering.
/// </summary>
internal sealed partial class Collator
{
    /// <summary>The portable numeric comparison, for tests on targets that would otherwise use ICU's.</summary>
    internal int ComparePortableNumeric(string a, string b) => CompareNumeric(a, b, CompareOptions.None);

    private int CompareNumeric(string a, string b, CompareOptions extra)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            var ea = RunEnd(a, i); var eb = RunEnd(b, j);
            int c;
            if (char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j])) c = CompareDigits(a.AsSpan(i, ea - i), b.AsSpan(j, eb - j));
            else c = Math.Sign(_compareInfo.Compare(a, i, ea - i, b, j, eb - j, _options | extra));
            if (c != 0) return c;
            i = ea; j = eb;
        }
        return i < a.Length ? 1 : j < b.Length ? -1 : 0;
    }

    private static int RunEnd(string s, int start)
    {
        var digits = char.IsAsciiDigit(s[start]);
        var k = start + 1;
        while (k < s.Length && char.IsAsciiDigit(s[k]) == digits) k++;
        return k;
    }

    private static int CompareDigits(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        x = x.TrimStart('0'); y = y.TrimStart('0');
        if (x.Length != y.Length) return x.Length < y.Length ? -1 : 1;
        return Math.Sign(x.SequenceCompareTo(y));
    }

    private void AppendNumericKey(StringBuilder sb, string s)
    {
        for (var i = 0; i < s.Length;)
        {
            var end = RunEnd(s, i);
            if (char.IsAsciiDigit(s[i]))
            {
                var digits = s.AsSpan(i, end - i).TrimStart('0');
                sb.Append('#').Append(digits.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(digits);
            }
            else
            {
                sb.Append('~');
                AppendSortKey(sb, s[i..end]);
            }
            i = end;
        }
    }
}
