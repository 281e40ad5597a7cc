using System.Runtime.CompilerServices;
using Mongo.Bson.Internal;

namespace Mongo.Bson;

/// <summary>
/// Lazy materialisation, as for <see cref="BsonDocument"/>: a decoded array keeps its validated encoded bytes
/// and builds its item list on first use.
/// </summary>
public sealed partial class BsonArray
{
    // The encoded array document inside a buffer nobody writes to; null once materialised.
    private byte[]? _raw;
    private int _rawOffset;
    private int _rawLength;

    /// <summary>A lazy array over validated bytes; <paramref name="raw"/> must never change afterwards.</summary>
    internal BsonArray(byte[] raw, int offset, int length)
    {
        _raw = raw;
        _rawOffset = offset;
        _rawLength = length;
    }

    /// <summary>A materialised array that takes ownership of a decoder's list.</summary>
    internal BsonArray(List<BsonValue> items) => _values = items;

    /// <summary>The item list, materialised on first use.</summary>
    private List<BsonValue> Items
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _values ?? Materialize();
    }

    /// <summary>The encoded bytes of an array that has not been materialised, or an empty span.</summary>
    internal ReadOnlySpan<byte> UnmaterializedBytes
    {
        get
        {
            // Buffer first, then list: see BsonDocument.UnmaterializedBytes.
            byte[]? raw = Volatile.Read(ref _raw);
            return raw is null || Volatile.Read(ref _values) is not null ? default : raw.AsSpan(_rawOffset, _rawLength);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private List<BsonValue> Materialize()
    {
        byte[]? raw = Volatile.Read(ref _raw);
        if (raw is null)
        {
            return Volatile.Read(ref _values)!;
        }

        List<BsonValue> items = BsonDecoder.ReadArrayLevel(raw, _rawOffset, _rawLength);
        List<BsonValue> winner = Interlocked.CompareExchange(ref _values, items, null) ?? items;
        Volatile.Write(ref _raw, null);
        return winner;
    }

    /// <summary>A copy of a still-encoded array sharing the immutable bytes, or null when materialised.</summary>
    private BsonArray? TryCloneLazy()
    {
        byte[]? raw = Volatile.Read(ref _raw);
        return raw is null || Volatile.Read(ref _values) is not null ? null : new BsonArray(raw, _rawOffset, _rawLength);
    }
}
