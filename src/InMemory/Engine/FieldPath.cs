using Mongo.Bson;

namespace Mongo.InMemory.Engine;

/// <summary>Helpers for dotted field paths.</summary>
internal static class FieldPath
{
    /// <summary>Whether a path component is an array index ("0", "12"; no sign, no leading zeros).</summary>
    public static bool TryParseIndex(string part, out int index)
    {
        index = 0;
        if (part.Length == 0 || part.Length > 9) return false;
        if (part.Length > 1 && part[0] == '0') return false;
        foreach (var c in part)
        {
            if (c < '0' || c > '9') return false;
            index = index * 10 + (c - '0');
        }
        return true;
    }

    /// <summary>Gets the value at a dotted path without array traversal except numeric indexes (C# null if missing).</summary>
    public static BsonValue? GetStrict(BsonValue root, string path)
    {
        BsonValue? cur = root;
        foreach (var part in path.Split('.'))
        {
            switch (cur)
            {
                case BsonDocument d:
                    cur = d.TryGetValue(part, out var v) ? v : null;
                    break;
                case BsonArray a when TryParseIndex(part, out var i):
                    cur = i < a.Count ? a[i] : null;
                    break;
                default:
                    return null;
            }
            if (cur is null) return null;
        }
        return cur;
    }

    /// <summary>
    /// Values at a path with array traversal, as used for sort keys and index keys:
    /// arrays reached along the path are expanded (elements that are documents are traversed).
    /// </summary>
    public static void Collect(BsonValue? current, string[] parts, int i, List<BsonValue?> into, bool expandLeafArrays)
    {
        if (i == parts.Length)
        {
            if (expandLeafArrays && current is BsonArray leaf)
            {
                if (leaf.Count == 0) into.Add(null);
                else foreach (var e in leaf) into.Add(e);
            }
            else into.Add(current);
            return;
        }
        switch (current)
        {
            case BsonDocument d:
                Collect(d.TryGetValue(parts[i], out var v) ? v : null, parts, i + 1, into, expandLeafArrays);
                return;
            case BsonArray a:
                if (TryParseIndex(parts[i], out var idx))
                {
                    Collect(idx < a.Count ? a[idx] : null, parts, i + 1, into, expandLeafArrays);
                    return;
                }
                if (a.Count == 0) { into.Add(null); return; }
                foreach (var e in a)
                {
                    if (e is BsonDocument) Collect(e, parts, i, into, expandLeafArrays);
                    else into.Add(null);
                }
                return;
            default:
                into.Add(null);
                return;
        }
    }
}
