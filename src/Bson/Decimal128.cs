using System.Buffers.Binary;

namespace Mongo.Bson;

/// <summary>
/// A 128-bit IEEE 754-2008 decimal floating point value in the binary integer decimal (BID) encoding,
/// the representation BSON uses for element type 0x13.
/// </summary>
public readonly partial struct Decimal128 : IEquatable<Decimal128>
{
    /// <summary>Creates a value from its raw IEEE 754-2008 BID bits.</summary>
    /// <param name="highBits">The most significant 64 bits (sign, combination field, exponent, high coefficient).</param>
    /// <param name="lowBits">The least significant 64 bits of the coefficient.</param>
    public Decimal128(ulong highBits, ulong lowBits)
    {
        HighBits = highBits;
        LowBits = lowBits;
    }

    /// <summary>The most significant 64 bits of the BID encoding.</summary>
    public ulong HighBits { get; }

    /// <summary>The least significant 64 bits of the BID encoding.</summary>
    public ulong LowBits { get; }

    /// <summary>Reads a value from its 16-byte little-endian BSON representation (low word first).</summary>
    public static Decimal128 Read(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt64LittleEndian(source[8..]), BinaryPrimitives.ReadUInt64LittleEndian(source));

    /// <summary>Writes the 16-byte little-endian BSON representation (low word first).</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, LowBits);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], HighBits);
    }

    /// <summary>Bitwise equality: two encodings of the same number with different exponents are not equal.</summary>
    public bool Equals(Decimal128 other) => HighBits == other.HighBits && LowBits == other.LowBits;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Decimal128 other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(HighBits, LowBits);

    /// <summary>Bitwise equality.</summary>
    public static bool operator ==(Decimal128 left, Decimal128 right) => left.Equals(right);

    /// <summary>Bitwise inequality.</summary>
    public static bool operator !=(Decimal128 left, Decimal128 right) => !left.Equals(right);
}
