using System.Globalization;
using System.Text;
using Mongo.Bson;

namespace Mongo.InMemory.Engine.Text;

/// <summary>
/// A text index's definition as the query side needs it: the weighted fields (or the "$**" wildcard), the default
/// language and the override field, and the equality fields before and after the text part of a compound key.
/// It computes a document's term scores with mongod's formula; the index keeps no separate term map, so a $text
/// query scores each candidate document (explain says so).
/// </summary>
internal sealed class TextIndex
{
    private const double MaxWordWeight = 100000; // mongod: MAX_WEIGHT / 10000

    private readonly Dictionary<string, double> _weights = new(StringComparer.Ordinal);
    private readonly bool _wildcard;

    public TextIndex(BsonDocument spec)
    {
        foreach (var (field, weight) in spec["weights"].AsDocument)
        {
            if (field == "$**") _wildcard = true;
            else _weights[field] = weight.ToDouble();
        }
        DefaultLanguage = TextLanguage.Resolve(spec["default_language"].AsString, () => Errors.CannotCreateIndex("default_language is not valid"));
        LanguageOverride = spec["language_override"].AsString;
        var passed = false;
        foreach (var (field, _) in spec["key"].AsDocument)
        {
            if (field is "_fts" or "_ftsx")
            {
                passed = true;
                continue;
            }
            (passed ? ExtraAfter : ExtraBefore).Add(field);
        }
    }

    public TextLanguage DefaultLanguage { get; }

    public string LanguageOverride { get; }

    /// <summary>Key fields before the text part: a $text query needs an equality on each.</summary>
    public List<string> ExtraBefore { get; } = [];

    public List<string> ExtraAfter { get; } = [];

