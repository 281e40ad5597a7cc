namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>The Turkish stemmer's suffix recognisers ("marks"), each matched backwards from the cursor.</summary>
internal static partial class TurkishStemmer
{
    private const string Vowel = "aeıioöuü";
    private const string U = "ıiuü";

    private static readonly Among s_possessives = new((1, "mız miz muz müz nız niz nuz nüz m n"));
    private static readonly Among s_u = new((1, "ı i u ü"));
    private static readonly Among s_lArI = new((1, "leri ları"));
    private static readonly Among s_nU = new((1, "nı ni nu nü"));
    private static readonly Among s_nUn = new((1, "ın in un ün"));
    private static readonly Among s_yA = new((1, "a e"));
    private static readonly Among s_nA = new((1, "na ne"));
    private static readonly Among s_DA = new((1, "da de ta te"));
    private static readonly Among s_ndA = new((1, "nda nde"));
    private static readonly Among s_DAn = new((1, "dan den tan ten"));
    private static readonly Among s_ndAn = new((1, "ndan nden"));
    private static readonly Among s_ylA = new((1, "la le"));
    private static readonly Among s_ki = new((1, "ki"));
    private static readonly Among s_ncA = new((1, "ca ce"));
    private static readonly Among s_yUm = new((1, "ım im um üm"));
    private static readonly Among s_sUn = new((1, "sın sin sun sün"));
    private static readonly Among s_yUz = new((1, "ız iz uz üz"));
    private static readonly Among s_sUnUz = new((1, "sınız siniz sunuz sünüz"));
    private static readonly Among s_lAr = new((1, "ler lar"));
    private static readonly Among s_nUz = new((1, "nız niz nuz nüz"));
    private static readonly Among s_DUr = new((1, "tır tir tur tür dır dir dur dür"));
    private static readonly Among s_cAsInA = new((1, "casına cesine"));

    private static readonly Among s_yDU = new((1,
        "tım tim tum tüm dım dim dum düm tın tin tun tün dın din dun dün tık tik tuk tük dık dik duk dük tı ti tu tü dı " +
        "di du dü"));

    private static readonly Among s_ysA = new((1, "sam san sak sem sen sek sa se"));
    private static readonly Among s_ymUs = new((1, "mış miş muş müş"));
    private static readonly Among s_ken = new((1, "ken"));

    private static bool Possessives(SnowballCursor z) => Mark(z, s_possessives, harmony: false, optional: 'U');
    private static bool SU(SnowballCursor z) => Mark(z, s_u, harmony: true, optional: 's');
    private static bool LArI(SnowballCursor z) => Mark(z, s_lArI, harmony: false);
    private static bool YU(SnowballCursor z) => Mark(z, s_u, harmony: true, optional: 'y');
    private static bool NU(SnowballCursor z) => Mark(z, s_nU, harmony: true);
    private static bool NUn(SnowballCursor z) => Mark(z, s_nUn, harmony: true, optional: 'n');
    private static bool YA(SnowballCursor z) => Mark(z, s_yA, harmony: true, optional: 'y');
    private static bool NA(SnowballCursor z) => Mark(z, s_nA, harmony: true);
    private static bool DA(SnowballCursor z) => Mark(z, s_DA, harmony: true);
    private static bool NdA(SnowballCursor z) => Mark(z, s_ndA, harmony: true);
    private static bool DAn(SnowballCursor z) => Mark(z, s_DAn, harmony: true);
    private static bool NdAn(SnowballCursor z) => Mark(z, s_ndAn, harmony: true);
    private static bool YlA(SnowballCursor z) => Mark(z, s_ylA, harmony: true, optional: 'y');
    private static bool Ki(SnowballCursor z) => Mark(z, s_ki, harmony: false);
    private static bool NcA(SnowballCursor z) => Mark(z, s_ncA, harmony: true, optional: 'n');
    private static bool YUm(SnowballCursor z) => Mark(z, s_yUm, harmony: true, optional: 'y');
    private static bool SUn(SnowballCursor z) => Mark(z, s_sUn, harmony: true);
    private static bool YUz(SnowballCursor z) => Mark(z, s_yUz, harmony: true, optional: 'y');
    private static bool SUnUz(SnowballCursor z) => Mark(z, s_sUnUz, harmony: false);
    private static bool LAr(SnowballCursor z) => Mark(z, s_lAr, harmony: true);
    private static bool NUz(SnowballCursor z) => Mark(z, s_nUz, harmony: true);
    private static bool DUr(SnowballCursor z) => Mark(z, s_DUr, harmony: true);
    private static bool CAsInA(SnowballCursor z) => Mark(z, s_cAsInA, harmony: false);
    private static bool YDU(SnowballCursor z) => Mark(z, s_yDU, harmony: true, optional: 'y');
    private static bool YsA(SnowballCursor z) => Mark(z, s_ysA, harmony: false, optional: 'y');
    private static bool YmUs(SnowballCursor z) => Mark(z, s_ymUs, harmony: true, optional: 'y');
    private static bool Yken(SnowballCursor z) => Mark(z, s_ken, harmony: false, optional: 'y');

    // A suffix from the list, optionally after a vowel-harmony check and with its optional linking letter; on failure
    // the cursor is back where it was.
    private static bool Mark(SnowballCursor z, Among suffixes, bool harmony, char optional = '\0')
    {
        var at = z.C;
        var ok = (!harmony || VowelHarmony(z)) && z.FindAmongB(suffixes) > 0 && optional switch
        {
            '\0' => true,
            'U' => OptionalLetter(z, U, Vowel, afterVowel: false),
            _ => OptionalLetter(z, optional.ToString(), Vowel, afterVowel: true),
        };
        if (!ok) z.C = at;
        return ok;
    }

    // The suffix's vowel agrees with a vowel before it: the last vowel (the suffix's own) and an earlier one of the
    // group that vowel harmony allows before it. The cursor does not move.
    private static bool VowelHarmony(SnowballCursor z)
    {
        var at = z.C;
        var ok = z.GoToB(Vowel, inSet: true) && Harmonises(z, z.At(z.C - 1));
        z.C = at;
        return ok;
    }

    private static bool Harmonises(SnowballCursor z, int last)
    {
        z.C--;
        return z.GoToB(last switch
        {
            'a' => "aıou",
            'e' => "eiöü",
            'ı' => "aı",
            'i' => "ei",
            'o' or 'u' => "ou",
            _ => "öü",
        }, inSet: true);
    }

    // A linking letter before the suffix: consumed when it is there and the letter before it is a vowel (a non-vowel for
    // the linking vowel U); when it is not there, the letter before the suffix must follow such a letter.
    private static bool OptionalLetter(SnowballCursor z, string letters, string vowels, bool afterVowel)
    {
        var at = z.C;
        if (z.GroupingB(letters, inSet: true))
        {
            var after = z.C;
            if (z.GroupingB(vowels, afterVowel))
            {
                z.C = after;
                return true;
            }
        }
        z.C = at;
        if (z.GroupingB(letters, inSet: true))
        {
            z.C = at;
            return false;
        }
        var ok = z.NextB() && z.GroupingB(vowels, afterVowel);
        z.C = at;
        return ok;
    }
}
