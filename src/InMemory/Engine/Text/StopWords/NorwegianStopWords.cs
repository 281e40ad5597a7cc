namespace Mongo.InMemory.Engine.Text.StopWords;

/// <summary>
/// mongod's Norwegian stop words, exactly as its list has them: the list's "æ", "ø" and "å" were mangled
/// into "Ö", "Û" and "Å" long ago ("vÖre", "nÅ"). A token is lower-cased before the lookup, so those
/// entries never match and mongod keeps "være", "nå", "på"; so does Mongo.InMemory.
/// </summary>
internal static class NorwegianStopWords
{
    /// <summary>The words, compared with the lower-cased token (diacritics kept), as mongod compares them.</summary>
    public static readonly HashSet<string> Words = new(StringComparer.Ordinal)
    {
        "som", "alle", "et", "vÖre", "gjÛre", "slik", "ha", "nÅ", "fordi", "og", "skulle", "sist", "hvis", "vil",
        "hvem", "andre", "slutt", "mens", "siden", "sÅ", "over", "lage", "da", "din", "vite", "deres", "disse", "for",
        "hva", "Å", "hennes", "kunne", "ny", "ved", "fra", "lang", "mer", "kan", "er", "denne", "verdi", "riktig",
        "bruke", "meget", "opp", "mÅ", "mye", "sant", "samme", "mÅte", "hvordan", "der", "ville", "uten", "eneste",
        "hans", "oss", "hver", "like", "tilstand", "arbeid", "hvilken", "fÅ", "hvor", "folk", "det", "ut", "start",
        "gÅ", "hvorfor", "god", "tid", "ikke", "meg", "han", "stille", "bra", "fÛrst", "i", "ene", "fÛr", "ogsÅ",
        "enn", "rett", "navn", "lik", "makt", "med", "av", "til", "inn", "vÅr", "pÅ", "her", "nÅr", "mange", "du",
        "forsÛke", "begge", "vi", "part", "eller", "hadde", "tilbake", "en", "var", "enhver", "si", "vÖrt", "mest",
        "om", "gjorde", "men", "min", "punkt", "bort", "under", "nei", "innen",
    };
}
