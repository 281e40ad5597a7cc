namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>The region the Swedish, Danish and Norwegian stemmers share.</summary>
internal static class ScandinavianRegions
{
    /// <summary>
    /// R1: after the first non-vowel that follows a vowel, but never before the fourth letter (the word's end when
    /// there is no such letter or the word is shorter than three letters).
    /// </summary>
    public static int R1(SnowballCursor z, string vowels)
    {
        if (z.Limit < 3) return z.Limit;
        z.C = 0;
        var p1 = z.Limit;
        if (z.GoTo(vowels, inSet: true) && z.GoPast(vowels, inSet: false)) p1 = Math.Max(z.C, 3);
        z.C = 0;
        return p1;
    }

    /// <summary>
    /// Step 1 of the Swedish and Danish stemmers (the cursor read backwards): the longest of <paramref name="main"/>
    /// ending in R1 is removed, a lone "s" only after a letter of <paramref name="sEnding"/>.
    /// </summary>
    public static void RemoveMainSuffix(SnowballCursor z, string[] main, int p1, string sEnding)
    {
        var found = z.SliceAmongB(main, p1);
        if (found >= 0)
        {
            if (main[found] != "s") z.SliceDel();
            else if (z.GroupingB(sEnding, inSet: true)) z.SliceDel();
        }
        z.C = z.Limit;
    }
}
