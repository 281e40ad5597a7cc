using System.Buffers.Binary;
using System.Text;
using Mongo.Bson;

namespace Mongo.InMemory.Wire;

/// <summary>
/// The server's own BSON codec between wire bytes and the <see cref="BsonDocument"/> DOM. The server validates
/// every byte a client sends and reports problems as server-shaped errors (InvalidBSON, code 22) instead of
/// library exceptions, and it writes replies straight into the connection's pooled buffer.
/// </summary>
internal static class BsonCodec
{
    public const int InvalidBsonCode = 22;
    private const int MaxDepth = 180; // the server's own nesting limit for stored documents is 100 user levels + headroom
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads one document that must occupy exactly <paramref name="data"/>.</summary>
    public static BsonDocument ReadDocument(ReadOnlySpan<byte> data)
    {
        int pos = 0;
        BsonDocument document = ReadDocument(data, ref pos, 0);
        if (pos != data.Length)
        {
            throw Invalid($"{data.Length - pos} unexpected bytes after the document", pos);
        }

        return document;
    }

    /// <summary>Reads one document starting at <paramref name="pos"/> and advances past it.</summary>
    public static BsonDocument ReadDocument(ReadOnlySpan<byte> data, ref int pos, int depth)
    {
        DecodeScratch scratch = DecodeScratch.Current;
        int mark = scratch.Count;
        if (depth == 0)
        {
            scratch.NameMisses = 0;
        }

        try
        {
            ReadElements(data, ref pos, depth, scratch, isArray: false);
            return scratch.PopDocument(mark);
        }
        catch
        {
            scratch.Truncate(mark);
            throw;
        }
    }

