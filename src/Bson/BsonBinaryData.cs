namespace Mongo.Bson;

/// <summary>BSON binary data: bytes and a subtype. UUIDs convert to and from <see cref="Guid"/> only with an explicit representation.</summary>
public sealed class BsonBinaryData : BsonValue
{
    // A value materialised from a lazy container keeps its bytes in the container's (immutable, validated) buffer
    // until Bytes is read, so walking a document copies no payload nobody looks at; encoders read them in place.
    private byte[]? _bytes;
    private byte[]? _source;
    private readonly int _offset;
    private readonly int _length;

    /// <summary>Creates a value. The array is not copied: do not mutate it afterwards.</summary>
    public BsonBinaryData(byte[] bytes, BsonBinarySubType subType = BsonBinarySubType.Binary)
    {
        _bytes = bytes ?? throw new ArgumentNullException(nameof(bytes));
        SubType = subType;
    }

    /// <summary>A value over payload bytes in a buffer nobody writes to, copied out on first use of <see cref="Bytes"/>.</summary>
    internal BsonBinaryData(byte[] source, int offset, int length, BsonBinarySubType subType)
    {
        _source = source;
        _offset = offset;
        _length = length;
        SubType = subType;
    }

    /// <summary>The bytes (for subtype 2, without the inner length prefix).</summary>
    public byte[] Bytes => Volatile.Read(ref _bytes) ?? CopyBytes();

    /// <summary>The bytes without copying them out of the buffer they were decoded from.</summary>
    internal ReadOnlySpan<byte> Span
    {
        get
        {
            // The source first: CopyBytes publishes the copy before it drops the source, so a source seen with no
            // copy is still there.
            byte[]? source = Volatile.Read(ref _source);
            return Volatile.Read(ref _bytes) is { } bytes ? bytes : source.AsSpan(_offset, _length);
        }
    }

    /// <summary>The subtype.</summary>
    public BsonBinarySubType SubType { get; }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.Binary;

    /// <summary>Encodes a <see cref="Guid"/>: <see cref="GuidRepresentation.Standard"/> gives subtype 4, a legacy representation subtype 3.</summary>
    /// <exception cref="ArgumentException">The representation is <see cref="GuidRepresentation.Unspecified"/>.</exception>
    public static BsonBinaryData FromGuid(Guid guid, GuidRepresentation representation = GuidRepresentation.Standard)
    {
        var bytes = new byte[16];
        switch (representation)
        {
            case GuidRepresentation.Standard:
                guid.TryWriteBytes(bytes, bigEndian: true, out _);
                return new BsonBinaryData(bytes, BsonBinarySubType.UuidStandard);
            case GuidRepresentation.PythonLegacy:
                guid.TryWriteBytes(bytes, bigEndian: true, out _);
                break;
            case GuidRepresentation.CSharpLegacy:
                guid.TryWriteBytes(bytes);
                break;
            case GuidRepresentation.JavaLegacy:
                guid.TryWriteBytes(bytes, bigEndian: true, out _);
                bytes.AsSpan(0, 8).Reverse();
                bytes.AsSpan(8, 8).Reverse();
                break;
            default:
                throw new ArgumentException("A GuidRepresentation must be specified to encode a Guid.", nameof(representation));
        }

        return new BsonBinaryData(bytes, BsonBinarySubType.UuidLegacy);
    }

    /// <summary>Decodes a subtype 4 UUID.</summary>
    /// <exception cref="InvalidOperationException">The subtype is not 4 (subtype 3 needs a representation) or the length is not 16.</exception>
    public Guid ToGuid() => ToGuid(GuidRepresentation.Standard);

    /// <summary>
    /// Decodes a UUID. Subtype 4 requires <see cref="GuidRepresentation.Standard"/>; subtype 3 requires one of the
    /// legacy representations, because its byte order cannot be inferred from the data.
    /// </summary>
    public Guid ToGuid(GuidRepresentation representation)
    {
        if (Bytes.Length != 16)
        {
            throw new InvalidOperationException($"A UUID is 16 bytes; this binary value has {Bytes.Length}.");
        }

        switch (SubType, representation)
        {
            case (BsonBinarySubType.UuidStandard, GuidRepresentation.Standard):
            case (BsonBinarySubType.UuidLegacy, GuidRepresentation.PythonLegacy):
                return new Guid(Bytes, bigEndian: true);
            case (BsonBinarySubType.UuidLegacy, GuidRepresentation.CSharpLegacy):
                return new Guid(Bytes);
            case (BsonBinarySubType.UuidLegacy, GuidRepresentation.JavaLegacy):
                Span<byte> swapped = stackalloc byte[16];
                Bytes.CopyTo(swapped);
                swapped[..8].Reverse();
                swapped[8..].Reverse();
                return new Guid(swapped, bigEndian: true);
            default:
                throw new InvalidOperationException(
                    $"Cannot decode a binary subtype {(byte)SubType} value as a Guid with representation {representation}.");
        }
    }

    /// <summary>Encodes a vector as subtype 9 (<see cref="BsonBinarySubType.Vector"/>).</summary>
    public static BsonBinaryData FromVector(BsonVector vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        return vector.ToBsonBinaryData();
    }

    /// <summary>Decodes a subtype 9 value as a vector, validating it (see <see cref="BsonVector"/>).</summary>
    /// <exception cref="BsonException">The subtype is not <see cref="BsonBinarySubType.Vector"/>.</exception>
    /// <exception cref="BsonFormatException">The bytes are not a valid vector.</exception>
    public BsonVector ToVector() => BsonVector.FromBsonBinaryData(this);

    /// <summary>Decodes a subtype 9 value as a vector of a known element type, e.g. <c>ToVector&lt;BsonVectorFloat32&gt;()</c>.</summary>
    /// <exception cref="BsonException">The subtype is not <see cref="BsonBinarySubType.Vector"/>, or the vector is of another type.</exception>
    /// <exception cref="BsonFormatException">The bytes are not a valid vector.</exception>
    public TVector ToVector<TVector>()
        where TVector : BsonVector
    {
        BsonVector vector = ToVector();
        return vector as TVector
            ?? throw new BsonException($"The binary vector is {vector.DataType}, not the {typeof(TVector).Name} asked for.");
    }

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) =>
        other is BsonBinaryData b && b.SubType == SubType && b.Span.SequenceEqual(Span);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(SubType);
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => $"Binary({(byte)SubType}, {Convert.ToBase64String(Bytes)})";

    private byte[] CopyBytes()
    {
        byte[]? source = Volatile.Read(ref _source);
        if (source is null)
        {
            // Another thread copied them; it published the copy before dropping the source.
            return Volatile.Read(ref _bytes)!;
        }

        // Racing copies are equal (the source never changes); the first one published is the array every caller
        // sees from then on. Then the source is let go, so a kept value does not keep a large buffer alive.
        byte[] copy = source.AsSpan(_offset, _length).ToArray();
        byte[] bytes = Interlocked.CompareExchange(ref _bytes, copy, null) ?? copy;
        Volatile.Write(ref _source, null);
        return bytes;
    }
}
