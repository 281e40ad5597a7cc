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
}
