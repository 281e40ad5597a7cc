using System.Runtime.CompilerServices;

namespace Mongo.Bson.Internal;

/// <summary>
/// Builds DOM values from BSON. A container of at most <see cref="EagerLimit"/> bytes is decoded in one
/// validating pass. A larger one is validated in full, copied once, and returned lazy: <see cref="BsonDocument"/>
/// and <see cref="BsonArray"/> then materialise a level at a time from the copy without validating it again
/// (<see cref="ReadDocumentLevel"/>, <see cref="ReadArrayLevel"/>), where embedded containers above the limit stay
/// encoded until used.
/// </summary>
internal static partial class BsonDecoder
{
    /// <summary>
    /// Containers up to this size are built at once: for them a lazy view and a later reader pass cost more
    /// than the values, and they never keep a large buffer alive.
    /// </summary>
    internal const int EagerLimit = 256;

    /// <summary>
    /// For re-reading a code-with-scope's scope that the caller's reader has already validated, depth included.
    /// The scope is only part of the document, so the caller's limit (or the default) must not apply to it afresh.
    /// </summary>
    private static readonly BsonReaderOptions s_scopeOptions = new() { MaxDepth = BsonLimits.MaxDepth };

    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>Decodes a whole top-level document.</summary>
    public static BsonDocument DecodeDocument(ReadOnlySpan<byte> bson, BsonReaderOptions options = default)
    {
        var reader = new BsonReader(bson, options);
        reader.Read();
        return (BsonDocument)ReadContainer(ref reader);
    }

    /// <summary>Materialises the current token; on a start token reads to the matching end token.</summary>
    public static BsonValue ReadValue(ref BsonReader reader)
    {
        switch (reader.TokenType)
        {
            case BsonTokenType.Value:
                return reader.CurrentType == BsonType.JavaScriptWithScope ? ReadCodeWithScope(ref reader) : ReadScalar(ref reader);
            case BsonTokenType.StartDocument:
            case BsonTokenType.StartArray:
                return ReadContainer(ref reader);
            default:
                throw BsonErrors.Misuse($"GetValue needs a value or start token, not {reader.TokenType}.");
        }
    }

    /// <summary>
    /// On a start token of a caller's reader: decodes a small container in one pass, or validates a large one
    /// through its end token and returns it lazy over a private copy. Either way the reader ends on the end token.
    /// </summary>
    private static BsonValue ReadContainer(ref BsonReader reader)
    {
        bool isArray = reader.TokenType == BsonTokenType.StartArray;
        ReadOnlySpan<byte> encoded = reader.ValueSpan;
        if (encoded.Length <= EagerLimit)
        {
            return ReadNested(ref reader, t_scratch ??= new Scratch());
        }

        // The fast check leaves the reader on the start token; the reader's own pass then only runs to report a fault.
        bool canonical = true;
        if (TryVerify(encoded, isArray, reader.Depth, reader.MaxDepth, ref canonical, out int count))
        {
            reader.Skip();
        }
        else
        {
            // Only reached to report a fault, or for input the fast check does not cover; the count is then unknown.
            canonical = ValidateLevel(ref reader, isArray);
            count = 0;
        }

        byte[] raw = encoded.ToArray();
        BsonValue value = isArray ? new BsonArray(raw, 0, count) : new BsonDocument(raw, 0, count);
        if (!canonical)
        {
            // Array keys other than "0", "1", ... must not survive a re-encode (the DOM renumbers them), nor may
            // unsorted regex options, so such rare input gives up the byte-copying shortcut: materialise it all now.
            MaterializeAll(value);
        }

        return value;
    }