    /// <summary>Reads a document's or array's elements onto the scratch stack (the caller pops them into a DOM object).</summary>
    private static void ReadElements(ReadOnlySpan<byte> data, ref int pos, int depth, DecodeScratch scratch, bool isArray)
    {
        if (depth > MaxDepth)
        {
            throw Invalid("document nesting is too deep", pos);
        }

        int start = pos;
        if (data.Length - pos < 5)
        {
            throw Invalid("document is shorter than 5 bytes", pos);
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
        if (length < 5 || length > data.Length - pos)
        {
            throw Invalid($"document length {length} does not fit the {data.Length - pos} bytes available", pos);
        }

        int end = start + length - 1; // offset of the terminating NUL
        if (data[end] != 0)
        {
            throw Invalid("document is not terminated by a NUL byte", end);
        }

        pos += 4;
        ReadOnlySpan<byte> scope = data[..end];
        while (pos < end)
        {
            byte type = scope[pos++];
            int nameOffset = pos;

            // Array keys ("0", "1", ...) mean nothing to the server: checked like any name, but never made into strings.
            string? name = isArray ? SkipCString(scope, ref pos) : ReadName(scope, ref pos, scratch);
            BsonValue value = ReadValue(scope, ref pos, type, depth, nameOffset, scratch);
            scratch.Push(name, value);
        }

        if (pos != end)
        {
            throw Invalid("document elements overrun its declared length", pos);
        }

        pos = end + 1;
    }

    /// <summary>A field name, shared with earlier documents that used the same one.</summary>
    private static string ReadName(ReadOnlySpan<byte> data, ref int pos, DecodeScratch scratch)
    {
        int nul = data[pos..].IndexOf((byte)0);
        if (nul < 0)
        {
            throw Invalid("unterminated C string", pos);
        }

        ReadOnlySpan<byte> utf8 = data.Slice(pos, nul);
        string? name = scratch.CachedName(utf8, out int slot);
        if (name is null)
        {
            name = Decode(utf8, pos);
            scratch.Remember(slot, name);
        }

        pos += nul + 1;
        return name;
    }

    /// <summary>Validates a C string as <see cref="ReadCString"/> does, without decoding it; returns null.</summary>
    private static string? SkipCString(ReadOnlySpan<byte> data, ref int pos)
    {
        int nul = data[pos..].IndexOf((byte)0);
        if (nul < 0)
        {
            throw Invalid("unterminated C string", pos);
        }

        if (!System.Text.Unicode.Utf8.IsValid(data.Slice(pos, nul)))
        {
            throw Invalid("invalid UTF-8 in string", pos);
        }

        pos += nul + 1;
        return null;
    }

    /// <summary>The name at <paramref name="nameOffset"/> (already validated), for error messages.</summary>
    private static string NameAt(ReadOnlySpan<byte> data, int nameOffset) =>
        Encoding.UTF8.GetString(data[nameOffset..][..data[nameOffset..].IndexOf((byte)0)]);

    private static BsonValue ReadValue(ReadOnlySpan<byte> data, ref int pos, byte type, int depth, int nameOffset, DecodeScratch scratch)
    {
        switch (type)
        {
            case 0x01:
                return new BsonDouble(BinaryPrimitives.ReadDoubleLittleEndian(Take(data, ref pos, 8)));
            case 0x02:
                return new BsonString(ReadString(data, ref pos));
            case 0x03:
                {
                    int mark = scratch.Count;
                    ReadElements(data, ref pos, depth + 1, scratch, isArray: false);
                    return scratch.PopDocument(mark);
                }

            case 0x04:
                {
                    int mark = scratch.Count;
                    ReadElements(data, ref pos, depth + 1, scratch, isArray: true);
                    return scratch.PopArray(mark);
                }

            case 0x05:
                {
                    int length = BinaryPrimitives.ReadInt32LittleEndian(Take(data, ref pos, 4));
                    if (length < 0)
                    {
                        throw Invalid($"negative binary length in field '{NameAt(data, nameOffset)}'", pos - 4);
                    }

                    byte subType = Take(data, ref pos, 1)[0];
                    ReadOnlySpan<byte> bytes = Take(data, ref pos, length);
                    if (subType == 2)
                    {
                        // The old binary subtype repeats the length inside the payload.
                        if (bytes.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(bytes) != bytes.Length - 4)
                        {
                            throw Invalid($"invalid old binary (subtype 2) length in field '{NameAt(data, nameOffset)}'", pos - length);
                        }
                    }

                    return new BsonBinaryData(bytes.ToArray(), (BsonBinarySubType)subType);
                }

            case 0x06:
                return BsonUndefined.Value;
            case 0x07:
                return new BsonObjectId(new ObjectId(Take(data, ref pos, 12)));
            case 0x08:
                {
                    byte b = Take(data, ref pos, 1)[0];
                    return b switch
                    {
                        0 => BsonBoolean.False,
                        1 => BsonBoolean.True,
                        _ => throw Invalid($"invalid boolean byte {b} in field '{NameAt(data, nameOffset)}'", pos - 1),
                    };
                }

            case 0x09:
                return new BsonDateTime(BinaryPrimitives.ReadInt64LittleEndian(Take(data, ref pos, 8)));
            case 0x0A:
                return BsonNull.Value;
            case 0x0B:
                {
                    string pattern = ReadCString(data, ref pos);
                    string options = ReadCString(data, ref pos);
                    return new BsonRegularExpression(pattern, options);
                }

            case 0x0C:
                {
                    string ns = ReadString(data, ref pos);
                    return new BsonDBPointer(ns, new ObjectId(Take(data, ref pos, 12)));
                }

            case 0x0D:
                return new BsonJavaScript(ReadString(data, ref pos));
            case 0x0E:
                return new BsonSymbol(ReadString(data, ref pos));
            case 0x0F:
                {
                    int start = pos;
                    int total = BinaryPrimitives.ReadInt32LittleEndian(Take(data, ref pos, 4));
                    if (total < 14 || total > data.Length - start)
                    {
                        throw Invalid($"invalid code-with-scope length in field '{NameAt(data, nameOffset)}'", start);
                    }

                    ReadOnlySpan<byte> inner = data[..(start + total)];
                    string code = ReadString(inner, ref pos);
                    int mark = scratch.Count;
                    ReadElements(inner, ref pos, depth + 1, scratch, isArray: false);
                    var scope = scratch.PopDocument(mark);
                    if (pos != start + total)
                    {
                        throw Invalid($"code-with-scope length mismatch in field '{NameAt(data, nameOffset)}'", start);
                    }

                    return new BsonJavaScriptWithScope(code, scope);
                }

            case 0x10:
                return new BsonInt32(BinaryPrimitives.ReadInt32LittleEndian(Take(data, ref pos, 4)));
            case 0x11:
                return new BsonTimestamp(BinaryPrimitives.ReadUInt64LittleEndian(Take(data, ref pos, 8)));
            case 0x12:
                return new BsonInt64(BinaryPrimitives.ReadInt64LittleEndian(Take(data, ref pos, 8)));
            case 0x13:
                return new BsonDecimal128(Decimal128.Read(Take(data, ref pos, 16)));
            case 0xFF:
                return BsonMinKey.Value;
            case 0x7F:
                return BsonMaxKey.Value;
            default:
                throw Invalid($"unknown BSON type 0x{type:x2} in field '{NameAt(data, nameOffset)}'", pos - 1);
        }
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, ref int pos, int count)
    {
        if (count > data.Length - pos)
        {
            throw Invalid($"value needs {count} bytes but only {data.Length - pos} remain", pos);
        }

        ReadOnlySpan<byte> slice = data.Slice(pos, count);
        pos += count;
        return slice;
    }

    private static string ReadCString(ReadOnlySpan<byte> data, ref int pos)
    {
        int nul = data[pos..].IndexOf((byte)0);
        if (nul < 0)
        {
            throw Invalid("unterminated C string", pos);
        }

        string value = Decode(data.Slice(pos, nul), pos);
        pos += nul + 1;
        return value;
    }

    private static string ReadString(ReadOnlySpan<byte> data, ref int pos)
    {
        int start = pos;
        int length = BinaryPrimitives.ReadInt32LittleEndian(Take(data, ref pos, 4));
        if (length < 1 || length > data.Length - pos)
        {
            throw Invalid($"invalid string length {length}", start);
        }

        if (data[pos + length - 1] != 0)
        {
            throw Invalid("string is not NUL-terminated", pos + length - 1);
        }

        string value = Decode(data.Slice(pos, length - 1), pos);
        pos += length;
        return value;
    }

    private static string Decode(ReadOnlySpan<byte> utf8, int offset)
    {
        try
        {
            return s_strictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid("invalid UTF-8 in string", offset);
        }
    }

    private static WireProtocolException Invalid(string message, int offset) =>
        new($"Invalid BSON: {message} (at byte {offset})", InvalidBsonCode, "InvalidBSON");

    /// <summary>Appends the BSON encoding of <paramref name="document"/>.</summary>
    public static void WriteDocument(PooledBuffer output, BsonDocument document)
    {
        int start = output.Length;
        output.WriteInt32(0);
        for (int i = 0; i < document.ElementCount; i++)
        {
            BsonElement element = document.GetElement(i);
            WriteElement(output, element.Name, element.Value);
        }

        output.WriteByte(0);
        output.PatchInt32(start, output.Length - start);
    }

    private static void WriteArray(PooledBuffer output, BsonArray array)
    {
        int start = output.Length;
        output.WriteInt32(0);
        Span<char> digits = stackalloc char[11];
        for (int i = 0; i < array.Count; i++)
        {
            i.TryFormat(digits, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
            output.WriteByte((byte)array[i].BsonType);
            WriteAsciiName(output, digits[..written]);
            WriteValue(output, array[i]);
        }

        output.WriteByte(0);
        output.PatchInt32(start, output.Length - start);
    }

    private static void WriteElement(PooledBuffer output, string name, BsonValue value)
    {
        output.WriteByte((byte)value.BsonType);
        WriteCString(output, name);
        WriteValue(output, value);
    }

    private static void WriteValue(PooledBuffer output, BsonValue value)
    {
        switch (value.BsonType)
        {
            case BsonType.Double:
                {
                    Span<byte> span = output.GetSpan(8);
                    BinaryPrimitives.WriteDoubleLittleEndian(span, ((BsonDouble)value).Value);
                    output.Advance(8);
                    break;
                }

            case BsonType.String:
                WriteString(output, ((BsonString)value).Value);
                break;
            case BsonType.Document:
                WriteDocument(output, (BsonDocument)value);
                break;
            case BsonType.Array:
                WriteArray(output, (BsonArray)value);
                break;
            case BsonType.Binary:
                {
                    var binary = (BsonBinaryData)value;
                    byte[] bytes = binary.Bytes;
                    output.WriteInt32(bytes.Length);
                    output.WriteByte((byte)binary.SubType);
                    output.Write(bytes);
                    break;
                }

            case BsonType.Undefined:
            case BsonType.Null:
            case BsonType.MinKey:
            case BsonType.MaxKey:
                break;
            case BsonType.ObjectId:
                ((BsonObjectId)value).Value.WriteTo(output.GetSpan(12));
                output.Advance(12);
                break;
            case BsonType.Boolean:
                output.WriteByte(((BsonBoolean)value).Value ? (byte)1 : (byte)0);
                break;
            case BsonType.DateTime:
                output.WriteInt64(((BsonDateTime)value).MillisecondsSinceEpoch);
                break;
            case BsonType.RegularExpression:
                {
                    var regex = (BsonRegularExpression)value;
                    WriteCString(output, regex.Pattern);
                    WriteCString(output, regex.Options);
                    break;
                }

            case BsonType.DBPointer:
                {
                    var pointer = (BsonDBPointer)value;
                    WriteString(output, pointer.Namespace);
                    pointer.Id.WriteTo(output.GetSpan(12));
                    output.Advance(12);
                    break;
                }

            case BsonType.JavaScript:
                WriteString(output, ((BsonJavaScript)value).Code);
                break;
            case BsonType.Symbol:
                WriteString(output, ((BsonSymbol)value).Name);
                break;
            case BsonType.JavaScriptWithScope:
                {
                    var code = (BsonJavaScriptWithScope)value;
                    int start = output.Length;
                    output.WriteInt32(0);
                    WriteString(output, code.Code);
                    WriteDocument(output, code.Scope);
                    output.PatchInt32(start, output.Length - start);
                    break;
                }

            case BsonType.Int32:
                output.WriteInt32(((BsonInt32)value).Value);
                break;
            case BsonType.Timestamp:
                output.WriteInt64((long)((BsonTimestamp)value).Value);
                break;
            case BsonType.Int64:
                output.WriteInt64(((BsonInt64)value).Value);
                break;
            case BsonType.Decimal128:
                ((BsonDecimal128)value).Value.WriteTo(output.GetSpan(16));
                output.Advance(16);
                break;
            default:
                throw new InvalidOperationException($"Cannot encode BSON type {value.BsonType}");
        }
    }

    private static void WriteString(PooledBuffer output, string value)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        Span<byte> span = output.GetSpan(max + 5);
        int written = Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, written + 1);
        span[4 + written] = 0;
        output.Advance(written + 5);
    }