    /// <summary>
    /// Validates and normalises a createIndexes entry whose key has "text" fields, as mongod's FTSSpec::fixSpec: the
    /// key becomes {prefix..., _fts: "text", _ftsx: 1, suffix...}, weights an object of integer weights by field,
    /// and default_language, language_override and textIndexVersion (3) are filled in.
    /// </summary>
    public static BsonDocument Normalize(BsonDocument spec)
    {
        var key = spec["key"].AsDocument;
        var weights = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var newKey = new BsonDocument();
        var addedFts = false;
        foreach (var (field, value) in key)
        {
            if (field is "_fts" or "_ftsx")
            {
                if (field == "_fts" && value is not BsonString { Value: "text" }) throw Errors.CannotCreateIndex("expecting _fts:\"text\"");
                if (field == "_ftsx" && (!value.IsNumeric || value.ToInt32() != 1)) throw Errors.CannotCreateIndex("expecting _ftsx:1");
                addedFts |= field == "_fts";
                newKey.Add(field, value);
            }
            else if (value is BsonString { Value: "text" })
            {
                if (!addedFts)
                {
                    newKey.Add("_fts", "text");
                    newKey.Add("_ftsx", 1);
                    addedFts = true;
                }
                weights[field] = 1;
            }
            else
            {
                if (value is BsonString s) throw Errors.CannotCreateIndex("Can't use more than one index plugin for a single index.");
                if (!value.IsNumeric || value.ToInt32() is not (1 or -1))
                    throw Errors.CannotCreateIndex("expected value 1 or -1 for non-text key in compound index");
                newKey.Add(field, value);
            }
        }
        CheckLayout(key);
        switch (spec.GetValueOrDefault("weights"))
        {
            case null:
                break;
            case BsonDocument wd:
                foreach (var (field, w) in wd)
                {
                    if (!w.IsNumeric) throw Errors.CannotCreateIndex("weight for text index needs numeric type");
                    weights[field] = (int)Math.Truncate(w.ToDouble());
                }
                break;
            case BsonString { Value: "$**" }:
                weights["$**"] = 1;
                break;
            default:
                throw Errors.CannotCreateIndex("text index option 'weights' must be an object");
        }
        if (weights.Count == 0) throw Errors.CannotCreateIndex("text index option 'weights' must specify fields or the wildcard");
        var weightDoc = new BsonDocument();
        foreach (var (field, w) in weights)
        {
            if (w <= 0 || w >= MaxWordWeight)
                throw Errors.CannotCreateIndex("text index weight must be in the exclusive interval (0," + MaxWordWeight.ToString(CultureInfo.InvariantCulture) + ") but found: " + w);
            if (field != "$**")
            {
                if (field.Length == 0) throw Errors.CannotCreateIndex("weight cannot be on an empty field");
                foreach (var part in field.Split('.'))
                {
                    if (part.Length == 0) throw Errors.CannotCreateIndex("weight cannot have empty path component");
                    if (part.StartsWith('$')) throw Errors.CannotCreateIndex("weight cannot have path component with $ prefix");
                }
            }
            weightDoc.Add(field, w);
        }

        var language = "english";
        if (spec.TryGetValue("default_language", out var dl))
        {
            if (dl is not BsonString dls) throw Errors.CannotCreateIndex("default_language needs a string type");
            language = dls.Value;
        }
        TextLanguage.Resolve(language, () => Errors.CannotCreateIndex("default_language is not valid"));
        var languageOverride = "language";
        if (spec.TryGetValue("language_override", out var lo))
        {
            if (lo is not BsonString los) throw Errors.CannotCreateIndex("language_override must be a string");
            if (los.Value.Length == 0 || los.Value.StartsWith('$') || los.Value.Contains('.', StringComparison.Ordinal))
                throw Errors.CannotCreateIndex("language_override is not valid");
            languageOverride = los.Value;
        }
        if (spec.TryGetValue("textIndexVersion", out var tv))
        {
            if (!tv.IsNumeric) throw Errors.CannotCreateIndex("text index option 'textIndexVersion' must be a number");
            if (tv.ToInt32() == 2) throw Errors.NotImplemented("text index version 2 is not supported by Mongo.InMemory (it implements version 3)");
            if (tv.ToInt32() != 3) throw Errors.CannotCreateIndex("bad textIndexVersion: " + tv.ToInt32());
        }
        if (spec.TryGetValue("collation", out var collation) && collation is BsonDocument cd && !(cd.ElementCount == 1 && cd.GetValueOrDefault("locale") is BsonString { Value: "simple" }))
            throw Errors.CannotCreateIndex("Index type 'text' does not support collation: " + Shell.Format(collation));

        var result = new BsonDocument();
        foreach (var (name, value) in spec)
        {
            if (name is "weights" or "default_language" or "language_override" or "textIndexVersion" or "collation") continue;
            result.Add(name, name == "key" ? newKey : value);
        }
        result.Add("weights", weightDoc);
        result.Add("default_language", language);
        result.Add("language_override", languageOverride);
        result.Add("textIndexVersion", 3);
        return result;
    }

    /// <summary>Prefix fields, then the adjacent text fields, then suffix fields (mongod's layout rule).</summary>
    private static void CheckLayout(BsonDocument key)
    {
        var stage = 0; // 0: prefix fields, 1: text fields, 2: suffix fields
        foreach (var (field, value) in key)
        {
            var textPart = value is BsonString || field is "_fts" or "_ftsx";
            if (textPart)
            {
                if (stage == 2) throw Errors.CannotCreateIndex("'text' fields in index must all be adjacent");
                stage = 1;
            }
            else if (stage == 1) stage = 2;
        }
    }

    /// <summary>One indexed string of a document: its text, the language it is read in, and its field's weight.</summary>
    public readonly record struct Entry(string Text, TextLanguage Language, double Weight);

    /// <summary>The indexed strings of a document (mongod's FTSElementIterator), checking its language fields.</summary>
    public List<Entry> Entries(BsonDocument doc)
    {
        var result = new List<Entry>();
        Walk(doc, "", LanguageOf(doc, DefaultLanguage), result);
        return result;
    }

