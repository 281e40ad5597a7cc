namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>The Snowball Norwegian (Bokmål) stemmer, written from the algorithm's published description.</summary>
internal static class NorwegianStemmer
{
    private const string Vowels = "aeiouyæåø";
    private const string SEnding = "bcdfghjlmnoprtvyz";

    private static readonly Among s_main = new(
        (1, "a e ede ande ende ane ene hetene en heten ar er heter as es edes endes enes hetenes ens hetens ers ets et " +
            "het ast"),
        (2, "s"),
        (3, "erte ert"));

    private static readonly Among s_pairs = new((1, "dt vt"));

    private static readonly Among s_other = new((1, "leg eleg ig eig lig elig els lov elov slov hetslov"));

    /// <summary>The stem of a lower-case word.</summary>
    public static string Stem(string word)
    {
        var (z, p1) = ScandinavianSteps.Load(word, Vowels);

        switch (z.SliceAmongB(s_main, p1))
        {
            case 1:
                z.SliceDel();
                break;
            case 2:
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
            case 3:
                z.SliceFrom("er");
                break;
        }
        z.C = z.Limit;

        ScandinavianSteps.UndoublePair(z, s_pairs, p1);

        if (z.SliceAmongB(s_other, p1) > 0) z.SliceDel();
        return z.ToString();
    }
}
