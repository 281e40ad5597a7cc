namespace Mongo.Bson;

/// <summary>A BSON UTF-8 string.</summary>
public sealed class BsonString : BsonValue
{
    /// <summary>The empty string.</summary>
    public static BsonString Empty { get; } = new(string.Empty);

    // A string materialised from a lazy container keeps its UTF-8 in the container's (immutable, validated) bytes
    // and becomes a string on first use: code that walks a document without reading every string pays for neither
    // the conversion nor a second object. Once decoded, the bytes are let go. One field holds either (the string,
    // or the byte[] until then), so every lazy string, the commonest value of a walked document, is 8 bytes smaller.
    private object _data;
    private readonly int _offset;
    private readonly int _length;

    /// <summary>Creates a value.</summary>
    public BsonString(string value) => _data = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>A value over validated UTF-8 in a buffer nobody writes to, decoded on first use.</summary>
    internal BsonString(byte[] utf8, int offset, int length)
    {
        _data = utf8;
        _offset = offset;
        _length = length;
    }

    /// <summary>The value.</summary>
    public string Value => Volatile.Read(ref _data) as string ?? Decode();

    /// <summary>The UTF-8 of a value that has not been decoded yet (encoders copy it instead of transcoding).</summary>
    internal bool TryGetUtf8(out ReadOnlySpan<byte> utf8)
    {
        // The bytes never change, so a decode that races with this and replaces them does not affect the copy.
        if (Volatile.Read(ref _data) is byte[] bytes)
        {
            utf8 = bytes.AsSpan(_offset, _length);
            return true;
        }

        utf8 = default;
        return false;
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
        // Only reached while the field held the bytes; another thread may decode them too, to an equal string, and
        // either write wins. The bytes never change, so reading them after that write is still correct.
        object data = Volatile.Read(ref _data);
        if (data is not byte[] utf8)
        {
            return (string)data;
        }

        string value = Internal.Utf8Util.GetString(utf8.AsSpan(_offset, _length));
        Volatile.Write(ref _data, value);
        return value;
    }
}
