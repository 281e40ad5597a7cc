using Mongo.Bson;
using Mongo.InMemory.Engine.Indexing;

namespace Mongo.InMemory.Engine;

/// <summary>The ordered structure of a secondary index, kept in step with every write to its collection.</summary>
internal sealed partial class IndexData
{
    /// <summary>The ordered keys the planner scans (null: the _id index, or a type of index the planner does not use).</summary>
    public OrderedIndex? Ordered { get; private set; }

    /// <summary>Each key field's direction (1 ascending, -1 descending); null when <see cref="Ordered"/> is.</summary>
    public int[]? Directions { get; }

    /// <summary>Per key field: whether some document ever reached an array along its path (sticky, as on the server).</summary>
    public bool[]? MultiKeyFields { get; private set; }

    /// <summary>Whether any key field is multikey: the index then holds several keys for one document.</summary>
    public bool IsMultiKey => MultiKeyFields is { } m && Array.IndexOf(m, true) >= 0 || _specialMultiKey;

    /// <summary>Whether the planner may not see this index (collMod/createIndexes "hidden").</summary>
    public bool IsHidden => Spec.GetValueOrDefault("hidden") is { } h && h.ToBoolean();

    /// <summary>The dotted path of each key field, split.</summary>
    internal IReadOnlyList<string[]> Paths => _paths;

    /// <summary>
    /// The keys <paramref name="doc"/> produces in the ordered structure: none when a partial filter or sparseness leaves
    /// it out, else the product of each field's distinct values (a missing field is null), as the server's key generator.
    /// </summary>
    internal List<BsonValue?[]> OrderedKeysOf(BsonDocument doc)
    {
        var result = new List<BsonValue?[]>();
        if (Partial is not null && !Partial.Matches(doc)) return result;
        foreach (var (_, keyValue) in GeneralKeys(doc))
        {
            var values = new BsonValue?[keyValue.ElementCount];
            for (var i = 0; i < values.Length; i++) values[i] = keyValue[i];
            result.Add(values);
        }

        return result;
    }

    private void AddOrdered(BsonDocument doc)
    {
        var keys = OrderedKeysOf(doc);
        if (keys.Count > 0) NoteMultiKey(doc);
        foreach (var key in keys) Ordered!.Add(key, doc);
    }

    private void RemoveOrdered(BsonDocument doc)
    {
        foreach (var key in OrderedKeysOf(doc)) Ordered!.Remove(key, doc);
    }

    /// <summary>
    /// Moves an index's entries from a stored document to its replacement: keys both produce keep their place among
    /// equal keys (as an update keeps its record on the server), the others are removed or added.
    /// </summary>
    public void Replace(IndexKeys oldKeys, BsonDocument oldDoc, IndexKeys newKeys, BsonDocument newDoc)
    {
        if (Ordered is not null)
        {
            var before = OrderedKeysOf(oldDoc);
            var after = OrderedKeysOf(newDoc);
            if (after.Count > 0) NoteMultiKey(newDoc);
            foreach (var key in before)
            {
                var kept = after.FindIndex(k => Ordered.Compare(k, key) == 0);
                if (kept >= 0 && Ordered.ReplaceInPlace(key, oldDoc, newDoc)) after.RemoveAt(kept);
                else Ordered.Remove(key, oldDoc);
            }

            foreach (var key in after) Ordered.Add(key, newDoc);
        }

        if (TextTerms is not null) ReplaceTextTerms(oldDoc, newDoc);
        if (GeoCells is not null) ReplaceGeoCells(oldDoc, newDoc);
        if (SpecialKeys is not null) ReplaceSpecial(oldDoc, newDoc);
        RemoveEntries(oldKeys, oldDoc);
        AddEntries(newKeys, newDoc);
    }

    private void NoteMultiKey(BsonDocument doc)
    {
        for (var i = 0; i < _paths.Length; i++)
            if (!MultiKeyFields![i] && ReachesArray(doc, _paths[i])) MultiKeyFields[i] = true;
    }

    private static bool ReachesArray(BsonValue? current, string[] parts)
    {
        foreach (var part in parts)
        {
            if (current is BsonArray) return true;
            current = current is BsonDocument d && d.TryGetValue(part, out var v) ? v : null;
            if (current is null) return false;
        }

        return current is BsonArray;
    }

    private void CopyOrderedInto(IndexData copy)
    {
        if (TextTerms is not null) copy.TextTerms = TextTerms.Snapshot();
        if (GeoCells is not null) copy.GeoCells = GeoCells.Snapshot();
        CopySpecialInto(copy);
        if (Ordered is null) return;
        copy.Ordered = Ordered.Snapshot();
        copy.MultiKeyFields = (bool[])MultiKeyFields!.Clone();
    }
}
