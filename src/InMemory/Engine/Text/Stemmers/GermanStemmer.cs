namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The Snowball German stemmer (the original variant, which mongod's libstemmer carries and Snowball 2.2 still calls
/// "german"), written from the published algorithm: "ß" is read as "ss", u and y between vowels are consonants, three
/// steps remove inflectional and derivational suffixes, and umlauts lose their dots last. Each step reads backwards
/// from the word's end.
/// </summary>
internal static class GermanStemmer
{
    private const string Vowels = "aeiouyäöü";
    private const string SEndings = "bdfghklmnrt";
    private const string StEndings = "bdfghklmnt";

    private static readonly Among s_step1 = new((1, "em ern er"), (2, "e en es"), (3, "s"));
    private static readonly Among s_step2 = new((1, "en er est"), (2, "st"));
    private static readonly Among s_step3 = new((1, "end ung"), (2, "ig ik isch"), (3, "lich heit"), (4, "keit"));
    private static readonly Among s_afterLich = new((1, "er en"));
    private static readonly Among s_afterKeit = new((1, "lich ig"));

    /// <summary>The stem of <paramref name="word"/>, a lower-cased token (other letters are kept as they are).</summary>
    public static string Stem(string word)
    {
        var z = SnowballCursor.Load(word);
        z.ReplaceAll("ß", "ss");
        z.MarkBetweenVowels(Vowels, "uy");
        var (p1, p2) = z.StandardRegions(Vowels);
        p1 = z.R1NotBefore(p1, 3);
        z.Backwards();

        Step1(z, p1);
        Step2(z, p1);
        Step3(z, p1, p2);

        z.Fold("YU", "yu");
        z.Fold("äöü", "aou");
        return z.ToString();
    }

    private static void Step1(SnowballCursor z, int p1)
    {
        z.C = z.Limit;
        switch (z.SliceAmongInRegionB(s_step1, p1))
        {
            case 1:
                z.SliceDel();
                break;
            case 2:
                z.SliceDel();
                // "-nisse" and the like keep "nis".
                if (z.SliceEqB("s") && z.EqB("nis")) z.SliceDel();
                break;
            case 3:
                if (z.GroupingB(SEndings, inSet: true)) z.SliceDel();
                break;
        }
    }

    private static void Step2(SnowballCursor z, int p1)
    {
        z.C = z.Limit;
        switch (z.SliceAmongInRegionB(s_step2, p1))
        {
            case 1:
                z.SliceDel();
                break;
            case 2:
                // "-st" after an st-ending that has three letters before it.
                if (z.C >= 4 && z.GroupingB(StEndings, inSet: true)) z.SliceDel();
                break;
        }
    }

    private static void Step3(SnowballCursor z, int p1, int p2)
    {
        z.C = z.Limit;
        switch (z.SliceAmongInRegionB(s_step3, p2))
        {
            case 1:
                z.SliceDel();
                z.DeleteInRegionB("ig", p2, notAfter: "e");
                break;
            case 2:
                if (!z.EqB("e")) z.SliceDel();
                break;
            case 3:
                z.DeleteWithPrecedingB(s_afterLich, p1);
                break;
            case 4:
                z.DeleteWithPrecedingB(s_afterKeit, p2);
                break;
        }
    }
}
