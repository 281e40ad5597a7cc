namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>The Snowball Swedish stemmer, written from the algorithm's published description.</summary>
internal static class SwedishStemmer
{
    private const string Vowels = "aeiouyäåö";
    private const string SEnding = "bcdfghjklmnoprtvy";

    private static readonly Among s_main = new(
        (1, "a arna erna heterna orna ad e ade ande arne are aste en anden aren heten ern ar er heter or as arnas ernas " +
            "ornas es ades andes ens arens hetens erns at andet het ast"),
        (2, "s"));

    private static readonly Among s_pairs = new((1, "dd gd nn dt gt kt tt"));

    private static readonly Among s_other = new((1, "lig ig els"), (2, "löst"), (3, "fullt"));

    /// <summary>The stem of a lower-case word.</summary>
    public static string Stem(string word)
    {
        var (z, p1) = ScandinavianSteps.Load(word, Vowels);

        // Step 1: the main suffixes in R1; a final s only after a valid s-ending.
        ScandinavianSteps.RemoveMainSuffix(z, s_main, p1, SEnding);
        // Step 2: a final consonant pair in R1 loses its last letter.
        ScandinavianSteps.UndoublePair(z, s_pairs, p1);

        // Step 3: derivational suffixes in R1.
        switch (z.SliceAmongB(s_other, p1))
        {
            case 1: z.SliceDel(); break;
            case 2: z.SliceFrom("lös"); break;
            case 3: z.SliceFrom("full"); break;
        }
        return z.ToString();
    }
}
