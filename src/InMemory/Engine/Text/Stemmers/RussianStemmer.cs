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

    // In the gerund, participle and verb tables, rule 1 counts only after "а" or "я" (which stays).
    private static readonly Among s_gerunds = new((1, "в вши вшись"), (2, "ив ивши ившись ыв ывши ывшись"));

    private static readonly Among s_adjective = new((1,
        "ее ие ые ое ими ыми ей ий ый ой ем им ым ом его ого ему ому их ых ую юю ая яя ою ею"));

    private static readonly Among s_participles = new((1, "ем нн вш ющ щ"), (2, "ивш ывш ующ"));

    private static readonly Among s_reflexive = new((1, "ся сь"));

    private static readonly Among s_verbs = new(
        (1, "ла на ете йте ли й л ем н ло но ет ют ны ть ешь нно"),
        (2, "ила ыла ена ейте уйте ите или ыли ей уй ил ыл им ым ен ило ыло ено ят ует уют ит ыт ены ить ыть ишь ую ю"));

    private static readonly Among s_noun = new((1,
        "а ев ов ие ье е иями ями ами еи ии и ией ей ой ий й иям ям ием ем ам ом о у ах иях ях ы ь ию ью ю ия ья я"));

    private static readonly Among s_derivational = new((1, "ост ость"));

    private static readonly Among s_tidy = new((1, "ейш ейше"), (2, "н"), (3, "ь"));

    /// <summary>The stem of a lower-case word.</summary>
    public static string Stem(string word)
    {
        var z = SnowballCursor.Load(word);
        // RV: after the first vowel; R2: the standard R2.
        var pV = z.GoPast(Vowels, inSet: true) ? z.C : z.Limit;
        var (_, p2) = z.StandardRegions(Vowels);
        z.Backwards();
        // Everything below happens inside RV.
        z.Lb = pV;

        if (!Suffix(z, s_gerunds))
        {
            z.C = z.Limit;
            z.Ket = z.C;
            if (z.SliceAmongB(s_reflexive) > 0) z.SliceDel();
            else z.C = z.Limit;
            var atEnd = z.C;
            if (!Adjectival(z))
            {
                z.C = atEnd;
                if (!Suffix(z, s_verbs))
                {
                    z.C = atEnd;
                    if (z.SliceAmongB(s_noun) > 0) z.SliceDel();
                }
            }
        }
        z.C = z.Limit;

        if (z.SliceEqB("и")) z.SliceDel();
        z.C = z.Limit;

        if (z.SliceAmongB(s_derivational) > 0 && z.C >= p2) z.SliceDel();
        z.C = z.Limit;

        switch (z.SliceAmongB(s_tidy))
        {
            case 1:
                z.SliceDel();
                if (z.SliceEqB("н") && z.EqB("н")) z.SliceDel();
                break;
            case 2:
                if (z.EqB("н")) z.SliceDel();
                break;
            case 3:
                z.SliceDel();
                break;
        }
        return z.ToString();
    }

    private static bool Adjectival(SnowballCursor z)
    {
        if (z.SliceAmongB(s_adjective) == 0) return false;
        z.SliceDel();
        // A participle before the adjective ending goes too.
        var atEnd = z.C;
        if (!Suffix(z, s_participles)) z.C = atEnd;
        return true;
    }

    // The longest suffix of the table at the end, removed; one of rule 1 only after "а" or "я", and only that letter stays.
    private static bool Suffix(SnowballCursor z, Among suffixes)
    {
        var rule = z.SliceAmongB(suffixes);
        if (rule == 0) return false;
        if (rule == 1 && !z.EqB("а") && !z.EqB("я")) return false;
        z.SliceDel();
        return true;
    }
}
