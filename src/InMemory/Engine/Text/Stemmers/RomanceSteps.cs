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
