using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;

namespace Mongo.InMemory.Engine;

/// <summary>
/// A find's walk over one index, for what only an index scan can answer: <c>min</c>/<c>max</c> bounds (documents whose
/// key lies in [min, max) in the index's order, in that order) and <c>returnKey</c> (the index key of each result).
/// Keys are computed from the documents (missing fields are null, arrays give one key per element), so the answer
/// is the index's whatever the server's index structures hold.
/// </summary>
internal sealed class IndexKeyScan
{
    private readonly string[][] _paths;
    private readonly string[] _names;
    private readonly int[] _directions;
    private readonly BsonValue[]? _min;
    private readonly BsonValue[]? _max;

    private IndexKeyScan(IndexData index, BsonValue[]? min, BsonValue[]? max)
    {
        Index = index;
        int n = index.Key.ElementCount;
        _names = new string[n];
        _paths = new string[n][];
        _directions = new int[n];
        for (int i = 0; i < n; i++)
        {
            var (name, value) = index.Key.GetElement(i);
            if (!value.IsNumeric)
            {
                throw Errors.NotImplemented("min/max and returnKey on a '" + value + "' index are not supported by Mongo.InMemory");
            }

            _names[i] = name;
            _paths[i] = name.Split('.');
            _directions[i] = value.ToDouble() < 0 ? -1 : 1;
        }

        _min = min;
        _max = max;
    }

    /// <summary>The index walked.</summary>
    public IndexData Index { get; }

    /// <summary>Whether the scan has min or max bounds (otherwise it only supplies keys).</summary>
    public bool IsBounded => _min is not null || _max is not null;

    /// <summary>A scan of <paramref name="index"/> that only reports keys (returnKey).</summary>
    public static IndexKeyScan KeysOf(IndexData index) => new(index, null, null);

    /// <summary>
    /// Validates a find's min/max as mongod's planner does (the hinted index must exist and each bound must name its
    /// key fields in order) and returns the bounded scan.
    /// </summary>
    /// <param name="hinted">The index the find's hint names (null: no hint, or a $natural one).</param>
    /// <param name="min">The min bound (inclusive), or null.</param>
    /// <param name="max">The max bound (exclusive), or null.</param>
    /// <param name="queryCollator">The find's collation.</param>
    public static IndexKeyScan Bounded(IndexData? hinted, BsonDocument? min, BsonDocument? max, Collator? queryCollator)
    {
        min = min is { ElementCount: > 0 } ? min : null;
        max = max is { ElementCount: > 0 } ? max : null;
        if (min is not null && max is not null && !SameFieldNames(min, max))
        {
            throw Errors.Location(51176, "min and max must have the same field names");
        }

        if (hinted is null)
        {
            throw Planner(51173, "When using min()/max() a hint of which index to use must be provided");
        }

        if ((min is not null && !Compatible(min, hinted, queryCollator)) || (max is not null && !Compatible(max, hinted, queryCollator)))
        {
            throw Planner(51174, "The index chosen is not compatible with min/max");
        }

        var scan = new IndexKeyScan(hinted, min?.Select(e => e.Value).ToArray(), max?.Select(e => e.Value).ToArray());
        if (scan._min is not null && scan._max is not null && scan.CompareKeys(scan._min, scan._max, queryCollator) >= 0)
        {
            throw Planner(51175, "min() must be less than max()");
        }

        return scan;
    }

    /// <summary>
    /// The documents the bounded scan meets, in the index's order (ties in natural order): those with a key in
    /// [min, max), each once, at its first such key. Documents a sparse or partial index leaves out are not met.
    /// </summary>
    public List<BsonDocument> Scan(IEnumerable<BsonDocument> candidates, Collator? collator)
    {
        var hits = new List<(BsonValue[] Key, BsonDocument Doc)>();
        foreach (var doc in candidates)
        {
            Commands.OperationDeadline.Check();
            if (!Contains(doc)) continue;
            BsonValue[]? first = null;
            foreach (var key in KeysOfDocument(doc))
            {
                if (_min is not null && CompareKeys(key, _min, collator) < 0) continue;
                if (_max is not null && CompareKeys(key, _max, collator) >= 0) continue;
                if (first is null || CompareKeys(key, first, collator) < 0) first = key;
            }

            if (first is not null) hits.Add((first, doc));
        }

        // List.Sort is not stable; the position breaks ties so equal keys keep natural order (mongod's record id order).
        var ordered = hits.Select((h, i) => (h.Key, h.Doc, i)).ToList();
        ordered.Sort((a, b) =>
        {
            int c = CompareKeys(a.Key, b.Key, collator);
            return c != 0 ? c : a.i.CompareTo(b.i);
        });
        return ordered.Select(h => h.Doc).ToList();
    }

