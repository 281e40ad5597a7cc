namespace Mongo.InMemory.Engine.Text.StopWords;

/// <summary>
/// mongod's Romanian stop words (src/mongo/db/fts/stop_words_romanian.txt, 258 words): the tokenizer drops a term whose
/// lower-cased form, diacritics kept, is one of them. mongod's Romanian list is written without diacritics ("si",
/// "intr"), so words spelled with them are kept; its "sa-ti" and "sa-mi" can never match, since the hyphen splits
/// words.
/// </summary>
internal static class RomanianStopWords
{
    public static readonly HashSet<string> Words = new(
        """
        a abia acea aceasta aceea aceeasi aceia acel acela acelasi acelea acest acesta aceste acestea acestei
        acestia acestui acolo acum adica ai aia aici aiurea al ala alaturi ale alt alta altceva alte altfel alti
        altii altul am anume apoi ar are as asa asemenea asta astazi astfel asupra atare atat atata atatea
        atatia ati atit atita atitea atitia atunci au avea avem avut azi b ba bine c ca cam cand capat care
        careia carora caruia cat catre ce cea ceea cei ceilalti cel cele celor ceva chiar ci cind cine cineva
        cit cita cite citeva citi citiva conform cu cui cum cumva d da daca dar dat de deasupra deci decit
        degraba deja desi despre din dintr dintre doar dupa e ea ei el ele era este eu exact f face fara fata
        fel fi fie foarte fost g geaba h i ia iar ii il imi in inainte inapoi inca incit insa intr intre isi iti
        j k l la le li lor lui m ma mai mare mi mod mult multa multe multi n ne ni nici niciodata nimeni nimic
        niste noi nostri nou noua nu numai o or ori orice oricum p pai parca pe pentru peste pina plus prea prin
        putini r s sa sa-mi sa-ti sai sale sau se si sint sintem spre sub sunt suntem sus t te ti toata toate
        tocmai tot toti totul totusi tu tuturor u ul ului un una unde unei unele uneori unii unor unui unul v va
        voi vom vor vreo vreun x z
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
        StringComparer.Ordinal);
}
