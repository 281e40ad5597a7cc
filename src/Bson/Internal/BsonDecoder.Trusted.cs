using System.Buffers.Binary;

namespace Mongo.Bson.Internal;

/// <summary>
/// Materialisation of lazy containers. Their bytes were validated in full when they were decoded and are private
/// and immutable, so this walks them by their lengths without checking anything again.
/// </summary>
internal static partial class BsonDecoder
{
    /// <summary>The elements of the validated document at <paramref name="offset"/> in <paramref name="raw"/>.</summary>
    public static BsonElement[] ReadDocumentLevel(byte[] raw, int offset) => TrustedElements(raw, offset, t_scratch ??= new Scratch());

    /// <summary>The items of the validated array at <paramref name="offset"/> in <paramref name="raw"/>.</summary>
    public static BsonValue[] ReadArrayLevel(byte[] raw, int offset) => TrustedItems(raw, offset, t_scratch ??= new Scratch());

    private static BsonElement[] TrustedElements(byte[] raw, int offset, Scratch scratch)
    {
        int end = offset + BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(offset)) - 1;
        int pos = offset + 4;
        int start = scratch.ElementTop;
        int top = start;
        try
        {
            while (pos < end)
            {
                var type = (BsonType)raw[pos];
                int nameStart = pos + 1;
                int nameLength = raw.AsSpan(nameStart, end - nameStart).IndexOf((byte)0);
                string name = NameCache.Get(raw.AsSpan(nameStart, nameLength));
                pos = nameStart + nameLength + 1;

                // Nested decodes use the scratch above ours.
                scratch.ElementTop = top;
                BsonValue value = TrustedValue(raw, ref pos, type, scratch);
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

    private static BsonValue[] TrustedItems(byte[] raw, int offset, Scratch scratch)
    {
        int end = offset + BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(offset)) - 1;
        int pos = offset + 4;
        int start = scratch.ValueTop;
        int top = start;
        try
        {
            while (pos < end)
            {
                // Array keys are not kept: the DOM numbers items by position.
                var type = (BsonType)raw[pos];
                pos += raw.AsSpan(pos + 1, end - pos - 1).IndexOf((byte)0) + 2;
                scratch.ValueTop = top;
                BsonValue value = TrustedValue(raw, ref pos, type, scratch);
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

    /// <summary>The value at <paramref name="pos"/>, which moves past it. Large containers become lazy views.</summary>
    private static BsonValue TrustedValue(byte[] raw, ref int pos, BsonType type, Scratch scratch)
    {
        int size;
        BsonValue value;
        switch (type)
        {
            case BsonType.Document:
                size = BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(pos));
                value = size > EagerLimit ? new BsonDocument(raw, pos) : new BsonDocument(TrustedElements(raw, pos, scratch));
                break;
            case BsonType.Array:
                size = BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(pos));
                value = size > EagerLimit ? new BsonArray(raw, pos) : new BsonArray(TrustedItems(raw, pos, scratch));
                break;
            case BsonType.JavaScriptWithScope:
                // Total length, code string, scope document.
                size = BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(pos));
                int codeLength = BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(pos + 4));
                int scopeOffset = pos + 8 + codeLength;
                BsonDocument scope = BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(scopeOffset)) > EagerLimit
                    ? new BsonDocument(raw, scopeOffset)
                    : new BsonDocument(TrustedElements(raw, scopeOffset, scratch));
                value = new BsonJavaScriptWithScope(Utf8Util.GetString(raw.AsSpan(pos + 8, codeLength - 1)), scope);
                break;
            default:
                size = ScalarSize(raw, pos, type);
                value = CreateScalar(type, raw.AsSpan(pos, size), ascii: false);
                break;
        }

        pos += size;
        return value;
    }

    private static int ScalarSize(byte[] raw, int pos, BsonType type)
    {
        switch (type)
        {
            case BsonType.Double:
            case BsonType.Int64:
            case BsonType.DateTime:
            case BsonType.Timestamp:
                return 8;
            case BsonType.Int32:
                return 4;
            case BsonType.Boolean:
                return 1;
            case BsonType.ObjectId:
                return 12;
            case BsonType.Decimal128:
                return 16;
            case BsonType.Null:
            case BsonType.Undefined:
            case BsonType.MinKey:
            case BsonType.MaxKey:
                return 0;
            case BsonType.String:
            case BsonType.JavaScript:
            case BsonType.Symbol:
                return 4 + BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(pos));
            case BsonType.Binary:
                return 5 + BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(pos));
            case BsonType.DBPointer:
                return 4 + BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(pos)) + 12;
            case BsonType.RegularExpression:
                // Two C strings: pattern and options.
                int pattern = raw.AsSpan(pos).IndexOf((byte)0) + 1;
                return pattern + raw.AsSpan(pos + pattern).IndexOf((byte)0) + 1;
            default:
                throw BsonErrors.Misuse($"Unexpected element type {type} in validated bytes.");
        }
    }
}
