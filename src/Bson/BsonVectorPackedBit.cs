namespace Mongo.Bson;

/// <summary>
/// A PACKED_BIT binary vector: bits, eight to a byte, most significant bit first; the last byte's
/// <see cref="BsonVector.Padding"/> low bits are not part of the vector and are always zero. Create one with
/// <see cref="BsonVector.FromPackedBits"/> or <see cref="BsonVector.FromBits"/>.
/// </summary>
public sealed class BsonVectorPackedBit : BsonVector
{
    private readonly byte[] _bytes;

    internal BsonVectorPackedBit(byte[] bytes, int padding) : base(BsonVectorDataType.PackedBit, padding) => _bytes = bytes;

    /// <summary>The packed bytes, padding bits included.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>The number of bits: eight per byte, less the padding.</summary>
    public override int Count => (_bytes.Length * 8) - Padding;

    /// <inheritdoc />
    private protected override ReadOnlySpan<byte> Data => _bytes;

    /// <summary>Whether the bit at <paramref name="index"/> is set (bit 0 is the most significant bit of the first byte).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside 0..<see cref="Count"/> - 1.</exception>
    public bool this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return (_bytes[index / 8] & (0x80 >> (index % 8))) != 0;
        }
    }

    /// <summary>A copy of the packed bytes.</summary>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <summary>The bits, one per element.</summary>
    public bool[] ToBits()
    {
        var bits = new bool[Count];
        for (int i = 0; i < bits.Length; i++)
        {
            bits[i] = (_bytes[i / 8] & (0x80 >> (i % 8))) != 0;
        }

        return bits;
    }

    /// <summary>What is wrong with this data and padding as a PACKED_BIT vector, or null when nothing is.</summary>
    internal static string? Check(ReadOnlySpan<byte> bytes, int padding)
    {
        if (padding is < 0 or > 7)
        {
            return $"A PACKED_BIT vector's padding must be from 0 to 7 bits; it is {padding}.";
        }

        if (padding == 0)
        {
            return null;
        }

        if (bytes.IsEmpty)
        {
            return $"A PACKED_BIT vector with padding {padding} must have at least one byte of data; it has none.";
        }

        // The specification says ignored bits SHOULD be zero and writers and readers SHOULD raise otherwise:
        // one vector, one encoding, so binary equality and vector equality agree.
        byte ignored = (byte)(bytes[^1] & ((1 << padding) - 1));
        return ignored == 0
            ? null
            : $"The {padding} ignored low bits of a PACKED_BIT vector's last byte must be zero; the last byte is 0x{bytes[^1]:X2}.";
    }
}
