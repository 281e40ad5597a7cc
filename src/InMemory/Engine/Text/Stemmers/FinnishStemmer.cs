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

    private static readonly string[] s_particles = ["kin", "kaan", "kään", "ko", "kö", "han", "hän", "pa", "pä", "sti"];

    private static readonly string[] s_possessives = ["si", "ni", "nsa", "nsä", "mme", "nne", "an", "än", "en"];

    private static readonly string[] s_anCases = ["ta", "ssa", "sta", "lla", "lta", "na"];
    private static readonly string[] s_änCases = ["tä", "ssä", "stä", "llä", "ltä", "nä"];
    private static readonly string[] s_enCases = ["lle", "ine"];

    private static readonly string[] s_long = ["aa", "ee", "ii", "oo", "uu", "ää", "öö"];

    private static readonly string[] s_cases =
    [
        "han", "hen", "hin", "hon", "hän", "hön", "siin", "seen", "den", "tten", "n", "a", "ä", "tta", "ttä", "ta", "tä",
        "ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "na", "nä", "ksi", "ine",
    ];

    private static readonly string[] s_otherEndings =
    [
        "mpi", "mpa", "mpä", "mmi", "mma", "mmä", "impi", "impa", "impä", "immi", "imma", "immä", "eja", "ejä",
    ];

    private static readonly string[] s_iPlural = ["i", "j"];
    private static readonly string[] s_mma = ["mma", "imma"];

    /// <summary>The stem of a lower-case word.</summary>
    public static string Stem(string word)
    {
        var z = SnowballCursor.Load(word);
        int p1 = z.Limit, p2 = z.Limit;
        if (z.GoTo(V1, inSet: true) && z.GoPast(V1, inSet: false))
        {
            p1 = z.C;
            if (z.GoTo(V1, inSet: true) && z.GoPast(V1, inSet: false)) p2 = z.C;
        }
        z.C = 0;
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
            if (z.SliceAmongB(s_iPlural, p1) >= 0) z.SliceDel();
        }
        else TPlural(z, p1, p2);
        z.C = z.Limit;
        Tidy(z, p1);
        return z.ToString();
    }

    private static void ParticleEtc(SnowballCursor z, int p1, int p2)
    {
        var found = z.SliceAmongB(s_particles, p1);
        if (found < 0) return;
        var ok = s_particles[found] == "sti" ? z.C >= p2 : z.GroupingB(ParticleEnd, inSet: true);
        if (ok) z.SliceDel();
    }

    private static void Possessive(SnowballCursor z, int p1)
    {
        switch (z.SliceAmongB(s_possessives, p1) is var k and >= 0 ? s_possessives[k] : null)
        {
            case "si":
                // "ksi" is the translative case, not a possessive.
                if (!z.EqB("k")) z.SliceDel();
                break;
            case "ni":
                z.SliceDel();
                z.Ket = z.C;
                if (z.EqB("kse"))
                {
                    z.Bra = z.C;
                    z.SliceFrom("ksi");
                }
                break;
            case "nsa" or "nsä" or "mme" or "nne":
                z.SliceDel();
                break;
            case "an":
                if (z.FindAmongB(s_anCases) >= 0) z.SliceDel();
                break;
            case "än":
                if (z.FindAmongB(s_änCases) >= 0) z.SliceDel();
                break;
            case "en":
                if (z.FindAmongB(s_enCases) >= 0) z.SliceDel();
                break;
        }
    }

    private static bool Long(SnowballCursor z) => z.FindAmongB(s_long) >= 0;

    // "i" followed (before the cursor) by a vowel of V2.
    private static bool Vi(SnowballCursor z) => z.EqB("i") && z.GroupingB(V2, inSet: true);

    private static bool CaseEnding(SnowballCursor z, int p1)
    {
        // "siin", "den" and "tten" count only after "i" and a vowel, "seen" only after a long vowel (checked inside R1);
        // otherwise a shorter ending ("n") is taken.
        var found = z.SliceAmongB(s_cases, p1, static (c, k) => s_cases[k] switch
        {
            "siin" or "den" or "tten" => Vi(c),
            "seen" => Long(c),
            _ => true,
        });
        if (found < 0) return false;
        var at = z.C;
        var ok = s_cases[found] switch
        {
            "han" => z.EqB("a"),
            "hen" => z.EqB("e"),
            "hin" => z.EqB("i"),
            "hon" => z.EqB("o"),
            "hän" => z.EqB("ä"),
            "hön" => z.EqB("ö"),
            "n" => GenitiveOrIllative(z, at),
            // A partitive "a"/"ä" after a vowel that follows a non-vowel (2011: any non-vowel; 2.x: a consonant).
            "a" or "ä" => z.GroupingB(V1, inSet: true) && z.GroupingB(V1, inSet: false),
            "tta" or "ttä" => z.EqB("e"),
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
        var found = z.SliceAmongB(s_otherEndings, p2);
        if (found < 0) return;
        // Comparatives, but not after "po".
        if (found < 6 && z.EqB("po")) return;
        z.SliceDel();
    }

    private static void TPlural(SnowballCursor z, int p1, int p2)
    {
        if (z.C < p1) return;
        var saved = z.Lb;
        z.Lb = p1;
        z.Ket = z.C;
        var t = z.EqB("t");
        if (t)
        {
            z.Bra = z.C;
            var at = z.C;
            t = z.GroupingB(V1, inSet: true);
            z.C = at;
        }
        z.Lb = saved;
        if (!t) return;
        z.SliceDel();

        var found = z.SliceAmongB(s_mma, p2);
        if (found < 0) return;
        if (s_mma[found] == "mma" && z.EqB("po")) return;
        z.SliceDel();
    }

    private static void Tidy(SnowballCursor z, int p1)
    {
        if (z.C < p1) return;
        var saved = z.Lb;
        z.Lb = p1;
        // Undouble a final long vowel.
        if (Long(z))
        {
            z.C = z.Limit;
            z.Ket = z.C;
            if (z.NextB())
            {
                z.Bra = z.C;
                z.SliceDel();
            }
        }
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
        z.Ket = z.C;
        if (z.EqB("j"))
        {
            z.Bra = z.C;
            if (z.EqB("o") || z.EqB("u")) z.SliceDel();
        }
        z.C = z.Limit;
        z.Ket = z.C;
        if (z.EqB("o"))
        {
            z.Bra = z.C;
            if (z.EqB("j")) z.SliceDel();
        }
        z.C = z.Limit;
        z.Lb = saved;

        // Undouble the last non-vowel of the word (anywhere in it) when the letter before is the same.
        if (!z.GoToB(V1, inSet: false)) return;
        z.Ket = z.C;
        if (!z.NextB()) return;
        z.Bra = z.C;
        if (z.EqSliceB(z.SliceTo())) z.SliceDel();
    }
}
