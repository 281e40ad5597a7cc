namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// What the Spanish, Portuguese, Italian and Romanian stemmers share: their regions, the attached-pronoun test, the
/// suffixes an "-amente" or an "-idad" ("-idade", "-ità") leaves behind, and the removal of "-amente" with what
/// precedes it.
/// </summary>
internal static class RomanceSteps
{
    /// <summary>RV, R1 and R2 of the word, with the cursor then set for the backward steps.</summary>
    public static (int Rv, int P1, int P2) Regions(SnowballCursor z, string vowels)
    {
        var rv = z.RomanceRv(vowels);
        var (p1, p2) = z.StandardRegions(vowels);
        z.Backwards();
        return (rv, p1, p2);
    }

    /// <summary>
    /// <c>[substring] among(pronouns) substring RV among(verb forms)</c>, from the word's end: an attached pronoun (the
    /// slice) after a verb form that starts in RV (the cursor is before it); the verb form's rule, or 0.
    /// </summary>
    public static int PronounAfterVerb(SnowballCursor z, Among pronouns, Among verbForms, int rv)
    {
        z.C = z.Limit;
        if (z.SliceAmongB(pronouns) == 0) return 0;
        var rule = z.FindAmongB(verbForms);
        return z.C >= rv ? rule : 0;
    }

    /// <summary>
    /// The standard-suffix rules the three algorithms share, numbered alike in their tables: the suffix goes (1), goes
    /// with an "ic" in R2 before it (2), or becomes "log" (3), "u" (4) or "ente" (5); "-amente" goes with what precedes
    /// it (6), "-mente" with one of <paramref name="afterMente"/> (7), "-idad" with one of <see cref="AfterIdad"/> (8),
    /// "-iv" with an "at" (9), each follower only in R2. The caller has checked the suffix's region; false for a rule of
    /// its own.
    /// </summary>
    public static bool SharedStandardRule(SnowballCursor z, int rule, int p2, Among? afterMente = null)
    {
        switch (rule)
        {
            case 1:
                z.SliceDel();
                return true;
            case 2:
                z.SliceDel();
                z.DeleteInRegionB("ic", p2);
                return true;
            case 3: z.SliceFrom("log"); return true;
            case 4: z.SliceFrom("u"); return true;
            case 5: z.SliceFrom("ente"); return true;
            case 6:
                DeleteAmente(z, AfterAmente, p2);
                return true;
            case 7 when afterMente is not null:
                z.DeleteWithPrecedingB(afterMente, p2);
                return true;
            case 8:
                z.DeleteWithPrecedingB(AfterIdad, p2);
                return true;
            case 9:
                z.SliceDel();
                z.DeleteInRegionB("at", p2);
                return true;
            default:
                return false;
        }
    }

    /// <summary>What may precede "-amente" in Spanish and Portuguese: "iv" (rule 1, then "at" may go too), "os", "ic", "ad".</summary>
    public static readonly Among AfterAmente = new((1, "iv"), (2, "os ic ad"));

    /// <summary>What may precede "-idad(es)", "-idade(s)" and "-ità".</summary>
    public static readonly Among AfterIdad = new((1, "abil ic iv"));

    /// <summary>
    /// <c>delete try([substring] R2 delete among('iv' (['at'] R2 delete) ...))</c>: the "-amente" goes, then a suffix of
    /// <paramref name="after"/> in R2 before it, and after "iv" an "at" in R2 before that.
    /// </summary>
    public static void DeleteAmente(SnowballCursor z, Among after, int p2)
    {
        z.SliceDel();
        var rule = z.SliceAmongInRegionB(after, p2);
        if (rule == 0) return;
        z.SliceDel();
        if (rule == 1) z.DeleteInRegionB("at", p2);
    }
}
