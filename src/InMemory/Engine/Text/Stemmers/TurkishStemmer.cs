namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The Snowball Turkish stemmer, written from the algorithm's published description (the 2011 text mongod vendors and
/// Snowball 2.2 behave alike). It expects the word lower-cased the Turkish way ("I" → "ı", "İ" → "i"), as mongod's
/// tokenizer does for Turkish. Words of one syllable are left alone.
/// </summary>
/// <remarks>
/// The algorithm's control flow is followed step for step, including its quirks (a deletion inside a failed
/// alternative stays; a nominal-verb "-lAr" ends stemming before the noun suffixes and the postlude), because mongod's
/// index keys are whatever the algorithm produces. Backward positions are saved as distances from the end, as Snowball
/// restores them, since deletions shorten the word.
/// </remarks>
internal static partial class TurkishStemmer
{
    private static readonly Among s_lastConsonants = new((1, "b"), (2, "c"), (3, "d"), (4, "ğ"));

    /// <summary>The stem of a Turkish-lower-cased word.</summary>
    public static string Stem(string word)
    {
        var z = SnowballCursor.Load(word);
        var vowels = 0;
        for (var i = 0; i < z.Limit && vowels < 2; i++)
            if (z.At(i) <= 0xFFFF && Vowel.Contains((char)z.At(i), StringComparison.Ordinal)) vowels++;
        if (vowels < 2) return word;

        z.Backwards();
        var continueWithNouns = true;
        NominalVerbSuffixes(z, ref continueWithNouns);
        z.C = z.Limit;
        if (!continueWithNouns) return z.ToString();
        NounSuffixes(z);
        z.C = z.Limit;

        // Postlude, except for the reserved words "ad" and "soyad".
        var stem = z.ToString();
        if (stem is "ad" or "soyad") return stem;
        AppendU(z);
        z.C = z.Limit;
        var found = z.SliceAmongB(s_lastConsonants);
        // A final voiced consonant is devoiced.
        if (found > 0) z.SliceFrom(found switch { 1 => "p", 2 => "ç", 3 => "t", _ => "k" });
        return z.ToString();
    }

    private static int FromEnd(SnowballCursor z) => z.Limit - z.C;

    private static void Restore(SnowballCursor z, int m) => z.C = z.Limit - m;

    private static void SetKet(SnowballCursor z) => z.Ket = z.C;

    private static void BraDelete(SnowballCursor z)
    {
        z.Bra = z.C;
        z.SliceDel();
    }

    private static bool NominalVerbSuffixes(SnowballCursor z, ref bool continueWithNouns)
    {
        SetKet(z);
        continueWithNouns = true;
        var m = FromEnd(z);
        var ok = YmUs(z) || YDU(z) || YsA(z) || Yken(z);
        if (!ok)
        {
            Restore(z, m);
            ok = CAsInA(z) && Optional(z, static z => SUnUz(z) || LAr(z) || YUm(z) || SUn(z) || YUz(z)) && YmUs(z);
        }
        if (!ok)
        {
            Restore(z, m);
            if (LAr(z))
            {
                BraDelete(z);
                var m2 = FromEnd(z);
                SetKet(z);
                if (!(DUr(z) || YDU(z) || YsA(z) || YmUs(z))) Restore(z, m2);
                continueWithNouns = false;
                ok = true;
            }
        }
        if (!ok)
        {
            Restore(z, m);
            ok = NUz(z) && (YDU(z) || YsA(z));
        }
        if (!ok)
        {
            Restore(z, m);
            if (SUnUz(z) || YUz(z) || SUn(z) || YUm(z))
            {
                BraDelete(z);
                var m2 = FromEnd(z);
                SetKet(z);
                if (!YmUs(z)) Restore(z, m2);
                ok = true;
            }
        }
        if (!ok)
        {
            Restore(z, m);
            if (DUr(z))
            {
                BraDelete(z);
                var m2 = FromEnd(z);
                SetKet(z);
                if (!(Optional(z, static z => SUnUz(z) || LAr(z) || YUm(z) || SUn(z) || YUz(z)) && YmUs(z))) Restore(z, m2);
                ok = true;
            }
        }
        if (!ok) return false;
        BraDelete(z);
        return true;
    }

