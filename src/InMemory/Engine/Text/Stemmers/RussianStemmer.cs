namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The Snowball Russian stemmer, written from the algorithm's published description as libstemmer had it in 2011 —
/// the version mongod vendors: "ё" is not a vowel and is not rewritten to "е" (Snowball 2.0 added that normalisation),
/// so a word with "ё" can stem differently from the same word spelt with "е". The tokenizer strips the diaeresis after
/// stemming, as mongod does.
/// </summary>
internal static class RussianStemmer
{
    private const string Vowels = "аеиоуыэюя";

    // Perfective gerunds: group 1 only after "а" or "я".
    private static readonly string[] s_gerund1 = ["в", "вши", "вшись"];
    private static readonly string[] s_gerund2 = ["ив", "ивши", "ившись", "ыв", "ывши", "ывшись"];

    private static readonly string[] s_adjective =
    [
        "ее", "ие", "ые", "ое", "ими", "ыми", "ей", "ий", "ый", "ой", "ем", "им", "ым", "ом", "его", "ого", "ему", "ому",
        "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею",
    ];

    private static readonly string[] s_participle1 = ["ем", "нн", "вш", "ющ", "щ"];
    private static readonly string[] s_participle2 = ["ивш", "ывш", "ующ"];

    private static readonly string[] s_reflexive = ["ся", "сь"];

    private static readonly string[] s_verb1 =
    [
        "ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны", "ть", "ешь", "нно",
    ];

    private static readonly string[] s_verb2 =
    [
        "ила", "ыла", "ена", "ейте", "уйте", "ите", "или", "ыли", "ей", "уй", "ил", "ыл", "им", "ым", "ен", "ило", "ыло",
        "ено", "ят", "ует", "уют", "ит", "ыт", "ены", "ить", "ыть", "ишь", "ую", "ю",
    ];

    private static readonly string[] s_noun =
    [
        "а", "ев", "ов", "ие", "ье", "е", "иями", "ями", "ами", "еи", "ии", "и", "ией", "ей", "ой", "ий", "й", "иям", "ям",
        "ием", "ем", "ам", "ом", "о", "у", "ах", "иях", "ях", "ы", "ь", "ию", "ью", "ю", "ия", "ья", "я",
    ];

    private static readonly string[] s_derivational = ["ост", "ость"];

    private static readonly string[] s_tidy = ["ейш", "ейше", "н", "ь"];

    private static readonly string[] s_gerunds = [.. s_gerund1, .. s_gerund2];
    private static readonly string[] s_participles = [.. s_participle1, .. s_participle2];
    private static readonly string[] s_verbs = [.. s_verb1, .. s_verb2];

    /// <summary>The stem of a lower-case word.</summary>
    public static string Stem(string word)
    {
        var z = SnowballCursor.Load(word);
        // RV: after the first vowel; R2: the standard R2.
        int pV = z.Limit, p2 = z.Limit;
        if (z.GoPast(Vowels, inSet: true))
        {
            pV = z.C;
            if (z.GoPast(Vowels, inSet: false) && z.GoPast(Vowels, inSet: true) && z.GoPast(Vowels, inSet: false)) p2 = z.C;
        }
        z.C = 0;
        z.Backwards();
        // Everything below happens inside RV.
        z.Lb = pV;

        if (!PerfectiveGerund(z))
        {
            z.C = z.Limit;
            z.Ket = z.C;
            if (z.SliceAmongB(s_reflexive) >= 0) z.SliceDel();
            else z.C = z.Limit;
            var atEnd = z.C;
            if (!Adjectival(z))
            {
                z.C = atEnd;
                if (!Suffix(z, s_verbs, s_verb1.Length))
                {
                    z.C = atEnd;
                    if (z.SliceAmongB(s_noun) >= 0) z.SliceDel();
                }
            }
        }
        z.C = z.Limit;

        z.Ket = z.C;
        if (z.EqB("и"))
        {
            z.Bra = z.C;
            z.SliceDel();
        }
        z.C = z.Limit;

        if (z.SliceAmongB(s_derivational) >= 0 && z.C >= p2) z.SliceDel();
        z.C = z.Limit;

        switch (z.SliceAmongB(s_tidy) is var t and >= 0 ? s_tidy[t] : null)
        {
            case "ейш" or "ейше":
                z.SliceDel();
                z.Ket = z.C;
                if (z.EqB("н"))
                {
                    z.Bra = z.C;
                    if (z.EqB("н")) z.SliceDel();
                }
                break;
            case "н":
                if (z.EqB("н")) z.SliceDel();
                break;
            case "ь":
                z.SliceDel();
                break;
        }
        return z.ToString();
    }

    private static bool PerfectiveGerund(SnowballCursor z) => Suffix(z, s_gerunds, s_gerund1.Length);

    private static bool Adjectival(SnowballCursor z)
    {
        if (z.SliceAmongB(s_adjective) < 0) return false;
        z.SliceDel();
        // A participle before the adjective ending goes too.
        var atEnd = z.C;
        if (!Suffix(z, s_participles, s_participle1.Length)) z.C = atEnd;
        return true;
    }

    // The longest of suffixes at the end; the first firstGroup of them only after "а" or "я", and only that letter stays.
    private static bool Suffix(SnowballCursor z, string[] suffixes, int firstGroup)
    {
        var found = z.SliceAmongB(suffixes);
        if (found < 0) return false;
        if (found < firstGroup && !z.EqB("а") && !z.EqB("я")) return false;
        z.SliceDel();
        return true;
    }
}
