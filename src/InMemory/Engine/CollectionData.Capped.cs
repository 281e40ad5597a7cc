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
        _cappedBytes += doc.GetEncodedSize();
        while (_documents.Count > 1 && (_cappedBytes > CappedMaxSize || (CappedMaxDocuments > 0 && _documents.Count > CappedMaxDocuments)))
        {
            var oldest = _documents[0];
            foreach (var index in _indexes) index.Remove(index.KeysOf(oldest), oldest);
            _documents.RemoveAt(0);
            _cappedBytes -= oldest.GetEncodedSize();
        }
    }

    private void CappedSizeChanged(BsonDocument? removed, BsonDocument? added)
    {
        if (!IsCapped) return;
        if (removed is not null) _cappedBytes -= removed.GetEncodedSize();
        if (added is not null) _cappedBytes += added.GetEncodedSize();
    }
}