    /// <summary>The key document returnKey reports for <paramref name="doc"/>: its first key in the index's order within the bounds.</summary>
    public BsonDocument KeyDocument(BsonDocument doc, Collator? collator)
    {
        BsonValue[]? first = null;
        foreach (var key in KeysOfDocument(doc))
        {
            if (_min is not null && CompareKeys(key, _min, collator) < 0) continue;
            if (_max is not null && CompareKeys(key, _max, collator) >= 0) continue;
            if (first is null || CompareKeys(key, first, collator) < 0) first = key;
        }

        var result = new BsonDocument();
        if (first is null) return result; // not in the index (sparse or partial): mongod's key would be empty too
        for (int i = 0; i < _names.Length; i++) result.Add(_names[i], first[i].DeepClone());
        return result;
    }

    private bool Contains(BsonDocument doc)
    {
        if (Index.Partial is not null && !Index.Partial.Matches(doc)) return false;
        if (!Index.Sparse) return true;
        var values = new List<BsonValue?>();
        foreach (var path in _paths)
        {
            values.Clear();
            FieldPath.Collect(doc, path, 0, values, expandLeafArrays: true);
            if (values.Exists(v => v is not null)) return true;
        }

        return false;
    }

    /// <summary>Every key of <paramref name="doc"/> in this index (one per array element of a multikey field).</summary>
    private IEnumerable<BsonValue[]> KeysOfDocument(BsonDocument doc)
    {
        var perField = new List<BsonValue>[_paths.Length];
        var scratch = new List<BsonValue?>();
        for (int i = 0; i < _paths.Length; i++)
        {
            scratch.Clear();
            FieldPath.Collect(doc, _paths[i], 0, scratch, expandLeafArrays: true);
            var values = new List<BsonValue>();
            foreach (var v in scratch)
            {
                if (v is null) continue;
                if (v is BsonArray { Count: 0 }) values.Add(BsonUndefined.Value); // an empty array's key is undefined
                else values.Add(v);
            }

            if (values.Count == 0) values.Add(BsonNull.Value);
            perField[i] = values;
        }

        return Product(perField, 0, new BsonValue[_paths.Length]);
    }

    private static IEnumerable<BsonValue[]> Product(List<BsonValue>[] perField, int i, BsonValue[] current)
    {
        if (i == perField.Length)
        {
            yield return (BsonValue[])current.Clone();
            yield break;
        }

        foreach (var v in perField[i])
        {
            current[i] = v;
            foreach (var key in Product(perField, i + 1, current)) yield return key;
        }
    }

    private int CompareKeys(BsonValue[] a, BsonValue[] b, Collator? collator)
    {
        for (int i = 0; i < a.Length && i < b.Length; i++)
        {
            int c = BsonOrder.Compare(a[i], b[i], collator ?? Index.Collator) * _directions[i];
            if (c != 0) return c;
        }

        return 0;
    }

    private static bool SameFieldNames(BsonDocument a, BsonDocument b)
    {
        if (a.ElementCount != b.ElementCount) return false;
        for (int i = 0; i < a.ElementCount; i++)
        {
            if (a.GetElement(i).Name != b.GetElement(i).Name) return false;
        }

        return true;
    }

    /// <summary>mongod's indexCompatibleMaxMin: the bound names the index's key fields, all of them, in order.</summary>
    private static bool Compatible(BsonDocument bound, IndexData index, Collator? queryCollator)
    {
        if (bound.ElementCount != index.Key.ElementCount) return false;
        bool collatorsMatch = Collator.Same(queryCollator, index.Collator);
        for (int i = 0; i < bound.ElementCount; i++)
        {
            var (name, value) = bound.GetElement(i);
            if (name != index.Key.GetElement(i).Name) return false;
            if (!collatorsMatch && value.BsonType is BsonType.String or BsonType.Symbol or BsonType.Document or BsonType.Array) return false;
        }

        return true;
    }

    /// <summary>A planner error as mongod reports it: its own code, the reason after the planner's prefix.</summary>
    private static Commands.CommandException Planner(int code, string reason) =>
        Errors.Location(code, "error processing query: planner returned error :: caused by :: " + reason);
}
