using System.Text;

namespace Mongo.Bson.Internal;

/// <summary>
/// The encoded size of DOM values without encoding them, by the same rules as <see cref="BsonWriter"/>. Containers
/// still in their decoded bytes answer from their length prefix and are not materialised.
/// </summary>
internal static class BsonSize
{
    /// <summary>The size of <paramref name="document"/> as a BSON document.</summary>
    /// <exception cref="BsonException">Documents and arrays are nested deeper than <see cref="BsonLimits.MaxDepth"/>.</exception>
    public static long Of(BsonDocument document) => Of(document, depth: 1);

    private static long Of(BsonDocument document, int depth)
    {
        ReadOnlySpan<byte> encoded = document.UnmaterializedBytes;
        if (!encoded.IsEmpty)
        {
            return encoded.Length;
        }

        DepthGuard.Enter(depth, "GetEncodedSize");
        long size = 5; // length prefix and terminator
        foreach (BsonElement element in document)
        {
            size += 2 + Encoding.UTF8.GetByteCount(element.Name) + OfValue(element.Value, depth + 1);
        }

        return size;
    }

    private static long OfArray(BsonArray array, int depth)
    {
        ReadOnlySpan<byte> encoded = array.UnmaterializedBytes;
        if (!encoded.IsEmpty)
        {
            return encoded.Length;
        }

        DepthGuard.Enter(depth, "GetEncodedSize");
        long size = 5;
        int count = array.Count;
        for (int i = 0; i < count; i++)
        {
            // Type byte, the decimal index as the name, its NUL.
            size += 2 + DigitCount(i) + OfValue(array[i], depth + 1);
        }

        return size;
    }

    /// <summary>The number of decimal digits of a non-negative value: the length of an array key such as "42".</summary>
    internal static int DigitCount(int value)
    {
        int digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }

    // `depth` is the value's own nesting level; a code-with-scope's scope document counts at that same level.
    private static long OfValue(BsonValue value, int depth) => value.BsonType switch
    {
        BsonType.Double or BsonType.DateTime or BsonType.Timestamp or BsonType.Int64 => 8,
        BsonType.Int32 => 4,
        BsonType.Boolean => 1,
        BsonType.ObjectId => 12,
        BsonType.Decimal128 => 16,
        BsonType.Null or BsonType.Undefined or BsonType.MinKey or BsonType.MaxKey => 0,
        BsonType.String => ((BsonString)value).TryGetUtf8(out ReadOnlySpan<byte> utf8) ? 5 + utf8.Length : OfString(((BsonString)value).Value),
        BsonType.JavaScript => OfString(((BsonJavaScript)value).Code),
        BsonType.Symbol => OfString(((BsonSymbol)value).Name),
        BsonType.Document => Of((BsonDocument)value, depth),
        BsonType.Array => OfArray((BsonArray)value, depth),
        BsonType.Binary => OfBinary((BsonBinaryData)value),
        BsonType.RegularExpression => 2 + Encoding.UTF8.GetByteCount(((BsonRegularExpression)value).Pattern)
            + Encoding.UTF8.GetByteCount(((BsonRegularExpression)value).Options),
        BsonType.DBPointer => OfString(((BsonDBPointer)value).Namespace) + 12,
        BsonType.JavaScriptWithScope => 4 + OfString(((BsonJavaScriptWithScope)value).Code) + Of(((BsonJavaScriptWithScope)value).Scope, depth),
        _ => throw BsonErrors.Misuse($"Cannot size BSON type {value.BsonType}."),
    };

    // Length prefix, UTF-8 bytes, NUL.
    private static long OfString(string value) => 5 + Encoding.UTF8.GetByteCount(value);

    // Length, subtype, bytes; the old binary subtype repeats the length inside.
    private static long OfBinary(BsonBinaryData binary) =>
        5 + binary.Span.Length + (binary.SubType == BsonBinarySubType.OldBinary ? 4 : 0);
}
