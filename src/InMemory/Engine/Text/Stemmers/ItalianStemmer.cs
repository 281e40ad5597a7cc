namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The Snowball Italian stemmer (the version mongod's libstemmer carries), written from the published algorithm:
/// acute accents become grave, "qu" and a u or i between vowels are marked as consonants, then attached pronouns, a
/// standard or verb suffix and a final vowel are removed. Each step reads backwards from the word's end.
/// </summary>
internal static class ItalianStemmer
{
    private const string Vowels = "aeiouàèìòù";
    private const string FinalVowels = "aeioàèìò";

    private static readonly Among s_pronouns = new((1,
        "la cela gliela mela tela vela le cele gliele mele tele vele ne cene gliene mene sene tene vene ci li " +
        "celi glieli meli teli veli gli mi si ti vi lo celo glielo melo telo velo"));

    private static readonly Among s_pronounVerbs = new((1, "ando endo"), (2, "ar er ir"));

    // Rules 1 to 5 and 8 are RomanceSteps.SharedStandardRule's; 10 to 12 are Italian's own.
    private static readonly Among s_standard = new(
        (1, "ica osa ista anza ice atrice iche abile ibile ose ante mente iste anze ici atrici ichi abili ibili " +
            "ismi osi anti isti ico ismo oso istà istè istì"),
        (2, "azione azioni atore atori"), (3, "logia logie"), (4, "uzione uzioni usione usioni"), (5, "enza enze"),
        (8, "ità"), (10, "amento amenti imento imenti"), (11, "amente"), (12, "ivo ivi iva ive"));

    // Italian's "-amente" may follow "abil" where Spanish and Portuguese have "ad".
    private static readonly Among s_afterAmente = new((1, "iv"), (2, "os ic abil"));

    private static readonly Among s_verb = new((1,
        "isca enda ata ita uta ava eva iva erebbe irebbe isce ende are ere ire asse ate avate evate ivate ete " +
        "erete irete ite ereste ireste ute erai irai isci endi erei irei assi ati iti eresti iresti uti avi " +
        "evi ivi isco ando endo Yamo iamo avamo evamo ivamo eremo iremo assimo ammo emmo eremmo iremmo immo " +
        "ano iscano avano evano ivano eranno iranno ono iscono arono erono irono erebbero irebbero assero " +
        "essero issero ato ito uto avo evo ivo ar ir erà irà erò irò"));

    private static readonly Among s_chGh = new((1, "c g"));

    /// <summary>The stem of <paramref name="word"/>, a lower-cased token (other letters are kept as they are).</summary>
    public static string Stem(string word)
    {
        var z = SnowballCursor.Load(word);
        z.Fold("áéíóú", "àèìòù");
        // "qu": the u is a consonant; so is a u or i between vowels.
        z.ReplaceAll("qu", "qU");
        z.MarkBetweenVowels(Vowels, "ui");
        var (rv, p1, p2) = RomanceSteps.Regions(z, Vowels);

        AttachedPronoun(z, rv);
        if (!StandardSuffix(z, rv, p1, p2)) VerbSuffix(z, rv);
        VowelSuffix(z, rv);

        z.Fold("IU", "iu");
        return z.ToString();
    }

    private static void AttachedPronoun(SnowballCursor z, int rv)
    {
        switch (RomanceSteps.PronounAfterVerb(z, s_pronouns, s_pronounVerbs, rv))
        {
            case 1: z.SliceDel(); break;
            case 2: z.SliceFrom("e"); break;
        }
    }

    private static bool StandardSuffix(SnowballCursor z, int rv, int p1, int p2)
    {
        z.C = z.Limit;
        var rule = z.SliceAmongB(s_standard);
        if (rule == 0 || z.C < rule switch { 10 => rv, 11 => p1, _ => p2 }) return false;
        if (RomanceSteps.SharedStandardRule(z, rule, p2)) return true;
        switch (rule)
        {
            case 10:
                z.SliceDel();
                break;
            case 11:
                RomanceSteps.DeleteAmente(z, s_afterAmente, p2);
                break;
            case 12:
                z.SliceDel();
                if (z.DeleteInRegionB("at", p2)) z.DeleteInRegionB("ic", p2);
                break;
        }
        return true;
    }

    private static void VerbSuffix(SnowballCursor z, int rv)
    {
        z.C = z.Limit;
        if (z.SliceAmongB(s_verb, rv) > 0) z.SliceDel();
    }

    private static void VowelSuffix(SnowballCursor z, int rv)
    {
        // A final a, e, i, o (or with a grave accent) in RV, then an i before it in RV ("crocchio" -> "crocch").
        z.C = z.Limit;
        z.Ket = z.C;
        if (z.GroupingB(FinalVowels, inSet: true) && z.C >= rv)
        {
            z.Bra = z.C;
            z.SliceDel();
            z.DeleteInRegionB("i", rv);
        }
        // "ch" and "gh" lose the h when the c or g is in RV.
        z.C = z.Limit;
        if (z.SliceEqB("h") && z.FindAmongB(s_chGh) > 0 && z.C >= rv) z.SliceDel();
    }
}
