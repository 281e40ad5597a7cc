namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The Snowball Romanian stemmer (the version mongod's libstemmer carries), written from the published algorithm. Like
/// that version it knows s and t with a cedilla ("ş", "ţ") only: the comma-below letters ("ș", "ț") that Snowball 3.0
/// maps onto them are ordinary consonants here, as on mongod. Each step reads backwards from the word's end.
/// </summary>
internal static class RomanianStemmer
{
    private const string Vowels = "aeiouâîă";

    private static readonly Among s_step0 = new(
        (1, "ul ului"), (2, "aua"), (3, "ea ele elor"), (4, "ii iua iei iile iilor ilor"), (5, "ile"), (6, "atei"),
        (7, "aţie aţia"));

    private static readonly Among s_combo = new(
        (1, "abilitate abilitati abilităi abilităţi"), (2, "ibilitate"), (3, "ivitate ivitati ivităi ivităţi"),
        (4, "icitate icitati icităi icităţi icator icatori iciv iciva icive icivi icivă ical icala icale icali icală"),
        (5, "ativ ativa ative ativi ativă aţiune atoare ator atori ătoare ător ători"),
        (6, "itiv itiva itive itivi itivă iţiune itoare itor itori"));

    private static readonly string[] s_comboReplacements = ["", "abil", "ibil", "iv", "ic", "at", "it"];

    private static readonly Among s_standard = new(
        (1, "ica abila ibila oasa ata ita anta uta iva ic ice abile ibile oase ate itate ite ante ute ive ici abili " +
            "ibili atori osi ati itati iti anti uti ivi ităi oşi ităţi abil ibil ator os at it ant ut iv ică abilă " +
            "ibilă oasă ată ită antă ută ivă"),
        (2, "iune iuni"), (3, "ista isme iste isti işti ism ist istă"));

    private static readonly Among s_verb = new(
        (1, "ea ia esc ăsc ind ând are ere ire âre ase ise use âse eşte ăşte eze ai eai iai eşti ăşti ui ezi âi aşi " +
            "aseşi iseşi useşi âseşi işi uşi âşi eaţi iaţi arăţi aserăţi iserăţi userăţi âserăţi irăţi urăţi ârăţi " +
            "am eam iam asem isem usem âsem arăm aserăm iserăm userăm âserăm irăm urăm ârăm au eau iau indu ându ez " +
            "ească ară aseră iseră useră âseră iră ură âră ează"),
        (2, "se sese sei seşi seseşi aţi eţi iţi âţi serăţi seserăţi em sesem im âm ăm serăm seserăm seră seseră"));

    private static readonly Among s_vowel = new((1, "a e i ie ă"));

    /// <summary>The stem of <paramref name="word"/>, a lower-cased token (other letters are kept as they are).</summary>
    public static string Stem(string word)
    {
        var z = SnowballCursor.Load(word);
        // A u or i between vowels is a consonant.
        z.MarkBetweenVowels(Vowels, "ui");
        var (rv, p1, p2) = RomanceSteps.Regions(z, Vowels);

        Step0(z, p1);
        if (!StandardSuffix(z, p1, p2)) VerbSuffix(z, rv);
        z.C = z.Limit;
        if (z.SliceAmongInRegionB(s_vowel, rv) > 0) z.SliceDel();

        z.Fold("IU", "iu");
        return z.ToString();
    }

    private static void Step0(SnowballCursor z, int p1)
    {
        z.C = z.Limit;
        switch (z.SliceAmongInRegionB(s_step0, p1))
        {
            case 1: z.SliceDel(); break;
            case 2: z.SliceFrom("a"); break;
            case 3: z.SliceFrom("e"); break;
            case 4: z.SliceFrom("i"); break;
            case 5: if (!z.EqB("ab")) z.SliceFrom("i"); break;
            case 6: z.SliceFrom("at"); break;
            case 7: z.SliceFrom("aţi"); break;
        }
    }

    /// <summary>Step 1 (combined suffixes, repeatedly) and step 2 (standard suffixes); whether either changed the word.</summary>
    private static bool StandardSuffix(SnowballCursor z, int p1, int p2)
    {
        var removed = false;
        while (true)
        {
            z.C = z.Limit;
            var combo = z.SliceAmongInRegionB(s_combo, p1);
            if (combo == 0) break;
            z.SliceFrom(s_comboReplacements[combo]);
            removed = true;
        }
        z.C = z.Limit;
        switch (z.SliceAmongInRegionB(s_standard, p2))
        {
            case 0: return removed;
            case 1:
                z.SliceDel();
                break;
            case 2:
                // "-ţiune" becomes "t".
                if (!z.EqB("ţ")) return removed;
                z.Bra = z.C;
                z.SliceFrom("t");
                break;
            case 3:
                z.SliceFrom("ist");
                break;
        }
        return true;
    }

    private static void VerbSuffix(SnowballCursor z, int rv)
    {
        z.C = z.Limit;
        var rule = z.SliceAmongB(s_verb, rv);
        // The first group goes only after a consonant or u, itself in RV.
        if (rule == 0 || (rule == 1 && !(z.C > rv && (z.GroupingB(Vowels, inSet: false) || z.EqB("u"))))) return;
        z.SliceDel();
    }
}