    // (C or true): the alternative is taken when it matches; either way the sequence goes on.
    private static bool Optional(SnowballCursor z, Func<SnowballCursor, bool> alternative)
    {
        var m = FromEnd(z);
        if (!alternative(z)) Restore(z, m);
        return true;
    }

    // [lAr] delete, then the -ki chain (its failure does not bring the "-lAr" back).
    private static bool LArThenChain(SnowballCursor z)
    {
        SetKet(z);
        if (!LAr(z)) return false;
        BraDelete(z);
        return ChainBeforeKi(z);
    }

    // try([lAr] delete chain).
    private static void TryLArThenChain(SnowballCursor z)
    {
        var m = FromEnd(z);
        if (!LArThenChain(z)) Restore(z, m);
    }

    // [possessives or sU] delete try([lAr] delete chain).
    private static bool PossessiveOrSUThenLAr(SnowballCursor z)
    {
        SetKet(z);
        var m = FromEnd(z);
        if (!Possessives(z))
        {
            Restore(z, m);
            if (!SU(z)) return false;
        }
        BraDelete(z);
        TryLArThenChain(z);
        return true;
    }

    /// <summary>A chain of noun suffixes ending with the relative "-ki" ("evdekiler" → "ev").</summary>
    private static bool ChainBeforeKi(SnowballCursor z)
    {
        SetKet(z);
        if (!Ki(z)) return false;
        var m = FromEnd(z);

        if (DA(z))
        {
            BraDelete(z);
            var m2 = FromEnd(z);
            SetKet(z);
            var done = false;
            if (LAr(z))
            {
                BraDelete(z);
                var m3 = FromEnd(z);
                if (!ChainBeforeKi(z)) Restore(z, m3);
                done = true;
            }
            if (!done)
            {
                Restore(z, m2);
                if (Possessives(z))
                {
                    BraDelete(z);
                    TryLArThenChain(z);
                    done = true;
                }
            }
            if (!done) Restore(z, m2);
            return true;
        }
        Restore(z, m);

        if (NUn(z))
        {
            BraDelete(z);
            var m2 = FromEnd(z);
            SetKet(z);
            if (LArI(z)) BraDelete(z);
            else
            {
                Restore(z, m2);
                if (!PossessiveOrSUThenLAr(z))
                {
                    Restore(z, m2);
                    if (!ChainBeforeKi(z)) Restore(z, m2);
                }
            }
            return true;
        }
        Restore(z, m);

        if (NdA(z))
        {
            var m2 = FromEnd(z);
            if (LArI(z))
            {
                BraDelete(z);
                return true;
            }
            Restore(z, m2);
            if (SU(z))
            {
                BraDelete(z);
                TryLArThenChain(z);
                return true;
            }
            Restore(z, m2);
            return ChainBeforeKi(z);
        }
        return false;
    }

    private static void NounSuffixes(SnowballCursor z)
    {
        var m = FromEnd(z);
        foreach (var alternative in s_nounAlternatives)
        {
            Restore(z, m);
            m = FromEnd(z);
            if (alternative(z)) return;
            Restore(z, m);
        }
    }

