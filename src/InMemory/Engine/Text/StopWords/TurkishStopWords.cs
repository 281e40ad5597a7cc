namespace Mongo.InMemory.Engine.Text.StopWords;

/// <summary>
/// mongod's Turkish stop words, exactly as its list has them: "ş" and "ı" were mangled into "þ" and "ý" long
/// ago ("þey", "altý"), so mongod filters those spellings and keeps "şey" and "altı" (and the entry "INSERmi"
/// never matches a lower-cased token); so does Mongo.InMemory.
/// </summary>
internal static class TurkishStopWords
{
    /// <summary>The words, compared with the lower-cased token (diacritics kept), as mongod compares them.</summary>
    public static readonly HashSet<string> Words = new(StringComparer.Ordinal)
    {
        "mu", "onlar", "seksen", "ama", "trilyon", "buna", "bizim", "þeyden", "yirmi", "altý", "iki", "seni", "doksan",
        "dört", "bunun", "ki", "nereye", "altmýþ", "hem", "milyon", "kez", "otuz", "beþ", "elli", "bizi", "da",
        "sekiz", "ve", "çok", "bu", "veya", "ya", "kýrk", "onlarýn", "ona", "bana", "yetmiþ", "milyar", "þunu",
        "senden", "birþeyi", "dokuz", "yani", "kimi", "þeyler", "kim", "neden", "senin", "yedi", "niye", "üç", "þey",
        "mý", "tüm", "onlari", "bunda", "ise", "þundan", "hep", "þuna", "bin", "ben", "ondan", "kimden", "bazý",
        "belki", "ne", "bundan", "gibi", "de", "onlardan", "sizi", "sizin", "daha", "niçin", "þunda", "INSERmi",
        "bunu", "beni", "ile", "þu", "þeyi", "sizden", "defa", "biz", "için", "dahi", "siz", "nerde", "kime", "birþey",
        "birkez", "her", "biri", "on", "mü", "diye", "acaba", "sen", "en", "hepsi", "bir", "bizden", "sanki", "benim",
        "nerede", "onu", "benden", "yüz", "birkaç", "çünkü", "nasýl", "hiç", "katrilyon",
    };
}
