namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>What the Swedish, Danish and Norwegian stemmers share: their R1 and two of their steps.</summary>
internal static class ScandinavianSteps
{
    /// <summary>
    /// The machine loaded with <paramref name="word"/> and set for the backward steps, and R1, which never starts before
    /// the fourth letter (the word's end when the word is shorter than three letters).
    /// </summary>
    public static (SnowballCursor Z, int P1) Load(string word, string vowels)
    {
        var z = SnowballCursor.Load(word);
        var p1 = z.R1NotBefore(z.StandardRegions(vowels).P1, 3);
        z.Backwards();
        return (z, p1);
    }

    /// <summary>
    /// Step 1 of the Swedish and Danish stemmers (the cursor read backwards): the longest suffix of
    /// <paramref name="main"/> ending in R1 is removed (rule 1), a lone "s" (rule 2) only after a letter of
    /// <paramref name="sEnding"/>.
    /// </summary>
    public static void RemoveMainSuffix(SnowballCursor z, Among main, int p1, string sEnding)
    {
        switch (z.SliceAmongB(main, p1))
        {
            case 1:
                z.SliceDel();
                break;
            case 2:
                if (z.GroupingB(sEnding, inSet: true)) z.SliceDel();
                break;
        }
        z.C = z.Limit;
    }

    /// <summary>A final consonant pair of <paramref name="pairs"/> in R1 loses its last letter (then the cursor is back at the end).</summary>
    public static void UndoublePair(SnowballCursor z, Among pairs, int p1)
    {
        if (z.SliceAmongB(pairs, p1) > 0) z.DeleteLastLetter();
        z.C = z.Limit;
    }
}
