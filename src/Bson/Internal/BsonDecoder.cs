using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Mongo.Bson.Internal;

/// <summary>
/// Builds DOM values from BSON. A container of at most <see cref="EagerLimit"/> bytes is decoded in one
/// validating pass. A larger one is validated in full, copied once, and returned lazy: <see cref="BsonDocument"/>
/// and <see cref="BsonArray"/> then materialise a level at a time from the copy (<see cref="ReadDocumentLevel"/>,
/// <see cref="ReadArrayLevel"/>), where embedded containers above the limit stay encoded until used.
/// </summary>
internal static partial class BsonDecoder
{
    /// <summary>
    /// Containers up to this size are built at once: for them a lazy view and a later reader pass cost more
    /// than the values, and they never keep a large buffer alive.
    /// </summary>
    internal const int EagerLimit = 256;

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

    /// <summary>The elements of one validated document level of <paramref name="raw"/>.</summary>
    public static BsonElement[] ReadDocumentLevel(byte[] raw, int offset, int length)
    {
        var reader = new BsonReader(raw.AsSpan(offset, length));
        reader.Read();
        return ReadElements(ref reader, t_scratch ??= new Scratch(), raw, offset);
    }

    /// <summary>The items of one validated array level of <paramref name="raw"/>.</summary>
    public static BsonValue[] ReadArrayLevel(byte[] raw, int offset, int length)
    {
        var reader = new BsonReader(raw.AsSpan(offset, length));
        reader.Read();
        return ReadItems(ref reader, t_scratch ??= new Scratch(), raw, offset);
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
            return ReadNested(ref reader, t_scratch ??= new Scratch(), raw: null, rawBase: 0);
        }

        bool canonical = ValidateLevel(ref reader, isArray);
        byte[] raw = encoded.ToArray();
        BsonValue value = isArray ? new BsonArray(raw, 0) : new BsonDocument(raw, 0);
        if (!canonical)
        {
            // Array keys other than "0", "1", ... must not survive a re-encode (the DOM renumbers them), nor may
            // unsorted regex options, so such rare input gives up the byte-copying shortcut: materialise it all now.
            MaterializeAll(value);
        }

