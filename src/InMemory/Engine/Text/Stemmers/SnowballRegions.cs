using System.Text;

namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// What the Snowball stemmers share: the regions R1, R2 and RV that decide where a suffix may be removed, and the
/// suffix tests. The word is a <see cref="StringBuilder"/> the stemmer shortens from the end; positions are char
/// indexes, which equal Snowball's letter positions because every letter these algorithms look at is one UTF-16 unit.
/// (A character beyond the Basic Multilingual Plane, a surrogate pair, counts as two letters here and one in
/// libstemmer, which can move a region by one position in a word that contains one.)
/// </summary>
internal static class SnowballRegions
{
    /// <summary>
    /// R1 (or R2 when <paramref name="from"/> is R1): the region after the first non-vowel that follows a vowel, at or
    /// after <paramref name="from"/>; the end of the word when there is none.
    /// </summary>
    public static int RegionAfterVowelConsonant(StringBuilder w, string vowels, int from = 0)
    {
        var i = from;
        while (i < w.Length && !IsIn(w[i], vowels)) i++;
        while (i < w.Length && IsIn(w[i], vowels)) i++;
        return i < w.Length ? i + 1 : w.Length;
    }

    /// <summary>
    /// RV of the Spanish, Portuguese, Italian and Romanian algorithms: after the next vowel when the second letter is a
    /// consonant; after the next consonant when the first two letters are vowels; otherwise (consonant then vowel)
    /// after the third letter; the end of the word when the position cannot be found.
    /// </summary>
    public static int RomanceRv(StringBuilder w, string vowels)
    {
        if (w.Length < 2) return w.Length;
        if (IsIn(w[0], vowels))
        {
            if (!IsIn(w[1], vowels))
            {
                for (var i = 2; i < w.Length; i++)
                    if (IsIn(w[i], vowels)) return i + 1;
                return w.Length;
            }
            for (var i = 2; i < w.Length; i++)
                if (!IsIn(w[i], vowels)) return i + 1;
            return w.Length;
        }
        if (!IsIn(w[1], vowels))
        {
            for (var i = 2; i < w.Length; i++)
                if (IsIn(w[i], vowels)) return i + 1;
            return w.Length;
        }
        return w.Length >= 3 ? 3 : w.Length;
    }

    /// <summary>Whether <paramref name="c"/> is one of the letters of <paramref name="set"/> (a Snowball grouping).</summary>
    public static bool IsIn(char c, string set) => set.Contains(c);

    /// <summary>Whether the text ending at <paramref name="end"/> ends with <paramref name="suffix"/>.</summary>
    public static bool EndsWith(StringBuilder w, string suffix, int end)
    {
        if (end < suffix.Length || end > w.Length) return false;
        var start = end - suffix.Length;
        for (var i = 0; i < suffix.Length; i++)
            if (w[start + i] != suffix[i]) return false;
        return true;
    }

    public static bool EndsWith(StringBuilder w, string suffix) => EndsWith(w, suffix, w.Length);

    /// <summary>The letter before position <paramref name="index"/> is <paramref name="c"/>.</summary>
    public static bool Before(StringBuilder w, int index, char c) => index > 0 && index <= w.Length && w[index - 1] == c;

    /// <summary>Deletes <paramref name="suffix"/> when the word ends with it inside the region.</summary>
    public static void DeleteIfInRegion(StringBuilder w, string suffix, int region)
    {
        if (EndsWith(w, suffix) && w.Length - suffix.Length >= region) w.Length -= suffix.Length;
    }

    /// <summary>Deletes the longest suffix of the table the word ends with, when it lies inside the region.</summary>
    public static void DeleteTableSuffixInRegion(StringBuilder w, SuffixTable table, int region)
    {
        var (rule, length) = table.Find(w);
        if (rule != 0 && w.Length - length >= region) w.Length -= length;
    }

    /// <summary>Replaces the last <paramref name="length"/> letters with <paramref name="replacement"/>.</summary>
    public static void ReplaceEnd(StringBuilder w, int length, string replacement)
    {
        w.Length -= length;
        w.Append(replacement);
    }
}

/// <summary>
/// A Snowball "among": suffixes with the rule each one selects. As in Snowball, only the longest suffix present counts
/// (when its rule's condition fails, no shorter suffix is tried).
/// </summary>
internal sealed class SuffixTable
{
    private readonly (string Suffix, int Rule)[] _entries;

    /// <summary>Groups of space-separated suffixes, each group with its rule number.</summary>
    public SuffixTable(params (int Rule, string Suffixes)[] groups)
    {
        var entries = new List<(string, int)>();
        foreach (var (rule, suffixes) in groups)
            foreach (var s in suffixes.Split(' ', StringSplitOptions.RemoveEmptyEntries)) entries.Add((s, rule));
        // Longest first, so the first hit is the longest suffix.
        _entries = [.. entries.OrderByDescending(e => e.Item1.Length)];
    }

    /// <summary>
    /// The longest suffix of the text ending at <paramref name="end"/> that starts at or after
    /// <paramref name="limit"/> (Snowball's setlimit), with its rule; (0, 0) when none.
    /// </summary>
    public (int Rule, int Length) Find(StringBuilder w, int end, int limit = 0)
    {
        foreach (var (suffix, rule) in _entries)
            if (end - suffix.Length >= limit && SnowballRegions.EndsWith(w, suffix, end)) return (rule, suffix.Length);
        return (0, 0);
    }

    public (int Rule, int Length) Find(StringBuilder w) => Find(w, w.Length);
}
