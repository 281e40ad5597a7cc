namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>The Turkish stemmer's suffix recognisers ("marks"), each matched backwards from the cursor.</summary>
internal static partial class TurkishStemmer
{
    private const string Vowel = "aeıioöuü";
    private const string U = "ıiuü";

    private static readonly string[] s_possessives = ["mız", "miz", "muz", "müz", "nız", "niz", "nuz", "nüz", "m", "n"];
    private static readonly string[] s_u = ["ı", "i", "u", "ü"];
    private static readonly string[] s_lArI = ["leri", "ları"];
    private static readonly string[] s_nU = ["nı", "ni", "nu", "nü"];
    private static readonly string[] s_nUn = ["ın", "in", "un", "ün"];
    private static readonly string[] s_yA = ["a", "e"];
    private static readonly string[] s_nA = ["na", "ne"];
    private static readonly string[] s_DA = ["da", "de", "ta", "te"];
    private static readonly string[] s_ndA = ["nda", "nde"];
    private static readonly string[] s_DAn = ["dan", "den", "tan", "ten"];
    private static readonly string[] s_ndAn = ["ndan", "nden"];
    private static readonly string[] s_ylA = ["la", "le"];
    private static readonly string[] s_ki = ["ki"];
    private static readonly string[] s_ncA = ["ca", "ce"];
    private static readonly string[] s_yUm = ["ım", "im", "um", "üm"];
    private static readonly string[] s_sUn = ["sın", "sin", "sun", "sün"];
    private static readonly string[] s_yUz = ["ız", "iz", "uz", "üz"];
    private static readonly string[] s_sUnUz = ["sınız", "siniz", "sunuz", "sünüz"];
    private static readonly string[] s_lAr = ["ler", "lar"];
    private static readonly string[] s_nUz = ["nız", "niz", "nuz", "nüz"];
    private static readonly string[] s_DUr = ["tır", "tir", "tur", "tür", "dır", "dir", "dur", "dür"];
    private static readonly string[] s_cAsInA = ["casına", "cesine"];

    private static readonly string[] s_yDU =
    [
        "tım", "tim", "tum", "tüm", "dım", "dim", "dum", "düm", "tın", "tin", "tun", "tün", "dın", "din", "dun", "dün",
        "tık", "tik", "tuk", "tük", "dık", "dik", "duk", "dük", "tı", "ti", "tu", "tü", "dı", "di", "du", "dü",
    ];

    private static readonly string[] s_ysA = ["sam", "san", "sak", "sem", "sen", "sek", "sa", "se"];
    private static readonly string[] s_ymUs = ["mış", "miş", "muş", "müş"];
    private static readonly string[] s_ken = ["ken"];

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
    private static bool Mark(SnowballCursor z, string[] suffixes, bool harmony, char optional = '\0')
    {
        var at = z.C;
        var ok = (!harmony || VowelHarmony(z)) && z.FindAmongB(suffixes) >= 0 && optional switch
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