        return value;
    }

    /// <summary>
    /// Reads the elements after a StartDocument token through its EndDocument token. <paramref name="raw"/> is the
    /// reader's buffer (from <paramref name="rawBase"/>) when it holds validated bytes that large embedded
    /// containers may keep a view of; null when everything below is small enough to build now.
    /// </summary>
    private static BsonElement[] ReadElements(ref BsonReader reader, Scratch scratch, byte[]? raw, int rawBase)
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
                    value = ReadNested(ref reader, scratch, raw, rawBase);
                }

                if (top == scratch.Elements.Length)
                {
                    Array.Resize(ref scratch.Elements, top * 2);
                }

                scratch.Elements[top++] = new BsonElement(name, value);
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
    private static BsonValue[] ReadItems(ref BsonReader reader, Scratch scratch, byte[]? raw, int rawBase)
    {
        int start = scratch.ValueTop;
        int top = start;
        try
        {
            while (reader.Read())
            {
                // An array level read on its own is a top-level document to the reader, so it ends in EndDocument.
                BsonTokenType token = reader.TokenType;
                if (token is BsonTokenType.EndArray or BsonTokenType.EndDocument)
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
                    value = ReadNested(ref reader, scratch, raw, rawBase);
                }

                if (top == scratch.Values.Length)
                {
                    Array.Resize(ref scratch.Values, top * 2);
                }

                scratch.Values[top++] = value;
            }

            return scratch.Values.AsSpan(start, top - start).ToArray();
        }
        finally
        {
            scratch.Values.AsSpan(start, top - start).Clear();
            scratch.ValueTop = start;
        }
    }

    /// <summary>An embedded document, array or code-with-scope: built now when small, a lazy view when large.</summary>
    private static BsonValue ReadNested(ref BsonReader reader, Scratch scratch, byte[]? raw, int rawBase)
    {
        BsonTokenType token = reader.TokenType;
        if (token == BsonTokenType.Value)
        {
            reader.GetJavaScriptWithScopeSpans(out ReadOnlySpan<byte> code, out ReadOnlySpan<byte> scope);
            var scopeReader = new BsonReader(scope);
            scopeReader.Read();

            // The scope ends the value, so its offset in the buffer follows from the lengths.
            int scopeBase = rawBase + reader.ValueOffset + reader.ValueSpan.Length - scope.Length;
            return new BsonJavaScriptWithScope(Utf8Util.GetString(code), (BsonDocument)ReadNested(ref scopeReader, scratch, raw, scopeBase));
        }

        int length = reader.ValueSpan.Length;
        if (length > EagerLimit)
        {
            Debug.Assert(raw is not null, "only containers larger than the limit hold large containers");
            int offset = rawBase + reader.ValueOffset;
            reader.Skip();
            return token == BsonTokenType.StartArray ? new BsonArray(raw, offset) : new BsonDocument(raw, offset);
        }

        return token == BsonTokenType.StartArray
            ? new BsonArray(ReadItems(ref reader, scratch, raw, rawBase))
            : new BsonDocument(ReadElements(ref reader, scratch, raw, rawBase));
    }

    /// <summary>A code-with-scope value read from a caller's reader: the scope is decoded as a container of its own.</summary>
    private static BsonJavaScriptWithScope ReadCodeWithScope(ref BsonReader reader)
    {
        reader.GetJavaScriptWithScopeSpans(out ReadOnlySpan<byte> code, out ReadOnlySpan<byte> scopeBson);
        var scopeReader = new BsonReader(scopeBson);
        scopeReader.Read();
        return new BsonJavaScriptWithScope(Utf8Util.GetString(code), (BsonDocument)ReadContainer(ref scopeReader));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static BsonValue ReadScalar(ref BsonReader reader)
    {
        ReadOnlySpan<byte> value = reader.ValueSpan;
        switch (reader.CurrentType)
        {
            case BsonType.String:
                ReadOnlySpan<byte> content = value.Slice(4, value.Length - 5);
                return new BsonString(reader.ValueIsAscii ? Utf8Util.GetAsciiString(content) : Utf8Util.GetString(content));
            case BsonType.Int32:
                return BsonInt32.Create(BinaryPrimitives.ReadInt32LittleEndian(value));
            case BsonType.Double:
                return new BsonDouble(BinaryPrimitives.ReadDoubleLittleEndian(value));
            case BsonType.Boolean:
                return value[0] != 0 ? BsonBoolean.True : BsonBoolean.False;
            case BsonType.Int64:
                return new BsonInt64(BinaryPrimitives.ReadInt64LittleEndian(value));
            default:
                return ReadOtherScalar(ref reader);
        }
    }

    private static BsonValue ReadOtherScalar(ref BsonReader reader)
    {
        ReadOnlySpan<byte> value = reader.ValueSpan;
        switch (reader.CurrentType)
        {
            case BsonType.ObjectId:
                return new BsonObjectId(new ObjectId(value));
            case BsonType.DateTime:
                return new BsonDateTime(BinaryPrimitives.ReadInt64LittleEndian(value));
            case BsonType.Null:
                return BsonNull.Value;
            case BsonType.Binary:
                ReadOnlySpan<byte> bytes = reader.GetBinary(out BsonBinarySubType subType);
                return new BsonBinaryData(bytes.ToArray(), subType);
            case BsonType.Decimal128:
                return new BsonDecimal128(Decimal128.Read(value));
            case BsonType.Timestamp:
                return new BsonTimestamp(BinaryPrimitives.ReadUInt64LittleEndian(value));
            case BsonType.RegularExpression:
                reader.GetRegularExpression(out string pattern, out string options);
                return new BsonRegularExpression(pattern, options);
            case BsonType.JavaScript:
                return new BsonJavaScript(reader.GetJavaScript());
            case BsonType.Symbol:
                return new BsonSymbol(reader.GetSymbol());
            case BsonType.DBPointer:
                reader.GetDBPointer(out string ns, out ObjectId id);
                return new BsonDBPointer(ns, id);
            case BsonType.Undefined:
                return BsonUndefined.Value;
            case BsonType.MinKey:
                return BsonMinKey.Value;
            case BsonType.MaxKey:
                return BsonMaxKey.Value;
            default:
                throw BsonErrors.Misuse($"Unexpected element type {reader.CurrentType}.");
        }
    }

    /// <summary>Per-thread stacks of the elements and items of the containers being decoded.</summary>
    private sealed class Scratch
    {
        public BsonElement[] Elements = new BsonElement[64];
        public BsonValue[] Values = new BsonValue[64];
        public int ElementTop;
        public int ValueTop;
    }
}
