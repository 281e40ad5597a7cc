using System.Runtime.InteropServices;

namespace Mongo.Bson;

/// <summary>
/// A dense numeric vector stored as BSON binary subtype 9 (bson-binary-vector specification): a dtype byte, a
/// padding byte and the packed elements. The concrete types are <see cref="BsonVectorFloat32"/>,
/// <see cref="BsonVectorInt8"/> and <see cref="BsonVectorPackedBit"/>; vectors are immutable.
/// </summary>
/// <remarks>
/// The specification's invariants are checked both when a vector is created from values and when one is read
/// from binary data: a known dtype; padding 0 except for PACKED_BIT, where it is 0 to 7 and needs at least one
/// data byte; FLOAT32 data a whole number of 4-byte elements; and the ignored low bits of a padded PACKED_BIT
/// vector's last byte zero (the specification recommends raising here, so that one vector has one encoding).
/// Creating an invalid vector throws <see cref="BsonException"/>; reading invalid binary data throws
/// <see cref="BsonFormatException"/>. A <see cref="BsonBinaryData"/> of subtype 9 is itself only bytes: it is
/// decoded, compared and re-encoded as it is, and validated when converted with <see cref="FromBsonBinaryData"/>.
/// </remarks>
public abstract class BsonVector : IEquatable<BsonVector>
{
    private protected BsonVector(BsonVectorDataType dataType, int padding)
    {
        DataType = dataType;
        Padding = padding;
    }

    /// <summary>The element type.</summary>
    public BsonVectorDataType DataType { get; }

    /// <summary>The number of low bits of the last data byte that are not part of the vector (PACKED_BIT only; otherwise 0).</summary>
    public int Padding { get; }

    /// <summary>The number of elements (bits, for <see cref="BsonVectorDataType.PackedBit"/>).</summary>
    public abstract int Count { get; }

    /// <summary>The element data as BSON stores it after the dtype and padding bytes.</summary>
    private protected abstract ReadOnlySpan<byte> Data { get; }

    /// <summary>A FLOAT32 vector of these values.</summary>
    public static BsonVectorFloat32 FromFloat32(ReadOnlySpan<float> values) => new(values.ToArray());

    /// <summary>An INT8 vector of these values.</summary>
    public static BsonVectorInt8 FromInt8(ReadOnlySpan<sbyte> values) => new(values.ToArray());

    /// <summary>A PACKED_BIT vector of these bytes, the last of which has <paramref name="padding"/> ignored low bits.</summary>
    /// <param name="bytes">The bits, eight to a byte, most significant bit first.</param>
    /// <param name="padding">The number of ignored low bits of the last byte, 0 to 7; they must be zero.</param>
    /// <exception cref="BsonException">The padding is outside 0-7, non-zero with no bytes, or covers bits that are set.</exception>
    public static BsonVectorPackedBit FromPackedBits(ReadOnlySpan<byte> bytes, int padding = 0)
    {
        string? problem = BsonVectorPackedBit.Check(bytes, padding);
        return problem is null ? new BsonVectorPackedBit(bytes.ToArray(), padding) : throw new BsonException(problem);
    }

    /// <summary>A PACKED_BIT vector of these bits (the padding follows from their number).</summary>
    public static BsonVectorPackedBit FromBits(ReadOnlySpan<bool> bits)
    {
        var bytes = new byte[(bits.Length + 7) / 8];
        for (int i = 0; i < bits.Length; i++)
        {
            if (bits[i])
            {
                bytes[i / 8] |= (byte)(0x80 >> (i % 8));
            }
        }

        return new BsonVectorPackedBit(bytes, (bytes.Length * 8) - bits.Length);
    }

    /// <summary>
    /// A vector of any dtype from numbers, as the specification's <c>from_vector(vector, dtype, padding)</c>:
    /// INT8 takes integers from -128 to 127, PACKED_BIT integers from 0 to 255 (whole bytes of bits), FLOAT32 any
    /// number within its range (rounded to the nearest single-precision value; infinities and NaN allowed).
    /// </summary>
    /// <exception cref="BsonException">A number does not fit the dtype, the padding is not allowed, or the dtype is unknown.</exception>
    public static BsonVector Create(BsonVectorDataType dataType, ReadOnlySpan<double> values, int padding = 0)
    {
        if (dataType is not (BsonVectorDataType.Float32 or BsonVectorDataType.Int8 or BsonVectorDataType.PackedBit))
        {
            throw new BsonException(UnknownDataType((byte)dataType));
        }

        if (dataType != BsonVectorDataType.PackedBit && padding != 0)
        {
            throw new BsonException(PaddingNotAllowed(dataType, padding));
        }

        switch (dataType)
        {
            case BsonVectorDataType.Float32:
                var floats = new float[values.Length];
                for (int i = 0; i < values.Length; i++)
                {
                    double value = values[i];
                    floats[i] = (float)value;
                    if (double.IsFinite(value) && !float.IsFinite(floats[i]))
                    {
                        throw new BsonException($"Vector element {i} ({value}) is outside the range of FLOAT32.");
                    }
                }

                return new BsonVectorFloat32(floats);
            case BsonVectorDataType.Int8:
                var int8 = new sbyte[values.Length];
                for (int i = 0; i < values.Length; i++)
                {
                    int8[i] = (sbyte)WholeNumber(values[i], i, sbyte.MinValue, sbyte.MaxValue, "INT8");
                }

                return new BsonVectorInt8(int8);
            case BsonVectorDataType.PackedBit:
                var bytes = new byte[values.Length];
                for (int i = 0; i < values.Length; i++)
                {
                    bytes[i] = (byte)WholeNumber(values[i], i, byte.MinValue, byte.MaxValue, "PACKED_BIT (one byte of bits per number)");
                }

                return FromPackedBits(bytes, padding);
            default:
                throw new InvalidOperationException("unreachable: the dtype was checked above");
        }
    }

