namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>The Snowball Hungarian stemmer, written from the algorithm's published description.</summary>
internal static class HungarianStemmer
{
    private const string Vowels = "aeiouáéíóöőúüű";

    // Consonants written with two or three letters count as one when R1 starts after a leading vowel.
    private static readonly Among s_digraphs = new((1, "cs gy ly ny sz ty zs dzs"));

    private static readonly Among s_doubles = new(
        (1, "bb cc ccs dd ff gg ggy jj kk ll lly mm nn nny pp rr ss ssz tt tty vv zz zzs"));

    private static readonly Among s_instrum = new((1, "al el"));

    private static readonly Among s_case = new((1,
        "ban ben ba be ra re nak nek val vel tól től ról ről ból ből hoz hez höz nál nél ig at et ot öt ért képp " +
        "képpen kor ul ül vá vé onként enként anként ként en on an ön n t"));

    private static readonly Among s_factive = new((1, "á é"));

    // The tables below share their rules: 1 deletes the suffix, 2 leaves an "a", 3 an "e" in its place.
    private static readonly Among s_vEnding = new((2, "á"), (3, "é"));

    private static readonly Among s_caseSpecial = new((2, "án ánként"), (3, "én"));

    private static readonly Among s_caseOther = new((1, "astul estül stul stül"), (2, "ástul"), (3, "éstül"));

    private static readonly Among s_owned = new((1, "oké öké aké eké ké éi é"), (2, "áké áéi"), (3, "éké ééi éé"));

    private static readonly Among s_singOwner = new(
        (1, "ünk unk nk juk jük uk ük em om am m od ed ad öd d ja je a e o"),
        (2, "ánk ájuk ám ád á"),
        (3, "énk éjük ém éd é"));

    private static readonly Among s_plurOwner = new(
        (1, "jaim jeim aim eim im jaid jeid aid eid id jai jei ai ei i jaink jeink eink aink ink jaitok jeitek aitok " +
            "eitek itek jeik jaik aik eik ik"),
        (2, "áim áid ái áink áitok áik"),
        (3, "éim éid éi éink éitek éik"));

    private static readonly Among s_plural = new((1, "ök ak ok ek k"), (2, "ák"), (3, "ék"));

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
        if (InR1(z, s_case, p1) > 0)
        {
            z.SliceDel();
            Act(z, InR1(z, s_vEnding, p1));
        }
        z.C = z.Limit;
        Replace(z, p1, s_caseSpecial);
        Replace(z, p1, s_caseOther);
        DoubledAndUndouble(z, p1, s_factive);
        z.C = z.Limit;
        Replace(z, p1, s_owned);
        Replace(z, p1, s_singOwner);
        Replace(z, p1, s_plurOwner);
        Replace(z, p1, s_plural);
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
            if (z.FindAmong(s_digraphs) == 0) z.C++;
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
    private static int InR1(SnowballCursor z, Among suffixes, int p1)
    {
        var rule = z.SliceAmongB(suffixes);
        return rule > 0 && z.C >= p1 ? rule : 0;
    }

    private static void Act(SnowballCursor z, int rule)
    {
        switch (rule)
        {
            case 1: z.SliceDel(); break;
            case 2: z.SliceFrom("a"); break;
            case 3: z.SliceFrom("e"); break;
        }
    }

    private static void Replace(SnowballCursor z, int p1, Among suffixes)
    {
        Act(z, InR1(z, suffixes, p1));
        z.C = z.Limit;
    }

    private static void DoubledAndUndouble(SnowballCursor z, int p1, Among suffixes)
    {
        if (InR1(z, suffixes, p1) == 0) return;
        var at = z.C;
        var doubled = z.FindAmongB(s_doubles) > 0;
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
