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
    // Where the encoded document starts in the byte[] held by _aux while lazy (its length is its prefix).
    private int _rawOffset;

    /// <summary>
    /// A lazy document over validated bytes; <paramref name="raw"/> must never change afterwards.
    /// <paramref name="count"/> is its number of elements when the validating pass counted them, or 0 when unknown
    /// (a lazy document is never empty); it waits in the unused count of the element storage until materialisation.
    /// </summary>
    internal BsonDocument(byte[] raw, int offset, int count = 0)
    {
        _aux = raw;
        _rawOffset = offset;
        _store.Count = count;
    }

    /// <summary>A materialised document that takes ownership of an exactly sized element array.</summary>
    internal BsonDocument(BsonElement[] elements) => _store = new ItemList<BsonElement>(elements);

    /// <summary>The element storage, materialised on first use.</summary>
    private ref ItemList<BsonElement> Store
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (_store.Items is null)
            {
                Materialize();
            }

            return ref _store;
        }
    }

    /// <summary>
    /// The encoded bytes of a document that has not been materialised (and so cannot have been changed), or an
    /// empty span. Encoders copy these instead of walking the DOM.
    /// </summary>
    internal ReadOnlySpan<byte> UnmaterializedBytes
    {
        get
        {
            // Read the buffer before the elements: Materialize publishes the elements before it drops the
            // buffer, so a buffer seen with no elements still describes this document.
            return Volatile.Read(ref _aux) is byte[] raw && Volatile.Read(ref _store.Items) is null
                ? raw.AsSpan(_rawOffset, RawLength(raw, _rawOffset))
                : default;
        }
    }

    internal static int RawLength(byte[] raw, int offset) => System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(offset));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Materialize()
    {
        if (Volatile.Read(ref _aux) is not byte[] raw)
        {
            // Another thread materialised this document after our caller saw no elements.
            return;
        }

        // While the elements are null the count is 0 or the true count (Materialize only ever stores that one).
        BsonElement[] elements = BsonDecoder.ReadDocumentLevel(raw, _rawOffset, _store.Count);

        // Concurrent readers may race here with equal results. The count goes first and the array is published
        // with a full fence, so whoever sees the array sees its count; only then is the buffer let go. A reader
        // that builds the name index in between may lose it to that write: the index is a cache, rebuilt on use.
        _store.Count = elements.Length;
        Interlocked.CompareExchange(ref _store.Items, elements, null);
        if (ReferenceEquals(Volatile.Read(ref _aux), raw))
        {
            Volatile.Write(ref _aux, null);
        }
    }

    /// <summary>
    /// Looks a name up among the first elements of a still-encoded document without materialising it
    /// (<see cref="BsonDecoder.Peek"/>); <see cref="PeekResult.Unknown"/> once it is materialised.
    /// </summary>
    private PeekResult PeekLazy(string name, out int index, out BsonValue? scalar)
    {
        // The bytes never change, so a peek that races with materialisation still reads this document.
        if (Volatile.Read(ref _aux) is byte[] raw && Volatile.Read(ref _store.Items) is null)
        {
            return BsonDecoder.Peek(raw, _rawOffset, name, out index, out scalar);
        }

        index = -1;
        scalar = null;
        return PeekResult.Unknown;
    }

    /// <summary>A copy of a still-encoded document sharing the immutable bytes, or null when materialised.</summary>
    private BsonDocument? TryCloneLazy() =>
        Volatile.Read(ref _aux) is byte[] raw && Volatile.Read(ref _store.Items) is null ? new BsonDocument(raw, _rawOffset, _store.Count) : null;
}
