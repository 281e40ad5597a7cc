namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The Snowball French stemmer as mongod's libstemmer carries it, written from the published algorithm. mongod's copy
/// predates Snowball 2.0, which began reading "ë" and "ï" as "He" and "Hi" so suffixes after a diaeresis are found:
/// here, as on mongod, "ë" and "ï" are plain vowels and a final "ë" after "gu" is removed ("aiguë" -> "aigu"). Each
/// step reads backwards from the word's end.
/// </summary>
internal static partial class FrenchStemmer
{
    private const string Vowels = "aeiouyàâèéêëîïôùû";

    private static readonly Among s_rvPrefixes = new((1, "par col tap"));

    private static readonly Among s_afterChange = new((1, "Y"), (2, "ç"));
    private static readonly Among s_double = new((1, "enn onn ett ell eill"));

    /// <summary>The stem of <paramref name="word"/>, a lower-cased token (other letters are kept as they are).</summary>
    public static string Stem(string word)
    {
        var z = SnowballCursor.Load(word);
        MarkConsonants(z);
        var rv = Rv(z);
        var (p1, p2) = z.StandardRegions(Vowels);
        z.Backwards();

        // Step 2 follows when step 1 removed nothing or handled amment, emment, ment or ments.
        if (StandardSuffix(z, rv, p1, p2) || IVerbSuffix(z, rv) || VerbSuffix(z, rv, p2))
        {
            // After step 1 or 2 changed the word: a final Y becomes i, a final ç becomes c.
            z.C = z.Limit;
            switch (z.SliceAmongB(s_afterChange))
            {
                case 1: z.SliceFrom("i"); break;
                case 2: z.SliceFrom("c"); break;
            }
        }
        else ResidualSuffix(z, rv, p2);

        // A final "enn", "onn", "ett", "ell" or "eill" loses its last letter.
        z.C = z.Limit;
        if (z.FindAmongB(s_double) > 0) z.DeleteLastLetter();
        UnAccent(z);

        z.Fold("IUY", "iuy");
        return z.ToString();
    }

    /// <summary>
    /// Marks letters that act as consonants with upper case, scanning left to right: after a vowel, a u or i that
    /// precedes a vowel, or a y; else a y before a vowel; else the u after q.
    /// </summary>
    private static void MarkConsonants(SnowballCursor z)
    {
        for (var p = 0; p + 1 < z.Limit; p++)
        {
            var next = z.At(p + 1);
            if (z.IsIn(p, Vowels))
            {
                if (next is 'u' or 'i' && z.IsIn(p + 2, Vowels))
                {
                    z.Set(p + 1, next == 'u' ? 'U' : 'I');
                    continue;
                }
                if (next == 'y')
                {
                    z.Set(p + 1, 'Y');
                    continue;
                }
            }
            if (z.At(p) == 'y' && z.IsIn(p + 1, Vowels)) z.Set(p, 'Y');
            else if (z.At(p) == 'q' && next == 'u') z.Set(p + 1, 'U');
        }
    }

    /// <summary>
    /// RV: after the third letter when the word begins with two vowels, after "par", "col" or "tap" at the start,
    /// otherwise after the first vowel that is not the first letter.
    /// </summary>
    private static int Rv(SnowballCursor z)
    {
        var rv = z.Limit;
        z.C = 0;
        if (z.IsIn(0, Vowels) && z.IsIn(1, Vowels)) rv = Math.Min(3, z.Limit);
        else if (z.FindAmong(s_rvPrefixes) > 0) rv = 3;
        else if (z.Limit > 1)
        {
            z.C = 1;
            if (z.GoPast(Vowels, inSet: true)) rv = z.C;
        }
        z.C = 0;
        return rv;
    }

    /// <summary>Step 6: "é" or "è" followed only by non-vowels (at least one) becomes "e".</summary>
    private static void UnAccent(SnowballCursor z)
    {
        z.C = z.Limit;
        var nonVowels = 0;
        while (z.GroupingB(Vowels, inSet: false)) nonVowels++;
        if (nonVowels == 0) return;
        z.Ket = z.C;
        if (!z.EqB("é") && !z.EqB("è")) return;
        z.Bra = z.C;
        z.SliceFrom("e");
    }
}
