namespace Mongo.Bson;

/// <summary>A BSON UTF-8 string.</summary>
public sealed class BsonString : BsonValue
{
    /// <summary>The empty string.</summary>
    public static BsonString Empty { get; } = new(string.Empty);

    // A string materialised from a lazy container keeps its UTF-8 in the container's (immutable, validated) bytes
    // and becomes a string on first use: code that walks a document without reading every string pays for neither
    // the conversion nor a second object. Once decoded, the bytes are let go.
    private string? _value;
    private byte[]? _utf8;
    private readonly int _offset;
    private readonly int _length;

    /// <summary>Creates a value.</summary>
    public BsonString(string value) => _value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>A value over validated UTF-8 in a buffer nobody writes to, decoded on first use.</summary>
    internal BsonString(byte[] utf8, int offset, int length)
    {
        _utf8 = utf8;
        _offset = offset;
        _length = length;
    }

    /// <summary>The value.</summary>
    public string Value => Volatile.Read(ref _value) ?? Decode();

    /// <summary>The UTF-8 of a value that has not been decoded yet (encoders copy it instead of transcoding).</summary>
    internal bool TryGetUtf8(out ReadOnlySpan<byte> utf8)
    {
        // The bytes never change, so a decode that races with this and drops them does not affect the copy.
        byte[]? bytes = Volatile.Read(ref _utf8);
        utf8 = bytes is null ? default : bytes.AsSpan(_offset, _length);
        return bytes is not null;
    }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.String;

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) => other is BsonString s && string.Equals(s.Value, Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    private string Decode()
    {
        if (Volatile.Read(ref _utf8) is not { } utf8)
        {
            // Another thread decoded it; it published the string before dropping the bytes.
            return Volatile.Read(ref _value)!;
        }

        string value = Internal.Utf8Util.GetString(utf8.AsSpan(_offset, _length));
        Volatile.Write(ref _value, value);
        Volatile.Write(ref _utf8, null);
        return value;
    }
}
