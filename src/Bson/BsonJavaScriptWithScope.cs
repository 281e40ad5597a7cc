namespace Mongo.Bson;

/// <summary>BSON JavaScript code with a scope document (deprecated, still readable).</summary>
public sealed class BsonJavaScriptWithScope : BsonValue
{
    // As for BsonString: code materialised from a lazy container stays UTF-8 in the container's (immutable,
    // validated) bytes until it is read, so walking a document does not transcode code nobody looks at.
    private string? _code;
    private byte[]? _utf8;
    private readonly int _offset;
    private readonly int _length;

    /// <summary>Creates a value.</summary>
    public BsonJavaScriptWithScope(string code, BsonDocument scope)
    {
        _code = code ?? throw new ArgumentNullException(nameof(code));
        Scope = scope ?? throw new ArgumentNullException(nameof(scope));
    }

    /// <summary>A value whose code is validated UTF-8 in a buffer nobody writes to, decoded on first use.</summary>
    internal BsonJavaScriptWithScope(byte[] utf8, int offset, int length, BsonDocument scope)
    {
        _utf8 = utf8;
        _offset = offset;
        _length = length;
        Scope = scope;
    }

    /// <summary>The code.</summary>
    public string Code => Volatile.Read(ref _code) ?? DecodeCode();

    /// <summary>The scope document.</summary>
    public BsonDocument Scope { get; }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.JavaScriptWithScope;

    // The scope document sits at this value's own depth, as BsonReader counts it.

    /// <inheritdoc />
    public override BsonValue DeepClone() => CloneAt(1);

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) => EqualsAt(other, 1);

    /// <inheritdoc />
    public override int GetHashCode() => HashAt(1);

    internal override BsonValue CloneAt(int depth) => new BsonJavaScriptWithScope(Code, (BsonDocument)Scope.CloneAt(depth));

    internal override bool EqualsAt(BsonValue? other, int depth) =>
        other is BsonJavaScriptWithScope j && j.Code == Code && j.Scope.EqualsAt(Scope, depth);

    internal override int HashAt(int depth) => HashCode.Combine(Code, Scope.HashAt(depth));

    /// <inheritdoc />
    public override string ToString() => Code;

    private string DecodeCode()
    {
        if (Volatile.Read(ref _utf8) is not { } utf8)
        {
            // Another thread decoded it; it published the string before dropping the bytes.
            return Volatile.Read(ref _code)!;
        }

        string code = Internal.Utf8Util.GetString(utf8.AsSpan(_offset, _length));
        Volatile.Write(ref _code, code);
        Volatile.Write(ref _utf8, null);
        return code;
    }
}
