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

    // Rules 1 to 9 are RomanceSteps.SharedStandardRule's (Portuguese has no rule 2); 10 is Portuguese's own.
    private static readonly Among s_standard = new(
        (1, "ica ância adora osa ista eza ante ável ível ico ismo oso amento imento aça~o ador icas adoras osas istas " +
            "ezas adores antes aço~es icos ismos osos amentos imentos"),
        (3, "logía logías"), (4, "ución uciones"), (5, "ência ências"), (6, "amente"), (7, "mente"), (8, "idade idades"),
        (9, "iva ivo ivas ivos"), (10, "ira iras"));

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
        if (rule == 0 || z.C < rule switch { 6 => p1, 10 => rv, _ => p2 }) return false;
        if (RomanceSteps.SharedStandardRule(z, rule, p2, s_afterMente)) return true;
        // Rule 10: "ira(s)" after "e", in RV, becomes "ir".
        if (!z.EqB("e")) return false;
        z.SliceFrom("ir");
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
