namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The regions the algorithms share (R1, R2 and the Romance RV), and the letter rewrites of their preludes and
/// postludes. Each region is computed from the word's start and leaves the cursor there.
/// </summary>
internal sealed partial class SnowballCursor
{
    /// <summary>
    /// R1 and R2 as the algorithms define them: R1 after the first non-vowel that follows a vowel, R2 the same again
    /// inside R1 (<c>gopast v gopast non-v setmark p1 gopast v gopast non-v setmark p2</c>); the word's end where there
    /// is none.
    /// </summary>
    public (int P1, int P2) StandardRegions(string vowels)
    {
        C = 0;
        int p1 = Limit, p2 = Limit;
        if (GoPast(vowels, inSet: true) && GoPast(vowels, inSet: false))
        {
            p1 = C;
            if (GoPast(vowels, inSet: true) && GoPast(vowels, inSet: false)) p2 = C;
        }
        C = 0;
        return (p1, p2);
    }

    /// <summary>
    /// R1 moved right to <paramref name="notBefore"/> (German, Dutch and the Scandinavian algorithms want at least three
    /// letters before it), never past the word's end: a word too short for that has an empty R1.
    /// </summary>
    public int R1NotBefore(int p1, int notBefore) => Math.Min(Limit, Math.Max(p1, notBefore));

    /// <summary>
    /// RV of the Spanish, Portuguese, Italian and Romanian algorithms: after the next vowel when the second letter is a
    /// consonant; after the next consonant when the first two letters are vowels; otherwise (consonant then vowel)
    /// after the third letter; the word's end when the position cannot be found.
    /// </summary>
    public int RomanceRv(string vowels)
    {
        if (Limit < 2) return Limit;
        var rv = IsIn(0, vowels)
            ? IsIn(1, vowels) ? PastFrom(2, vowels, inSet: false) : PastFrom(2, vowels, inSet: true)
            : IsIn(1, vowels) ? Math.Min(3, Limit) : PastFrom(2, vowels, inSet: true);
        C = 0;
        return rv;
    }

    // gopast from position i: after the first letter at or after i in (or out of) the grouping; the end when none.
    private int PastFrom(int i, string set, bool inSet)
    {
        C = i;
        return GoPast(set, inSet) ? C : Limit;
    }

    /// <summary>
    /// Marks each of <paramref name="letters"/> that stands between two vowels as a consonant by writing it in upper
    /// case, left to right (so a letter just marked is no vowel for the next).
    /// </summary>
    public void MarkBetweenVowels(string vowels, string letters)
    {
        for (var i = 1; i + 1 < Limit; i++)
        {
            if (In(letters, _s[i]) && In(vowels, _s[i - 1]) && In(vowels, _s[i + 1]))
                _s[i] = char.ToUpperInvariant((char)_s[i]);
        }
    }

    /// <summary>Writes <paramref name="letter"/> at <paramref name="i"/> (a prelude marking a letter).</summary>
    public void Set(int i, char letter) => _s[i] = letter;

    /// <summary>Rewrites every letter of <paramref name="from"/> as the letter at the same place in <paramref name="to"/>.</summary>
    public void Fold(string from, string to)
    {
        // The letters folded lie in a narrow range (accented, or marked upper case), so a range test passes over most
        // letters without a search.
        int low = char.MaxValue, high = 0;
        foreach (var c in from)
        {
            low = Math.Min(low, c);
            high = Math.Max(high, c);
        }
        for (var i = 0; i < Limit; i++)
        {
            if (_s[i] < low || _s[i] > high) continue;
            var k = from.IndexOf((char)_s[i], StringComparison.Ordinal);
            if (k >= 0) _s[i] = to[k];
        }
    }

    /// <summary>
    /// Replaces each occurrence of <paramref name="what"/>, left to right, with <paramref name="with"/> (a prelude or
    /// postlude: the cursor goes back to the start and the slice is the whole word).
    /// </summary>
    public void ReplaceAll(string what, string with)
    {
        for (var i = 0; i + what.Length <= Limit; i++)
        {
            var match = true;
            for (var j = 0; j < what.Length && match; j++) match = _s[i + j] == what[j];
            if (!match) continue;
            Replace(i, i + what.Length, with);
            i += with.Length - 1;
        }
        C = 0;
        Bra = 0;
        Ket = Limit;
    }
}
