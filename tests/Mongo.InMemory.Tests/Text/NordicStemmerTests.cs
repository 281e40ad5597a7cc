using Mongo.InMemory.Engine.Text;
using Mongo.InMemory.Engine.Text.Stemmers;
using Xunit;

namespace Mongo.InMemory.Tests.Text;

/// <summary>
/// The Russian, Swedish, Danish, Norwegian, Finnish, Turkish and Hungarian stemmers and their stop words and case
/// rules in the tokenizer, checked without a server (the oracle test compares whole word lists with Snowball's).
/// </summary>
public sealed class NordicStemmerTests
{
    private static string Stem(string language, string word) => language switch
    {
        "russian" => RussianStemmer.Stem(word),
        "swedish" => SwedishStemmer.Stem(word),
        "danish" => DanishStemmer.Stem(word),
        "norwegian" => NorwegianStemmer.Stem(word),
        "finnish" => FinnishStemmer.Stem(word),
        "turkish" => TurkishStemmer.Stem(word),
        "hungarian" => HungarianStemmer.Stem(word),
        _ => throw new ArgumentOutOfRangeException(nameof(language), language, "not a language of these tests"),
    };

    private static TextLanguage Language(string name) => TextLanguage.Resolve(name, () => new InvalidOperationException("unknown " + name));

    [Theory]
    // Stems as Snowball's published stemmers give them (checked with python3-snowballstemmer 2.2).
    [InlineData("swedish", "flickornas", "flick")]
    [InlineData("swedish", "läraren", "lär")]
    [InlineData("swedish", "vänligaste", "vän")]
    [InlineData("swedish", "hoppfullt", "hoppfull")]
    [InlineData("swedish", "författarens", "förfat")]
    [InlineData("danish", "undskyldningerne", "undskyldning")]
    [InlineData("danish", "kærligheden", "kær")]
    [InlineData("danish", "venligst", "ven")]
    [InlineData("danish", "forskelligt", "forskel")]
    [InlineData("norwegian", "kjærligheten", "kjær")]
    [InlineData("norwegian", "raskeste", "raskest")]
    [InlineData("norwegian", "landsbyene", "landsby")]
    [InlineData("finnish", "taloissa", "talo")]
    [InlineData("finnish", "kirjastossakin", "kirjasto")]
    [InlineData("finnish", "ystävänikin", "ystäv")]
    [InlineData("finnish", "järjestelmässä", "järjestelm")]
    [InlineData("hungarian", "embereknek", "ember")]
    [InlineData("hungarian", "házakban", "ház")]
    [InlineData("hungarian", "barátaink", "barát")]
    [InlineData("hungarian", "ággyal", "ágy")]
    [InlineData("hungarian", "asszonnyal", "asszony")]
    [InlineData("turkish", "kitaplarımız", "kitap")]
    [InlineData("turkish", "evlerimizden", "ev")]
    [InlineData("turkish", "arkadaşlarımızla", "arkadaş")]
    [InlineData("turkish", "kedim", "kedi")]
    [InlineData("turkish", "soyadı", "soyad")]
    [InlineData("turkish", "ırmağın", "ırmak")]
    [InlineData("turkish", "ev", "ev")] // one syllable: left alone
    [InlineData("russian", "книгами", "книг")]
    [InlineData("russian", "работающий", "работа")]
    [InlineData("russian", "красивейший", "красив")]
    [InlineData("russian", "прочитавшись", "прочита")]
    [InlineData("russian", "организованность", "организован")]
    [InlineData("russian", "длиннейший", "длин")]
    public void Stems_as_the_published_algorithms(string language, string word, string stem) => Assert.Equal(stem, Stem(language, word));

    [Theory]
    // Where libstemmer as mongod vendors it (Snowball of 2011) differs from Snowball 2.x, Mongo.InMemory follows
    // mongod. Russian: "ё" is neither a vowel nor rewritten to "е" (2.x: "ёлка" → "елк", "жёлтый" → "желт").
    [InlineData("russian", "ёлка", "ёлка")]
    [InlineData("russian", "жёлтый", "жёлты")]
    [InlineData("russian", "зелёного", "зелён")]
    [InlineData("russian", "елка", "елк")]
    // Danish undoubles any final non-vowel pair in R1, Finnish any last non-vowel pair (2.x: consonants b-z only).
    [InlineData("danish", "huse22", "huse2")]
    [InlineData("finnish", "talo22", "talo2")]
    // Finnish drops a final a/ä/e/i after any non-vowel (2.x: after a consonant).
    [InlineData("finnish", "kala1a", "kala1")]
    public void Follow_mongods_2011_libstemmer_where_snowball_changed_since(string language, string word, string stem) =>
        Assert.Equal(stem, Stem(language, word));

