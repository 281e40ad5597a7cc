using System.Text;
using static Mongo.InMemory.Engine.Text.Stemmers.SnowballRegions;

namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The Snowball French stemmer as mongod's libstemmer carries it, written from the published algorithm. mongod's copy
/// predates Snowball 2.0, which began reading "ë" and "ï" as "He" and "Hi" so suffixes after a diaeresis are found:
/// here, as on mongod, "ë" and "ï" are plain vowels and a final "ë" after "gu" is removed ("aiguë" -> "aigu").
/// </summary>
internal static class FrenchStemmer
{
    private const string Vowels = "aeiouyàâèéêëîïôùû";

    private static readonly SuffixTable s_standard = new(
        (1, "ance iqUe isme able iste eux ances iqUes ismes ables istes"),
        (2, "atrice ateur ation atrices ateurs ations"), (3, "logie logies"), (4, "usion ution usions utions"),
        (5, "ence ences"), (6, "ement ements"), (7, "ité ités"), (8, "if ive ifs ives"), (9, "eaux"), (10, "aux"),
        (11, "euse euses"), (12, "issement issements"), (13, "amment"), (14, "emment"), (15, "ment ments"));

    private static readonly SuffixTable s_afterEment = new((1, "iv"), (2, "eus"), (3, "abl iqU"), (4, "ièr Ièr"));
    private static readonly SuffixTable s_afterIte = new((1, "abil"), (2, "ic"), (3, "iv"));

    private static readonly SuffixTable s_iVerb = new((1,
        "îmes ît îtes i ie ies ir ira irai iraIent irais irait iras irent irez iriez irions irons iront is issaIent " +
        "issais issait issant issante issantes issants isse issent isses issez issiez issions issons it"));

    private static readonly SuffixTable s_verb = new(
        (1, "ions"),
        (2, "é ée ées és èrent er era erai eraIent erais erait eras erez eriez erions erons eront ez iez"),
        (3, "âmes ât âtes a ai aIent ais ait ant ante antes ants as asse assent asses assiez assions"));

    private static readonly SuffixTable s_residual = new((1, "ion"), (2, "ier ière Ier Ière"), (3, "e"), (4, "ë"));
    private static readonly SuffixTable s_double = new((1, "enn onn ett ell eill"));

    /// <summary>The stem of <paramref name="word"/>, a lower-cased token (other letters are kept as they are).</summary>
    public static string Stem(string word)
    {
        var w = new StringBuilder(word);
        MarkConsonants(w);
        var rv = Rv(w);
        var r1 = RegionAfterVowelConsonant(w, Vowels);
        var r2 = RegionAfterVowelConsonant(w, Vowels, r1);

        // Step 2 follows when step 1 removed nothing or handled amment, emment, ment or ments.
        if (StandardSuffix(w, rv, r1, r2) || IVerbSuffix(w, rv) || VerbSuffix(w, rv, r2))
        {
            // After step 1 or 2 changed the word: a final Y becomes i, a final ç becomes c.
            if (EndsWith(w, "Y")) ReplaceEnd(w, 1, "i");
            else if (EndsWith(w, "ç")) ReplaceEnd(w, 1, "c");
        }
        else ResidualSuffix(w, rv, r2);

        // A final "enn", "onn", "ett", "ell" or "eill" loses its last letter.
        if (s_double.Find(w).Rule != 0) w.Length--;
        UnAccent(w);

        for (var i = 0; i < w.Length; i++)
        {
            w[i] = w[i] switch { 'I' => 'i', 'U' => 'u', 'Y' => 'y', var c => c };
        }
        return w.ToString();
    }

    /// <summary>
    /// Marks letters that act as consonants with upper case, scanning left to right: after a vowel, a u or i that
    /// precedes a vowel, or a y; else a y before a vowel; else the u after q.
    /// </summary>
    private static void MarkConsonants(StringBuilder w)
    {
        for (var p = 0; p + 1 < w.Length; p++)
        {
            var next = w[p + 1];
            if (IsIn(w[p], Vowels))
            {
                if (next is 'u' or 'i' && p + 2 < w.Length && IsIn(w[p + 2], Vowels))
                {
                    w[p + 1] = char.ToUpperInvariant(next);
                    continue;
                }
                if (next == 'y')
                {
                    w[p + 1] = 'Y';
                    continue;
                }
            }
            if (w[p] == 'y' && IsIn(next, Vowels)) w[p] = 'Y';
            else if (w[p] == 'q' && next == 'u') w[p + 1] = 'U';
        }
    }

    /// <summary>
    /// RV: after the third letter when the word begins with two vowels, after "par", "col" or "tap" at the start,
    /// otherwise after the first vowel that is not the first letter.
    /// </summary>
    private static int Rv(StringBuilder w)
    {
        if (w.Length >= 2 && IsIn(w[0], Vowels) && IsIn(w[1], Vowels)) return w.Length >= 3 ? 3 : w.Length;
        if (EndsWith(w, "par", 3) || EndsWith(w, "col", 3) || EndsWith(w, "tap", 3)) return 3;
        for (var i = 1; i < w.Length; i++)
            if (IsIn(w[i], Vowels)) return i + 1;
        return w.Length;
    }

