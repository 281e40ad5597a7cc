using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Mongo.Bson.Internal;

/// <summary>
/// Materialises DOM values from a <see cref="BsonReader"/>. Elements of the containers being decoded are
/// gathered in a per-thread scratch stack, so each document or array is created once with its exact size
/// instead of growing its list.
/// </summary>
internal static class BsonDecoder
{
    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>Decodes a whole top-level document.</summary>
    public static BsonDocument DecodeDocument(ReadOnlySpan<byte> bson, BsonReaderOptions options = default)
    {
        var reader = new BsonReader(bson, options);
        reader.Read();
        return ReadDocumentBody(ref reader, t_scratch ??= new Scratch());
    }

    /// <summary>Materialises the current token; on a start token reads to the matching end token.</summary>
    public static BsonValue ReadValue(ref BsonReader reader) => ReadValue(ref reader, t_scratch ??= new Scratch());

    private static BsonValue ReadValue(ref BsonReader reader, Scratch scratch)
    {
        switch (reader.TokenType)
        {
            case BsonTokenType.Value:
                return reader.CurrentType == BsonType.JavaScriptWithScope ? ReadCodeWithScope(ref reader, scratch) : ReadScalar(ref reader);
            case BsonTokenType.StartDocument:
                return ReadDocumentBody(ref reader, scratch);
            case BsonTokenType.StartArray:
                return ReadArrayBody(ref reader, scratch);
            default:
                throw BsonErrors.Misuse($"GetValue needs a value or start token, not {reader.TokenType}.");
        }
    }

    /// <summary>Reads the elements after a StartDocument token up to and including the EndDocument token.</summary>
    private static BsonDocument ReadDocumentBody(ref BsonReader reader, Scratch scratch)
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
                    // Nested decodes (including a code-with-scope's scope) use the scratch above ours.
                    scratch.ElementTop = top;
                    value = ReadValue(ref reader, scratch);
                }

                BsonElement[] elements = scratch.Elements;
                if (top == elements.Length)
                {
                    Array.Resize(ref scratch.Elements, elements.Length * 2);
                    elements = scratch.Elements;
                }

                elements[top++] = new BsonElement(name, value);
            }

            return BsonDocument.CreateUnchecked(scratch.Elements.AsSpan(start, top - start));
        }
        finally
        {
            // Drop references so the scratch space does not keep decoded values alive.
            scratch.Elements.AsSpan(start, top - start).Clear();
            scratch.ElementTop = start;
        }
    }

    /// <summary>Reads the items after a StartArray token up to and including the EndArray token.</summary>
    private static BsonArray ReadArrayBody(ref BsonReader reader, Scratch scratch)
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
                    value = ReadValue(ref reader, scratch);
                }

                BsonValue[] values = scratch.Values;
                if (top == values.Length)
                {
                    Array.Resize(ref scratch.Values, values.Length * 2);
                    values = scratch.Values;
                }

                values[top++] = value;
            }

            var array = new BsonArray(top - start);
            BsonValue[] items = scratch.Values;
            for (int i = start; i < top; i++)
            {
                array.AddUnchecked(items[i]);
            }

            return array;
        }
        finally
        {
            scratch.Values.AsSpan(start, top - start).Clear();
            scratch.ValueTop = start;
        }
    }

    private static BsonJavaScriptWithScope ReadCodeWithScope(ref BsonReader reader, Scratch scratch)
    {
        reader.GetJavaScriptWithScopeSpans(out ReadOnlySpan<byte> code, out ReadOnlySpan<byte> scopeBson);

        // The scope was validated (with the remaining depth budget) when the element was read.
        var scopeReader = new BsonReader(scopeBson);
        scopeReader.Read();
        BsonDocument scope = ReadDocumentBody(ref scopeReader, scratch);
        return new BsonJavaScriptWithScope(Utf8Util.GetString(code), scope);
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
