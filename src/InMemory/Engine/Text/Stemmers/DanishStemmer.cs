namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The Snowball Danish stemmer, written from the algorithm's published description as libstemmer had it in 2011 —
/// the version mongod vendors: the final undoubling takes any non-vowel (Snowball 2.x narrowed it to the consonants
/// b-z), which only differs for words ending in doubled digits or foreign letters.
/// </summary>
internal static class DanishStemmer
{
    private const string Vowels = "aeiouyæåø";
    private const string SEnding = "abcdfghjklmnoprtvyzå";

    private static readonly Among s_main = new(
        (1, "hed ethed ered e erede ende erende ene erne ere en heden eren er heder erer heds es endes erendes enes " +
            "ernes eres ens hedens erens ers ets erets et eret"),
        (2, "s"));

    private static readonly Among s_pairs = new((1, "gd dt gt kt"));

    private static readonly Among s_other = new((1, "ig lig elig els"), (2, "løst"));

    /// <summary>The stem of a lower-case word.</summary>
    public static string Stem(string word)
    {
        var (z, p1) = ScandinavianSteps.Load(word, Vowels);

        ScandinavianSteps.RemoveMainSuffix(z, s_main, p1, SEnding);
        ScandinavianSteps.UndoublePair(z, s_pairs, p1);

        // Other suffixes: "igst" loses "st" first; "elig"/"lig"/"ig"/"els" go, then a consonant pair again.
        if (z.SliceEqB("st") && z.EqB("ig")) z.SliceDel();
        z.C = z.Limit;
        switch (z.SliceAmongB(s_other, p1))
        {
            case 1:
                z.SliceDel();
                z.C = z.Limit;
                ScandinavianSteps.UndoublePair(z, s_pairs, p1);
                break;
            case 2:
                z.SliceFrom("løs");
                break;
        }
        z.C = z.Limit;

        // Undouble: a final non-vowel in R1 that doubles the letter before it loses one of the two.
        if (z.C >= p1)
        {
            var saved = z.Lb;
            z.Lb = p1;
            z.Ket = z.C;
            var single = z.GroupingB(Vowels, inSet: false);
            z.Lb = saved;
            if (single)
            {
                z.Bra = z.C;
                if (z.EqSliceB()) z.SliceDel();
            }
        }
        return z.ToString();
    }
}
