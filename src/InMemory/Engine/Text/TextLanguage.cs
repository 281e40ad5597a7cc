using Mongo.InMemory.Engine.Text.Stemmers;
using Mongo.InMemory.Engine.Text.StopWords;

namespace Mongo.InMemory.Engine.Text;

/// <summary>
/// A text-search language of text index version 3: its stop words and stemmer. Mongo.InMemory implements every
/// language of mongod 8.0, registered in <see cref="s_implemented"/> (mongod's stop-word lists and the Snowball
/// stemmers as mongod vendors them), and "none" (every word kept, nothing stemmed). The refusal of a known but
/// unregistered language stays so a language added to mongod's list is never silently stemmed differently.
/// </summary>
internal sealed class TextLanguage
{
    // mongod's version-3 languages and their two-letter aliases (matched case-insensitively).
    private static readonly Dictionary<string, string> s_known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["danish"] = "danish", ["da"] = "danish", ["dutch"] = "dutch", ["nl"] = "dutch", ["english"] = "english",
        ["en"] = "english", ["finnish"] = "finnish", ["fi"] = "finnish", ["french"] = "french", ["fr"] = "french",
        ["german"] = "german", ["de"] = "german", ["hungarian"] = "hungarian", ["hu"] = "hungarian",
        ["italian"] = "italian", ["it"] = "italian", ["norwegian"] = "norwegian", ["nb"] = "norwegian",
        ["portuguese"] = "portuguese", ["pt"] = "portuguese", ["romanian"] = "romanian", ["ro"] = "romanian",
        ["russian"] = "russian", ["ru"] = "russian", ["spanish"] = "spanish", ["es"] = "spanish",
        ["swedish"] = "swedish", ["sv"] = "swedish", ["turkish"] = "turkish", ["tr"] = "turkish", ["none"] = "none",
    };

    // The Snowball project's English stop words, the list mongod filters English text with.
    private static readonly HashSet<string> s_englishStopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "aren't", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can't", "cannot", "could",
        "couldn't", "did", "didn't", "do", "does", "doesn't", "doing", "don't", "down", "during", "each", "few", "for",
        "from", "further", "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "he'd", "he'll", "he's",
        "her", "here", "here's", "hers", "herself", "him", "himself", "his", "how", "how's", "i", "i'd", "i'll", "i'm",
        "i've", "if", "in", "into", "is", "isn't", "it", "it's", "its", "itself", "let's", "me", "more", "most",
        "mustn't", "my", "myself", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other", "ought", "our",
        "ours", "ourselves", "out", "over", "own", "same", "shan't", "she", "she'd", "she'll", "she's", "should",
        "shouldn't", "so", "some", "such", "than", "that", "that's", "the", "their", "theirs", "them", "themselves",
        "then", "there", "there's", "these", "they", "they'd", "they'll", "they're", "they've", "this", "those",
        "through", "to", "too", "under", "until", "up", "very", "was", "wasn't", "we", "we'd", "we'll", "we're", "we've",
        "were", "weren't", "what", "what's", "when", "when's", "where", "where's", "which", "while", "who", "who's",
        "whom", "why", "why's", "with", "won't", "would", "wouldn't", "you", "you'd", "you'll", "you're", "you've",
        "your", "yours", "yourself", "yourselves",
    };

    public static readonly TextLanguage English = new("english", s_englishStopWords, EnglishStemmer.Stem);

    public static readonly TextLanguage None = new("none", new HashSet<string>(), stemmer: null);

    // The languages Mongo.InMemory implements, one registration line each (canonical name → language).
    private static readonly Dictionary<string, TextLanguage> s_implemented = new(StringComparer.Ordinal)
    {
        ["english"] = English,
        ["none"] = None,
        ["russian"] = new("russian", RussianStopWords.Words, RussianStemmer.Stem),
        ["swedish"] = new("swedish", SwedishStopWords.Words, SwedishStemmer.Stem),
        ["danish"] = new("danish", DanishStopWords.Words, DanishStemmer.Stem),
        ["norwegian"] = new("norwegian", NorwegianStopWords.Words, NorwegianStemmer.Stem),
        ["finnish"] = new("finnish", FinnishStopWords.Words, FinnishStemmer.Stem),
        ["turkish"] = new("turkish", TurkishStopWords.Words, TurkishStemmer.Stem, turkishCase: true),
        ["hungarian"] = new("hungarian", HungarianStopWords.Words, HungarianStemmer.Stem),
        ["spanish"] = new("spanish", SpanishStopWords.Words, SpanishStemmer.Stem),
        ["french"] = new("french", FrenchStopWords.Words, FrenchStemmer.Stem),
        ["portuguese"] = new("portuguese", PortugueseStopWords.Words, PortugueseStemmer.Stem),
        ["german"] = new("german", GermanStopWords.Words, GermanStemmer.Stem),
        ["italian"] = new("italian", ItalianStopWords.Words, ItalianStemmer.Stem),
        ["dutch"] = new("dutch", DutchStopWords.Words, DutchStemmer.Stem),
        ["romanian"] = new("romanian", RomanianStopWords.Words, RomanianStemmer.Stem),
    };

    private readonly HashSet<string> _stopWords;
    private readonly Func<string, string>? _stemmer;
    private readonly bool _turkishCase;

    private TextLanguage(string name, HashSet<string> stopWords, Func<string, string>? stemmer, bool turkishCase = false)
    {
        Name = name;
        _stopWords = stopWords;
        _stemmer = stemmer;
        _turkishCase = turkishCase;
    }

    /// <summary>The canonical name ("english", "russian", "none").</summary>
    public string Name { get; }

    /// <summary>Whether the apostrophe belongs to words (English keeps "don't" whole; other languages split at it).</summary>
    public bool KeepsApostrophe => ReferenceEquals(this, English);

    public bool IsStopWord(string lowerCaseWord) => _stopWords.Contains(lowerCaseWord);

    public string Stem(string word) => _stemmer is null ? word : _stemmer(word);

    /// <summary>
    /// The text lower-cased as mongod's tokenizer and phrase matcher fold it for this language: Turkish maps "I" to
    /// dotless "ı" and "İ" to "i" (mongod's Turkish case-folding mode); every other language folds "I" to "i".
    /// </summary>
    public string ToLower(string text)
    {
        if (!_turkishCase || (!text.Contains('I', StringComparison.Ordinal) && !text.Contains('\u0130', StringComparison.Ordinal)))
            return text.ToLowerInvariant();
        return text.Replace('I', '\u0131').Replace('\u0130', 'i').ToLowerInvariant();
    }

    /// <summary>
    /// The language a name denotes; <paramref name="unknown"/> builds mongod's error for a name it does not know,
    /// and a language mongod knows but Mongo.InMemory does not implement is refused with NotImplemented.
    /// </summary>
    public static TextLanguage Resolve(string name, Func<Exception> unknown)
    {
        if (!s_known.TryGetValue(name, out var canonical)) throw unknown();
        if (s_implemented.TryGetValue(canonical, out var language)) return language;
        throw Errors.NotImplemented("text search language \"" + canonical + "\" is not supported by Mongo.InMemory");
    }

    /// <summary>The canonical names of the languages Mongo.InMemory implements, sorted.</summary>
    public static IEnumerable<string> Implemented => s_implemented.Keys.Order(StringComparer.Ordinal);

    /// <summary>The canonical names of mongod's languages that Mongo.InMemory refuses, sorted.</summary>
    public static IEnumerable<string> Refused => s_known.Values.Distinct().Except(Implemented).Order(StringComparer.Ordinal);

    /// <summary>mongod's error for an unknown $text or override language.</summary>
    public static Exception Unsupported(string name) => Errors.BadValue("unsupported language: \"" + name + "\" for text index version 3");
}
