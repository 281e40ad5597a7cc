namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>The Snowball Hungarian stemmer, written from the algorithm's published description.</summary>
internal static class HungarianStemmer
{
    private const string Vowels = "aeiouáéíóöőúüű";

    // Consonants written with two or three letters count as one when R1 starts after a leading vowel.
    private static readonly string[] s_digraphs = ["cs", "gy", "ly", "ny", "sz", "ty", "zs", "dzs"];

    private static readonly string[] s_doubles =
    [
        "bb", "cc", "ccs", "dd", "ff", "gg", "ggy", "jj", "kk", "ll", "lly", "mm", "nn", "nny", "pp", "rr", "ss", "ssz",
        "tt", "tty", "vv", "zz", "zzs",
    ];

    private static readonly string[] s_instrum = ["al", "el"];

    private static readonly string[] s_case =
    [
        "ban", "ben", "ba", "be", "ra", "re", "nak", "nek", "val", "vel", "tól", "től", "ról", "ről", "ból", "ből", "hoz",
        "hez", "höz", "nál", "nél", "ig", "at", "et", "ot", "öt", "ért", "képp", "képpen", "kor", "ul", "ül", "vá", "vé",
        "onként", "enként", "anként", "ként", "en", "on", "an", "ön", "n", "t",
    ];

    private static readonly string[] s_vEnding = ["á", "é"];
    private static readonly string[] s_vEndingTo = ["a", "e"];

    private static readonly string[] s_caseSpecial = ["én", "án", "ánként"];
    private static readonly string[] s_caseSpecialTo = ["e", "a", "a"];

    private static readonly string[] s_caseOther = ["astul", "estül", "stul", "stül", "ástul", "éstül"];
    private static readonly string[] s_caseOtherTo = ["", "", "", "", "a", "e"];

    private static readonly string[] s_factive = ["á", "é"];

    private static readonly string[] s_owned = ["oké", "öké", "aké", "eké", "éké", "áké", "ké", "ééi", "áéi", "éi", "éé", "é"];
    private static readonly string[] s_ownedTo = ["", "", "", "", "e", "a", "", "e", "a", "", "e", ""];

    private static readonly string[] s_singOwner =
    [
        "ünk", "unk", "ánk", "énk", "nk", "ájuk", "éjük", "juk", "jük", "uk", "ük", "em", "om", "am", "ám", "ém", "m", "od",
        "ed", "ad", "öd", "ád", "éd", "d", "ja", "je", "a", "e", "o", "á", "é",
    ];

    private static readonly string[] s_singOwnerTo =
    [
        "", "", "a", "e", "", "a", "e", "", "", "", "", "", "", "", "a", "e", "", "", "", "", "", "a", "e", "", "", "",
        "", "", "", "a", "e",
    ];

    private static readonly string[] s_plurOwner =
    [
        "jaim", "jeim", "áim", "éim", "aim", "eim", "im", "jaid", "jeid", "áid", "éid", "aid", "eid", "id", "jai", "jei",
        "ái", "éi", "ai", "ei", "i", "jaink", "jeink", "eink", "aink", "áink", "éink", "ink", "jaitok", "jeitek", "aitok",
        "eitek", "áitok", "éitek", "itek", "jeik", "jaik", "aik", "eik", "áik", "éik", "ik",
    ];

    private static readonly string[] s_plurOwnerTo =
    [
        "", "", "a", "e", "", "", "", "", "", "a", "e", "", "", "", "", "", "a", "e", "", "", "", "", "", "", "", "a", "e",
        "", "", "", "", "", "a", "e", "", "", "", "", "", "a", "e", "",
    ];

    private static readonly string[] s_plural = ["ák", "ék", "ök", "ak", "ok", "ek", "k"];
    private static readonly string[] s_pluralTo = ["a", "e", "", "", "", "", ""];

    /// <summary>The stem of a lower-case word.</summary>
    public static string Stem(string word)
    {
        var z = SnowballCursor.Load(word);
        var p1 = R1(z);
        z.Backwards();

        // Instrumental "-al"/"-el" after a doubled consonant: the ending goes and the consonant is undoubled.
        DoubledAndUndouble(z, p1, s_instrum);
        z.C = z.Limit;
        // Cases, then a final long vowel they uncovered is shortened.
        if (InR1(z, s_case, p1) >= 0)
        {
            z.SliceDel();
            var found = InR1(z, s_vEnding, p1);
            if (found >= 0) z.SliceFrom(s_vEndingTo[found]);
        }
        z.C = z.Limit;
        Replace(z, p1, s_caseSpecial, s_caseSpecialTo);
        Replace(z, p1, s_caseOther, s_caseOtherTo);
        DoubledAndUndouble(z, p1, s_factive);
        z.C = z.Limit;
        Replace(z, p1, s_owned, s_ownedTo);
        Replace(z, p1, s_singOwner, s_singOwnerTo);
        Replace(z, p1, s_plurOwner, s_plurOwnerTo);
        Replace(z, p1, s_plural, s_pluralTo);
        return z.ToString();
    }

    // R1: after a leading vowel, after the next consonant (a multi-letter one whole); after a leading consonant, after
    // the first vowel.
    private static int R1(SnowballCursor z)
    {
        z.C = 0;
        var p1 = z.Limit;
        if (z.Grouping(Vowels, inSet: true) && z.GoTo(Vowels, inSet: false))
        {
            if (z.FindAmong(s_digraphs) < 0) z.C++;
            p1 = z.C;
        }
        else
        {
            z.C = 0;
            if (z.Grouping(Vowels, inSet: false) && z.GoPast(Vowels, inSet: true)) p1 = z.C;
        }
        z.C = 0;
        return p1;
    }

    // [substring] R1 among(...): the longest suffix, which must start in R1 (no shorter one is tried).
    private static int InR1(SnowballCursor z, string[] suffixes, int p1)
    {
        var found = z.SliceAmongB(suffixes);
        return found >= 0 && z.C >= p1 ? found : -1;
    }

    private static void Replace(SnowballCursor z, int p1, string[] suffixes, string[] replacements)
    {
        var found = InR1(z, suffixes, p1);
        if (found >= 0) z.SliceFrom(replacements[found]);
        z.C = z.Limit;
    }

    private static void DoubledAndUndouble(SnowballCursor z, int p1, string[] suffixes)
    {
        if (InR1(z, suffixes, p1) < 0) return;
        var at = z.C;
        var doubled = z.FindAmongB(s_doubles) >= 0;
        z.C = at;
        if (!doubled) return;
        z.SliceDel();
        // Undouble: the letter before the last one goes ("ccs" → "cs", "bb" → "b").
        if (!z.NextB()) return;
        z.Ket = z.C;
        if (!z.NextB()) return;
        z.Bra = z.C;
        z.SliceDel();
    }
}
