using Mongo.Bson.Internal;

namespace Mongo.Bson;

public ref partial struct BsonReader
{
    /// <summary>
    /// Materialises the current token as a DOM value. On a start token it reads the whole embedded document or
    /// array and leaves the reader on the matching end token.
    /// </summary>
    /// <exception cref="BsonException">The reader is not on a value or start token.</exception>
    /// <exception cref="BsonFormatException">The input is not valid BSON.</exception>
    public BsonValue GetValue() => BsonDecoder.ReadValue(ref this);

    /// <summary>The number of containers open (on a start token, including the one it starts).</summary>
    internal readonly int Depth => _depth;

    /// <summary>The nesting depth limit of this reader.</summary>
    internal readonly int MaxDepth => _maxDepth;

    /// <summary>Gets a JavaScript-with-scope element, decoding its scope document.</summary>
    /// <param name="scope">The scope document.</param>
    /// <returns>The code.</returns>
    /// <exception cref="BsonException">The current element is not <see cref="BsonType.JavaScriptWithScope"/>.</exception>
    public readonly string GetJavaScriptWithScope(out BsonDocument scope)
    {
        GetJavaScriptWithScopeSpans(out ReadOnlySpan<byte> code, out ReadOnlySpan<byte> scopeBson);
        scope = BsonDecoder.DecodeDocument(scopeBson);
        return Utf8Util.GetString(code);
    }

    /// <summary>
    /// On a start token, returns the embedded document (or array) as a <see cref="RawBsonDocument"/> and moves to
    /// its end token. Over memory the view shares the bytes; over a span they are copied.
    /// </summary>
    /// <exception cref="BsonException">The reader is not on a start token.</exception>
    /// <exception cref="BsonFormatException">The embedded document is not valid BSON.</exception>
    public RawBsonDocument GetRawDocument()
    {
        if (_tokenType is not (BsonTokenType.StartDocument or BsonTokenType.StartArray))
        {
            throw BsonErrors.Misuse($"GetRawDocument needs a StartDocument or StartArray token, not {_tokenType}.", _valueStart, CurrentPath);
        }

        ReadOnlyMemory<byte> bytes = _hasMemory ? _memory.Slice(_valueStart, _valueLength) : ValueSpan.ToArray();
        RawBsonDocument document;
        try
        {
            document = new RawBsonDocument(bytes);
        }
        catch (BsonFormatException ex)
        {
            // Re-anchor the error at this document's position and path.
            string prefix = CurrentPath;
            string path = string.IsNullOrEmpty(ex.Path) ? prefix : string.IsNullOrEmpty(prefix) ? ex.Path : prefix + "." + ex.Path;
            throw BsonErrors.Format(StripLocation(ex), _valueStart + (ex.ByteOffset ?? 0), path);
        }

        Skip();
        return document;
    }

    /// <summary>The message of a BSON exception without the location suffix its constructor appended.</summary>
    internal static string StripLocation(BsonException ex)
    {
        string suffix = new BsonException(string.Empty, ex.ByteOffset, ex.Path).Message;
        return ex.Message.EndsWith(suffix, StringComparison.Ordinal) ? ex.Message[..^suffix.Length] : ex.Message;
    }
}
