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
    private static BsonElement[]? t_elements;

    [ThreadStatic]
    private static BsonValue[]? t_values;

    [ThreadStatic]
    private static int t_elementTop;

    [ThreadStatic]
    private static int t_valueTop;

    /// <summary>Decodes a whole top-level document.</summary>
    public static BsonDocument DecodeDocument(ReadOnlySpan<byte> bson, BsonReaderOptions options = default)
    {
        var reader = new BsonReader(bson, options);
        reader.Read();
        return ReadDocumentBody(ref reader);
    }

    /// <summary>Materialises the current token; on a start token reads to the matching end token.</summary>
    public static BsonValue ReadValue(ref BsonReader reader)
    {
        switch (reader.TokenType)
        {
            case BsonTokenType.Value:
                return ReadScalar(ref reader);
            case BsonTokenType.StartDocument:
                return ReadDocumentBody(ref reader);
            case BsonTokenType.StartArray:
                return ReadArrayBody(ref reader);
            default:
                throw BsonErrors.Misuse($"GetValue needs a value or start token, not {reader.TokenType}.");
        }
    }

    /// <summary>Reads the elements after a StartDocument token up to and including the EndDocument token.</summary>
    public static BsonDocument ReadDocumentBody(ref BsonReader reader)
    {
        BsonElement[] scratch = t_elements ??= new BsonElement[64];
        int start = t_elementTop;
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
                    t_elementTop = top;
                    value = ReadValue(ref reader);

                    // A nested decode may have grown (replaced) the scratch array.
                    scratch = t_elements!;
                }

                if (top == scratch.Length)
                {
                    Array.Resize(ref t_elements, scratch.Length * 2);
                    scratch = t_elements;
                }

                scratch[top++] = new BsonElement(name, value);
            }

            return BsonDocument.CreateUnchecked(scratch.AsSpan(start, top - start));
        }
        finally
        {
            // Drop references so the scratch space does not keep decoded values alive.
            Array.Clear(t_elements!, start, top - start);
            t_elementTop = start;
        }
    }

    /// <summary>Reads the items after a StartArray token up to and including the EndArray token.</summary>
    public static BsonArray ReadArrayBody(ref BsonReader reader)
    {
        BsonValue[] scratch = t_values ??= new BsonValue[64];
        int start = t_valueTop;
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
                    t_valueTop = top;
                    value = ReadValue(ref reader);
                    scratch = t_values!;
                }

                if (top == scratch.Length)
                {
                    Array.Resize(ref t_values, scratch.Length * 2);
                    scratch = t_values;
                }

                scratch[top++] = value;
            }

            var array = new BsonArray(top - start);
            for (int i = start; i < top; i++)
            {
                array.AddUnchecked(scratch[i]);
            }

            return array;
        }
        finally
        {
            Array.Clear(t_values!, start, top - start);
            t_valueTop = start;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static BsonValue ReadScalar(ref BsonReader reader)
    {
        ReadOnlySpan<byte> value = reader.ValueSpan;
        switch (reader.CurrentType)
        {
            case BsonType.String:
                return new BsonString(Utf8Util.GetString(value.Slice(4, value.Length - 5)));
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
            case BsonType.JavaScriptWithScope:
                reader.GetJavaScriptWithScopeSpans(out ReadOnlySpan<byte> code, out ReadOnlySpan<byte> scope);

                // The scope was validated (with the remaining depth budget) when the element was read.
                return new BsonJavaScriptWithScope(Utf8Util.GetString(code), DecodeDocument(scope));
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
}