    [Fact]
    public void A_letter_outside_the_bmp_counts_as_one_letter()
    {
        // Snowball counts code points: R1 starts after the third letter at the earliest. In "a😀arna" it starts at the
        // "r" (the emoji is one letter), so "arna" is not in R1 and only "a" goes; counted in UTF-16 units R1 would
        // start one letter earlier and "arna" would go. The emoji come back intact.
        Assert.Equal("a😀arn", SwedishStemmer.Stem("a😀arna"));
        Assert.Equal("\U0001F600\U0001F600", SwedishStemmer.Stem("\U0001F600\U0001F600"));
    }

    [Fact]
    public void Turkish_folds_dotted_and_dotless_i_its_own_way()
    {
        var turkish = Language("turkish");
        // mongod's Turkish case folding: "I" → "ı", "İ" → "i"; "IRMAĞIN" is "ırmağın", stemmed to "ırmak" ("ı" has no
        // diacritic to strip, "ğ" became "k").
        Assert.Equal(["ırmak", "kenar"], TextTokenizer.Tokens("IRMAĞIN kenarında", turkish, TokenOptions.FilterStopWords));
        // The apostrophe splits words; "da" is a Turkish stop word.
        Assert.Equal(["istanbul"], TextTokenizer.Tokens("İSTANBUL'da", turkish, TokenOptions.FilterStopWords));
        // Other languages fold "I" to "i".
        Assert.Equal(["irmağin"], TextTokenizer.Tokens("IRMAĞIN", TextLanguage.None, TokenOptions.DiacriticSensitive));
        Assert.Equal("ırmak", turkish.ToLower("IRMAK"));
        Assert.Equal("irmak", Language("russian").ToLower("IRMAK"));
    }

    [Fact]
    public void Stop_words_are_mongods_lists_as_they_are()
    {
        // Swedish, Danish and Finnish filter the Snowball lists.
        Assert.Equal(["bil"], TextTokenizer.Tokens("och bilarna är här", Language("swedish"), TokenOptions.FilterStopWords));
        Assert.Equal(["hus"], TextTokenizer.Tokens("og huset er her", Language("danish"), TokenOptions.FilterStopWords));
        Assert.Equal(["talo"], TextTokenizer.Tokens("hän on talossa", Language("finnish"), TokenOptions.FilterStopWords));
        Assert.Equal(["haz"], TextTokenizer.Tokens("a házban és", Language("hungarian"), TokenOptions.FilterStopWords));
        Assert.Equal(["книг"], TextTokenizer.Tokens("и книги на", Language("ru"), TokenOptions.FilterStopWords));
        // mongod's Russian list lost its "ч" ("то" for "что"), its Norwegian list its "æ/ø/å" ("vÖre" for "være"), its
        // Turkish list its "ş/ı" ("þey" for "şey") and its Hungarian list its "ő" ("elsõ"): mongod keeps the real words.
        Assert.Equal(["что"], TextTokenizer.Tokens("что то", Language("russian"), TokenOptions.FilterStopWords));
        Assert.Equal(["vær", "hus"], TextTokenizer.Tokens("være huset", Language("norwegian"), TokenOptions.FilterStopWords));
        Assert.Equal(["sey"], TextTokenizer.Tokens("şey þey", Language("turkish"), TokenOptions.FilterStopWords));
        Assert.Equal(["elso"], TextTokenizer.Tokens("első elsõ", Language("hungarian"), TokenOptions.FilterStopWords));
    }

    [Fact]
    public void Russian_yo_is_stemmed_before_its_diaeresis_is_stripped()
    {
        var russian = Language("russian");
        // The stemmer sees "ё" ("ёлка" stays whole), then the diaeresis goes: "елка", not the stem "елк" of "елка".
        Assert.Equal(["елка"], TextTokenizer.Tokens("Ёлка", russian, TokenOptions.FilterStopWords));
        Assert.Equal(["елк"], TextTokenizer.Tokens("елка", russian, TokenOptions.FilterStopWords));
        Assert.Equal(["ёлка"], TextTokenizer.Tokens("Ёлка", russian, TokenOptions.DiacriticSensitive));
    }
}
