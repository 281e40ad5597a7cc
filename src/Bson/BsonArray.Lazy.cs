using System.Runtime.CompilerServices;
using Mongo.Bson.Internal;

namespace Mongo.Bson;

/// <summary>
/// Lazy materialisation, as for <see cref="BsonDocument"/>: a decoded array keeps its validated encoded bytes
/// and builds its item list on first use.
/// </summary>
public sealed partial class BsonArray
{
    // The encoded array document while lazy (a buffer nobody writes to), and where it starts; null once materialised.
    private byte[]? _raw;
    private int _rawOffset;

    /// <summary>
    /// A lazy array over validated bytes; <paramref name="raw"/> must never change afterwards. <paramref name="count"/>
    /// is its number of items, or 0 when unknown (see the lazy <see cref="BsonDocument"/> constructor).
    /// </summary>
    internal BsonArray(byte[] raw, int offset, int count = 0)
    {
        _raw = raw;
        _rawOffset = offset;
        _store.Count = count;
    }

    /// <summary>A materialised array that takes ownership of an exactly sized item array.</summary>
    internal BsonArray(BsonValue[] items) => _store = new ItemList<BsonValue>(items);

    /// <summary>The item storage, materialised on first use.</summary>
    private ref ItemList<BsonValue> Store
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

    /// <summary>The encoded bytes of an array that has not been materialised, or an empty span.</summary>
    internal ReadOnlySpan<byte> UnmaterializedBytes =>
        // Buffer first, then items: see BsonDocument.UnmaterializedBytes.
        Volatile.Read(ref _raw) is { } raw && Volatile.Read(ref _store.Items) is null
            ? raw.AsSpan(_rawOffset, BsonDocument.RawLength(raw, _rawOffset))
            : default;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Materialize()
    {
        if (Volatile.Read(ref _raw) is not { } raw)
        {
            return;
        }

        // Publication order as in BsonDocument.Materialize.
        BsonValue[] items = BsonDecoder.ReadArrayLevel(raw, _rawOffset, _store.Count);
        _store.Count = items.Length;
        Interlocked.CompareExchange(ref _store.Items, items, null);
        Volatile.Write(ref _raw, null);
    }

    /// <summary>A copy of a still-encoded array sharing the immutable bytes, or null when materialised.</summary>
    private BsonArray? TryCloneLazy() =>
        Volatile.Read(ref _raw) is { } raw && Volatile.Read(ref _store.Items) is null ? new BsonArray(raw, _rawOffset, _store.Count) : null;
}
