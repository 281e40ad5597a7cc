using System.Text;
using static Mongo.InMemory.Engine.Text.Stemmers.SnowballRegions;

namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The Snowball Romanian stemmer (the version mongod's libstemmer carries), written from the published algorithm. Like
/// that version it knows s and t with a cedilla ("ş", "ţ") only: the comma-below letters ("ș", "ț") that Snowball 3.0
/// maps onto them are ordinary consonants here, as on mongod.
/// </summary>
internal static class RomanianStemmer
{
    private const string Vowels = "aeiouâîă";

    private static readonly SuffixTable s_step0 = new(
        (1, "ul ului"), (2, "aua"), (3, "ea ele elor"), (4, "ii iua iei iile iilor ilor"), (5, "ile"), (6, "atei"),
        (7, "aţie aţia"));

    private static readonly SuffixTable s_combo = new(
        (1, "abilitate abilitati abilităi abilităţi"), (2, "ibilitate"), (3, "ivitate ivitati ivităi ivităţi"),
        (4, "icitate icitati icităi icităţi icator icatori iciv iciva icive icivi icivă ical icala icale icali icală"),
        (5, "ativ ativa ative ativi ativă aţiune atoare ator atori ătoare ător ători"),
        (6, "itiv itiva itive itivi itivă iţiune itoare itor itori"));

    private static readonly string[] s_comboReplacements = ["", "abil", "ibil", "iv", "ic", "at", "it"];

    private static readonly SuffixTable s_standard = new(
        (1, "ica abila ibila oasa ata ita anta uta iva ic ice abile ibile oase ate itate ite ante ute ive ici abili " +
            "ibili atori osi ati itati iti anti uti ivi ităi oşi ităţi abil ibil ator os at it ant ut iv ică abilă " +
            "ibilă oasă ată ită antă ută ivă"),
        (2, "iune iuni"), (3, "ista isme iste isti işti ism ist istă"));

    private static readonly SuffixTable s_verb = new(
        (1, "ea ia esc ăsc ind ând are ere ire âre ase ise use âse eşte ăşte eze ai eai iai eşti ăşti ui ezi âi aşi " +
            "aseşi iseşi useşi âseşi işi uşi âşi eaţi iaţi arăţi aserăţi iserăţi userăţi âserăţi irăţi urăţi ârăţi " +
            "am eam iam asem isem usem âsem arăm aserăm iserăm userăm âserăm irăm urăm ârăm au eau iau indu ându ez " +
            "ească ară aseră iseră useră âseră iră ură âră ează"),
        (2, "se sese sei seşi seseşi aţi eţi iţi âţi serăţi seserăţi em sesem im âm ăm serăm seserăm seră seseră"));

    private static readonly SuffixTable s_vowel = new((1, "a e i ie ă"));

    /// <summary>The stem of <paramref name="word"/>, a lower-cased token (other letters are kept as they are).</summary>
    public static string Stem(string word)
    {
        var w = new StringBuilder(word);
        // A u or i between vowels is a consonant.
        for (var i = 1; i + 1 < w.Length; i++)
        {
            if (!IsIn(w[i - 1], Vowels) || !IsIn(w[i + 1], Vowels)) continue;
            if (w[i] == 'u') w[i] = 'U';
            else if (w[i] == 'i') w[i] = 'I';
        }
        var rv = RomanceRv(w, Vowels);
        var r1 = RegionAfterVowelConsonant(w, Vowels);
        var r2 = RegionAfterVowelConsonant(w, Vowels, r1);

        Step0(w, r1);
        if (!StandardSuffix(w, r1, r2)) VerbSuffix(w, rv);
        var (vowel, length) = s_vowel.Find(w);
        if (vowel != 0 && w.Length - length >= rv) w.Length -= length;

        for (var i = 0; i < w.Length; i++)
        {
            if (w[i] == 'I') w[i] = 'i';
            else if (w[i] == 'U') w[i] = 'u';
        }
        return w.ToString();
    }

    private static void Step0(StringBuilder w, int r1)
    {
        var (rule, length) = s_step0.Find(w);
        var start = w.Length - length;
        if (rule == 0 || start < r1) return;
        switch (rule)
        {
            case 1: w.Length = start; break;
            case 2: ReplaceEnd(w, length, "a"); break;
            case 3: ReplaceEnd(w, length, "e"); break;
            case 4: ReplaceEnd(w, length, "i"); break;
            case 5: if (!EndsWith(w, "ab", start)) ReplaceEnd(w, length, "i"); break;
            case 6: ReplaceEnd(w, length, "at"); break;
            case 7: ReplaceEnd(w, length, "aţi"); break;
        }
    }

    /// <summary>Step 1 (combined suffixes, repeatedly) and step 2 (standard suffixes); whether either changed the word.</summary>
    private static bool StandardSuffix(StringBuilder w, int r1, int r2)
    {
        var removed = false;
        while (true)
        {
            var (combo, comboLength) = s_combo.Find(w);
            if (combo == 0 || w.Length - comboLength < r1) break;
            ReplaceEnd(w, comboLength, s_comboReplacements[combo]);
            removed = true;
        }
        var (rule, length) = s_standard.Find(w);
        var start = w.Length - length;
        if (rule == 0 || start < r2) return removed;
        switch (rule)
        {
            case 1: w.Length = start; break;
            case 2:
                // "-ţiune" becomes "t".
                if (!Before(w, start, 'ţ')) return removed;
                ReplaceEnd(w, length + 1, "t");
                break;
            case 3: ReplaceEnd(w, length, "ist"); break;
        }
        return true;
    }

    private static void VerbSuffix(StringBuilder w, int rv)
    {
        var (rule, length) = s_verb.Find(w, w.Length, rv);
        if (rule == 0) return;
        var start = w.Length - length;
        // The first group goes only after a consonant or u, itself in RV.
        if (rule == 1 && !(start - 1 >= rv && (!IsIn(w[start - 1], Vowels) || w[start - 1] == 'u'))) return;
        w.Length = start;
    }
}
