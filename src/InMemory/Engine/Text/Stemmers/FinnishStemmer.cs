namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The Snowball Finnish stemmer, written from the algorithm's published description as libstemmer had it in 2011 —
/// the version mongod vendors: where Snowball 2.x asks for a consonant (b-z) the 2011 text asks for any non-vowel,
/// which only differs for digits and letters outside Finnish's alphabet.
/// </summary>
internal static class FinnishStemmer
{
    private const string Aei = "aäei";
    private const string V1 = "aeiouyäö";
    private const string V2 = "aeiouäö";
    private const string ParticleEnd = "aeiouyäönt";

    private static readonly Among s_particles = new((1, "kin kaan kään ko kö han hän pa pä"), (2, "sti"));

    private static readonly Among s_possessives = new(
        (1, "si"), (2, "ni"), (3, "nsa nsä mme nne"), (4, "an"), (5, "än"), (6, "en"));

    private static readonly Among s_anCases = new((1, "ta ssa sta lla lta na"));
    private static readonly Among s_änCases = new((1, "tä ssä stä llä ltä nä"));
    private static readonly Among s_enCases = new((1, "lle ine"));

    private static readonly Among s_long = new((1, "aa ee ii oo uu ää öö"));

    // Rules 1-6: "-hVn" after the same vowel; 7: "-siin", "-den", "-tten" after "i" and a vowel; 8: "-seen" after a
    // long vowel; 9: "-n"; 10: "-a"/"-ä"; 11: "-tta"/"-ttä"; 12: the rest.
    private static readonly Among s_cases = new(
        (1, "han"), (2, "hen"), (3, "hin"), (4, "hon"), (5, "hän"), (6, "hön"), (7, "siin den tten"), (8, "seen"),
        (9, "n"), (10, "a ä"), (11, "tta ttä"), (12, "ta tä ssa ssä sta stä lla llä lta ltä lle na nä ksi ine"));

    private static readonly string[] s_hVnVowels = ["a", "e", "i", "o", "ä", "ö"];

    private static readonly Among s_otherEndings = new((1, "mpi mpa mpä mmi mma mmä"), (2, "impi impa impä immi imma immä eja ejä"));

    private static readonly Among s_iPlural = new((1, "i j"));
    private static readonly Among s_mma = new((1, "mma"), (2, "imma"));

    /// <summary>The stem of a lower-case word.</summary>
    public static string Stem(string word)
    {
        var z = SnowballCursor.Load(word);
        var (p1, p2) = z.StandardRegions(V1);
        z.Backwards();

        ParticleEtc(z, p1, p2);
        z.C = z.Limit;
        Possessive(z, p1);
        z.C = z.Limit;
        var endingRemoved = CaseEnding(z, p1);
        z.C = z.Limit;
        OtherEndings(z, p2);
        z.C = z.Limit;
        if (endingRemoved)
        {
            if (z.SliceAmongB(s_iPlural, p1) > 0) z.SliceDel();
        }
        else TPlural(z, p1, p2);
        z.C = z.Limit;
        Tidy(z, p1);
        return z.ToString();
    }

    private static void ParticleEtc(SnowballCursor z, int p1, int p2)
    {
        var ok = z.SliceAmongB(s_particles, p1) switch
        {
            1 => z.GroupingB(ParticleEnd, inSet: true),
            2 => z.C >= p2,
            _ => false,
        };
        if (ok) z.SliceDel();
    }

    private static void Possessive(SnowballCursor z, int p1)
    {
        switch (z.SliceAmongB(s_possessives, p1))
        {
            case 1:
                // "ksi" is the translative case, not a possessive.
                if (!z.EqB("k")) z.SliceDel();
                break;
            case 2:
                z.SliceDel();
                if (z.SliceEqB("kse")) z.SliceFrom("ksi");
                break;
            case 3:
                z.SliceDel();
                break;
            case 4:
                if (z.FindAmongB(s_anCases) > 0) z.SliceDel();
                break;
            case 5:
                if (z.FindAmongB(s_änCases) > 0) z.SliceDel();
                break;
            case 6:
                if (z.FindAmongB(s_enCases) > 0) z.SliceDel();
                break;
        }
    }

