using Mongo.Bson;

namespace Mongo.InMemory.Engine.Text;

/// <summary>
/// A parsed $search string, as mongod reads it: words are terms (OR-ed), "quoted text" is a phrase (its words are
/// terms too), a '-' right before a word or phrase (after white space or at the start) negates it, stop words are
/// dropped and terms stemmed in the query's language.
/// </summary>
internal sealed class TextQuery
{
    private TextQuery(TextLanguage language, bool caseSensitive, bool diacriticSensitive)
    {
        Language = language;
        CaseSensitive = caseSensitive;
        DiacriticSensitive = diacriticSensitive;
    }

    public TextLanguage Language { get; }

    public bool CaseSensitive { get; }

    public bool DiacriticSensitive { get; }

    /// <summary>The index terms looked up (case- and diacritic-folded, as the index holds them).</summary>
    public SortedSet<string> TermsForBounds { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> PositiveTerms { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> NegatedTerms { get; } = new(StringComparer.Ordinal);

    public List<string> PositivePhrases { get; } = [];

    public List<string> NegatedPhrases { get; } = [];

    private TokenOptions MatchOptions => TokenOptions.FilterStopWords
        | (CaseSensitive ? TokenOptions.CaseSensitive : 0) | (DiacriticSensitive ? TokenOptions.DiacriticSensitive : 0);

    public static TextQuery Parse(string search, TextLanguage language, bool caseSensitive, bool diacriticSensitive)
    {
        var q = new TextQuery(language, caseSensitive, diacriticSensitive);
        var positive = new System.Text.StringBuilder();
        var negative = new System.Text.StringBuilder();
        var inNegation = false;
        var inPhrase = false;
        var quoteOffset = 0;
        var previousWhiteSpace = true;
        var i = 0;
        while (i < search.Length)
        {
            var c = search[i];
            if (IsSpace(c))
            {
                previousWhiteSpace = true;
                i++;
                continue;
            }
            if (c is '-' or '"')
            {
                if (c == '-')
                {
                    if (!inPhrase && previousWhiteSpace) inNegation = true;
                }
                else if (inPhrase)
                {
                    var phrase = search[(quoteOffset + 1)..i];
                    (inNegation ? q.NegatedPhrases : q.PositivePhrases).Add(phrase);
                    inPhrase = false;
                }
                else
                {
                    inPhrase = true;
                    if (inNegation && previousWhiteSpace) inNegation = false;
                    quoteOffset = i;
                }
                previousWhiteSpace = false;
                i++;
                continue;
            }
            var start = i;
            while (i < search.Length && !IsSpace(search[i]) && search[i] is not ('-' or '"')) i++;
            var text = search[start..i];
            if (!(inPhrase && inNegation))
            {
                // A negation lasts until the next white space: "-foo-bar" negates both, "- foo" neither.
                if (inNegation && previousWhiteSpace) inNegation = false;
                (inNegation ? negative : positive).Append(text).Append(' ');
            }
            previousWhiteSpace = false;
        }
        q.AddTerms(positive.ToString(), negated: false);
        q.AddTerms(negative.ToString(), negated: true);
        return q;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    private void AddTerms(string sentence, bool negated)
    {
        var active = negated ? NegatedTerms : PositiveTerms;
        foreach (var word in TextTokenizer.Tokens(sentence, Language, TokenOptions.FilterStopWords))
        {
            if (!negated) TermsForBounds.Add(word);
            if (!CaseSensitive && !DiacriticSensitive) active.Add(word);
        }
        if (!CaseSensitive && !DiacriticSensitive) return;
        foreach (var word in TextTokenizer.Tokens(sentence, Language, MatchOptions)) active.Add(word);
    }

    /// <summary>
    /// The checks beyond the index lookup (mongod's FTSMatcher): a positive term in its case/diacritic form when the
    /// search is sensitive to either, no negated term, every positive phrase and no negated phrase.
    /// </summary>
    public bool Matches(List<TextIndex.Entry> entries)
    {
        if ((CaseSensitive || DiacriticSensitive) && !entries.Exists(e => TextTokenizer.Tokens(e.Text, e.Language, MatchOptions).Exists(PositiveTerms.Contains)))
            return false;
        if (NegatedTerms.Count > 0 && entries.Exists(e => TextTokenizer.Tokens(e.Text, e.Language, MatchOptions).Exists(NegatedTerms.Contains)))
            return false;
        foreach (var phrase in PositivePhrases)
            if (!entries.Exists(e => ContainsPhrase(e, phrase))) return false;
        foreach (var phrase in NegatedPhrases)
            if (entries.Exists(e => ContainsPhrase(e, phrase))) return false;
        return true;
    }

    // As mongod's phrase matcher, both sides are folded with the case rules of the entry's language (Turkish "I").
    private bool ContainsPhrase(TextIndex.Entry entry, string phrase) =>
        TextTokenizer.FoldForPhrase(entry.Text, entry.Language, CaseSensitive, DiacriticSensitive)
            .Contains(TextTokenizer.FoldForPhrase(phrase, entry.Language, CaseSensitive, DiacriticSensitive), StringComparison.Ordinal);

    /// <summary>explain's parsedTextQuery.</summary>
    public BsonDocument ToBson() => new()
    {
        { "terms", new BsonArray(PositiveTerms.Select(t => (BsonValue)t)) },
        { "negatedTerms", new BsonArray(NegatedTerms.Select(t => (BsonValue)t)) },
        { "phrases", new BsonArray(PositivePhrases.Select(t => (BsonValue)t)) },
        { "negatedPhrases", new BsonArray(NegatedPhrases.Select(t => (BsonValue)t)) },
    };
}
