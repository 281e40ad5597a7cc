using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using Mongo.Bson.Internal;

namespace Mongo.Bson;

public ref partial struct BsonReader
{
    /// <summary>The dotted path of the current element (for example <c>a.b.0</c>); built on demand.</summary>
    public readonly string CurrentPath => BuildPath(_nameStart);

    /// <summary>Gets the current element as a double.</summary>
    /// <exception cref="BsonException">The current element is not a <see cref="BsonType.Double"/>.</exception>
    public readonly double GetDouble() => BinaryPrimitives.ReadDoubleLittleEndian(ValueOf(BsonType.Double));

    /// <summary>Gets the current element as a 32-bit integer.</summary>
    /// <exception cref="BsonException">The current element is not an <see cref="BsonType.Int32"/>.</exception>
    public readonly int GetInt32() => BinaryPrimitives.ReadInt32LittleEndian(ValueOf(BsonType.Int32));

    /// <summary>Gets the current element as a 64-bit integer.</summary>
    /// <exception cref="BsonException">The current element is not an <see cref="BsonType.Int64"/>.</exception>
    public readonly long GetInt64() => BinaryPrimitives.ReadInt64LittleEndian(ValueOf(BsonType.Int64));

    /// <summary>Gets the current element as a boolean.</summary>
    /// <exception cref="BsonException">The current element is not a <see cref="BsonType.Boolean"/>.</exception>
    public readonly bool GetBoolean() => ValueOf(BsonType.Boolean)[0] != 0;

    /// <summary>Gets the current element as milliseconds since the Unix epoch.</summary>
    /// <exception cref="BsonException">The current element is not a <see cref="BsonType.DateTime"/>.</exception>
    public readonly long GetDateTime() => BinaryPrimitives.ReadInt64LittleEndian(ValueOf(BsonType.DateTime));

    /// <summary>Gets the current element as a timestamp (high 32 bits: seconds, low 32 bits: increment).</summary>
    /// <exception cref="BsonException">The current element is not a <see cref="BsonType.Timestamp"/>.</exception>
    public readonly ulong GetTimestamp() => BinaryPrimitives.ReadUInt64LittleEndian(ValueOf(BsonType.Timestamp));

    /// <summary>Gets the current element as an ObjectId.</summary>
    /// <exception cref="BsonException">The current element is not an <see cref="BsonType.ObjectId"/>.</exception>
    public readonly ObjectId GetObjectId() => new(ValueOf(BsonType.ObjectId));

    /// <summary>Gets the current element as a Decimal128.</summary>
    /// <exception cref="BsonException">The current element is not a <see cref="BsonType.Decimal128"/>.</exception>
    public readonly Decimal128 GetDecimal128() => Decimal128.Read(ValueOf(BsonType.Decimal128));

    /// <summary>Gets the current element as a string.</summary>
    /// <exception cref="BsonException">The current element is not a <see cref="BsonType.String"/>.</exception>
    public readonly string GetString()
    {
        ReadOnlySpan<byte> content = StringContent(ValueOf(BsonType.String));
        return _valueIsAscii ? Utf8Util.GetAsciiString(content) : Utf8Util.GetString(content);
    }

    /// <summary>Whether the current string, JavaScript or symbol value is pure ASCII (known from validation).</summary>
    internal readonly bool ValueIsAscii => _valueIsAscii;

    /// <summary>Gets the UTF-8 content (without length prefix and terminator) of a string, JavaScript or symbol element.</summary>
    /// <exception cref="BsonException">The current element is not a string, JavaScript or symbol.</exception>
    public readonly ReadOnlySpan<byte> GetStringSpan()
    {
        if (_tokenType != BsonTokenType.Value || _type is not (BsonType.String or BsonType.JavaScript or BsonType.Symbol))
        {
            ThrowWrongType(BsonType.String);
        }

        return StringContent(ValueSpan);
    }

    /// <summary>Gets the code of a JavaScript element.</summary>
    /// <exception cref="BsonException">The current element is not <see cref="BsonType.JavaScript"/>.</exception>
    public readonly string GetJavaScript() => Utf8Util.GetString(StringContent(ValueOf(BsonType.JavaScript)));

    /// <summary>Gets the name of a symbol element.</summary>
    /// <exception cref="BsonException">The current element is not a <see cref="BsonType.Symbol"/>.</exception>
    public readonly string GetSymbol() => Utf8Util.GetString(StringContent(ValueOf(BsonType.Symbol)));

    /// <summary>
    /// Gets the bytes of a binary element (for the old binary subtype 2, without its inner length prefix).
    /// </summary>
    /// <param name="subType">The binary subtype.</param>
    /// <exception cref="BsonException">The current element is not <see cref="BsonType.Binary"/>.</exception>
    public readonly ReadOnlySpan<byte> GetBinary(out BsonBinarySubType subType)
    {
        ReadOnlySpan<byte> value = ValueOf(BsonType.Binary);
        subType = (BsonBinarySubType)value[4];
        return subType == BsonBinarySubType.OldBinary ? value.Slice(9) : value.Slice(5);
    }

    /// <summary>Gets a regular expression element.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <param name="options">The options, as stored.</param>
    /// <exception cref="BsonException">The current element is not a <see cref="BsonType.RegularExpression"/>.</exception>
    public readonly void GetRegularExpression(out string pattern, out string options)
    {
        GetRegularExpressionSpans(out ReadOnlySpan<byte> p, out ReadOnlySpan<byte> o);
        pattern = Utf8Util.GetString(p);
        options = NameCache.Get(o);
    }

    /// <summary>Gets the UTF-8 pattern and options of a regular expression element without allocating.</summary>
    /// <param name="pattern">The UTF-8 pattern.</param>
    /// <param name="options">The UTF-8 options.</param>
    /// <exception cref="BsonException">The current element is not a <see cref="BsonType.RegularExpression"/>.</exception>
    public readonly void GetRegularExpressionSpans(out ReadOnlySpan<byte> pattern, out ReadOnlySpan<byte> options)
    {
        ReadOnlySpan<byte> value = ValueOf(BsonType.RegularExpression);
        int patternLength = value.IndexOf((byte)0);
        pattern = value.Slice(0, patternLength);
        options = value.Slice(patternLength + 1, value.Length - patternLength - 2);
    }

    /// <summary>Gets a (deprecated) DBPointer element.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="id">The ObjectId.</param>
    /// <exception cref="BsonException">The current element is not a <see cref="BsonType.DBPointer"/>.</exception>
    public readonly void GetDBPointer(out string ns, out ObjectId id)
    {
        ReadOnlySpan<byte> value = ValueOf(BsonType.DBPointer);
        ReadOnlySpan<byte> str = value.Slice(0, value.Length - 12);
        ns = Utf8Util.GetString(StringContent(str));
        id = new ObjectId(value.Slice(value.Length - 12));
    }

    /// <summary>Gets the code and the encoded scope document of a JavaScript-with-scope element without allocating.</summary>
    /// <param name="code">The UTF-8 code.</param>
    /// <param name="scope">The encoded scope document (validated when the element was read).</param>
    /// <exception cref="BsonException">The current element is not <see cref="BsonType.JavaScriptWithScope"/>.</exception>
    public readonly void GetJavaScriptWithScopeSpans(out ReadOnlySpan<byte> code, out ReadOnlySpan<byte> scope)
    {
        ReadOnlySpan<byte> value = ValueOf(BsonType.JavaScriptWithScope);
        int stringLength = BinaryPrimitives.ReadInt32LittleEndian(value.Slice(4));
        code = value.Slice(8, stringLength - 1);
        scope = value.Slice(8 + stringLength);
    }

    /// <summary>Gets the current element as a 32-bit integer if it is a number exactly representable as one.</summary>
    /// <param name="value">The value, or 0.</param>
    /// <returns>Whether the current element is an Int32, or an Int64 or Double holding an exact Int32 value.</returns>
    public readonly bool TryGetInt32(out int value)
    {
        value = 0;
        if (_tokenType != BsonTokenType.Value)
        {
            return false;
        }

        ReadOnlySpan<byte> span = ValueSpan;
        switch (_type)
        {
            case BsonType.Int32:
                value = BinaryPrimitives.ReadInt32LittleEndian(span);
                return true;
            case BsonType.Int64:
                long l = BinaryPrimitives.ReadInt64LittleEndian(span);
                if (l is < int.MinValue or > int.MaxValue)
                {
                    return false;
                }

                value = (int)l;
                return true;
            case BsonType.Double:
                double d = BinaryPrimitives.ReadDoubleLittleEndian(span);
                if (d is < int.MinValue or > int.MaxValue || (int)d != d)
                {
                    return false;
                }

                value = (int)d;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Gets the current element as a 64-bit integer if it is a number exactly representable as one.</summary>
    /// <param name="value">The value, or 0.</param>
    /// <returns>Whether the current element is an Int32 or Int64, or a Double holding an exact Int64 value.</returns>
    public readonly bool TryGetInt64(out long value)
    {
        value = 0;
        if (_tokenType != BsonTokenType.Value)
        {
            return false;
        }

        ReadOnlySpan<byte> span = ValueSpan;
        switch (_type)
        {
            case BsonType.Int32:
                value = BinaryPrimitives.ReadInt32LittleEndian(span);
                return true;
            case BsonType.Int64:
                value = BinaryPrimitives.ReadInt64LittleEndian(span);
                return true;
            case BsonType.Double:
                double d = BinaryPrimitives.ReadDoubleLittleEndian(span);

                // 2^63 is exactly representable as a double but not as a long.
                if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || (long)d != d)
                {
                    return false;
                }

                value = (long)d;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Gets the current element as a double if it is a number exactly representable as one.</summary>
    /// <param name="value">The value, or 0.</param>
    /// <returns>Whether the current element is a Double or Int32, or an Int64 exactly representable as a double.</returns>
    public readonly bool TryGetDouble(out double value)
    {
        value = 0;
        if (_tokenType != BsonTokenType.Value)
        {
            return false;
        }

        ReadOnlySpan<byte> span = ValueSpan;
        switch (_type)
        {
            case BsonType.Double:
                value = BinaryPrimitives.ReadDoubleLittleEndian(span);
                return true;
            case BsonType.Int32:
                value = BinaryPrimitives.ReadInt32LittleEndian(span);
                return true;
            case BsonType.Int64:
                long l = BinaryPrimitives.ReadInt64LittleEndian(span);
                double d = l;
                if (d >= 9223372036854775808.0 || (long)d != l)
                {
                    return false;
                }

                value = d;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// On a start token, the encoded embedded document or array as a slice of the memory the reader was
    /// created over (no copy).
    /// </summary>
    /// <exception cref="BsonException">The reader was created over a span, or is not on a start token.</exception>
    public readonly ReadOnlyMemory<byte> GetRawDocumentMemory()
    {
        if (!_hasMemory)
        {
            throw BsonErrors.Misuse("GetRawDocumentMemory needs a reader created over ReadOnlyMemory<byte>.");
        }

        if (_tokenType is not (BsonTokenType.StartDocument or BsonTokenType.StartArray))
        {
            throw BsonErrors.Misuse($"GetRawDocumentMemory needs a StartDocument or StartArray token, not {_tokenType}.");
        }

        return _memory.Slice(_valueStart, _valueLength);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly ReadOnlySpan<byte> ValueOf(BsonType expected)
    {
        if (_type != expected || _tokenType != BsonTokenType.Value)
        {
            ThrowWrongType(expected);
        }

        return _buffer.Slice(_valueStart, _valueLength);
    }

    /// <summary>The content of an encoded string (length prefix, bytes, NUL) without prefix and terminator.</summary>
    private static ReadOnlySpan<byte> StringContent(ReadOnlySpan<byte> encoded) => encoded.Slice(4, encoded.Length - 5);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowWrongType(BsonType expected) =>
        throw BsonErrors.Misuse(
            _tokenType == BsonTokenType.Value
                ? $"Cannot read {expected}: the current element is {_type}."
                : $"Cannot read {expected}: the reader is on a {_tokenType} token.",
            _valueStart,
            BuildPath(_nameStart));

    private readonly string BuildPath(int nameStart)
    {
        var sb = new StringBuilder();
        int frames = Math.Max(_depth - 1, 0);
        int last = -1;
        for (int i = 0; i < frames; i++)
        {
            last = GetFrame(i).NameStart;
            AppendName(sb, last);
        }

        if (nameStart >= 0 && nameStart != last)
        {
            AppendName(sb, nameStart);
        }

        return sb.ToString();
    }

    private readonly void AppendName(StringBuilder sb, int nameStart)
    {
        if (sb.Length > 0)
        {
            sb.Append('.');
        }

        ReadOnlySpan<byte> rest = _buffer.Slice(nameStart);
        int length = rest.IndexOf((byte)0);
        sb.Append(Encoding.UTF8.GetString(length < 0 ? rest : rest.Slice(0, length)));
    }
}
