using Mongo.Bson;
using Mongo.InMemory.Engine.Indexing;

namespace Mongo.InMemory.Engine;

/// <summary>
/// The ordered keys of hashed and wildcard indexes, kept in step with every write so the planner can scan them as
/// mongod does: a hashed field's key is mongod's 64-bit hash of its value; a wildcard index holds one
/// <c>{$_path, value}</c> key per leaf path its projection includes (array elements under the array's path).
/// </summary>
internal sealed partial class IndexData
{
    // The wildcard index's inclusion (or exclusion) paths, its path prefix ("a." for {"a.$**": 1}) and whether _id is in.
    private string[]? _wildcardPaths;
    private bool _wildcardExcludes;
    private string _wildcardPrefix = string.Empty;
    private bool _wildcardIncludesId;

    // Sticky, as multikey flags: a hashed field once held an array (or a value it cannot hash), so its keys no longer
    // stand for the documents; the wildcard paths that ever reached an array.
    private bool _hashedUnusable;
    private bool _specialMultiKey;
    private HashSet<string>? _wildcardMultiKeyPaths;

    /// <summary>The hashed or wildcard index's ordered keys (null for other indexes, and for compound wildcard ones).</summary>
    public OrderedIndex? SpecialKeys { get; private set; }

    /// <summary>Whether a key field is <c>"hashed"</c>.</summary>
    public bool IsHashed => Key.Elements.Any(e => e.Value is BsonString { Value: "hashed" });

    /// <summary>Whether this is a single-field wildcard index (<c>{"$**": 1}</c> or <c>{"a.$**": 1}</c>).</summary>
    public bool IsWildcard => _wildcardPaths is not null;

    /// <summary>The directions <see cref="SpecialKeys"/> are ordered by (ascending throughout).</summary>
    public int[]? SpecialDirections { get; private set; }

    /// <summary>Whether the planner may use the hashed keys: no document has held an array in a hashed field.</summary>
    public bool HashedUsable => !_hashedUnusable;

    /// <summary>Whether <paramref name="path"/> ever reached an array in a document of this wildcard index.</summary>
    public bool WildcardMultiKey(string path) => _wildcardMultiKeyPaths?.Contains(path) == true;

    /// <summary>Sets up the special keys for a hashed or single-field wildcard index (called by the constructor).</summary>
    private void InitSpecialKeys()
    {
        if (Key.ElementCount == 1 && Key.GetElement(0).Name is var field && (field == "$**" || field.EndsWith(".$**", StringComparison.Ordinal)))
        {
            _wildcardPrefix = field == "$**" ? string.Empty : field[..^3];
            var projection = Spec.GetValueOrDefault("wildcardProjection") as BsonDocument;
            var paths = new List<string>();
            if (projection is not null) FlattenProjection(projection, string.Empty, paths);
            _wildcardIncludesId = projection is not null && projection.GetValueOrDefault("_id") is { } id && id.ToBoolean();
            _wildcardExcludes = projection is not null && paths.Count > 0 && !projection.Elements.First(e => e.Name != "_id").Value.ToBoolean();
            _wildcardPaths = paths.ToArray();
            _wildcardMultiKeyPaths = new HashSet<string>(StringComparer.Ordinal);
            SpecialDirections = [1, 1];
            // Keys compare by simple comparison (the planner leaves collated special indexes alone).
            SpecialKeys = new OrderedIndex(SpecialDirections, null);
        }
        else if (IsHashed)
        {
            SpecialDirections = Key.Elements.Select(e => e.Value.IsNumeric && e.Value.ToDouble() < 0 ? -1 : 1).ToArray();
            SpecialKeys = new OrderedIndex(SpecialDirections, null);
        }
    }

    private static void FlattenProjection(BsonDocument projection, string prefix, List<string> into)
    {
        foreach (var (name, value) in projection)
        {
            if (prefix.Length == 0 && name == "_id") continue;
            if (value is BsonDocument nested) FlattenProjection(nested, prefix + name + ".", into);
            else into.Add(prefix + name);
        }
    }

    /// <summary>Whether the wildcard index holds keys for the leaf path <paramref name="path"/>.</summary>
    public bool WildcardIncludes(string path)
    {
        if (path == "_id" || path.StartsWith("_id.", StringComparison.Ordinal)) return _wildcardIncludesId;
        if (_wildcardPrefix.Length > 0 && path != _wildcardPrefix[..^1] && !path.StartsWith(_wildcardPrefix, StringComparison.Ordinal)) return false;
        if (_wildcardPaths!.Length == 0) return true;
        var under = Array.Exists(_wildcardPaths, p => path == p || path.StartsWith(p + ".", StringComparison.Ordinal));
        return _wildcardExcludes ? !under : under;
    }

