using Mongo.InMemory.Engine.Text;
using Xunit;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>The Snowball English stemmer, the tokenizer and the $search parser, checked without a server.</summary>
public sealed class TextStemmerTests
{
    [Theory]
    // Words from the Snowball English sample vocabulary with their published stems.
    [InlineData("consign", "consign")]
    [InlineData("consigned", "consign")]
    [InlineData("consignment", "consign")]
    [InlineData("consistency", "consist")]
    [InlineData("consistently", "consist")]
    [InlineData("consolation", "consol")]
    [InlineData("consolatory", "consolatori")]
    [InlineData("consolidating", "consolid")]
    [InlineData("consolingly", "consol")]
    [InlineData("conspicuously", "conspicu")]
    [InlineData("conspiracy", "conspiraci")]
    [InlineData("constable", "constabl")]
    [InlineData("constancy", "constanc")]
    [InlineData("knackeries", "knackeri")]
    [InlineData("kneeling", "kneel")]
    [InlineData("knightly", "knight")]
    [InlineData("knitting", "knit")]
    [InlineData("knives", "knive")]
    [InlineData("generously", "generous")]
    [InlineData("caresses", "caress")]
    [InlineData("ponies", "poni")]
    [InlineData("ties", "tie")]
    [InlineData("cats", "cat")]
    [InlineData("gas", "gas")]
    [InlineData("happy", "happi")]
    [InlineData("hopping", "hop")]
    [InlineData("hoping", "hope")]
    [InlineData("relational", "relat")]
    [InlineData("conditional", "condit")]
    [InlineData("shopping", "shop")]
    [InlineData("baking", "bake")]
    [InlineData("coffee", "coffe")]
    [InlineData("running", "run")]
    // Exceptional forms and the apostrophe suffixes.
    [InlineData("skies", "sky")]
    [InlineData("dying", "die")]
    [InlineData("news", "news")]
    [InlineData("succeed", "succeed")]
    [InlineData("john's", "john")]
    [InlineData("by", "by")]
    public void Stems_as_the_published_algorithm(string word, string stem) => Assert.Equal(stem, EnglishStemmer.Stem(word));

    [Fact]
    public void Tokens_drop_stop_words_split_at_punctuation_and_fold_case_and_diacritics()
    {
        var tokens = TextTokenizer.Tokens("The Café-owner's CAKES, aren't they? snake_case", TextLanguage.English, TokenOptions.FilterStopWords);
        Assert.Equal(["cafe", "owner", "cake", "snake_cas"], tokens);
        // "none" keeps stop words and does not stem; the apostrophe splits words outside English.
        Assert.Equal(["the", "cakes", "aren", "t"], TextTokenizer.Tokens("The cakes aren't", TextLanguage.None, TokenOptions.FilterStopWords));
        // Case- and diacritic-sensitive forms keep what the folding removes.
        Assert.Equal(["Café"], TextTokenizer.Tokens("Café", TextLanguage.English, TokenOptions.CaseSensitive | TokenOptions.DiacriticSensitive));
    }

    [Fact]
    public void Search_strings_parse_into_terms_phrases_and_negations()
    {
        var q = TextQuery.Parse("coffee -shops \"iced tea\" -\"hot cocoa\" the - milk -foo-bar", TextLanguage.English, false, false);
        Assert.Equal(["coffe", "ice", "milk", "tea"], q.PositiveTerms);
        Assert.Equal(["bar", "foo", "shop"], q.NegatedTerms);
        Assert.Equal(["iced tea"], q.PositivePhrases);
        Assert.Equal(["hot cocoa"], q.NegatedPhrases);
        Assert.Equal(q.PositiveTerms, q.TermsForBounds);
    }
}
