using System.Text;
using static Mongo.InMemory.Engine.Text.Stemmers.SnowballRegions;

namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The Snowball Spanish stemmer (the version mongod's libstemmer carries), written from the published algorithm:
/// attached pronouns, then a standard suffix, else a verb suffix beginning with y, else another verb suffix, then a
/// residual vowel; acute accents are removed last.
/// </summary>
internal static class SpanishStemmer
{
    private const string Vowels = "aeiouáéíóúü";

    private static readonly SuffixTable s_pronouns = new((1, "me se sela selo selas selos la le lo las les los nos"));

    private static readonly SuffixTable s_pronounVerbs = new(
        (1, "iéndo"), (2, "ándo"), (3, "ár"), (4, "ér"), (5, "ír"), (6, "ando iendo ar er ir"), (7, "yendo"));

    private static readonly SuffixTable s_standard = new(
        (1, "anza anzas ico ica icos icas ismo ismos able ables ible ibles ista istas oso osa osos osas amiento amientos imiento imientos"),
        (2, "adora ador ación adoras adores aciones ante antes ancia ancias"),
        (3, "logía logías"), (4, "ución uciones"), (5, "encia encias"), (6, "amente"), (7, "mente"), (8, "idad idades"),
        (9, "iva ivo ivas ivos"));

    private static readonly SuffixTable s_afterAmente = new((1, "iv"), (2, "os ic ad"));
    private static readonly SuffixTable s_afterMente = new((1, "ante able ible"));
    private static readonly SuffixTable s_afterIdad = new((1, "abil ic iv"));
    private static readonly SuffixTable s_yVerb = new((1, "ya ye yan yen yeron yendo yo yó yas yes yais yamos"));

    private static readonly SuffixTable s_verb = new(
        (1, "en es éis emos"),
        (2, "arían arías arán arás aríais aría aréis aríamos aremos ará aré erían erías erán erás eríais ería eréis " +
            "eríamos eremos erá eré irían irías irán irás iríais iría iréis iríamos iremos irá iré aba ada ida ía ara " +
            "iera ad ed id ase iese aste iste an aban ían aran ieran asen iesen aron ieron ado ido ando iendo ió ar er " +
            "ir as abas adas idas ías aras ieras ases ieses ís áis abais íais arais ierais aseis ieseis asteis isteis " +
            "ados idos amos ábamos íamos imos áramos iéramos iésemos ásemos"));

    private static readonly SuffixTable s_residual = new((1, "os a o á í ó"), (2, "e é"));

    /// <summary>The stem of <paramref name="word"/>, a lower-cased token (other letters are kept as they are).</summary>
    public static string Stem(string word)
    {
        var w = new StringBuilder(word);
        var rv = RomanceRv(w, Vowels);
        var r1 = RegionAfterVowelConsonant(w, Vowels);
        var r2 = RegionAfterVowelConsonant(w, Vowels, r1);

        AttachedPronoun(w, rv);
        if (!StandardSuffix(w, r1, r2) && !YVerbSuffix(w, rv)) VerbSuffix(w, rv);
        ResidualSuffix(w, rv);

        for (var i = 0; i < w.Length; i++)
        {
            w[i] = w[i] switch { 'á' => 'a', 'é' => 'e', 'í' => 'i', 'ó' => 'o', 'ú' => 'u', var c => c };
        }
        return w.ToString();
    }

    private static void AttachedPronoun(StringBuilder w, int rv)
    {
        var (_, pronoun) = s_pronouns.Find(w);
        if (pronoun == 0) return;
        var end = w.Length - pronoun;
        var (rule, length) = s_pronounVerbs.Find(w, end);
        var start = end - length;
        if (rule == 0 || start < rv) return;
        switch (rule)
        {
            // An accent that the pronoun required goes with it ("comiéndolo" -> "comiendo").
            case 1: ReplaceEnd(w, w.Length - start, "iendo"); break;
            case 2: ReplaceEnd(w, w.Length - start, "ando"); break;
            case 3: ReplaceEnd(w, w.Length - start, "ar"); break;
            case 4: ReplaceEnd(w, w.Length - start, "er"); break;
            case 5: ReplaceEnd(w, w.Length - start, "ir"); break;
            case 6: w.Length = end; break;
            case 7: if (Before(w, start, 'u')) w.Length = end; break;
        }
    }

    private static bool StandardSuffix(StringBuilder w, int r1, int r2)
    {
        var (rule, length) = s_standard.Find(w);
        if (rule == 0) return false;
        var start = w.Length - length;
        if (start < (rule == 6 ? r1 : r2)) return false;
        switch (rule)
        {
            case 1: w.Length = start; break;
            case 2:
                w.Length = start;
                DeleteIfInRegion(w, "ic", r2);
                break;
            case 3: ReplaceEnd(w, length, "log"); break;
            case 4: ReplaceEnd(w, length, "u"); break;
            case 5: ReplaceEnd(w, length, "ente"); break;
            case 6:
                w.Length = start;
                var (after, afterLength) = s_afterAmente.Find(w);
                if (after != 0 && w.Length - afterLength >= r2)
                {
                    w.Length -= afterLength;
                    if (after == 1) DeleteIfInRegion(w, "at", r2);
                }
                break;
            case 7:
                w.Length = start;
                DeleteTableSuffixInRegion(w, s_afterMente, r2);
                break;
            case 8:
                w.Length = start;
                DeleteTableSuffixInRegion(w, s_afterIdad, r2);
                break;
            case 9:
                w.Length = start;
                DeleteIfInRegion(w, "at", r2);
                break;
        }
        return true;
    }

    private static bool YVerbSuffix(StringBuilder w, int rv)
    {
        var (rule, length) = s_yVerb.Find(w, w.Length, rv);
        if (rule == 0 || !Before(w, w.Length - length, 'u')) return false;
        w.Length -= length;
        return true;
    }

    private static void VerbSuffix(StringBuilder w, int rv)
    {
        var (rule, length) = s_verb.Find(w, w.Length, rv);
        if (rule == 0) return;
        var start = w.Length - length;
        // "en", "es", "éis", "emos" after "gu" take the u with them ("sigues" -> "sig").
        if (rule == 1 && Before(w, start, 'u') && Before(w, start - 1, 'g')) start--;
        w.Length = start;
    }

    private static void ResidualSuffix(StringBuilder w, int rv)
    {
        var (rule, length) = s_residual.Find(w);
        if (rule == 0 || w.Length - length < rv) return;
        w.Length -= length;
        if (rule == 2 && EndsWith(w, "u") && Before(w, w.Length - 1, 'g') && w.Length - 1 >= rv) w.Length--;
    }
}