    /// <summary>The special keys of <paramref name="doc"/> (none when a partial filter leaves it out).</summary>
    internal List<BsonValue?[]> SpecialKeysOf(BsonDocument doc)
    {
        var result = new List<BsonValue?[]>();
        if (Partial is not null && !Partial.Matches(doc)) return result;
        if (IsWildcard) WildcardKeys(doc, string.Empty, result, inArray: false);
        else HashedKeys(doc, result);
        return result;
    }

    private void HashedKeys(BsonDocument doc, List<BsonValue?[]> result)
    {
        var perField = new List<BsonValue?>[_paths.Length];
        var anyPresent = false;
        var names = Key.Elements.ToArray();
        for (var i = 0; i < _paths.Length; i++)
        {
            var values = new List<BsonValue?>();
            var hashed = names[i].Value is BsonString { Value: "hashed" };
            FieldPath.Collect(doc, _paths[i], 0, values, expandLeafArrays: !hashed);
            if (values.Exists(v => v is not null)) anyPresent = true;
            if (values.Count == 0) values.Add(null);
            if (hashed)
            {
                if (values.Count > 1 || values[0] is BsonArray || !HashedKey.TryOf(values[0], out var hash))
                {
                    _hashedUnusable = true;
                    hash = 0;
                }

                perField[i] = [new BsonInt64(hash)];
            }
            else
            {
                perField[i] = Distinct(values, Collator);
            }
        }

        if (Sparse && !anyPresent) return;
        Product(perField, 0, new BsonValue?[_paths.Length], result);
        if (result.Count > 1) _specialMultiKey = true; // an array in a compound hashed index's other field

    }

    private static void Product(List<BsonValue?>[] perField, int i, BsonValue?[] current, List<BsonValue?[]> result)
    {
        if (i == perField.Length)
        {
            result.Add((BsonValue?[])current.Clone());
            return;
        }

        foreach (var value in perField[i])
        {
            current[i] = value;
            Product(perField, i + 1, current, result);
        }
    }

    // One key per leaf: sub-documents are walked, array elements are keyed under the array's path (documents in them
    // walked, nested arrays keyed whole), an empty document or array is itself a leaf.
    private void WildcardKeys(BsonDocument doc, string prefix, List<BsonValue?[]> result, bool inArray)
    {
        foreach (var (name, value) in doc)
        {
            var path = prefix + name;
            AddWildcard(path, value, result, inArray);
        }
    }

    private void AddWildcard(string path, BsonValue value, List<BsonValue?[]> result, bool inArray)
    {
        switch (value)
        {
            case BsonDocument { ElementCount: > 0 } nested:
                // A document's own arrays are walked again: only an array directly inside an array is keyed whole.
                WildcardKeys(nested, path + ".", result, inArray: false);
                return;
            case BsonArray array when !inArray:
                _wildcardMultiKeyPaths!.Add(path);
                _specialMultiKey = true;
                if (array.Count == 0)
                {
                    if (WildcardIncludes(path)) result.Add([new BsonString(path), BsonUndefined.Value]);
                    return;
                }

                foreach (var element in array) AddWildcard(path, element, result, inArray: true);
                return;
            default:
                if (WildcardIncludes(path) && !result.Exists(k => k[0]!.Equals(new BsonString(path)) && BsonOrder.Compare(k[1], value) == 0))
                    result.Add([new BsonString(path), value]);
                return;
        }
    }

    private void AddSpecial(BsonDocument doc)
    {
        foreach (var key in SpecialKeysOf(doc)) SpecialKeys!.Add(key, doc);
    }

    private void RemoveSpecial(BsonDocument doc)
    {
        foreach (var key in SpecialKeysOf(doc)) SpecialKeys!.Remove(key, doc);
    }

    /// <summary>Moves a replaced document's special keys: kept keys keep their place, the others are removed or added.</summary>
    private void ReplaceSpecial(BsonDocument oldDoc, BsonDocument newDoc)
    {
        var before = SpecialKeysOf(oldDoc);
        var after = SpecialKeysOf(newDoc);
        foreach (var key in before)
        {
            var kept = after.FindIndex(k => SpecialKeys!.Compare(k, key) == 0);
            if (kept >= 0 && SpecialKeys!.ReplaceInPlace(key, oldDoc, newDoc)) after.RemoveAt(kept);
            else SpecialKeys!.Remove(key, oldDoc);
        }

        foreach (var key in after) SpecialKeys!.Add(key, newDoc);
    }

    private void CopySpecialInto(IndexData copy)
    {
        if (SpecialKeys is null) return;
        copy.SpecialKeys = SpecialKeys.Snapshot();
        copy._hashedUnusable = _hashedUnusable;
        copy._specialMultiKey = _specialMultiKey;
        if (_wildcardMultiKeyPaths is not null) copy._wildcardMultiKeyPaths = new HashSet<string>(_wildcardMultiKeyPaths, StringComparer.Ordinal);
    }
}
