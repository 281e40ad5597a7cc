namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The Snowball Spanish stemmer (the version mongod's libstemmer carries), written from the published algorithm:
/// attached pronouns, then a standard suffix, else a verb suffix beginning with y, else another verb suffix, then a
/// residual vowel; acute accents are removed last. Each step reads backwards from the word's end.
/// </summary>
internal static class SpanishStemmer
{
    private const string Vowels = "aeiouáéíóúü";

    private static readonly Among s_pronouns = new((1, "me se sela selo selas selos la le lo las les los nos"));

    private static readonly Among s_pronounVerbs = new(
        (1, "iéndo"), (2, "ándo"), (3, "ár"), (4, "ér"), (5, "ír"), (6, "ando iendo ar er ir"), (7, "yendo"));

    // The rules are RomanceSteps.SharedStandardRule's.
    private static readonly Among s_standard = new(
        (1, "anza anzas ico ica icos icas ismo ismos able ables ible ibles ista istas oso osa osos osas amiento amientos imiento imientos"),
        (2, "adora ador ación adoras adores aciones ante antes ancia ancias"),
        (3, "logía logías"), (4, "ución uciones"), (5, "encia encias"), (6, "amente"), (7, "mente"), (8, "idad idades"),
        (9, "iva ivo ivas ivos"));

    private static readonly Among s_afterMente = new((1, "ante able ible"));
    private static readonly Among s_yVerb = new((1, "ya ye yan yen yeron yendo yo yó yas yes yais yamos"));

    private static readonly Among s_verb = new(
        (1, "en es éis emos"),
        (2, "arían arías arán arás aríais aría aréis aríamos aremos ará aré erían erías erán erás eríais ería eréis " +
            "eríamos eremos erá eré irían irías irán irás iríais iría iréis iríamos iremos irá iré aba ada ida ía ara " +
            "iera ad ed id ase iese aste iste an aban ían aran ieran asen iesen aron ieron ado ido ando iendo ió ar er " +
            "ir as abas adas idas ías aras ieras ases ieses ís áis abais íais arais ierais aseis ieseis asteis isteis " +
            "ados idos amos ábamos íamos imos áramos iéramos iésemos ásemos"));

    private static readonly Among s_residual = new((1, "os a o á í ó"), (2, "e é"));

    /// <summary>The stem of <paramref name="word"/>, a lower-cased token (other letters are kept as they are).</summary>
    public static string Stem(string word)
    {
        var z = SnowballCursor.Load(word);
        var (rv, p1, p2) = RomanceSteps.Regions(z, Vowels);

        AttachedPronoun(z, rv);
        if (!StandardSuffix(z, p1, p2) && !YVerbSuffix(z, rv)) VerbSuffix(z, rv);
        ResidualSuffix(z, rv);

        z.Fold("áéíóú", "aeiou");
        return z.ToString();
    }

    private static void AttachedPronoun(SnowballCursor z, int rv)
    {
        var rule = RomanceSteps.PronounAfterVerb(z, s_pronouns, s_pronounVerbs, rv);
        switch (rule)
        {
            // An accent that the pronoun required goes with it ("comiéndolo" -> "comiendo").
            case >= 1 and <= 5:
                z.Bra = z.C;
                z.SliceFrom(rule switch { 1 => "iendo", 2 => "ando", 3 => "ar", 4 => "er", _ => "ir" });
                break;
            case 6:
                z.SliceDel();
                break;
            case 7:
                if (z.EqB("u")) z.SliceDel();
                break;
        }
    }

    private static bool StandardSuffix(SnowballCursor z, int p1, int p2)
    {
        z.C = z.Limit;
        var rule = z.SliceAmongB(s_standard);
        if (rule == 0 || z.C < (rule == 6 ? p1 : p2)) return false;
        return RomanceSteps.SharedStandardRule(z, rule, p2, s_afterMente);
    }

    private static bool YVerbSuffix(SnowballCursor z, int rv)
    {
        z.C = z.Limit;
        if (z.SliceAmongB(s_yVerb, rv) == 0 || !z.EqB("u")) return false;
        z.SliceDel();
        return true;
    }

    private static void VerbSuffix(SnowballCursor z, int rv)
    {
        z.C = z.Limit;
        var rule = z.SliceAmongB(s_verb, rv);
        if (rule == 0) return;
        // "en", "es", "éis", "emos" after "gu" take the u with them ("sigues" -> "sig").
        var at = z.C;
        if (rule == 1 && z.EqB("u") && z.EqB("g")) z.Bra = at - 1;
        z.SliceDel();
    }

    private static void ResidualSuffix(SnowballCursor z, int rv)
    {
        z.C = z.Limit;
        var rule = z.SliceAmongInRegionB(s_residual, rv);
        if (rule == 0) return;
        z.SliceDel();
        // "e" after "gu" takes the u with it when the u is in RV.
        if (rule == 2) z.DeleteInRegionB("u", rv, after: "g");
    }
}
