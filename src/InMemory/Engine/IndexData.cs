using System.Globalization;
using System.Text;
using Mongo.Bson;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine;

/// <summary>An index: its specification as listIndexes reports it, and for unique indexes the key → documents map that enforces it.</summary>
internal sealed class IndexData
{
    private static readonly HashSet<string> AllowedOptions =
    [
        "key", "name", "v", "unique", "sparse", "partialFilterExpression", "expireAfterSeconds", "background", "hidden",
        "collation", "weights", "default_language", "language_override", "textIndexVersion", "2dsphereIndexVersion", "bits",
        "min", "max", "wildcardProjection", "storageEngine", "bucketSize", "ns", "clustered", "prepareUnique",
    ];

    private readonly string[][] _paths;
    private readonly Dictionary<string, List<BsonDocument>>? _entries;

    public IndexData(BsonDocument spec)
    {
        Spec = spec;
        Name = spec["name"].AsString;
        Key = spec["key"].AsDocument;
        Unique = spec.TryGetValue("unique", out var u) && u.ToBoolean() || Name == "_id_";
        Sparse = spec.TryGetValue("sparse", out var s) && s.ToBoolean();
        if (spec.TryGetValue("partialFilterExpression", out var pfe)) Partial = FilterParser.Parse(pfe.AsDocument);
        _paths = Key.Names.Select(n => n.Split('.')).ToArray();
        if (Unique) _entries = new Dictionary<string, List<BsonDocument>>(StringComparer.Ordinal);
    }

    public string Name { get; }

    public BsonDocument Key { get; }

    public BsonDocument Spec { get; }

    public bool Unique { get; }

    public bool Sparse { get; }

    public Filter? Partial { get; }

    public bool IsId => Name == "_id_";

    /// <summary>Validates a createIndexes entry and returns the normalised specification (v: 2, key, name, options).</summary>
    public static BsonDocument NormalizeSpec(BsonValue raw)
    {
        if (raw is not BsonDocument d) throw Errors.TypeMismatch("The 'indexes' field must be an array of objects");
        if (!d.TryGetValue("key", out var keyValue)) throw Errors.FailedToParse("The 'key' field is a required property of an index specification");
        if (keyValue is not BsonDocument key) throw Errors.TypeMismatch("The field 'key' must be an object, but got " + BsonOrder.TypeName(keyValue));
        if (key.ElementCount == 0) throw Errors.CannotCreateIndex("Index keys cannot be empty.");
        foreach (var (field, value) in key)
        {
            if (field.Length == 0) throw Errors.CannotCreateIndex("Index key fields cannot be empty");
            var ok = value.IsNumeric && value.ToDouble() != 0 ||
                value is BsonString { Value: "hashed" or "text" or "2d" or "2dsphere" or "geoHaystack" };
            if (!ok) throw Errors.CannotCreateIndex("Values in the index key pattern can only be positive numbers, negative numbers, or strings; found " + Shell.Format(value) + " for key " + field);
        }
        foreach (var (name, _) in d)
        {
            if (!AllowedOptions.Contains(name))
                throw new Commands.CommandException(197, "InvalidIndexSpecificationOption", "The field '" + name + "' is not valid for an index specification. Specification: " + Shell.Format(d));
        }
        if (d.TryGetValue("collation", out var collation) && !Collation.IsSimple(collation))
            throw Errors.BadValue("Mongo.InMemory supports only the simple collation");
        var name2 = d.TryGetValue("name", out var n) ? n.AsString : GenerateName(key);
        if (name2.Length == 0) throw Errors.CannotCreateIndex("index name cannot be empty");
        var spec = new BsonDocument { { "v", 2 }, { "key", key.DeepClone() }, { "name", name2 } };
        foreach (var (option, value) in d)
        {
            if (option is "key" or "name" or "v" or "ns" or "background") continue;
            if (option == "expireAfterSeconds" && (!value.IsNumeric || value.ToDouble() < 0))
                throw Errors.CannotCreateIndex("TTL index 'expireAfterSeconds' option must be numeric and non-negative, but received: " + Shell.Format(value));
            if (option == "partialFilterExpression")
            {
                if (value is not BsonDocument) throw Errors.TypeMismatch("The field 'partialFilterExpression' must be an object");
                FilterParser.Parse((BsonDocument)value);
            }
            spec.Add(option, value.DeepClone());
        }
        if (name2 == "_id_" || key.ElementCount == 1 && key.GetElement(0).Name == "_id" && key[0].IsNumeric && key[0].ToDouble() == 1 && name2 == "_id_")
        {
            if (spec.Contains("unique")) throw Errors.InvalidOptions("The field 'unique' is not valid for an _id index specification. Specification: " + Shell.Format(spec));
        }
        return spec;
    }

    /// <summary>The server's default index name: field_direction pairs joined by underscores.</summary>
    public static string GenerateName(BsonDocument key)
    {
        var sb = new StringBuilder();
        foreach (var (field, value) in key)
        {
            if (sb.Length > 0) sb.Append('_');
            sb.Append(field).Append('_');
            if (value is BsonString s) sb.Append(s.Value);
            else if (value.IsNumeric)
            {
                var d = value.ToDouble();
                sb.Append(Math.Truncate(d) == d && Math.Abs(d) < 1e15 ? ((long)d).ToString(CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture));
            }
            else sb.Append(value.ToString());
        }
        return sb.ToString();
    }