    private static bool Long(SnowballCursor z) => z.FindAmongB(s_long) > 0;

    // "i" followed (before the cursor) by a vowel of V2.
    private static bool Vi(SnowballCursor z) => z.EqB("i") && z.GroupingB(V2, inSet: true);

    private static bool CaseEnding(SnowballCursor z, int p1)
    {
        // "siin", "den" and "tten" count only after "i" and a vowel, "seen" only after a long vowel (checked inside R1);
        // otherwise a shorter ending ("n") is taken.
        var rule = z.SliceAmongB(s_cases, p1, static (c, r) => r switch
        {
            7 => Vi(c),
            8 => Long(c),
            _ => true,
        });
        if (rule == 0) return false;
        var at = z.C;
        var ok = rule switch
        {
            <= 6 => z.EqB(s_hVnVowels[rule - 1]),
            9 => GenitiveOrIllative(z, at),
            // A partitive "a"/"ä" after a vowel that follows a non-vowel (2011: any non-vowel; 2.x: a consonant).
            10 => z.GroupingB(V1, inSet: true) && z.GroupingB(V1, inSet: false),
            11 => z.EqB("e"),
            _ => true,
        };
        if (!ok) return false;
        z.SliceDel();
        return true;
    }

    // Illative "-Vn" after a long vowel and genitive "-ien" lose the vowel with the "n".
    private static bool GenitiveOrIllative(SnowballCursor z, int at)
    {
        var extends = Long(z);
        if (!extends)
        {
            z.C = at;
            extends = z.EqB("ie");
        }
        z.C = at;
        // The slice grows by the letter before the "n" (always there: the long vowel or "ie" just matched).
        if (extends && z.NextB()) z.Bra = z.C;
        z.C = at;
        return true;
    }

    private static void OtherEndings(SnowballCursor z, int p2)
    {
        var rule = z.SliceAmongB(s_otherEndings, p2);
        if (rule == 0) return;
        // Comparatives, but not after "po".
        if (rule == 1 && z.EqB("po")) return;
        z.SliceDel();
    }

    private static void TPlural(SnowballCursor z, int p1, int p2)
    {
        if (z.C < p1) return;
        var saved = z.Lb;
        z.Lb = p1;
        var t = z.SliceEqB("t");
        if (t)
        {
            var at = z.C;
            t = z.GroupingB(V1, inSet: true);
            z.C = at;
        }
        z.Lb = saved;
        if (!t) return;
        z.SliceDel();

        var rule = z.SliceAmongB(s_mma, p2);
        if (rule == 0) return;
        if (rule == 1 && z.EqB("po")) return;
        z.SliceDel();
    }

    private static void Tidy(SnowballCursor z, int p1)
    {
        if (z.C < p1) return;
        var saved = z.Lb;
        z.Lb = p1;
        // Undouble a final long vowel.
        if (Long(z)) z.DeleteLastLetter();
        z.C = z.Limit;
        // A final a, ä, e or i after a non-vowel (2011) goes.
        z.Ket = z.C;
        if (z.GroupingB(Aei, inSet: true))
        {
            z.Bra = z.C;
            if (z.GroupingB(V1, inSet: false)) z.SliceDel();
        }
        z.C = z.Limit;
        // "oj"/"uj" lose the "j"; "jo" loses the "o".
        if (z.SliceEqB("j") && (z.EqB("o") || z.EqB("u"))) z.SliceDel();
        z.C = z.Limit;
        if (z.SliceEqB("o") && z.EqB("j")) z.SliceDel();
        z.C = z.Limit;
        z.Lb = saved;

        // Undouble the last non-vowel of the word (anywhere in it) when the letter before is the same.
        if (!z.GoToB(V1, inSet: false)) return;
        z.Ket = z.C;
        if (!z.NextB()) return;
        z.Bra = z.C;
        if (z.EqSliceB()) z.SliceDel();
    }
}
