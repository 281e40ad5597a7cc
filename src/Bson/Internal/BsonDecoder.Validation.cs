using System.Buffers.Text;

namespace Mongo.Bson.Internal;

/// <summary>The validating pass over containers that are decoded lazily.</summary>
internal static partial class BsonDecoder
{
    /// <summary>Reads (and so validates) a container's tokens through its end token; false when an array key is not its index.</summary>
    private static bool ValidateLevel(ref BsonReader reader, bool isArray)
    {
        bool canonical = true;
        int index = 0;
        while (reader.Read())
        {
            BsonTokenType token = reader.TokenType;
            if (token is BsonTokenType.EndDocument or BsonTokenType.EndArray)
            {
                break;
            }

            if (isArray && !IsIndexName(reader.NameSpan, index++))
            {
                canonical = false;
            }

            if (token is BsonTokenType.StartDocument or BsonTokenType.StartArray)
            {
                canonical &= ValidateLevel(ref reader, token == BsonTokenType.StartArray);
            }
            else if (reader.CurrentType == BsonType.RegularExpression && !HasSortedOptions(reader.ValueSpan))
            {
                // The DOM keeps regex options sorted, as BSON requires.
                canonical = false;
            }
            else if (reader.CurrentType == BsonType.JavaScriptWithScope)
            {
                // The reader validated the scope; only its array keys remain to be looked at.
                reader.GetJavaScriptWithScopeSpans(out _, out ReadOnlySpan<byte> scope);
                var scopeReader = new BsonReader(scope, s_scopeOptions);
                scopeReader.Read();
                canonical &= ValidateLevel(ref scopeReader, isArray: false);
            }
        }

        return canonical;
    }

    private static bool HasSortedOptions(ReadOnlySpan<byte> regex)
    {
        // Pattern, NUL, options, NUL: options are sorted when no byte is smaller than the one before it.
        ReadOnlySpan<byte> options = regex[(regex.IndexOf((byte)0) + 1)..^1];
        for (int i = 1; i < options.Length; i++)
        {
            if (options[i] < options[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsIndexName(ReadOnlySpan<byte> name, int index)
    {
        // Most arrays are short: one or two digits are compared directly.
        if (index < 10)
        {
            return name.Length == 1 && name[0] == (byte)('0' + index);
        }

        if (index < 100)
        {
            return name.Length == 2 && name[0] == (byte)('0' + (index / 10)) && name[1] == (byte)('0' + (index % 10));
        }

        Span<byte> digits = stackalloc byte[10];
        return Utf8Formatter.TryFormat(index, digits, out int written) && name.SequenceEqual(digits[..written]);
    }

    /// <summary>Materialises a value and everything below it, dropping every reference to encoded bytes.</summary>
    internal static void MaterializeAll(BsonValue value)
    {
        switch (value)
        {
            case BsonDocument document:
                foreach (BsonElement element in document)
                {
                    MaterializeAll(element.Value);
                }

                break;
            case BsonArray array:
                foreach (BsonValue item in array)
                {
                    MaterializeAll(item);
                }

                break;
            case BsonJavaScriptWithScope code:
                MaterializeAll(code.Scope);
                break;
        }
    }
}
