using System.Text;
using static Mongo.InMemory.Engine.Text.Stemmers.SnowballRegions;

namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The Snowball Italian stemmer (the version mongod's libstemmer carries), written from the published algorithm:
/// acute accents become grave, "qu" and a u or i between vowels are marked as consonants, then attached pronouns, a
/// standard or verb suffix and a final vowel are removed.
/// </summary>
internal static class ItalianStemmer
{
    private const string Vowels = "aeiouàèìòù";

    private static readonly SuffixTable s_pronouns = new((1,
        "la cela gliela mela tela vela le cele gliele mele tele vele ne cene gliene mene sene tene vene ci li " +
        "celi glieli meli teli veli gli mi si ti vi lo celo glielo melo telo velo"));

    private static readonly SuffixTable s_pronounVerbs = new((1, "ando endo"), (2, "ar er ir"));

    private static readonly SuffixTable s_standard = new(
        (1, "ica osa ista anza ice atrice iche abile ibile ose ante mente iste anze ici atrici ichi abili ibili " +
            "ismi osi anti isti ico ismo oso istà istè istì"),
        (2, "azione azioni atore atori"), (3, "logia logie"), (4, "uzione uzioni usione usioni"), (5, "enza enze"),
        (6, "amento amenti imento imenti"), (7, "amente"), (8, "ità"), (9, "ivo ivi iva ive"));

    private static readonly SuffixTable s_afterAmente = new((1, "iv"), (2, "os ic abil"));
    private static readonly SuffixTable s_afterIta = new((1, "abil ic iv"));

    private static readonly SuffixTable s_verb = new((1,
        "isca enda ata ita uta ava eva iva erebbe irebbe isce ende are ere ire asse ate avate evate ivate ete " +
        "erete irete ite ereste ireste ute erai irai isci endi erei irei assi ati iti eresti iresti uti avi " +
        "evi ivi isco ando endo Yamo iamo avamo evamo ivamo eremo iremo assimo ammo emmo eremmo iremmo immo " +
        "ano iscano avano evano ivano eranno iranno ono iscono arono erono irono erebbero irebbero assero " +
        "essero issero ato ito uto avo evo ivo ar ir erà irà erò irò"));

    /// <summary>The stem of <paramref name="word"/>, a lower-cased token (other letters are kept as they are).</summary>
    public static string Stem(string word)
    {
        var w = new StringBuilder(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            w.Append(c switch { 'á' => 'à', 'é' => 'è', 'í' => 'ì', 'ó' => 'ò', 'ú' => 'ù', _ => c });
            // "qu": the u is a consonant.
            if (c == 'q' && i + 1 < word.Length && word[i + 1] == 'u')
            {
                w.Append('U');
                i++;
            }
        }
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

        AttachedPronoun(w, rv);
        if (!StandardSuffix(w, rv, r1, r2)) VerbSuffix(w, rv);
        VowelSuffix(w, rv);

        for (var i = 0; i < w.Length; i++)
        {
            if (w[i] == 'I') w[i] = 'i';
            else if (w[i] == 'U') w[i] = 'u';
        }
        return w.ToString();
    }

    private static void AttachedPronoun(StringBuilder w, int rv)
    {
        var (_, pronoun) = s_pronouns.Find(w);
        if (pronoun == 0) return;
        var end = w.Length - pronoun;
        var (rule, length) = s_pronounVerbs.Find(w, end);
        if (rule == 0 || end - length < rv) return;
        if (rule == 1) w.Length = end;
        else ReplaceEnd(w, pronoun, "e");
    }

    private static bool StandardSuffix(StringBuilder w, int rv, int r1, int r2)
    {
        var (rule, length) = s_standard.Find(w);
        if (rule == 0) return false;
        var start = w.Length - length;
        if (start < rule switch { 6 => rv, 7 => r1, _ => r2 }) return false;
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
            case 6: w.Length = start; break;
            case 7:
                w.Length = start;
                var (after, afterLength) = s_afterAmente.Find(w);
                if (after != 0 && w.Length - afterLength >= r2)
                {
                    w.Length -= afterLength;
                    if (after == 1) DeleteIfInRegion(w, "at", r2);
                }
                break;
            case 8:
                w.Length = start;
                DeleteTableSuffixInRegion(w, s_afterIta, r2);
                break;
            case 9:
                w.Length = start;
                if (EndsWith(w, "at") && w.Length - 2 >= r2)
                {
                    w.Length -= 2;
                    DeleteIfInRegion(w, "ic", r2);
                }
                break;
        }
        return true;
    }

    private static void VerbSuffix(StringBuilder w, int rv)
    {
        var (rule, length) = s_verb.Find(w, w.Length, rv);
        if (rule != 0) w.Length -= length;
    }

    private static void VowelSuffix(StringBuilder w, int rv)
    {
        // A final a, e, i, o (or with a grave accent) in RV, then an i before it in RV ("crocchio" -> "crocch").
        if (w.Length > 0 && "aeioàèìò".Contains(w[^1]) && w.Length - 1 >= rv)
        {
            w.Length--;
            if (EndsWith(w, "i") && w.Length - 1 >= rv) w.Length--;
        }
        // "ch" and "gh" lose the h when the c or g is in RV.
        if (EndsWith(w, "h") && w.Length >= 2 && (w[^2] == 'c' || w[^2] == 'g') && w.Length - 2 >= rv) w.Length--;
    }
}