    private TextLanguage LanguageOf(BsonDocument doc, TextLanguage current)
    {
        if (!doc.TryGetValue(LanguageOverride, out var value)) return current;
        if (value is not BsonString s) throw Errors.Location(17261, "found language override field in document with non-string type");
        return TextLanguage.Resolve(s.Value, () => Errors.Location(17262, "language override unsupported: " + s.Value));
    }

    private void Walk(BsonDocument doc, string prefix, TextLanguage language, List<Entry> into)
    {
        foreach (var (name, value) in doc)
        {
            var path = prefix.Length == 0 ? name : prefix + "." + name;
            if (_wildcard && prefix.Length == 0 && name == LanguageOverride) continue;
            Visit(value, path, language, into);
        }
    }

    private void Visit(BsonValue value, string path, TextLanguage language, List<Entry> into)
    {
        switch (value)
        {
            case BsonString s:
                if (Weight(path) is { } w) into.Add(new Entry(s.Value, language, w));
                break;
            case BsonArray array:
                foreach (var element in array)
                {
                    if (element is BsonString es) { if (Weight(path) is { } ew) into.Add(new Entry(es.Value, language, ew)); }
                    else if (element is BsonDocument ed && MayHold(path)) Walk(ed, path, LanguageOf(ed, language), into);
                }
                break;
            case BsonDocument sub when MayHold(path):
                Walk(sub, path, LanguageOf(sub, language), into);
                break;
        }
    }

    private double? Weight(string path) => _weights.TryGetValue(path, out var w) ? w : _wildcard ? 1 : null;

    private bool MayHold(string path)
    {
        if (_wildcard) return true;
        foreach (var field in _weights.Keys)
            if (field.Length > path.Length && field[path.Length] == '.' && field.StartsWith(path, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>
    /// A document's score per index term (mongod's scoreDocument): per string, each term's occurrences add 1, 1/2,
    /// 1/4...; that sum times the field weight times (0.5 + 0.5 × share of the string's terms), times 1.1 when the
    /// whole string is the term.
    /// </summary>
    public static Dictionary<string, double> Scores(List<Entry> entries)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var entry in entries) ScoreString(entry, scores);
        return scores;
    }

    private static void ScoreString(Entry entry, Dictionary<string, double> scores)
    {
        var terms = new Dictionary<string, (double Exp, int Count, double Freq)>(StringComparer.Ordinal);
        var order = new List<string>();
        var numTokens = 0;
        foreach (var term in TextTokenizer.Tokens(entry.Text, entry.Language, TokenOptions.FilterStopWords))
        {
            if (!terms.TryGetValue(term, out var data)) order.Add(term);
            data.Exp = data.Exp == 0 ? 1 : data.Exp * 2;
            data.Count++;
            data.Freq += 1 / data.Exp;
            terms[term] = data;
            numTokens++;
        }
        foreach (var term in order)
        {
            var data = terms[term];
            var coeff = (0.5 * data.Count / numTokens) + 0.5;
            var adjustment = Encoding.UTF8.GetByteCount(entry.Text) == Encoding.UTF8.GetByteCount(term)
                && string.Equals(entry.Text, term, StringComparison.OrdinalIgnoreCase) ? 1.1 : 1;
            scores.TryGetValue(term, out var score);
            scores[term] = score + (entry.Weight * data.Freq * coeff * adjustment);
        }
    }

    /// <summary>Checks what an insert must satisfy: languages (through the walk) and no array in a prefix field.</summary>
    public void Validate(BsonDocument doc)
    {
        _ = Entries(doc);
        foreach (var field in ExtraBefore)
        {
            var values = new List<BsonValue?>();
            FieldPath.Collect(doc, field.Split('.'), 0, values, expandLeafArrays: false);
            if (values.Exists(v => v is BsonArray)) throw Errors.Location(16675, "cannot have a multi-key as a prefix to a text index");
        }
    }
}
