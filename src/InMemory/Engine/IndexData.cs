using System.Globalization;
using System.Text;
using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;
using Mongo.InMemory.Engine.Indexing;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine;

/// <summary>
/// An index: its specification as listIndexes reports it, for unique indexes the key → documents map that enforces it,
/// and for ordinary ascending/descending secondary indexes the ordered structure the query planner scans.
/// </summary>
internal sealed partial class IndexData
{
    private static readonly HashSet<string> AllowedOptions =
    [
        "key", "name", "v", "unique", "sparse", "partialFilterExpression", "expireAfterSeconds", "background", "hidden",
        "collation", "weights", "default_language", "language_override", "textIndexVersion", "2dsphereIndexVersion", "bits",
        "min", "max", "wildcardProjection", "storageEngine", "bucketSize", "ns", "clustered", "prepareUnique",
    ];

    private readonly string[][] _paths;

    // Key -> holder: a BsonDocument, or a List<BsonDocument> in the (defensive) case of several holders. Unique
    // indexes hold one document per key, and a list per stored document would cost two objects each.
    // Never changed while another index may hold the same map (see OwnEntries).
    private Dictionary<string, object>? _entries;

    // True while a snapshot's copy (or the index this one was copied from) may hold the same map: it is copied, with
    // its holder lists, before it is changed.
    private bool _entriesShared;

    // The field of a single-field, top-level key ({a: 1}, not {"a.b": 1} or compound): such keys need no path walk.
    private readonly string? _topLevelField;

    public IndexData(BsonDocument spec)
    {
        Spec = spec;
        Name = spec["name"].AsString;
        Key = spec["key"].AsDocument;
        Unique = spec.TryGetValue("unique", out var u) && u.ToBoolean() || Name == "_id_";
        Sparse = spec.TryGetValue("sparse", out var s) && s.ToBoolean();
        if (spec.TryGetValue("collation", out var collation)) Collator = Collator.Parse(collation);
        if (spec.TryGetValue("partialFilterExpression", out var pfe)) Partial = FilterParser.Parse(pfe.AsDocument);
        _paths = Key.Names.Select(n => n.Split('.')).ToArray();
        if (_paths.Length == 1 && _paths[0].Length == 1) _topLevelField = _paths[0][0];
        if (Unique) _entries = new Dictionary<string, object>(StringComparer.Ordinal);
        if (Key.Contains("_fts"))
        {
            Text = new Engine.Text.TextIndex(spec);
            TextTerms = new OrderedIndex([1], null);
        }

        Geo = Engine.Geo.GeoIndex.Of(spec);
        if (Geo is not null) GeoCells = new OrderedIndex([1], null);
        // The _id index answers equality through its key map; special index types (text, 2d, hashed...) and wildcard
        // keys order nothing the planner could use, so only plain ascending/descending keys get the ordered structure.
        if (!IsId && Key.Elements.All(e => e.Value.IsNumeric && !e.Name.Contains("$**", StringComparison.Ordinal)))
        {
            Directions = Key.Elements.Select(e => e.Value.ToDouble() > 0 ? 1 : -1).ToArray();
            Ordered = new OrderedIndex(Directions, Collator);
            MultiKeyFields = new bool[_paths.Length];
        }

        InitSpecialKeys();
    }

    public string Name { get; }

    public BsonDocument Key { get; }

    public BsonDocument Spec { get; }

    public bool Unique { get; }

    public bool Sparse { get; }

    public Filter? Partial { get; }

    /// <summary>The index's collation (null: simple): string keys that are equal under it are the same key.</summary>
    public Collator? Collator { get; }

    public bool IsId => Name == "_id_";

    /// <summary>The text index definition (null unless this is the collection's text index).</summary>
    public Engine.Text.TextIndex? Text { get; }

    /// <summary>The 2d/2dsphere index definition (null unless this is a geo index).</summary>
    public Engine.Geo.GeoIndex? Geo { get; }

