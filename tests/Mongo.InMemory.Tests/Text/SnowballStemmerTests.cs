using Mongo.InMemory.Engine.Text;
using Xunit;

namespace Mongo.InMemory.Tests.Text;

/// <summary>
/// The Snowball stemmers and stop words without the Python oracle (StemmerOracleTests compares whole word lists): a
/// few stems per language, and the words on which mongod's libstemmer, older than Snowball 2.0, differs from it.
/// </summary>
public sealed class SnowballStemmerTests
{
    [Theory]
    [InlineData("spanish", "comiéndolo", "com")] // attached pronoun after an accented gerund
    [InlineData("spanish", "siguen", "sig")] // -en after gu takes the u
    [InlineData("spanish", "nacionalidades", "nacional")]
    [InlineData("spanish", "rápidamente", "rapid")] // acute accents go last
    [InlineData("french", "chevaux", "cheval")]
    [InlineData("french", "majestueusement", "majestu")]
    [InlineData("french", "naïveté", "naïvet")]
    [InlineData("portuguese", "biologia", "biolog")]
    [InlineData("portuguese", "corações", "coraçõ")]
    [InlineData("german", "straße", "strass")]
    [InlineData("german", "kenntnisse", "kenntnis")]
    [InlineData("german", "bäuerin", "bauerin")]
    [InlineData("italian", "dandoglielo", "dandogliel")]
    [InlineData("italian", "crocchio", "crocc")]
    [InlineData("italian", "qualità", "qualit")]
    [InlineData("dutch", "ooievaar", "ooievar")]
    [InlineData("dutch", "lichamelijk", "licham")]
    [InlineData("dutch", "vrijheden", "vrijheid")]
    [InlineData("romanian", "frumuseţea", "frumuseţ")]
    [InlineData("romanian", "organizaţiei", "organiz")]
    [InlineData("romanian", "naţiune", "naţiun")]
    // Where mongod's libstemmer differs from Snowball 2.2 (which gives aigu, cano, revolu, revolu, evolucion, èten):
    // "ë" and "ï" are plain vowels; Portuguese step 1 knows the Spanish spellings "ución"/"uciones", not "ução"/"uções";
    // Dutch counts the three letters before R1 in UTF-8 bytes.
    [InlineData("french", "aiguë", "aiguë")]
    [InlineData("french", "canoës", "canoë")]
    [InlineData("portuguese", "revolução", "revoluçã")]
    [InlineData("portuguese", "revoluções", "revoluçõ")]
    [InlineData("portuguese", "evoluciones", "evolu")]
    [InlineData("dutch", "èten", "èt")]
    public void Stems_as_mongods_libstemmer(string language, string word, string stem) =>
        Assert.Equal(stem, Resolve(language).Stem(word));

    [Theory]
    // Snowball counts code points, so an emoji is one letter (Snowball 2.2 gives these stems). Counted in UTF-16 units
    // the regions of "😀ucisele" would start a letter earlier and "-isele" would go ("😀uc"), and the final letter of
    // "desirée😀" would be half the emoji, so the doubled "ee" before it would not be undoubled.
    [InlineData("romanian", "\U0001F600ucisele", "\U0001F600ucis")]
    [InlineData("dutch", "desirée\U0001F600", "desire\U0001F600")]
    public void A_letter_outside_the_bmp_counts_as_one_letter(string language, string word, string stem) =>
        Assert.Equal(stem, Resolve(language).Stem(word));

    [Theory]
    [InlineData("spanish", "es")]
    [InlineData("french", "fr")]
    [InlineData("portuguese", "pt")]
    [InlineData("german", "de")]
    [InlineData("italian", "it")]
    [InlineData("dutch", "nl")]
    [InlineData("romanian", "ro")]
    public void Languages_resolve_by_name_and_alias(string name, string alias)
    {
        Assert.Equal(name, Resolve(name).Name);
        Assert.Same(Resolve(name), Resolve(alias.ToUpperInvariant()));
    }

    [Fact]
    public void Tokens_drop_the_languages_stop_words_and_split_at_apostrophes()
    {
        var french = Resolve("french");
        Assert.Equal(["homm", "chat"], TextTokenizer.Tokens("L'homme et les chats", french, TokenOptions.FilterStopWords));
        // Stop words are tested lower-cased with their diacritics: "été" is one, "ete" is not.
        Assert.Equal(["ete"], TextTokenizer.Tokens("Été ete", french, TokenOptions.FilterStopWords));
        Assert.Equal(["hund", "katz"], TextTokenizer.Tokens("Der Hund und die Katze", Resolve("german"), TokenOptions.FilterStopWords));
        // English stop words mean nothing to Spanish.
        Assert.Equal(["the", "perr"], TextTokenizer.Tokens("the perros", Resolve("spanish"), TokenOptions.FilterStopWords));
        // Without filtering, the stop words are stemmed terms like any other.
        Assert.Equal(["el", "perr"], TextTokenizer.Tokens("el perros", Resolve("spanish"), TokenOptions.None));
    }

    private static TextLanguage Resolve(string name) => TextLanguage.Resolve(name, () => new InvalidOperationException("unknown " + name));
}