    /// <summary>
    /// Reads (and validates) the elements after a StartDocument token through its EndDocument token, building
    /// everything below: only containers of at most <see cref="EagerLimit"/> bytes are decoded this way.
    /// </summary>
    private static BsonElement[] ReadElements(ref BsonReader reader, Scratch scratch)
    {
        int start = scratch.ElementTop;
        int top = start;
        try
        {
            while (reader.Read())
            {
                BsonTokenType token = reader.TokenType;
                if (token == BsonTokenType.EndDocument)
                {
                    break;
                }

                string name = NameCache.Get(reader.NameSpan);
                BsonValue value;
                if (token == BsonTokenType.Value && reader.CurrentType != BsonType.JavaScriptWithScope)
                {
                    value = ReadScalar(ref reader);
                }
                else
                {
                    // Nested decodes use the scratch above ours.
                    scratch.ElementTop = top;
                    value = ReadNested(ref reader, scratch);
                }

                scratch.Push(top++, new BsonElement(name, value));
            }

            return scratch.Elements.AsSpan(start, top - start).ToArray();
        }
        finally
        {
            // Drop references so the scratch space does not keep decoded values alive.
            scratch.Elements.AsSpan(start, top - start).Clear();
            scratch.ElementTop = start;
        }
    }

    /// <summary>Reads the items after a StartArray token through its EndArray token (see <see cref="ReadElements"/>).</summary>
    private static BsonValue[] ReadItems(ref BsonReader reader, Scratch scratch)
    {
        int start = scratch.ValueTop;
        int top = start;
        try
        {
            while (reader.Read())
            {
                BsonTokenType token = reader.TokenType;
                if (token == BsonTokenType.EndArray)
                {
                    break;
                }

                BsonValue value;
                if (token == BsonTokenType.Value && reader.CurrentType != BsonType.JavaScriptWithScope)
                {
                    value = ReadScalar(ref reader);
                }
                else
                {
                    scratch.ValueTop = top;
                    value = ReadNested(ref reader, scratch);
                }

                scratch.Push(top++, value);
            }

            return scratch.Values.AsSpan(start, top - start).ToArray();
        }
        finally
        {
            scratch.Values.AsSpan(start, top - start).Clear();
            scratch.ValueTop = start;
        }
    }

    /// <summary>An embedded document, array or code-with-scope inside a small container, built now.</summary>
    private static BsonValue ReadNested(ref BsonReader reader, Scratch scratch)
    {
        BsonTokenType token = reader.TokenType;
        if (token == BsonTokenType.Value)
        {
            reader.GetJavaScriptWithScopeSpans(out ReadOnlySpan<byte> code, out ReadOnlySpan<byte> scope);
            var scopeReader = new BsonReader(scope, s_scopeOptions);
            scopeReader.Read();
            return new BsonJavaScriptWithScope(Utf8Util.GetString(code), (BsonDocument)ReadNested(ref scopeReader, scratch));
        }

        return token == BsonTokenType.StartArray
            ? new BsonArray(ReadItems(ref reader, scratch))
            : new BsonDocument(ReadElements(ref reader, scratch));
    }

    /// <summary>A code-with-scope value read from a caller's reader: the scope is decoded as a container of its own.</summary>
    private static BsonJavaScriptWithScope ReadCodeWithScope(ref BsonReader reader)
    {
        reader.GetJavaScriptWithScopeSpans(out ReadOnlySpan<byte> code, out ReadOnlySpan<byte> scopeBson);
        var scopeReader = new BsonReader(scopeBson, s_scopeOptions);
        scopeReader.Read();
        return new BsonJavaScriptWithScope(Utf8Util.GetString(code), (BsonDocument)ReadContainer(ref scopeReader));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static BsonValue ReadScalar(ref BsonReader reader) => CreateScalar(reader.CurrentType, reader.ValueSpan, reader.ValueIsAscii);

    /// <summary>Per-thread stacks of the elements and items of the containers being decoded.</summary>
    private sealed class Scratch
    {
        public BsonElement[] Elements = new BsonElement[64];
        public BsonValue[] Values = new BsonValue[64];
        public int ElementTop;
        public int ValueTop;

        public void Push(int top, BsonElement element)
        {
            if (top == Elements.Length)
            {
                Array.Resize(ref Elements, top * 2);
            }

            Elements[top] = element;
        }

        public void Push(int top, BsonValue value)
        {
            if (top == Values.Length)
            {
                Array.Resize(ref Values, top * 2);
            }

            Values[top] = value;
        }
    }
}
