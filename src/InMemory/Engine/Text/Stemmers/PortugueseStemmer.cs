using System.Text;
using static Mongo.InMemory.Engine.Text.Stemmers.SnowballRegions;

namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The Snowball Portuguese stemmer as mongod's libstemmer carries it, written from the published algorithm. mongod's
/// copy predates Snowball 2.0, which replaced three Spanish spellings in step 1 with Portuguese ones: here, as on
/// mongod, "logía(s)" (not "logia(s)") becomes "log" and "ución"/"uciones" (not "ução"/"uções") become "u".
/// </summary>
internal static class PortugueseStemmer
{
    // "ã" and "õ" are written "a~" and "o~" while stemming, so the tilde counts as a consonant.
    private const string Vowels = "aeiouáâéêíóôú";

    private static readonly SuffixTable s_standard = new(
        (1, "ica ância adora osa ista eza ante ável ível ico ismo oso amento imento aça~o ador icas adoras osas istas " +
            "ezas adores antes aço~es icos ismos osos amentos imentos"),
        (2, "logía logías"), (3, "ución uciones"), (4, "ência ências"), (5, "amente"), (6, "mente"), (7, "idade idades"),
        (8, "iva ivo ivas ivos"), (9, "ira iras"));

    private static readonly SuffixTable s_afterAmente = new((1, "iv"), (2, "ic ad os"));
    private static readonly SuffixTable s_afterMente = new((1, "ante avel ível"));
    private static readonly SuffixTable s_afterIdade = new((1, "ic abil iv"));

    private static readonly SuffixTable s_verb = new((1,
        "ada ida ia aria eria iria ara era ira ava asse esse isse aste este iste ei arei erei irei am iam ariam eriam " +
        "iriam aram eram iram avam em arem erem irem assem essem issem ado ido ando endo indo ara~o era~o ira~o ar er " +
        "ir as adas idas ias arias erias irias aras eras iras avas es ardes erdes irdes ares eres ires asses esses " +
        "isses astes estes istes is ais eis areis ereis ireis áreis éreis íreis ásseis ésseis ísseis áveis íeis " +
        "aríeis eríeis iríeis ados idos amos áramos éramos íramos ávamos íamos aríamos eríamos iríamos emos aremos " +
        "eremos iremos ássemos êssemos íssemos imos armos ermos irmos ámos arás erás irás eu iu ou ará erá irá"));

    private static readonly SuffixTable s_residual = new((1, "a i o os á í ó"));
    private static readonly SuffixTable s_residualForm = new((1, "e é ê"), (2, "ç"));

    /// <summary>The stem of <paramref name="word"/>, a lower-cased token (other letters are kept as they are).</summary>
    public static string Stem(string word)
    {
        var w = new StringBuilder(word.Length + 2);
        foreach (var c in word)
        {
            if (c == 'ã') w.Append("a~");
            else if (c == 'õ') w.Append("o~");
            else w.Append(c);
        }
        var rv = RomanceRv(w, Vowels);
        var r1 = RegionAfterVowelConsonant(w, Vowels);
        var r2 = RegionAfterVowelConsonant(w, Vowels, r1);

        if (StandardSuffix(w, rv, r1, r2) || VerbSuffix(w, rv))
        {
            // Step 3: an "i" after "c" goes when step 1 or 2 changed the word.
            if (EndsWith(w, "i") && Before(w, w.Length - 1, 'c') && w.Length - 1 >= rv) w.Length--;
        }
        else
        {
            var (rule, length) = s_residual.Find(w);
            if (rule != 0 && w.Length - length >= rv) w.Length -= length;
        }
        ResidualForm(w, rv);

        return w.Replace("a~", "ã").Replace("o~", "õ").ToString();
    }

    private static bool StandardSuffix(StringBuilder w, int rv, int r1, int r2)
    {
        var (rule, length) = s_standard.Find(w);
        if (rule == 0) return false;
        var start = w.Length - length;
        switch (rule)
        {
            case 1:
                if (start < r2) return false;
                w.Length = start;
                break;
            case 2:
                if (start < r2) return false;
                ReplaceEnd(w, length, "log");
                break;
            case 3:
                if (start < r2) return false;
                ReplaceEnd(w, length, "u");
                break;
            case 4:
                if (start < r2) return false;
                ReplaceEnd(w, length, "ente");
                break;
            case 5:
                if (start < r1) return false;
                w.Length = start;
                var (after, afterLength) = s_afterAmente.Find(w);
                if (after != 0 && w.Length - afterLength >= r2)
                {
                    w.Length -= afterLength;
                    if (after == 1) DeleteIfInRegion(w, "at", r2);
                }
                break;
            case 6:
                if (start < r2) return false;
                w.Length = start;
                DeleteTableSuffixInRegion(w, s_afterMente, r2);
                break;
            case 7:
                if (start < r2) return false;
                w.Length = start;
                DeleteTableSuffixInRegion(w, s_afterIdade, r2);
                break;
            case 8:
                if (start < r2) return false;
                w.Length = start;
                DeleteIfInRegion(w, "at", r2);
                break;
            case 9:
                // "ira(s)" after "e", in RV, becomes "ir".
                if (start < rv || !Before(w, start, 'e')) return false;
                ReplaceEnd(w, length, "ir");
                break;
        }
        return true;
    }

    private static bool VerbSuffix(StringBuilder w, int rv)
    {
        var (rule, length) = s_verb.Find(w, w.Length, rv);
        if (rule == 0) return false;
        w.Length -= length;
        return true;
    }

    private static void ResidualForm(StringBuilder w, int rv)
    {
        var (rule, length) = s_residualForm.Find(w);
        if (rule == 1)
        {
            if (w.Length - length < rv) return;
            w.Length -= length;
            // Then "u" after "g" or "i" after "c" goes too, when in RV ("conhece" -> "conhec").
            if (w.Length - 1 >= rv && ((EndsWith(w, "u") && Before(w, w.Length - 1, 'g')) || (EndsWith(w, "i") && Before(w, w.Length - 1, 'c'))))
                w.Length--;
        }
        else if (rule == 2) ReplaceEnd(w, 1, "c");
    }
}
