namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>The French stemmer's suffix steps: standard suffixes, verb suffixes and the residual suffix.</summary>
internal static partial class FrenchStemmer
{
    private static readonly Among s_standard = new(
        (1, "ance iqUe isme able iste eux ances iqUes ismes ables istes"),
        (2, "atrice ateur ation atrices ateurs ations"), (3, "logie logies"), (4, "usion ution usions utions"),
        (5, "ence ences"), (6, "ement ements"), (7, "ité ités"), (8, "if ive ifs ives"), (9, "eaux"), (10, "aux"),
        (11, "euse euses"), (12, "issement issements"), (13, "amment"), (14, "emment"), (15, "ment ments"));

    private static readonly Among s_afterEment = new((1, "iv"), (2, "eus"), (3, "abl iqU"), (4, "ièr Ièr"));
    private static readonly Among s_afterIte = new((1, "abil"), (2, "ic"), (3, "iv"));

    private static readonly Among s_iVerb = new((1,
        "îmes ît îtes i ie ies ir ira irai iraIent irais irait iras irent irez iriez irions irons iront is issaIent " +
        "issais issait issant issante issantes issants isse issent isses issez issiez issions issons it"));

    private static readonly Among s_verb = new(
        (1, "ions"),
        (2, "é ée ées és èrent er era erai eraIent erais erait eras erez eriez erions erons eront ez iez"),
        (3, "âmes ât âtes a ai aIent ais ait ant ante antes ants as asse assent asses assiez assions"));

    private static readonly Among s_residual = new((1, "ion"), (2, "ier ière Ier Ière"), (3, "e"), (4, "ë"));

    /// <summary>Step 1; false when it removed nothing, or handled amment, emment, ment or ments (step 2 follows).</summary>
    private static bool StandardSuffix(SnowballCursor z, int rv, int p1, int p2)
    {
        z.C = z.Limit;
        var rule = z.SliceAmongB(s_standard);
        var region = rule switch { 6 => rv, 9 or 11 or 12 or 13 or 14 or 15 => 0, 10 => p1, _ => p2 };
        if (rule == 0 || z.C < region) return false;
        switch (rule)
        {
            case 1:
                z.SliceDel();
                break;
            case 2:
                z.SliceDel();
                IcToIqU(z, p2);
                break;
            case 3: z.SliceFrom("log"); break;
            case 4: z.SliceFrom("u"); break;
            case 5: z.SliceFrom("ent"); break;
            case 6:
                z.SliceDel();
                AfterEment(z, rv, p1, p2);
                break;
            case 7:
                z.SliceDel();
                switch (z.SliceAmongB(s_afterIte))
                {
                    case 1: z.SliceFrom(z.C >= p2 ? "" : "abl"); break;
                    case 2: z.SliceFrom(z.C >= p2 ? "" : "iqU"); break;
                    case 3: if (z.C >= p2) z.SliceDel(); break;
                }
                break;
            case 8:
                z.SliceDel();
                if (z.DeleteInRegionB("at", p2)) IcToIqU(z, p2);
                break;
            case 9: z.SliceFrom("eau"); break;
            case 10: z.SliceFrom("al"); break;
            case 11:
                if (z.C >= p2) z.SliceDel();
                else if (z.C >= p1) z.SliceFrom("eux");
                else return false;
                break;
            case 12:
                if (z.C < p1 || !z.GroupingB(Vowels, inSet: false)) return false;
                z.SliceDel();
                break;
            case 13 or 14:
                // Handled, but step 2 still follows.
                if (z.C >= rv) z.SliceFrom(rule == 13 ? "ant" : "ent");
                return false;
            case 15:
                // After a vowel in RV; step 2 still follows.
                if (z.GroupingB(Vowels, inSet: true) && z.C >= rv) z.SliceDel();
                return false;
        }
        return true;
    }

    /// <summary>"ic" is deleted in R2, otherwise becomes "iqU".</summary>
    private static void IcToIqU(SnowballCursor z, int p2)
    {
        if (z.SliceEqB("ic")) z.SliceFrom(z.C >= p2 ? "" : "iqU");
    }

    private static void AfterEment(SnowballCursor z, int rv, int p1, int p2)
    {
        switch (z.SliceAmongB(s_afterEment))
        {
            case 1:
                if (z.C < p2) return;
                z.SliceDel();
                z.DeleteInRegionB("at", p2);
                break;
            case 2:
                if (z.C >= p2) z.SliceDel();
                else if (z.C >= p1) z.SliceFrom("eux");
                break;
            case 3:
                if (z.C >= p2) z.SliceDel();
                break;
            case 4:
                if (z.C >= rv) z.SliceFrom("i");
                break;
        }
    }

    /// <summary>Step 2a: i-verb endings in RV after a non-vowel that is also in RV.</summary>
    private static bool IVerbSuffix(SnowballCursor z, int rv)
    {
        z.C = z.Limit;
        if (z.SliceAmongB(s_iVerb, rv) == 0 || z.C <= rv || !z.GroupingB(Vowels, inSet: false)) return false;
        z.SliceDel();
        return true;
    }

    /// <summary>Step 2b: other verb endings in RV.</summary>
    private static bool VerbSuffix(SnowballCursor z, int rv, int p2)
    {
        z.C = z.Limit;
        switch (z.SliceAmongB(s_verb, rv))
        {
            case 0:
                return false;
            case 1:
                if (z.C < p2) return false;
                z.SliceDel();
                break;
            case 2:
                z.SliceDel();
                break;
            case 3:
                z.SliceDel();
                z.DeleteInRegionB("e", rv);
                break;
        }
        return true;
    }

    /// <summary>Step 4, when steps 1 and 2 left the word as it was.</summary>
    private static void ResidualSuffix(SnowballCursor z, int rv, int p2)
    {
        // A final s goes unless after a, i, o, u, è or s (wherever it is).
        z.C = z.Limit;
        if (z.SliceEqB("s") && z.GroupingB("aiosuè", inSet: false)) z.SliceDel();
        z.C = z.Limit;
        switch (z.SliceAmongB(s_residual, rv))
        {
            case 1:
                if (z.C >= p2 && z.C > rv && (z.EqB("s") || z.EqB("t"))) z.SliceDel();
                break;
            case 2:
                z.SliceFrom("i");
                break;
            case 3:
                z.SliceDel();
                break;
            case 4:
                if (z.C >= rv + 2 && z.EqB("gu")) z.SliceDel();
                break;
        }
    }
}
