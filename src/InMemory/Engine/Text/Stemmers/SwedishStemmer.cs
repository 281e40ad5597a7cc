namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>The Snowball Swedish stemmer, written from the algorithm's published description.</summary>
internal static class SwedishStemmer
{
    private const string Vowels = "aeiouyäåö";
    private const string SEnding = "bcdfghjklmnoprtvy";

    private static readonly string[] s_main =
    [
        "a", "arna", "erna", "heterna", "orna", "ad", "e", "ade", "ande", "arne", "are", "aste", "en", "anden", "aren",
        "heten", "ern", "ar", "er", "heter", "or", "as", "arnas", "ernas", "ornas", "es", "ades", "andes", "ens", "arens",
        "hetens", "erns", "at", "andet", "het", "ast", "s",
    ];

    private static readonly string[] s_pairs = ["dd", "gd", "nn", "dt", "gt", "kt", "tt"];

    private static readonly string[] s_other = ["lig", "ig", "els", "löst", "fullt"];

    /// <summary>The stem of a lower-case word.</summary>
    public static string Stem(string word)
    {
        var z = SnowballCursor.Load(word);
        var p1 = ScandinavianRegions.R1(z, Vowels);
        z.Backwards();

        // Step 1: the main suffixes in R1; a final s only after a valid s-ending.
        ScandinavianRegions.RemoveMainSuffix(z, s_main, p1, SEnding);

        // Step 2: a final consonant pair in R1 loses its last letter.
        if (z.C >= p1)
        {
            var saved = z.Lb;
            z.Lb = p1;
            if (z.FindAmongB(s_pairs) >= 0)
            {
                z.C = z.Limit;
                z.Ket = z.C;
                z.NextB();
                z.Bra = z.C;
                z.SliceDel();
            }
            z.Lb = saved;
        }
        z.C = z.Limit;

        // Step 3: derivational suffixes in R1.
        switch (z.SliceAmongB(s_other, p1) is var k and >= 0 ? s_other[k] : null)
        {
            case "lig" or "ig" or "els": z.SliceDel(); break;
            case "löst": z.SliceFrom("lös"); break;
            case "fullt": z.SliceFrom("full"); break;
        }
        return z.ToString();
    }
}