    /// <summary>Validates a createIndexes entry and returns the normalised specification (v: 2, key, name, options).</summary>
    /// <remarks>
    /// An index without a collation inherits <paramref name="collectionDefault"/>; the spec then holds the collation's full
    /// document, and {locale: "simple"} (or no collation on a simple collection) leaves the field out, as on the server.
    /// </remarks>
    public static BsonDocument NormalizeSpec(BsonValue raw, Collator? collectionDefault = null)
    {
        if (raw is not BsonDocument d) throw Errors.TypeMismatch("The 'indexes' field must be an array of objects");
        if (!d.TryGetValue("key", out var keyValue)) throw Errors.FailedToParse("The 'key' field is a required property of an index specification");
        if (keyValue is not BsonDocument key) throw Errors.TypeMismatch("The field 'key' must be an object, but got " + BsonOrder.TypeName(keyValue));
        if (key.ElementCount == 0) throw Errors.CannotCreateIndex("Index keys cannot be empty.");
        foreach (var (field, value) in key)
        {
            if (field.Length == 0) throw Errors.CannotCreateIndex("Index key fields cannot be empty");
            if (value is BsonString { Value: not ("hashed" or "text" or "2d" or "2dsphere" or "geoHaystack") } plugin)
                throw Errors.CannotCreateIndex("Unknown index plugin '" + plugin.Value + "'");
            var ok = value.IsNumeric && value.ToDouble() != 0 || value is BsonString;
            if (!ok) throw Errors.CannotCreateIndex("Values in the index key pattern can only be positive numbers, negative numbers, or strings; found " + Shell.Format(value) + " for key " + field);
        }
        foreach (var (name, _) in d)
        {
            if (!AllowedOptions.Contains(name))
                throw new Commands.CommandException(197, "InvalidIndexSpecificationOption", "The field '" + name + "' is not valid for an index specification. Specification: " + Shell.Format(d));
        }
        var collator = d.TryGetValue("collation", out var collation) ? Collator.Parse(collation) : collectionDefault;
        var name2 = d.TryGetValue("name", out var n) ? n.AsString : GenerateName(key);
        if (key.Contains("_fts") || key.Elements.Any(e => e.Value is BsonString { Value: "text" }))
        {
            // Text indexes compare terms, not strings: mongod keeps no collation on them.
            d = Engine.Text.TextIndex.Normalize(d);
            key = d["key"].AsDocument;
            collator = null;
        }
        else if (key.Elements.Any(e => e.Value is BsonString { Value: "2d" or "2dsphere" }))
        {
            d = Engine.Geo.GeoIndex.Normalize(d);
        }
        if (name2.Length == 0) throw Errors.CannotCreateIndex("index name cannot be empty");
        var spec = new BsonDocument { { "v", 2 }, { "key", key.DeepClone() }, { "name", name2 } };
        foreach (var (option, value) in d)
        {
            if (option is "key" or "name" or "v" or "ns" or "background" or "collation") continue;
            if (option == "expireAfterSeconds" && (!value.IsNumeric || value.ToDouble() < 0))
                throw Errors.CannotCreateIndex("TTL index 'expireAfterSeconds' option must be numeric and non-negative, but received: " + Shell.Format(value));
            if (option == "expireAfterSeconds" && key.ElementCount != 1)
                throw Errors.CannotCreateIndex("TTL indexes are single-field indexes, compound indexes do not support TTL. Index spec: " + Shell.Format(d));
            if (option == "partialFilterExpression")
            {
                if (value is not BsonDocument) throw Errors.TypeMismatch("The field 'partialFilterExpression' must be an object");
                FilterParser.Parse((BsonDocument)value);
            }
            spec.Add(option, value.DeepClone());
        }
        if (collator is not null) spec.Add("collation", collator.Spec.DeepClone());
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

    /// <summary>
    /// The keys a document holds in this index, for enforcing uniqueness: several for arrays, none when sparse/partial
    /// excludes it, and none for a non-unique index (which keeps no entries, so its keys would be computed for nothing).
    /// </summary>
    public IndexKeys KeysOf(BsonDocument doc)
    {
        Text?.Validate(doc);
        Geo?.Validate(doc);
        if (_entries is null) return IndexKeys.None;
        if (Partial is not null && !Partial.Matches(doc)) return IndexKeys.None;
        if (_topLevelField is not null)
        {
            // The common case ({_id: 1}, {email: 1}): one value, or none. Arrays still go the general way (one key per element).
            var value = TopLevelValue(doc, _topLevelField);
            if (value is not BsonArray)
            {
                if (value is null && Sparse) return IndexKeys.None;
                return IndexKeys.Single(KeyString(value, Collator), _topLevelField, value);
            }
        }

        return IndexKeys.Many(GeneralKeys(doc));
    }

    /// <summary>
    /// A top-level field's value, or null when missing: the first element of that name. Stored documents start with
    /// _id, which Mongo.Bson finds without building a name index (or, in a still-encoded document, without
    /// materialising it).
    /// </summary>
    internal static BsonValue? TopLevelValue(BsonDocument doc, string field) => doc.TryGetValue(field, out var value) ? value : null;

    /// <summary>
    /// The key string of a single-field entry: <see cref="BsonOrder.AppendKey"/> then '|', as the general path builds it,
    /// with the usual _id types (ObjectId, int, long) formatted straight into the string.
    /// </summary>
    internal static string KeyString(BsonValue? value, Collator? collator = null)
    {
        switch (value)
        {
            case BsonObjectId oid:
                return string.Create(26, oid.Value, static (chars, id) =>
                {
                    Span<byte> raw = stackalloc byte[12];
                    id.WriteTo(raw);
                    chars[0] = 'o';
                    for (var i = 0; i < raw.Length; i++)
                    {
                        chars[1 + (2 * i)] = "0123456789abcdef"[raw[i] >> 4];
                        chars[2 + (2 * i)] = "0123456789abcdef"[raw[i] & 0xF];
                    }
                    chars[25] = '|';
                });
            case BsonInt32 or BsonInt64:
                return "n" + value.ToInt64().ToString(CultureInfo.InvariantCulture) + ";|";
            default:
                var sb = new StringBuilder();
                BsonOrder.AppendKey(sb, value, collator);
                return sb.Append('|').ToString();
        }
    }

    /// <summary>Every key of a compound, dotted or multikey entry: the product of each field's distinct values (any index shape; tests compare the single-field path with it).</summary>
    internal List<(string Key, BsonDocument KeyValue)> GeneralKeys(BsonDocument doc)
    {
        var result = new List<(string, BsonDocument)>();
        var perField = new List<BsonValue?>[_paths.Length];
        var anyPresent = false;
        for (var i = 0; i < _paths.Length; i++)
        {
            var values = new List<BsonValue?>();
            FieldPath.Collect(doc, _paths[i], 0, values, expandLeafArrays: true);
            perField[i] = Distinct(values, Collator);
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
                    BsonOrder.AppendKey(sb, current[k], Collator);
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

    private static List<BsonValue?> Distinct(List<BsonValue?> values, Collator? collator)
    {
        if (values.Count <= 1) return values;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var r = new List<BsonValue?>();
        foreach (var v in values)
            if (seen.Add(BsonOrder.Key(v, collator))) r.Add(v);
        return r;
    }

    /// <summary>Throws E11000 if any of the keys is held by another document.</summary>
    public void CheckUnique(IndexKeys keys, BsonDocument? self, string ns)
    {
        if (_entries is null) return;
        for (var i = 0; i < keys.Count; i++)
        {
            if (!_entries.TryGetValue(keys.KeyAt(i), out var holders)) continue;
            var other = holders switch
            {
                BsonDocument single => ReferenceEquals(single, self) ? null : single,
                _ => ((List<BsonDocument>)holders).Find(h => !ReferenceEquals(h, self)),
            };
            if (other is not null)
                throw Errors.DuplicateKey(ns, Name, (BsonDocument)Key.DeepClone(), keys.KeyValueAt(i));
        }
    }

    public void Add(IndexKeys keys, BsonDocument doc)
    {
        if (Ordered is not null) AddOrdered(doc);
        if (TextTerms is not null) AddTextTerms(doc);
        if (GeoCells is not null) AddGeoCells(doc);
        if (SpecialKeys is not null) AddSpecial(doc);
        AddEntries(keys, doc);
    }

    private void AddEntries(IndexKeys keys, BsonDocument doc)
    {
        if (_entries is null || keys.Count == 0) return;
        var entries = OwnEntries();
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys.KeyAt(i);
            if (!entries.TryGetValue(key, out var holders)) entries[key] = doc;
            else if (holders is List<BsonDocument> list) list.Add(doc);
            else entries[key] = new List<BsonDocument>(2) { (BsonDocument)holders, doc };
        }
    }

    public void Remove(IndexKeys keys, BsonDocument doc)
    {
        if (Ordered is not null) RemoveOrdered(doc);
        if (TextTerms is not null) RemoveTextTerms(doc);
        if (GeoCells is not null) RemoveGeoCells(doc);
        if (SpecialKeys is not null) RemoveSpecial(doc);
        RemoveEntries(keys, doc);
    }

    private void RemoveEntries(IndexKeys keys, BsonDocument doc)
    {
        if (_entries is null || keys.Count == 0) return;
        var entries = OwnEntries();
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys.KeyAt(i);
            if (!entries.TryGetValue(key, out var holders)) continue;
            if (holders is List<BsonDocument> list)
            {
                list.RemoveAll(d => ReferenceEquals(d, doc));
                if (list.Count == 0) entries.Remove(key);
            }
            else if (ReferenceEquals(holders, doc)) entries.Remove(key);
        }
    }

    public void Clear()
    {
        Ordered?.Clear();
        TextTerms?.Clear();
        GeoCells?.Clear();
        SpecialKeys?.Clear();
        if (_entries is null) return;
        if (_entriesShared)
        {
            _entries = new Dictionary<string, object>(StringComparer.Ordinal);
            _entriesShared = false;
        }
        else _entries.Clear();
    }

    /// <summary>The key map, copied first (holder lists included) if another index may hold it too: call before changing it.</summary>
    private Dictionary<string, object> OwnEntries()
    {
        if (_entriesShared)
        {
            var copy = new Dictionary<string, object>(_entries!.Count, StringComparer.Ordinal);
            foreach (var (key, holders) in _entries)
                copy[key] = holders is List<BsonDocument> list ? new List<BsonDocument>(list) : holders;
            _entries = copy;
            _entriesShared = false;
        }

        return _entries!;
    }

    /// <summary>
    /// A copy for a storage snapshot: the same specification (copied, so that collMod on one does not change the other)
    /// and the same key map, shared until either side changes it (then that side copies it first).
    /// </summary>
    public IndexData Snapshot()
    {
        var copy = new IndexData((BsonDocument)Spec.DeepClone()) { Usage = Usage };
        CopyOrderedInto(copy);
        if (_entries is null) return copy;
        copy._entries = _entries;
        copy._entriesShared = true;
        _entriesShared = true;
        return copy;
    }

    /// <summary>
    /// Whether this index and <paramref name="other"/> (a copy of it, or the original) map <paramref name="key"/> to
    /// the same document instances: a key a transaction wants to write is unchanged since its snapshot when so.
    /// </summary>
    public bool SameHolders(IndexData other, string key)
    {
        object? mine = null, theirs = null;
        _entries?.TryGetValue(key, out mine);
        other._entries?.TryGetValue(key, out theirs);
        if (ReferenceEquals(mine, theirs)) return true;
        if (mine is null || theirs is null) return false;
        if (mine is List<BsonDocument> a && theirs is List<BsonDocument> b)
            return a.Count == b.Count && a.TrueForAll(d => b.Exists(e => ReferenceEquals(d, e)));
        return false;
    }

    /// <summary>The documents holding <paramref name="key"/> (none when the index keeps no entries).</summary>
    public IEnumerable<BsonDocument> HoldersOf(string key)
    {
        if (_entries is null || !_entries.TryGetValue(key, out var holders)) return [];
        return holders as List<BsonDocument> ?? [(BsonDocument)holders];
    }

    /// <summary>Makes room for keys of <paramref name="count"/> more documents (a batch insert's, usually one key each).</summary>
    public void Reserve(int count)
    {
        if (_entries is null) return;
        var entries = OwnEntries();
        // At least doubling, as adding one by one would: growing to the exact need batch after batch rehashes every key each time.
        int capacity = entries.EnsureCapacity(0);
        int needed = entries.Count + count;
        if (needed > capacity) entries.EnsureCapacity(Math.Max(needed, (int)Math.Min(int.MaxValue / 2, 2L * capacity)));
    }

    /// <summary>
    /// Documents holding exactly this single-field key (for _id equality lookups) under the index's collation; a
    /// snapshot, safe to enumerate while writing. Callers check that the query's collation agrees for string values.
    /// </summary>
    public IReadOnlyList<BsonDocument>? Lookup(BsonValue value)
    {
        if (_entries is null || _paths.Length != 1) return null;
        return _entries.TryGetValue(KeyString(value, Collator), out var holders)
            ? holders as List<BsonDocument> is { } list ? list.ToArray() : [(BsonDocument)holders]
            : [];
    }
}
