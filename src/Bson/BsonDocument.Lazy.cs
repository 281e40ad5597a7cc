using System.Runtime.CompilerServices;
using Mongo.Bson.Internal;

namespace Mongo.Bson;

/// <summary>
/// Lazy materialisation: a decoded document keeps its (already validated) encoded bytes and builds its element
/// list on first use, so that decoding costs one validating pass and one copy, and documents that are only
/// passed along or partly read never pay for the parts nobody looks at.
/// </summary>
public partial class BsonDocument
{
    // The encoded document (length prefix to terminator) inside a buffer nobody writes to; null once materialised.
    private byte[]? _raw;
    private int _rawOffset;
    private int _rawLength;

    /// <summary>A lazy document over validated bytes; <paramref name="raw"/> must never change afterwards.</summary>
    internal BsonDocument(byte[] raw, int offset, int length)
    {
        _raw = raw;
        _rawOffset = offset;
        _rawLength = length;
    }

    /// <summary>A materialised document that takes ownership of a decoder's list.</summary>
    internal BsonDocument(List<BsonElement> elements) => _elements = elements;

    /// <summary>The element list, materialised on first use.</summary>
    private List<BsonElement> Items
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _elements ?? Materialize();
    }

    /// <summary>
    /// The encoded bytes of a document that has not been materialised (and so cannot have been changed), or an
    /// empty span. Encoders copy these instead of walking the DOM.
    /// </summary>
    internal ReadOnlySpan<byte> UnmaterializedBytes
    {
        get
        {
            // Read the buffer before the list: a concurrent reader may materialise in between, and then the
            // list is set before the buffer is dropped (see Materialize), so a stale buffer is never used.
            byte[]? raw = Volatile.Read(ref _raw);
            return raw is null || Volatile.Read(ref _elements) is not null ? default : raw.AsSpan(_rawOffset, _rawLength);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private List<BsonElement> Materialize()
    {
        byte[]? raw = Volatile.Read(ref _raw);
        if (raw is null)
        {
            // Another thread materialised this document after our caller saw no list.
            return Volatile.Read(ref _elements)!;
        }

        List<BsonElement> items = BsonDecoder.ReadDocumentLevel(raw, _rawOffset, _rawLength);

        // Concurrent readers may race here; the first list published wins and every caller uses it.
        List<BsonElement> winner = Interlocked.CompareExchange(ref _elements, items, null) ?? items;
        Volatile.Write(ref _raw, null);
        return winner;
    }

    /// <summary>A copy of a still-encoded document sharing the immutable bytes, or null when materialised.</summary>
    private BsonDocument? TryCloneLazy()
    {
        byte[]? raw = Volatile.Read(ref _raw);
        return raw is null || Volatile.Read(ref _elements) is not null ? null : new BsonDocument(raw, _rawOffset, _rawLength);
    }
}
