using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;

namespace Mongo.InMemory.Engine.Indexing;

/// <summary>
/// The ordered key → documents structure of a secondary index, as the query planner scans it: entries sorted by the
/// index's key pattern (each field ascending or descending, strings under the index's collation). A document appears
/// under every key it produces (one per array element for a multikey index). Documents that share a key stay in the
/// order they were added, so a scan meets them as a collection scan would.
/// </summary>
internal sealed class OrderedIndex
{
    private readonly KeyComparer _comparer;

    // Never changed while another index may hold the same set (see Own).
    private SortedSet<Entry> _set;

    // True while a snapshot's copy (or the index this one was copied from) may hold the same set: it is copied, with
    // its holder lists, before it is changed, so a transaction's snapshot costs nothing until one side writes.
    private bool _shared;

    public OrderedIndex(int[] directions, Collator? collator)
    {
        _comparer = new KeyComparer(directions, collator);
        _set = new SortedSet<Entry>(_comparer);
    }

    private OrderedIndex(OrderedIndex source)
    {
        _comparer = source._comparer;
        _set = source._set;
        _shared = true;
        source._shared = true;
        KeyCount = source.KeyCount;
    }

    /// <summary>The number of (key, document) pairs held: what a scan of the whole index examines.</summary>
    public int KeyCount { get; private set; }

    /// <summary>Compares two keys in index order (the direction of each field applied).</summary>
    public int Compare(BsonValue?[] a, BsonValue?[] b) => _comparer.CompareKeys(a, b);

    /// <summary>A copy for a storage snapshot, sharing the entries until either side changes them.</summary>
    public OrderedIndex Snapshot() => new(this);

    public void Add(BsonValue?[] key, BsonDocument doc)
    {
        var set = Own();
        var probe = new Entry(key, null!);
        if (set.TryGetValue(probe, out var existing)) existing.Docs.Add(doc);
        else set.Add(new Entry(key, new Postings(doc)));
        KeyCount++;
    }

    public void Remove(BsonValue?[] key, BsonDocument doc)
    {
        var set = Own();
        if (!set.TryGetValue(new Entry(key, null!), out var existing)) return;
        if (!existing.Docs.Remove(doc)) return;
        KeyCount--;
        if (existing.Docs.Count == 0) set.Remove(existing);
    }

    /// <summary>Puts <paramref name="newDoc"/> where <paramref name="oldDoc"/> was under the same key (an update that kept the key).</summary>
    public bool ReplaceInPlace(BsonValue?[] key, BsonDocument oldDoc, BsonDocument newDoc)
    {
        var set = Own();
        if (!set.TryGetValue(new Entry(key, null!), out var existing)) return false;
        return existing.Docs.Replace(oldDoc, newDoc);
    }

    public void Clear()
    {
        _set = new SortedSet<Entry>(_comparer);
        _shared = false;
        KeyCount = 0;
    }

    /// <summary>
    /// The (key, document) pairs whose keys lie between <paramref name="low"/> and <paramref name="high"/> inclusive
    /// (both in index order), forward or backward. The caller takes what it needs before the next write.
    /// </summary>
    public IEnumerable<(BsonValue?[] Key, BsonDocument Doc)> Scan(BsonValue?[] low, BsonValue?[] high, bool backward)
    {
        if (_comparer.CompareKeys(low, high) > 0) yield break;
        var view = _set.GetViewBetween(new Entry(low, null!), new Entry(high, null!));
        foreach (var entry in backward ? view.Reverse() : view)
        {
            if (backward)
            {
                foreach (var doc in entry.Docs.Backward()) yield return (entry.Key, doc);
            }
            else
            {
                foreach (var doc in entry.Docs.Forward()) yield return (entry.Key, doc);
            }
        }
    }

    private SortedSet<Entry> Own()
    {
        if (_shared)
        {
            var copy = new SortedSet<Entry>(_comparer);
            foreach (var e in _set) copy.Add(new Entry(e.Key, e.Docs.Clone()));
            _set = copy;
            _shared = false;
        }

        return _set;
    }

    private sealed class Entry(BsonValue?[] key, Postings docs)
    {
        public BsonValue?[] Key { get; } = key;

        public Postings Docs { get; } = docs;
    }

    private sealed class KeyComparer(int[] directions, Collator? collator) : IComparer<Entry>
    {
        public int Compare(Entry? x, Entry? y) => CompareKeys(x!.Key, y!.Key);

        public int CompareKeys(BsonValue?[] a, BsonValue?[] b)
        {
            for (var i = 0; i < directions.Length; i++)
            {
                var c = BsonOrder.Compare(a[i], b[i], collator);
                if (c != 0) return c * directions[i];
            }

            return 0;
        }
    }
}