    /// <summary>Reads a vector from binary data of subtype 9, validating it.</summary>
    /// <exception cref="BsonException">The binary data is not of subtype <see cref="BsonBinarySubType.Vector"/>.</exception>
    /// <exception cref="BsonFormatException">The data breaks one of the specification's invariants.</exception>
    public static BsonVector FromBsonBinaryData(BsonBinaryData binary)
    {
        ArgumentNullException.ThrowIfNull(binary);
        if (binary.SubType != BsonBinarySubType.Vector)
        {
            throw new BsonException($"Binary subtype {(byte)binary.SubType} is not a vector; vectors are subtype {(byte)BsonBinarySubType.Vector}.");
        }

        return Decode(binary.Bytes);
    }

    /// <summary>Reads a vector from the content of a subtype 9 binary value (dtype byte, padding byte, data), validating it.</summary>
    /// <exception cref="BsonFormatException">The bytes break one of the specification's invariants.</exception>
    public static BsonVector Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2)
        {
            throw Invalid($"A binary vector starts with a dtype byte and a padding byte; this one has {bytes.Length} bytes.");
        }

        byte dataType = bytes[0];
        int padding = bytes[1];
        ReadOnlySpan<byte> data = bytes[2..];
        switch ((BsonVectorDataType)dataType)
        {
            case BsonVectorDataType.Float32:
                CheckNoPadding(BsonVectorDataType.Float32, padding);
                if (data.Length % sizeof(float) != 0)
                {
                    throw Invalid($"A FLOAT32 vector's data must be a whole number of 4-byte elements; it has {data.Length} bytes.");
                }

                return new BsonVectorFloat32(BsonVectorFloat32.ReadLittleEndian(data));
            case BsonVectorDataType.Int8:
                CheckNoPadding(BsonVectorDataType.Int8, padding);
                return new BsonVectorInt8(MemoryMarshal.Cast<byte, sbyte>(data).ToArray());
            case BsonVectorDataType.PackedBit:
                string? problem = BsonVectorPackedBit.Check(data, padding);
                return problem is null ? new BsonVectorPackedBit(data.ToArray(), padding) : throw Invalid(problem);
            default:
                throw Invalid(UnknownDataType(dataType));
        }
    }

    /// <summary>This vector as binary data of subtype 9 (a new array each time).</summary>
    public BsonBinaryData ToBsonBinaryData()
    {
        ReadOnlySpan<byte> data = Data;
        var bytes = new byte[2 + data.Length];
        bytes[0] = (byte)DataType;
        bytes[1] = (byte)Padding;
        data.CopyTo(bytes.AsSpan(2));
        return new BsonBinaryData(bytes, BsonBinarySubType.Vector);
    }

    /// <summary>
    /// Equal when the dtype, padding and encoded data are the same: FLOAT32 elements compare by their bits, so
    /// NaN equals an identical NaN and 0.0 differs from -0.0, as the binary values do.
    /// </summary>
    public bool Equals(BsonVector? other) =>
        other is not null && other.DataType == DataType && other.Padding == Padding && other.Data.SequenceEqual(Data);

    /// <inheritdoc />
    public sealed override bool Equals(object? obj) => obj is BsonVector other && Equals(other);

    /// <inheritdoc />
    public sealed override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(DataType);
        hash.Add(Padding);
        hash.AddBytes(Data);
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => $"{DataType} vector of {Count} {(DataType == BsonVectorDataType.PackedBit ? "bits" : "elements")}";

    private static void CheckNoPadding(BsonVectorDataType dataType, int padding)
    {
        if (padding != 0)
        {
            throw Invalid(PaddingNotAllowed(dataType, padding));
        }
    }

    private static long WholeNumber(double value, int index, long min, long max, string dtype) =>
        value == Math.Floor(value) && value >= min && value <= max
            ? (long)value
            : throw new BsonException($"Vector element {index} ({value}) is not an integer from {min} to {max}, as {dtype} requires.");

    private static string PaddingNotAllowed(BsonVectorDataType dataType, int padding) =>
        $"Padding {padding} is not allowed: only PACKED_BIT vectors have padding, and a {Alias(dataType)} vector's must be 0.";

    private static string UnknownDataType(byte dataType) =>
        $"Unknown vector dtype 0x{dataType:X2}; known are INT8 (0x03), FLOAT32 (0x27) and PACKED_BIT (0x10).";

    private static BsonFormatException Invalid(string message) => new($"Invalid binary vector: {message}");

    private static string Alias(BsonVectorDataType dataType) => dataType switch
    {
        BsonVectorDataType.Float32 => "FLOAT32",
        BsonVectorDataType.Int8 => "INT8",
        _ => "PACKED_BIT",
    };
}
