namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>The Snowball Norwegian (Bokmål) stemmer, written from the algorithm's published description.</summary>
internal static class NorwegianStemmer
{
    private const string Vowels = "aeiouyæåø";
    private const string SEnding = "bcdfghjlmnoprtvyz";

    private static readonly string[] s_main =
    [
        "a", "e", "ede", "ande", "ende", "ane", "ene", "hetene", "en", "heten", "ar", "er", "heter", "as", "es", "edes",
        "endes", "enes", "hetenes", "ens", "hetens", "ers", "ets", "et", "het", "ast", "s", "erte", "ert",
    ];

    private static readonly string[] s_pairs = ["dt", "vt"];

    private static readonly string[] s_other = ["leg", "eleg", "ig", "eig", "lig", "elig", "els", "lov", "elov", "slov", "hetslov"];

    /// <summary>The stem of a lower-case word.</summary>
    public static string Stem(string word)
    {
        var z = SnowballCursor.Load(word);
        var p1 = ScandinavianRegions.R1(z, Vowels);
        z.Backwards();

        var found = z.SliceAmongB(s_main, p1);
        if (found >= 0)
        {
            switch (s_main[found])
            {
                case "s":
                    // After a valid s-ending, or after a "k" that follows a non-vowel.
                    var at = z.C;
                    var valid = z.GroupingB(SEnding, inSet: true);
                    if (!valid)
                    {
                        z.C = at;
                        valid = z.EqB("k") && z.GroupingB(Vowels, inSet: false);
                    }
                    if (valid) z.SliceDel();
                    break;
                case "erte" or "ert":
                    z.SliceFrom("er");
                    break;
                default:
                    z.SliceDel();
                    break;
            }
        }
        z.C = z.Limit;

        if (z.SliceAmongB(s_pairs, p1) >= 0)
        {
            z.C = z.Limit;
            z.NextB();
            z.Bra = z.C;
            z.SliceDel();
        }
        z.C = z.Limit;

        if (z.SliceAmongB(s_other, p1) >= 0) z.SliceDel();
        return z.ToString();
    }
}