    /// <summary>Step 1; false when it removed nothing, or handled amment, emment, ment or ments (step 2 follows).</summary>
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
                w.Length = start;
                IcToIqU(w, r2);
                break;
            case 3:
                if (start < r2) return false;
                ReplaceEnd(w, length, "log");
                break;
            case 4:
                if (start < r2) return false;
                ReplaceEnd(w, length, "u");
                break;
            case 5:
                if (start < r2) return false;
                ReplaceEnd(w, length, "ent");
                break;
            case 6:
                if (start < rv) return false;
                w.Length = start;
                AfterEment(w, rv, r1, r2);
                break;
            case 7:
                if (start < r2) return false;
                w.Length = start;
                var (after, afterLength) = s_afterIte.Find(w);
                var afterStart = w.Length - afterLength;
                if (after == 1) ReplaceEnd(w, afterLength, afterStart >= r2 ? "" : "abl");
                else if (after == 2) ReplaceEnd(w, afterLength, afterStart >= r2 ? "" : "iqU");
                else if (after == 3 && afterStart >= r2) w.Length = afterStart;
                break;
            case 8:
                if (start < r2) return false;
                w.Length = start;
                if (EndsWith(w, "at") && w.Length - 2 >= r2)
                {
                    w.Length -= 2;
                    IcToIqU(w, r2);
                }
                break;
            case 9:
                ReplaceEnd(w, length, "eau");
                break;
            case 10:
                if (start < r1) return false;
                ReplaceEnd(w, length, "al");
                break;
            case 11:
                if (start >= r2) w.Length = start;
                else if (start >= r1) ReplaceEnd(w, length, "eux");
                else return false;
                break;
            case 12:
                if (start < r1 || start == 0 || IsIn(w[start - 1], Vowels)) return false;
                w.Length = start;
                break;
            case 13:
            case 14:
                // Handled, but step 2 still follows.
                if (start >= rv) ReplaceEnd(w, length, rule == 13 ? "ant" : "ent");
                return false;
            case 15:
                // After a vowel in RV; step 2 still follows.
                if (start > 0 && IsIn(w[start - 1], Vowels) && start - 1 >= rv) w.Length = start;
                return false;
        }
        return true;
    }

    /// <summary>"ic" is deleted in R2, otherwise becomes "iqU".</summary>
    private static void IcToIqU(StringBuilder w, int r2)
    {
        if (EndsWith(w, "ic")) ReplaceEnd(w, 2, w.Length - 2 >= r2 ? "" : "iqU");
    }

    private static void AfterEment(StringBuilder w, int rv, int r1, int r2)
    {
        var (rule, length) = s_afterEment.Find(w);
        var start = w.Length - length;
        switch (rule)
        {
            case 1:
                if (start < r2) return;
                w.Length = start;
                DeleteIfInRegion(w, "at", r2);
                break;
            case 2:
                if (start >= r2) w.Length = start;
                else if (start >= r1) ReplaceEnd(w, length, "eux");
                break;
            case 3:
                if (start >= r2) w.Length = start;
                break;
            case 4:
                if (start >= rv) ReplaceEnd(w, length, "i");
                break;
        }
    }

    /// <summary>Step 2a: i-verb endings in RV after a consonant that is also in RV.</summary>
    private static bool IVerbSuffix(StringBuilder w, int rv)
    {
        var (rule, length) = s_iVerb.Find(w, w.Length, rv);
        var start = w.Length - length;
        if (rule == 0 || start - 1 < rv || IsIn(w[start - 1], Vowels)) return false;
        w.Length = start;
        return true;
    }

    /// <summary>Step 2b: other verb endings in RV.</summary>
    private static bool VerbSuffix(StringBuilder w, int rv, int r2)
    {
        var (rule, length) = s_verb.Find(w, w.Length, rv);
        var start = w.Length - length;
        switch (rule)
        {
            case 0: return false;
            case 1:
                if (start < r2) return false;
                w.Length = start;
                break;
            case 2:
                w.Length = start;
                break;
            case 3:
                w.Length = start;
                if (EndsWith(w, "e") && w.Length - 1 >= rv) w.Length--;
                break;
        }
        return true;
    }

    /// <summary>Step 4, when steps 1 and 2 left the word as it was.</summary>
    private static void ResidualSuffix(StringBuilder w, int rv, int r2)
    {
        // A final s goes unless after a, i, o, u, è or s (wherever it is).
        if (EndsWith(w, "s") && w.Length >= 2 && !IsIn(w[^2], "aiosuè")) w.Length--;
        var (rule, length) = s_residual.Find(w, w.Length, rv);
        var start = w.Length - length;
        switch (rule)
        {
            case 1:
                if (start >= r2 && start - 1 >= rv && (w[start - 1] == 's' || w[start - 1] == 't')) w.Length = start;
                break;
            case 2:
                ReplaceEnd(w, length, "i");
                break;
            case 3:
                w.Length = start;
                break;
            case 4:
                if (start - 2 >= rv && EndsWith(w, "gu", start)) w.Length = start;
                break;
        }
    }

    /// <summary>Step 6: "é" or "è" followed only by non-vowels (at least one) becomes "e".</summary>
    private static void UnAccent(StringBuilder w)
    {
        var i = w.Length;
        while (i > 0 && !IsIn(w[i - 1], Vowels)) i--;
        if (i == w.Length || i == 0) return;
        if (w[i - 1] is 'é' or 'è') w[i - 1] = 'e';
    }
}
