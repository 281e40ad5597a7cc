using System.Text;
using static Mongo.InMemory.Engine.Text.Stemmers.SnowballRegions;

namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The Snowball Dutch stemmer by Martin Porter (the one mongod's libstemmer carries; Snowball 3.0 later made
/// Kraaij-Pohlmann its default "dutch"), written from the published algorithm: accents go first, i and y are marked
/// as consonants where they act as such, then -en/-s/-e endings, -heid and derivational suffixes are removed and a
/// doubled vowel before a final consonant is undoubled.
/// </summary>
internal static class DutchStemmer
{
    private const string Vowels = "aeiouyè";

    private static readonly SuffixTable s_step1 = new((1, "heden"), (2, "ene en"), (3, "se s"));
    private static readonly SuffixTable s_step3b = new((1, "end ing"), (2, "ig"), (3, "lijk"), (4, "baar"), (5, "bar"));

    /// <summary>The stem of <paramref name="word"/>, a lower-cased token (other letters are kept as they are).</summary>
    public static string Stem(string word)
    {
        var w = new StringBuilder(word.Length);
        foreach (var c in word)
        {
            w.Append(c switch
            {
                'ä' or 'á' => 'a', 'ë' or 'é' => 'e', 'ï' or 'í' => 'i', 'ö' or 'ó' => 'o', 'ü' or 'ú' => 'u', _ => c,
            });
        }
        if (w.Length > 0 && w[0] == 'y') w[0] = 'Y';
        for (var i = 1; i < w.Length; i++)
        {
            if (!IsIn(w[i - 1], Vowels)) continue;
            if (w[i] == 'y') w[i] = 'Y';
            else if (w[i] == 'i' && i + 1 < w.Length && IsIn(w[i + 1], Vowels)) w[i] = 'I';
        }
        var r1 = RegionAfterVowelConsonant(w, Vowels);
        var r2 = RegionAfterVowelConsonant(w, Vowels, r1);
        // At least three letters before R1 -- counted, as in mongod's UTF-8 libstemmer, in bytes: a two-byte letter
        // such as "è" counts twice (Snowball 3.0 made this count letters).
        r1 = Math.Max(r1, FirstIndexAtUtf8Offset(w, 3));

        var eFound = false;
        var (rule, length) = s_step1.Find(w);
        var start = w.Length - length;
        switch (rule)
        {
            case 1:
                if (start >= r1) ReplaceEnd(w, length, "heid");
                break;
            case 2:
                EnEnding(w, start, r1);
                break;
            case 3:
                // -s and -se go after a consonant other than j.
                if (start >= r1 && start > 0 && !IsIn(w[start - 1], "aeijouyè")) w.Length = start;
                break;
        }
        eFound = EEnding(w, r1);
        // -heid (not after c), then an -en before it.
        if (EndsWith(w, "heid") && w.Length - 4 >= r2 && !Before(w, w.Length - 4, 'c'))
        {
            w.Length -= 4;
            if (EndsWith(w, "en")) EnEnding(w, w.Length - 2, r1);
        }
        Step3b(w, r1, r2, eFound);
        // A doubled vowel before a final consonant (not I) and after a consonant loses one letter ("maan" -> "man").
        if (w.Length >= 4 && !IsIn(w[^1], "Iaeiouyè") && w[^2] == w[^3] && "aeou".Contains(w[^2]) && !IsIn(w[^4], Vowels))
            w.Remove(w.Length - 2, 1);

        for (var i = 0; i < w.Length; i++)
        {
            if (w[i] == 'Y') w[i] = 'y';
            else if (w[i] == 'I') w[i] = 'i';
        }
        return w.ToString();
    }

    private static int FirstIndexAtUtf8Offset(StringBuilder w, int offset)
    {
        var bytes = 0;
        for (var i = 0; i < w.Length; i++)
        {
            if (bytes >= offset) return i;
            bytes += w[i] < 0x80 ? 1 : w[i] < 0x800 ? 2 : 3;
        }
        return w.Length;
    }

    /// <summary>Deletes the -en/-ene at <paramref name="start"/> when in R1, after a consonant and not after "gem".</summary>
    private static void EnEnding(StringBuilder w, int start, int r1)
    {
        if (start < r1 || start == 0 || IsIn(w[start - 1], Vowels) || EndsWith(w, "gem", start)) return;
        w.Length = start;
        Undouble(w);
    }

    /// <summary>Deletes a final e in R1 after a consonant; whether it did.</summary>
    private static bool EEnding(StringBuilder w, int r1)
    {
        if (!EndsWith(w, "e") || w.Length - 1 < r1 || w.Length < 2 || IsIn(w[^2], Vowels)) return false;
        w.Length--;
        Undouble(w);
        return true;
    }

    /// <summary>"kk", "dd" and "tt" at the end lose a letter.</summary>
    private static void Undouble(StringBuilder w)
    {
        if (EndsWith(w, "kk") || EndsWith(w, "dd") || EndsWith(w, "tt")) w.Length--;
    }

    private static void Step3b(StringBuilder w, int r1, int r2, bool eFound)
    {
        var (rule, length) = s_step3b.Find(w);
        var start = w.Length - length;
        if (rule == 0 || start < r2) return;
        switch (rule)
        {
            case 1:
                w.Length = start;
                if (EndsWith(w, "ig") && w.Length - 2 >= r2 && !Before(w, w.Length - 2, 'e')) w.Length -= 2;
                else Undouble(w);
                break;
            case 2:
                if (!Before(w, start, 'e')) w.Length = start;
                break;
            case 3:
                w.Length = start;
                EEnding(w, r1);
                break;
            case 4:
                w.Length = start;
                break;
            case 5:
                if (eFound) w.Length = start;
                break;
        }
    }
}
