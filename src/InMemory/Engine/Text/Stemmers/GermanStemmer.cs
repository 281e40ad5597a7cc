using System.Text;
using static Mongo.InMemory.Engine.Text.Stemmers.SnowballRegions;

namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The Snowball German stemmer (the original variant, which mongod's libstemmer carries and Snowball 2.2 still calls
/// "german"), written from the published algorithm: "ß" is read as "ss", u and y between vowels are consonants, three
/// steps remove inflectional and derivational suffixes, and umlauts lose their dots last.
/// </summary>
internal static class GermanStemmer
{
    private const string Vowels = "aeiouyäöü";
    private const string SEndings = "bdfghklmnrt";
    private const string StEndings = "bdfghklmnt";

    private static readonly SuffixTable s_step1 = new((1, "em ern er"), (2, "e en es"), (3, "s"));
    private static readonly SuffixTable s_step2 = new((1, "en er est"), (2, "st"));
    private static readonly SuffixTable s_step3 = new((1, "end ung"), (2, "ig ik isch"), (3, "lich heit"), (4, "keit"));
    private static readonly SuffixTable s_afterKeit = new((1, "lich ig"));

    /// <summary>The stem of <paramref name="word"/>, a lower-cased token (other letters are kept as they are).</summary>
    public static string Stem(string word)
    {
        var w = new StringBuilder(word.Length + 2);
        foreach (var c in word)
        {
            if (c == 'ß') w.Append("ss");
            else w.Append(c);
        }
        for (var i = 1; i + 1 < w.Length; i++)
        {
            if (!IsIn(w[i - 1], Vowels) || !IsIn(w[i + 1], Vowels)) continue;
            if (w[i] == 'u') w[i] = 'U';
            else if (w[i] == 'y') w[i] = 'Y';
        }
        var (r1, r2) = AdjustedRegions(w, Vowels);

        Step1(w, r1);
        Step2(w, r1);
        Step3(w, r1, r2);

        for (var i = 0; i < w.Length; i++)
        {
            w[i] = w[i] switch { 'Y' => 'y', 'U' or 'ü' => 'u', 'ä' => 'a', 'ö' => 'o', var c => c };
        }
        return w.ToString();
    }

    /// <summary>
    /// R1 moved right so at least three letters precede it, and R2 (counted from the unmoved R1); both the end of the
    /// word when it is shorter than three letters. German and Dutch share this.
    /// </summary>
    internal static (int R1, int R2) AdjustedRegions(StringBuilder w, string vowels)
    {
        if (w.Length < 3) return (w.Length, w.Length);
        var r1 = RegionAfterVowelConsonant(w, vowels);
        var r2 = RegionAfterVowelConsonant(w, vowels, r1);
        return (Math.Max(r1, 3), r2);
    }

    private static void Step1(StringBuilder w, int r1)
    {
        var (rule, length) = s_step1.Find(w);
        var start = w.Length - length;
        if (rule == 0 || start < r1) return;
        switch (rule)
        {
            case 1: w.Length = start; break;
            case 2:
                w.Length = start;
                // "-nisse" and the like keep "nis".
                if (EndsWith(w, "niss")) w.Length--;
                break;
            case 3:
                if (start > 0 && IsIn(w[start - 1], SEndings)) w.Length = start;
                break;
        }
    }

    private static void Step2(StringBuilder w, int r1)
    {
        var (rule, length) = s_step2.Find(w);
        var start = w.Length - length;
        if (rule == 0 || start < r1) return;
        if (rule == 1) w.Length = start;
        else if (start >= 4 && IsIn(w[start - 1], StEndings)) w.Length = start;
    }

    private static void Step3(StringBuilder w, int r1, int r2)
    {
        var (rule, length) = s_step3.Find(w);
        var start = w.Length - length;
        if (rule == 0 || start < r2) return;
        switch (rule)
        {
            case 1:
                w.Length = start;
                if (EndsWith(w, "ig") && w.Length - 2 >= r2 && !Before(w, w.Length - 2, 'e')) w.Length -= 2;
                break;
            case 2:
                if (!Before(w, start, 'e')) w.Length = start;
                break;
            case 3:
                w.Length = start;
                if ((EndsWith(w, "er") || EndsWith(w, "en")) && w.Length - 2 >= r1) w.Length -= 2;
                break;
            case 4:
                w.Length = start;
                DeleteTableSuffixInRegion(w, s_afterKeit, r2);
                break;
        }
    }
}
