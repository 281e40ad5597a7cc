using Mongo.Bson;

namespace Mongo.InMemory.Engine;

/// <summary>
/// Capped collections: a fixed byte size (rounded up to a multiple of 256, as mongod does) and an optional document
/// count; inserting past either limit removes the oldest documents in insertion (natural) order.
/// </summary>
internal sealed partial class CollectionData
{
    // The encoded bytes of the stored documents, kept only for capped collections (sizes of still-encoded documents
    // come from their length prefix, so this costs little).
    private long _cappedBytes;

    // Insertion sequence numbers of a capped collection's documents (by reference), for tailable cursors: a cursor
    // remembers the last number it saw and reads what came after. The highest evicted number tells it when documents
    // it had not read yet were dropped (CappedPositionLost).
    private readonly Dictionary<BsonDocument, long> _sequence = new(ReferenceEqualityComparer.Instance);
    private long _lastSequence;
    private long _evictedThrough;

    /// <summary>The sequence number of the newest document inserted so far (0: none).</summary>
    public long LastSequence => _lastSequence;

    /// <summary>Raised (under the storage lock) after a document is inserted into a capped collection.</summary>
    public event Action? CappedInsert;

    /// <summary>
    /// The documents inserted after sequence number <paramref name="after"/>, oldest first, with the number of the
    /// newest; throws CappedPositionLost when some of them were evicted before a tailable cursor could read them.
    /// </summary>
    public List<BsonDocument> InsertedAfter(long after, out long newest)
    {
        if (_evictedThrough > after)
            throw new Commands.CommandException(136, "CappedPositionLost", "CollectionScan died due to position in capped collection being deleted. Last seen record id: RecordId(" + after + ")");
        var start = _documents.Count;
        while (start > 0 && _sequence[_documents[start - 1]] > after) start--;
        newest = _lastSequence;
        return _documents.GetRange(start, _documents.Count - start);
    }

    /// <summary>Whether the collection was created with <c>capped: true</c>.</summary>
    public bool IsCapped { get; private init; }

    /// <summary>The capped collection's size limit in bytes.</summary>
    public long CappedMaxSize { get; private init; }

    /// <summary>The capped collection's document limit; 0 means none.</summary>
    public long CappedMaxDocuments { get; private init; }

    /// <summary>
    /// Checks and normalises create's capped options in place: size is required, positive and rounded up to a multiple
    /// of 256 bytes; max is a number (zero or negative means no document limit).
    /// </summary>
    public static void NormalizeCappedOptions(BsonDocument options)
    {
        if (!(options.GetValueOrDefault("capped") is { } capped && capped.ToBoolean())) return;
        if (options.GetValueOrDefault("size") is not { } size || size.BsonType == BsonType.Null)
            throw Errors.InvalidOptions("the 'size' field is required when 'capped' is true");
        if (!size.IsNumeric) throw Errors.TypeMismatch("BSON field 'create.size' is the wrong type '" + BsonOrder.TypeName(size) + "', expected types '[long, int, decimal, double]'");
        var bytes = size.ToInt64();
        if (bytes < 1) throw Errors.Location(51024, "BSON field 'size' value must be >= 1, actual value '" + bytes + "'");
        if (bytes > 1L << 50) throw Errors.InvalidOptions("Capped collection 'size' cannot exceed 1 PB");
        if (bytes % 256 != 0) bytes += 256 - bytes % 256;
        options["size"] = new BsonInt64(bytes);
        if (options.GetValueOrDefault("max") is { } max && !max.IsNumeric)
            throw Errors.TypeMismatch("BSON field 'create.max' is the wrong type '" + BsonOrder.TypeName(max) + "', expected types '[long, int, decimal, double]'");
    }

    /// <summary>After an insert: account for the new document and drop the oldest ones past the limits (never the new one).</summary>
    private void AfterCappedInsert(BsonDocument doc)
    {
        _sequence[doc] = ++_lastSequence;
        _cappedBytes += doc.GetEncodedSize();
        while (_documents.Count > 1 && (_cappedBytes > CappedMaxSize || (CappedMaxDocuments > 0 && _documents.Count > CappedMaxDocuments)))
        {
            var oldest = _documents[0];
            foreach (var index in _indexes) index.Remove(index.KeysOf(oldest), oldest);
            OwnDocuments().RemoveAt(0);
            History?.Deleted(this, 0, oldest);
            _cappedBytes -= oldest.GetEncodedSize();
            _sequence.Remove(oldest, out var evicted);
            _evictedThrough = Math.Max(_evictedThrough, evicted);
        }

        CappedInsert?.Invoke();
    }

    /// <summary>After a replace (both given) or a delete (no <paramref name="added"/>): sizes and sequence numbers follow.</summary>
    private void CappedSizeChanged(BsonDocument removed, BsonDocument? added)
    {
        if (!IsCapped) return;
        _cappedBytes -= removed.GetEncodedSize();
        _sequence.Remove(removed, out var sequence);
        if (added is null) return;
        _cappedBytes += added.GetEncodedSize();
        _sequence[added] = sequence; // a replaced document keeps its place
    }
}
