using Mongo.Bson;

namespace Mongo.InMemory.Engine.Indexing;

/// <summary>
/// The documents under one key of an <see cref="OrderedIndex"/>, in the order they were added. A key many documents
/// share (a text index's common term, a low-cardinality field) would make each removal a linear search and a shift of
/// the whole list, so deleting them all quadratic: past a few documents, removals leave a hole found through a position
/// map, and the holes are squeezed out once they are half the list.
/// </summary>
internal sealed class Postings
{
    private const int MapThreshold = 16;

    private readonly List<BsonDocument?> _docs;
    private Dictionary<BsonDocument, int>? _positions;
    private int _holes;

    public Postings(BsonDocument first) => _docs = [first];

    private Postings(List<BsonDocument?> docs) => _docs = docs;

    /// <summary>The documents held.</summary>
    public int Count => _docs.Count - _holes;

    public void Add(BsonDocument doc)
    {
        if (_positions is not null) _positions[doc] = _docs.Count;
        _docs.Add(doc);
    }

    public bool Remove(BsonDocument doc)
    {
        var at = IndexOf(doc);
        if (at < 0) return false;
        if (_positions is null)
        {
            _docs.RemoveAt(at);
            return true;
        }

        _positions.Remove(doc);
        _docs[at] = null;
        if (++_holes * 2 > _docs.Count) Compact();
        return true;
    }

    /// <summary>Puts <paramref name="newDoc"/> where <paramref name="oldDoc"/> is (false when it is not here).</summary>
    public bool Replace(BsonDocument oldDoc, BsonDocument newDoc)
    {
        var at = IndexOf(oldDoc);
        if (at < 0) return false;
        _docs[at] = newDoc;
        if (_positions is not null)
        {
            _positions.Remove(oldDoc);
            _positions[newDoc] = at;
        }

        return true;
    }

    public IEnumerable<BsonDocument> Forward()
    {
        for (var i = 0; i < _docs.Count; i++)
            if (_docs[i] is { } doc) yield return doc;
    }

    public IEnumerable<BsonDocument> Backward()
    {
        for (var i = _docs.Count - 1; i >= 0; i--)
            if (_docs[i] is { } doc) yield return doc;
    }

    /// <summary>A copy for a snapshot (its position map is rebuilt when it needs one).</summary>
    public Postings Clone()
    {
        var docs = new List<BsonDocument?>(Count);
        foreach (var doc in Forward()) docs.Add(doc);
        return new Postings(docs);
    }

    private int IndexOf(BsonDocument doc)
    {
        if (_positions is null && _docs.Count > MapThreshold)
        {
            _positions = new Dictionary<BsonDocument, int>(_docs.Count, ReferenceEqualityComparer.Instance);
            for (var i = 0; i < _docs.Count; i++)
                if (_docs[i] is { } d) _positions[d] = i;
        }

        if (_positions is not null) return _positions.TryGetValue(doc, out var at) ? at : -1;
        for (var i = 0; i < _docs.Count; i++)
            if (ReferenceEquals(_docs[i], doc)) return i;
        return -1;
    }

    private void Compact()
    {
        var write = 0;
        for (var read = 0; read < _docs.Count; read++)
        {
            if (_docs[read] is not { } doc) continue;
            _docs[write] = doc;
            _positions![doc] = write;
            write++;
        }

        _docs.RemoveRange(write, _docs.Count - write);
        _holes = 0;
    }
}