    /// <summary>Whether two specs describe the same index options (ignoring name and v).</summary>
    public bool SameOptions(BsonDocument other)
    {
        static BsonDocument Strip(BsonDocument d)
        {
            var r = new BsonDocument();
            foreach (var (n, v) in d)
                if (n is not ("v" or "name" or "key" or "background")) r.Add(n, v);
            return r;
        }
        var a = Strip(Spec); var b = Strip(other);
        if (a.ElementCount != b.ElementCount) return false;
        foreach (var (n, v) in a)
        {
            if (!b.TryGetValue(n, out var bv)) return false;
            if (n is "unique" or "sparse" ? v.ToBoolean() != bv.ToBoolean() : BsonOrder.Compare(v, bv) != 0) return false;
        }
        return true;
    }

    /// <summary>The index keys a document produces (several for arrays); empty when sparse/partial excludes it.</summary>
    public List<(string Key, BsonDocument KeyValue)> KeysOf(BsonDocument doc)
    {
        var result = new List<(string, BsonDocument)>();
        if (Partial is not null && !Partial.Matches(doc)) return result;
        var perField = new List<BsonValue?>[_paths.Length];
        var anyPresent = false;
        for (var i = 0; i < _paths.Length; i++)
        {
            var values = new List<BsonValue?>();
            FieldPath.Collect(doc, _paths[i], 0, values, expandLeafArrays: true);
            perField[i] = Distinct(values);
            foreach (var v in values)
                if (v is not null) anyPresent = true;
        }
        if (Sparse && !anyPresent) return result;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var current = new BsonValue?[_paths.Length];
        Product(0);
        return result;

        void Product(int i)
        {
            if (i == _paths.Length)
            {
                var sb = new StringBuilder();
                var kv = new BsonDocument();
                var k = 0;
                foreach (var name in Key.Names)
                {
                    BsonOrder.AppendKey(sb, current[k]);
                    sb.Append('|');
                    kv.Add(name, current[k] ?? BsonNull.Value);
                    k++;
                }
                var key = sb.ToString();
                if (seen.Add(key)) result.Add((key, kv));
                return;
            }
            foreach (var v in perField[i])
            {
                current[i] = v;
                Product(i + 1);
            }
        }
    }

    private static List<BsonValue?> Distinct(List<BsonValue?> values)
    {
        if (values.Count <= 1) return values;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var r = new List<BsonValue?>();
        foreach (var v in values)
            if (seen.Add(BsonOrder.Key(v))) r.Add(v);
        return r;
    }

    /// <summary>Throws E11000 if any of the keys is held by another document.</summary>
    public void CheckUnique(List<(string Key, BsonDocument KeyValue)> keys, BsonDocument? self, string ns)
    {
        if (_entries is null) return;
        foreach (var (key, keyValue) in keys)
        {
            if (_entries.TryGetValue(key, out var holders))
            {
                foreach (var h in holders)
                {
                    if (!ReferenceEquals(h, self))
                        throw Errors.DuplicateKey(ns, Name, (BsonDocument)Key.DeepClone(), keyValue);
                }
            }
        }
    }

    public void Add(List<(string Key, BsonDocument KeyValue)> keys, BsonDocument doc)
    {
        if (_entries is null) return;
        foreach (var (key, _) in keys)
        {
            if (!_entries.TryGetValue(key, out var list)) _entries[key] = list = new List<BsonDocument>(1);
            list.Add(doc);
        }
    }

    public void Remove(List<(string Key, BsonDocument KeyValue)> keys, BsonDocument doc)
    {
        if (_entries is null) return;
        foreach (var (key, _) in keys)
        {
            if (_entries.TryGetValue(key, out var list))
            {
                list.RemoveAll(d => ReferenceEquals(d, doc));
                if (list.Count == 0) _entries.Remove(key);
            }
        }
    }

    public void Clear() => _entries?.Clear();

    /// <summary>Documents holding exactly this single-field key (for _id equality lookups).</summary>
    public IReadOnlyList<BsonDocument>? Lookup(BsonValue value)
    {
        if (_entries is null || _paths.Length != 1) return null;
        var sb = new StringBuilder();
        BsonOrder.AppendKey(sb, value);
        sb.Append('|');
        return _entries.TryGetValue(sb.ToString(), out var list) ? list : [];
    }
}

/// <summary>Collation support: only the simple (binary) collation exists here.</summary>
internal static class Collation
{
    public static bool IsSimple(BsonValue? collation) =>
        collation is null || collation is BsonDocument d && (d.ElementCount == 0 || d.TryGetValue("locale", out var l) && l is BsonString { Value: "simple" });

    public static void Check(BsonDocument command)
    {
        if (command.TryGetValue("collation", out var c) && !IsSimple(c))
            throw Errors.BadValue("Mongo.InMemory supports only the simple collation; got collation " + Shell.Format(c));
    }
}
