namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The Snowball Portuguese stemmer as mongod's libstemmer carries it, written from the published algorithm. mongod's
/// copy predates Snowball 2.0, which replaced three Spanish spellings in step 1 with Portuguese ones: here, as on
/// mongod, "logía(s)" (not "logia(s)") becomes "log" and "ución"/"uciones" (not "ução"/"uções") become "u". Each step
/// reads backwards from the word's end.
/// </summary>
internal static class PortugueseStemmer
{
    // "ã" and "õ" are written "a~" and "o~" while stemming, so the tilde counts as a consonant.
    private const string Vowels = "aeiouáâéêíóôú";

    private static readonly Among s_standard = new(
        (1, "ica ância adora osa ista eza ante ável ível ico ismo oso amento imento aça~o ador icas adoras osas istas " +
            "ezas adores antes aço~es icos ismos osos amentos imentos"),
        (2, "logía logías"), (3, "ución uciones"), (4, "ência ências"), (5, "amente"), (6, "mente"), (7, "idade idades"),
        (8, "iva ivo ivas ivos"), (9, "ira iras"));

    private static readonly Among s_afterMente = new((1, "ante avel ível"));

    private static readonly Among s_verb = new((1,
        "ada ida ia aria eria iria ara era ira ava asse esse isse aste este iste ei arei erei irei am iam ariam eriam " +
        "iriam aram eram iram avam em arem erem irem assem essem issem ado ido ando endo indo ara~o era~o ira~o ar er " +
        "ir as adas idas ias arias erias irias aras eras iras avas es ardes erdes irdes ares eres ires asses esses " +
        "isses astes estes istes is ais eis areis ereis ireis áreis éreis íreis ásseis ésseis ísseis áveis íeis " +
        "aríeis eríeis iríeis ados idos amos áramos éramos íramos ávamos íamos aríamos eríamos iríamos emos aremos " +
        "eremos iremos ássemos êssemos íssemos imos armos ermos irmos ámos arás erás irás eu iu ou ará erá irá"));

    private static readonly Among s_residual = new((1, "a i o os á í ó"));
    private static readonly Among s_residualForm = new((1, "e é ê"), (2, "ç"));

    /// <summary>The stem of <paramref name="word"/>, a lower-cased token (other letters are kept as they are).</summary>
    public static string Stem(string word)
    {
        var z = SnowballCursor.Load(word);
        z.ReplaceAll("ã", "a~");
        z.ReplaceAll("õ", "o~");
        var (rv, p1, p2) = RomanceSteps.Regions(z, Vowels);

        if (StandardSuffix(z, rv, p1, p2) || VerbSuffix(z, rv))
        {
            // Step 3: an "i" after "c" goes when step 1 or 2 changed the word.
            z.C = z.Limit;
            z.DeleteInRegionB("i", rv, after: "c");
        }
        else
        {
            z.C = z.Limit;
            if (z.SliceAmongInRegionB(s_residual, rv) > 0) z.SliceDel();
        }
        ResidualForm(z, rv);

        z.ReplaceAll("a~", "ã");
        z.ReplaceAll("o~", "õ");
        return z.ToString();
    }

    private static bool StandardSuffix(SnowballCursor z, int rv, int p1, int p2)
    {
        z.C = z.Limit;
        var rule = z.SliceAmongB(s_standard);
        if (rule == 0 || z.C < rule switch { 5 => p1, 9 => rv, _ => p2 }) return false;
        switch (rule)
        {
            case 1:
                z.SliceDel();
                break;
            case 2: z.SliceFrom("log"); break;
            case 3: z.SliceFrom("u"); break;
            case 4: z.SliceFrom("ente"); break;
            case 5:
                RomanceSteps.DeleteAmente(z, RomanceSteps.AfterAmente, p2);
                break;
            case 6:
                z.DeleteWithPrecedingB(s_afterMente, p2);
                break;
            case 7:
                z.DeleteWithPrecedingB(RomanceSteps.AfterIdad, p2);
                break;
            case 8:
                z.SliceDel();
                z.DeleteInRegionB("at", p2);
                break;
            case 9:
                // "ira(s)" after "e", in RV, becomes "ir".
                if (!z.EqB("e")) return false;
                z.SliceFrom("ir");
                break;
        }
        return true;
    }

    private static bool VerbSuffix(SnowballCursor z, int rv)
    {
        z.C = z.Limit;
        if (z.SliceAmongB(s_verb, rv) == 0) return false;
        z.SliceDel();
        return true;
    }

    private static void ResidualForm(SnowballCursor z, int rv)
    {
        z.C = z.Limit;
        switch (z.SliceAmongB(s_residualForm))
        {
            case 1:
                if (z.C < rv) return;
                z.SliceDel();
                // Then "u" after "g" or "i" after "c" goes too, when in RV ("conhece" -> "conhec").
                if (!z.DeleteInRegionB("u", rv, after: "g")) z.DeleteInRegionB("i", rv, after: "c");
                break;
            case 2:
                z.SliceFrom("c");
                break;
        }
    }
}
