using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;

namespace Mongo.InMemory.Engine;

/// <summary>
/// A parsed sort specification. Sort keys follow the server: an ascending key uses the smallest value a path reaches
/// (array elements included), a descending key the largest; missing sorts as null, an empty array below null.
/// </summary>
internal sealed class SortSpec
{
    private readonly (string[] Parts, int Direction)[] _keys;
    private readonly Collator? _collator;

    // Per key: the {$meta: name} it sorts by (null: a field path).
    private readonly string?[] _meta;

    private SortSpec((string[] Parts, int Direction)[] keys, Collator? collator, string?[] meta)
    {
        _keys = keys;
        _collator = collator;
        _meta = meta;
    }

    /// <summary>The $meta names the sort reads (a text score needs a $text query).</summary>
    public IEnumerable<string> MetaNames => _meta.Where(m => m is not null)!;

    public bool IsEmpty => _keys.Length == 0;

    public static SortSpec Parse(BsonDocument spec, Collator? collator = null)
    {
        var keys = new List<(string[], int)>(spec.ElementCount);
        var meta = new List<string?>(spec.ElementCount);
        foreach (var (name, value) in spec)
        {
            if (name.Length == 0) throw Errors.BadValue("FieldPath cannot be constructed with empty string");
            int dir;
            if (value.IsNumeric)
            {
                var d = value.ToDouble();
                if (d == 1) dir = 1;
                else if (d == -1) dir = -1;
                else throw Errors.Location(15975, "$sort key ordering must be 1 (for ascending) or -1 (for descending)");
            }
            else if (value is BsonDocument m && m.ElementCount == 1 && m.Contains("$meta"))
            {
                // A text score sorts from the best match down; a $geoNear distance from the nearest up.
                var metaName = DocumentMetadata.ValidateName(m["$meta"]);
                if (metaName is not ("textScore" or "geoNearDistance" or "randVal"))
                    throw Errors.NotImplemented("sorting by $meta: \"" + metaName + "\" is not supported by Mongo.InMemory");
                keys.Add(([], metaName == "textScore" ? -1 : 1));
                meta.Add(metaName);
                continue;
            }
            else throw Errors.Location(15974, "Illegal key in $sort specification: " + name + ": " + Shell.Format(value));
            keys.Add((name.Split('.'), dir));
            meta.Add(null);
        }
        return new SortSpec(keys.ToArray(), collator, meta.ToArray());
    }

    public BsonValue?[] KeyOf(BsonValue doc)
    {
        var result = new BsonValue?[_keys.Length];
        var scratch = new List<BsonValue?>();
        for (var k = 0; k < _keys.Length; k++)
        {
            if (_meta[k] is { } metaName)
            {
                result[k] = doc is BsonDocument d ? DocumentMetadata.Get(metaName, d) : null;
                continue;
            }
            scratch.Clear();
            FieldPath.Collect(doc, _keys[k].Parts, 0, scratch, expandLeafArrays: false);
            BsonValue? best = null;
            var first = true;
            foreach (var raw in scratch)
            {
                if (raw is BsonArray arr)
                {
                    if (arr.Count == 0) { Consider(BsonUndefined.Value); continue; }
                    foreach (var e in arr) Consider(e);
                }
                else Consider(raw);
            }
            result[k] = best;

            void Consider(BsonValue? v)
            {
                if (first) { best = v; first = false; return; }
                var c = BsonOrder.Compare(v, best, _collator);
                if (_keys[k].Direction > 0 ? c < 0 : c > 0) best = v;
            }
        }
        return result;
    }

    public int CompareKeys(BsonValue?[] a, BsonValue?[] b)
    {
        for (var k = 0; k < _keys.Length; k++)
        {
            var c = BsonOrder.Compare(a[k], b[k], _collator);
            if (c != 0) return c * _keys[k].Direction;
        }
        return 0;
    }

    public int Compare(BsonValue a, BsonValue b) => CompareKeys(KeyOf(a), KeyOf(b));

    /// <summary>Stable sort (ties keep their input order, which is what clients usually observe from the server).</summary>
    public List<T> Sort<T>(IReadOnlyList<T> items, Func<T, BsonValue> selector)
    {
        if (IsEmpty) return [.. items];
        var keys = new BsonValue?[items.Count][];
        var order = new int[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            keys[i] = KeyOf(selector(items[i]));
            order[i] = i;
        }
        Array.Sort(order, (x, y) =>
        {
            var c = CompareKeys(keys[x], keys[y]);
            return c != 0 ? c : x.CompareTo(y);
        });
        var result = new List<T>(items.Count);
        foreach (var i in order) result.Add(items[i]);
        return result;
    }
}