    private static readonly Func<SnowballCursor, bool>[] s_nounAlternatives =
    [
        static z =>
        {
            SetKet(z);
            if (!LAr(z)) return false;
            BraDelete(z);
            var m = FromEnd(z);
            if (!ChainBeforeKi(z)) Restore(z, m);
            return true;
        },
        static z =>
        {
            SetKet(z);
            if (!NcA(z)) return false;
            BraDelete(z);
            var m = FromEnd(z);
            SetKet(z);
            if (LArI(z)) BraDelete(z);
            else
            {
                Restore(z, m);
                m = FromEnd(z);
                if (!PossessiveOrSUThenLAr(z))
                {
                    Restore(z, m);
                    m = FromEnd(z);
                    if (!LArThenChain(z)) Restore(z, m);
                }
            }
            return true;
        },
        static z =>
        {
            SetKet(z);
            var m = FromEnd(z);
            if (!NdA(z))
            {
                Restore(z, m);
                if (!NA(z)) return false;
            }
            m = FromEnd(z);
            if (LArI(z))
            {
                BraDelete(z);
                return true;
            }
            Restore(z, m);
            if (SU(z))
            {
                BraDelete(z);
                TryLArThenChain(z);
                return true;
            }
            Restore(z, m);
            return ChainBeforeKi(z);
        },
        static z =>
        {
            SetKet(z);
            var m = FromEnd(z);
            if (!NdAn(z))
            {
                Restore(z, m);
                if (!NU(z)) return false;
            }
            m = FromEnd(z);
            if (SU(z))
            {
                BraDelete(z);
                TryLArThenChain(z);
                return true;
            }
            Restore(z, m);
            return LArI(z);
        },
        static z =>
        {
            SetKet(z);
            if (!DAn(z)) return false;
            BraDelete(z);
            var m = FromEnd(z);
            SetKet(z);
            if (Possessives(z))
            {
                BraDelete(z);
                TryLArThenChain(z);
                return true;
            }
            Restore(z, m);
            if (LAr(z))
            {
                BraDelete(z);
                var m2 = FromEnd(z);
                if (!ChainBeforeKi(z)) Restore(z, m2);
                return true;
            }
            Restore(z, m);
            if (!ChainBeforeKi(z)) Restore(z, m);
            return true;
        },
        static z =>
        {
            SetKet(z);
            var m = FromEnd(z);
            if (!NUn(z))
            {
                Restore(z, m);
                if (!YlA(z)) return false;
            }
            BraDelete(z);
            m = FromEnd(z);
            if (LArThenChain(z)) return true;
            Restore(z, m);
            m = FromEnd(z);
            if (PossessiveOrSUThenLAr(z)) return true;
            Restore(z, m);
            m = FromEnd(z);
            if (!ChainBeforeKi(z)) Restore(z, m);
            return true;
        },
        static z =>
        {
            SetKet(z);
            if (!LArI(z)) return false;
            BraDelete(z);
            return true;
        },
        ChainBeforeKi,
        static z =>
        {
            SetKet(z);
            var m = FromEnd(z);
            if (!DA(z))
            {
                Restore(z, m);
                if (!YU(z))
                {
                    Restore(z, m);
                    if (!YA(z)) return false;
                }
            }
            BraDelete(z);
            // try([((possessives] delete try([lAr)) or lAr) ] delete [ chain)
            m = FromEnd(z);
            SetKet(z);
            var m2 = FromEnd(z);
            var matched = false;
            if (Possessives(z))
            {
                BraDelete(z);
                var m3 = FromEnd(z);
                SetKet(z);
                if (!LAr(z)) Restore(z, m3);
                matched = true;
            }
            else
            {
                Restore(z, m2);
                matched = LAr(z);
            }
            if (matched)
            {
                BraDelete(z);
                SetKet(z);
                if (ChainBeforeKi(z)) return true;
            }
            Restore(z, m);
            return true;
        },
        PossessiveOrSUThenLAr,
    ];

    // A stem ending in "d" or "g" probably lost its last vowel with a suffix ("kedim" → "ked"): add back the vowel
    // the last vowel calls for.
    private static void AppendU(SnowballCursor z)
    {
        z.C = z.Limit;
        if (z.Limit == 0 || z.At(z.Limit - 1) is not ('d' or 'g')) return;
        if (!z.GoToB(Vowel, inSet: true)) return;
        var last = z.At(z.C - 1);
        z.C = z.Limit;
        z.InsertAtCursor(last switch
        {
            'a' or 'ı' => "ı",
            'e' or 'i' => "i",
            'o' or 'u' => "u",
            _ => "ü",
        });
    }
}