    private static void WriteCString(PooledBuffer output, string value)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        Span<byte> span = output.GetSpan(max + 1);
        int written = Encoding.UTF8.GetBytes(value, span);
        if (span[..written].IndexOf((byte)0) >= 0)
        {
            throw new InvalidOperationException("A BSON field name or regular expression contains a NUL character.");
        }

        span[written] = 0;
        output.Advance(written + 1);
    }

    private static void WriteAsciiName(PooledBuffer output, ReadOnlySpan<char> digits)
    {
        Span<byte> span = output.GetSpan(digits.Length + 1);
        for (int i = 0; i < digits.Length; i++)
        {
            span[i] = (byte)digits[i];
        }

        span[digits.Length] = 0;
        output.Advance(digits.Length + 1);
    }

    /// <summary>The encoded size of a document, without encoding it (used to cap cursor batches at 16 MiB).</summary>
    public static int SizeOf(BsonDocument document)
    {
        int size = 5;
        for (int i = 0; i < document.ElementCount; i++)
        {
            BsonElement element = document.GetElement(i);
            size += 2 + Encoding.UTF8.GetByteCount(element.Name) + SizeOfValue(element.Value);
        }

        return size;
    }

    private static int SizeOfArray(BsonArray array)
    {
        int size = 5;
        for (int i = 0; i < array.Count; i++)
        {
            int digits = i == 0 ? 1 : (int)Math.Floor(Math.Log10(i)) + 1;
            size += 2 + digits + SizeOfValue(array[i]);
        }

        return size;
    }

    private static int SizeOfValue(BsonValue value) => value.BsonType switch
    {
        BsonType.Double or BsonType.DateTime or BsonType.Timestamp or BsonType.Int64 => 8,
        BsonType.String => 5 + Encoding.UTF8.GetByteCount(((BsonString)value).Value),
        BsonType.Document => SizeOf((BsonDocument)value),
        BsonType.Array => SizeOfArray((BsonArray)value),
        BsonType.Binary => 5 + ((BsonBinaryData)value).Bytes.Length,
        BsonType.ObjectId => 12,
        BsonType.Boolean => 1,
        BsonType.Int32 => 4,
        BsonType.Decimal128 => 16,
        BsonType.RegularExpression => 2 + Encoding.UTF8.GetByteCount(((BsonRegularExpression)value).Pattern)
            + Encoding.UTF8.GetByteCount(((BsonRegularExpression)value).Options),
        BsonType.DBPointer => 17 + Encoding.UTF8.GetByteCount(((BsonDBPointer)value).Namespace),
        BsonType.JavaScript => 5 + Encoding.UTF8.GetByteCount(((BsonJavaScript)value).Code),
        BsonType.Symbol => 5 + Encoding.UTF8.GetByteCount(((BsonSymbol)value).Name),
        BsonType.JavaScriptWithScope => 9 + Encoding.UTF8.GetByteCount(((BsonJavaScriptWithScope)value).Code)
            + SizeOf(((BsonJavaScriptWithScope)value).Scope),
        _ => 0,
    };
}
