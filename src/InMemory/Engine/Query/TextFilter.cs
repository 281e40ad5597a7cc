using Mongo.Bson;
using Mongo.InMemory.Engine.Text;

namespace Mongo.InMemory.Engine.Query;

/// <summary>
/// <c>$text</c>: a search of the collection's text index. Parsing only checks the operand; the query is read (terms,
/// phrases, negations, in the index's or the given language) when the filter is bound to the text index, which the
/// planner (or an aggregation's first $match) does. A matching document gets its score as metadata.
/// </summary>
internal sealed class TextFilter : Filter
{
    private TextIndex? _index;
    private TextQuery? _query;

    private TextFilter(string search, string? language, bool caseSensitive, bool diacriticSensitive)
    {
        Search = search;
        Language = language;
        CaseSensitive = caseSensitive;
        DiacriticSensitive = diacriticSensitive;
    }

    public string Search { get; }

    public string? Language { get; }

    public bool CaseSensitive { get; }

    public bool DiacriticSensitive { get; }

    /// <summary>The other branches when the $text is one branch of an $or (null otherwise).</summary>
    public IReadOnlyList<Filter>? OrSiblings { get; private set; }

    /// <summary>The parsed query once bound (for explain's parsedTextQuery).</summary>
    public TextQuery? Query => _query;

    public static TextFilter Parse(BsonValue operand)
    {
        if (operand is not BsonDocument d) throw Errors.BadValue("$text expects an object");
        string? search = null, language = null;
        bool caseSensitive = false, diacriticSensitive = false;
        foreach (var (name, value) in d)
        {
            switch (name)
            {
                case "$search":
                    search = value is BsonString s ? s.Value : throw WrongType(name, value, "string");
                    break;
                case "$language":
                    language = value is BsonString l ? l.Value : throw WrongType(name, value, "string");
                    break;
                case "$caseSensitive":
                    caseSensitive = value is BsonBoolean c ? c.Value : throw WrongType(name, value, "bool");
                    break;
                case "$diacriticSensitive":
                    diacriticSensitive = value is BsonBoolean ds ? ds.Value : throw WrongType(name, value, "bool");
                    break;
                default:
                    throw Errors.Location(40415, "BSON field '$text." + name + "' is an unknown field.");
            }
        }
        if (search is null) throw Errors.Location(40414, "BSON field '$text.$search' is missing but a required field");
        return new TextFilter(search, language, caseSensitive, diacriticSensitive);
    }

    private static Exception WrongType(string name, BsonValue value, string expected) =>
        Errors.TypeMismatch("BSON field '$text." + name + "' is the wrong type '" + BsonOrder.TypeName(value) + "', expected type '" + expected + "'");

    /// <summary>Reads the query against <paramref name="index"/> (its default language unless $language says otherwise).</summary>
    public void Bind(TextIndex index)
    {
        var language = Language is null ? index.DefaultLanguage : TextLanguage.Resolve(Language, () => TextLanguage.Unsupported(Language));
        _query = TextQuery.Parse(Search, language, CaseSensitive, DiacriticSensitive);
        _index = index;
    }

    public override bool Matches(BsonValue root, MatchState? state = null)
    {
        if (_index is null || _query is null) throw Errors.IndexNotFound("text index required for $text query");
        if (root is not BsonDocument doc) return false;
        var entries = _index.Entries(doc);
        var scores = TextIndex.Scores(entries);
        var score = 0.0;
        var any = false;
        foreach (var term in _query.TermsForBounds)
        {
            if (!scores.TryGetValue(term, out var s)) continue;
            score += s;
            any = true;
        }
        if (!any || !_query.Matches(entries)) return false;
        DocumentMetadata.SetTextScore(doc, score);
        return true;
    }

    /// <summary>
    /// The one $text of a parsed filter (null when there is none), with mongod's rules: one at most, never under $nor.
    /// </summary>
    public static TextFilter? FindIn(Filter root)
    {
        var found = new List<TextFilter>();
        var underNor = false;
        Walk(root, false, null);
        if (found.Count > 1) throw Errors.BadValue("Too many text expressions");
        if (underNor) throw Errors.BadValue("text expression not allowed in nor");
        return found.Count == 1 ? found[0] : null;

        void Walk(Filter f, bool inNor, IReadOnlyList<Filter>? orBranches)
        {
            switch (f)
            {
                case TextFilter t:
                    found.Add(t);
                    underNor |= inNor;
                    if (orBranches is not null) t.OrSiblings = orBranches.Where(b => !ReferenceEquals(b, t)).ToList();
                    break;
                case AndFilter a:
                    foreach (var c in a.Children) Walk(c, inNor, null);
                    break;
                case OrFilter o:
                    foreach (var c in o.Children) Walk(c, inNor, o.Children);
                    break;
                case NorFilter n:
                    foreach (var c in n.Children) Walk(c, true, null);
                    break;
            }
        }
    }
}
