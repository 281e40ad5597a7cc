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

    private static readonly string[] s_main =
    [
        "hed", "ethed", "ered", "e", "erede", "ende", "erende", "ene", "erne", "ere", "en", "heden", "eren", "er", "heder",
        "erer", "heds", "es", "endes", "erendes", "enes", "ernes", "eres", "ens", "hedens", "erens", "ers", "ets", "erets",
        "et", "eret", "s",
    ];

    private static readonly string[] s_pairs = ["gd", "dt", "gt", "kt"];

    private static readonly string[] s_other = ["ig", "lig", "elig", "els", "løst"];

    /// <summary>The stem of a lower-case word.</summary>
    public static string Stem(string word)
    {
        var z = SnowballCursor.Load(word);
        var p1 = ScandinavianRegions.R1(z, Vowels);
        z.Backwards();

        ScandinavianRegions.RemoveMainSuffix(z, s_main, p1, SEnding);

        ConsonantPair(z, p1);
        z.C = z.Limit;

        // Other suffixes: "igst" loses "st" first; "elig"/"lig"/"ig"/"els" go, then a consonant pair again.
        z.Ket = z.C;
        if (z.EqB("st"))
        {
            z.Bra = z.C;
            if (z.EqB("ig")) z.SliceDel();
        }
        z.C = z.Limit;
        switch (z.SliceAmongB(s_other, p1) is var k and >= 0 ? s_other[k] : null)
        {
            case "løst":
                z.SliceFrom("løs");
                break;
            case not null:
                z.SliceDel();
                z.C = z.Limit;
                ConsonantPair(z, p1);
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
                if (z.EqSliceB(z.SliceTo())) z.SliceDel();
            }
        }
        return z.ToString();
    }

    // "gd", "dt", "gt" or "kt" at the end of R1 loses its last letter.
    private static void ConsonantPair(SnowballCursor z, int p1)
    {
        if (z.SliceAmongB(s_pairs, p1) < 0) return;
        z.C = z.Limit;
        z.NextB();
        z.Bra = z.C;
        z.SliceDel();
    }
}
