namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The Snowball Dutch stemmer by Martin Porter (the one mongod's libstemmer carries; Snowball 3.0 later made
/// Kraaij-Pohlmann its default "dutch"), written from the published algorithm: accents go first, i and y are marked
/// as consonants where they act as such, then -en/-s/-e endings, -heid and derivational suffixes are removed and a
/// doubled vowel before a final consonant is undoubled.
/// </summary>
internal static class DutchStemmer
{
    private const string Vowels = "aeiouyè";

    private static readonly Among s_step1 = new((1, "heden"), (2, "ene en"), (3, "se s"));
    private static readonly Among s_step3b = new((1, "end ing"), (2, "ig"), (3, "lijk"), (4, "baar"), (5, "bar"));
    private static readonly Among s_doubled = new((1, "kk dd tt"));

    /// <summary>The stem of <paramref name="word"/>, a lower-cased token (other letters are kept as they are).</summary>
    public static string Stem(string word)
    {
        var z = SnowballCursor.Load(word);
        z.Fold("äáëéïíöóüú", "aaeeiioouu");
        MarkConsonants(z);
        var (p1, p2) = z.StandardRegions(Vowels);
        // At least three letters before R1 -- counted, as in mongod's UTF-8 libstemmer, in bytes: a two-byte letter
        // such as "è" counts twice (Snowball 3.0 made this count letters).
        p1 = z.R1NotBefore(p1, FirstIndexAtUtf8Offset(z, 3));
        z.Backwards();

        switch (z.SliceAmongB(s_step1))
        {
            case 1:
                if (z.C >= p1) z.SliceFrom("heid");
                break;
            case 2:
                EnEnding(z, p1);
                break;
            case 3:
                // -s and -se go after a consonant other than j.
                if (z.C >= p1 && z.GroupingB("aeijouyè", inSet: false)) z.SliceDel();
                break;
        }
        var eFound = EEnding(z, p1);
        // -heid (not after c), then an -en before it.
        z.C = z.Limit;
        if (z.SliceEqB("heid") && z.C >= p2 && !z.EqB("c"))
        {
            z.SliceDel();
            if (z.SliceEqB("en")) EnEnding(z, p1);
        }
        Step3b(z, p1, p2, eFound);
        // A doubled vowel before a final consonant (not I) and after a consonant loses one letter ("maan" -> "man").
        var n = z.Limit;
        if (n >= 4 && !z.IsIn(n - 1, "Iaeiouyè") && z.At(n - 2) == z.At(n - 3) && z.IsIn(n - 2, "aeou") && !z.IsIn(n - 4, Vowels))
        {
            z.Bra = n - 2;
            z.Ket = n - 1;
            z.SliceDel();
        }

        z.Fold("YI", "yi");
        return z.ToString();
    }

    // A y at the start or after a vowel, and an i between vowels, are consonants (left to right, so a marked letter is
    // no vowel for the next).
    private static void MarkConsonants(SnowballCursor z)
    {
        if (z.Limit > 0 && z.At(0) == 'y') z.Set(0, 'Y');
        for (var i = 1; i < z.Limit; i++)
        {
            if (!z.IsIn(i - 1, Vowels)) continue;
            if (z.At(i) == 'y') z.Set(i, 'Y');
            else if (z.At(i) == 'i' && z.IsIn(i + 1, Vowels)) z.Set(i, 'I');
        }
    }

    private static int FirstIndexAtUtf8Offset(SnowballCursor z, int offset)
    {
        var bytes = 0;
        for (var i = 0; i < z.Limit; i++)
        {
            if (bytes >= offset) return i;
            var c = z.At(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        }
        return z.Limit;
    }

    /// <summary>Deletes the -en/-ene slice before the cursor when in R1, after a consonant and not after "gem".</summary>
    private static void EnEnding(SnowballCursor z, int p1)
    {
        var at = z.C;
        if (at < p1 || !z.GroupingB(Vowels, inSet: false)) return;
        z.C = at;
        if (z.EqB("gem")) return;
        z.SliceDel();
        Undouble(z);
    }

    /// <summary>Deletes a final e in R1 after a consonant; whether it did.</summary>
    private static bool EEnding(SnowballCursor z, int p1)
    {
        z.C = z.Limit;
        if (!z.SliceEqB("e") || z.C < p1 || !z.GroupingB(Vowels, inSet: false)) return false;
        z.SliceDel();
        Undouble(z);
        return true;
    }

    /// <summary>"kk", "dd" and "tt" at the end lose a letter.</summary>
    private static void Undouble(SnowballCursor z)
    {
        z.C = z.Limit;
        if (z.FindAmongB(s_doubled) > 0) z.DeleteLastLetter();
    }

    private static void Step3b(SnowballCursor z, int p1, int p2, bool eFound)
    {
        z.C = z.Limit;
        switch (z.SliceAmongInRegionB(s_step3b, p2))
        {
            case 1:
                z.SliceDel();
                if (!z.DeleteInRegionB("ig", p2, notAfter: "e")) Undouble(z);
                break;
            case 2:
                if (!z.EqB("e")) z.SliceDel();
                break;
            case 3:
                z.SliceDel();
                EEnding(z, p1);
                break;
            case 4:
                z.SliceDel();
                break;
            case 5:
                if (eFound) z.SliceDel();
                break;
        }
    }
}
