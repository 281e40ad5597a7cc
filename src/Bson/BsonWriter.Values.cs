using System.Buffers.Binary;
using Mongo.Bson.Internal;

namespace Mongo.Bson;

public sealed partial class BsonWriter
{
    /// <summary>Writes a double value.</summary>
    public void WriteDouble(double value)
    {
        int pos = BeginValue(BsonType.Double, 8);
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(pos), value);
        _pos = pos + 8;
    }

    /// <summary>Writes a 32-bit integer value.</summary>
    public void WriteInt32(int value)
    {
        int pos = BeginValue(BsonType.Int32, 4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(pos), value);
        _pos = pos + 4;
    }

    /// <summary>Writes a 64-bit integer value.</summary>
    public void WriteInt64(long value)
    {
        int pos = BeginValue(BsonType.Int64, 8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(pos), value);
        _pos = pos + 8;
    }

    /// <summary>Writes a boolean value.</summary>
    public void WriteBoolean(bool value)
    {
        int pos = BeginValue(BsonType.Boolean, 1);
        _buffer[pos] = value ? (byte)1 : (byte)0;
        _pos = pos + 1;
    }

    /// <summary>Writes a UTC datetime as milliseconds since the Unix epoch.</summary>
    public void WriteDateTime(long millisecondsSinceEpoch)
    {
        int pos = BeginValue(BsonType.DateTime, 8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(pos), millisecondsSinceEpoch);
        _pos = pos + 8;
    }

    /// <summary>Writes a timestamp (high 32 bits: seconds, low 32 bits: increment).</summary>
    public void WriteTimestamp(ulong value)
    {
        int pos = BeginValue(BsonType.Timestamp, 8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(pos), value);
        _pos = pos + 8;
    }

    /// <summary>Writes an ObjectId value.</summary>
    public void WriteObjectId(ObjectId value)
    {
        int pos = BeginValue(BsonType.ObjectId, 12);
        value.WriteTo(_buffer.AsSpan(pos, 12));
        _pos = pos + 12;
    }

    /// <summary>Writes a Decimal128 value.</summary>
    public void WriteDecimal128(Decimal128 value)
    {
        int pos = BeginValue(BsonType.Decimal128, 16);
        value.WriteTo(_buffer.AsSpan(pos, 16));
        _pos = pos + 16;
    }

    /// <summary>Writes a null value.</summary>
    public void WriteNull() => _pos = BeginValue(BsonType.Null, 0);

    /// <summary>Writes the (deprecated) undefined value.</summary>
    public void WriteUndefined() => _pos = BeginValue(BsonType.Undefined, 0);

    /// <summary>Writes the MinKey value.</summary>
    public void WriteMinKey() => _pos = BeginValue(BsonType.MinKey, 0);

    /// <summary>Writes the MaxKey value.</summary>
    public void WriteMaxKey() => _pos = BeginValue(BsonType.MaxKey, 0);

    /// <summary>Writes a string value (strings may contain NUL characters).</summary>
    /// <exception cref="BsonException">The string contains invalid UTF-16.</exception>
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        WriteStringLike(BsonType.String, value);
    }

    /// <summary>Writes a string value from UTF-8 bytes (validated).</summary>
    /// <exception cref="BsonException">The bytes are not valid UTF-8.</exception>
    public void WriteString(ReadOnlySpan<byte> utf8)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            ThrowMisuse("The string is not valid UTF-8.");
        }

        int pos = BeginValue(BsonType.String, utf8.Length + 5);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(pos), utf8.Length + 1);
        utf8.CopyTo(_buffer.AsSpan(pos + 4));
        _buffer[pos + 4 + utf8.Length] = 0;
        _pos = pos + 5 + utf8.Length;
    }

    /// <summary>Writes a JavaScript code value.</summary>
    public void WriteJavaScript(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        WriteStringLike(BsonType.JavaScript, code);
    }

    /// <summary>Writes a (deprecated) symbol value.</summary>
    public void WriteSymbol(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        WriteStringLike(BsonType.Symbol, name);
    }

    /// <summary>Writes binary data. For the old binary subtype 2 the inner length prefix is added.</summary>
    public void WriteBinary(ReadOnlySpan<byte> bytes, BsonBinarySubType subType = BsonBinarySubType.Binary)
    {
        bool old = subType == BsonBinarySubType.OldBinary;
        int length = old ? bytes.Length + 4 : bytes.Length;
        int pos = BeginValue(BsonType.Binary, length + 5);
        Span<byte> span = _buffer.AsSpan(pos);
        BinaryPrimitives.WriteInt32LittleEndian(span, length);
        span[4] = (byte)subType;
        if (old)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(5), bytes.Length);
            bytes.CopyTo(span.Slice(9));
        }
        else
        {
            bytes.CopyTo(span.Slice(5));
        }

        _pos = pos + 5 + length;
    }

    /// <summary>Writes a regular expression.</summary>
    /// <exception cref="BsonException">The pattern or the options contain NUL or invalid UTF-16.</exception>
    public void WriteRegularExpression(string pattern, string options)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(options);
        if (pattern.AsSpan().IndexOf('\0') >= 0 || options.AsSpan().IndexOf('\0') >= 0)
        {
            ThrowMisuse("Regular expression patterns and options cannot contain NUL characters.");
        }

        int pos = BeginValue(BsonType.RegularExpression, MaxStringSize(pattern) + MaxStringSize(options));
        int written = EncodeStrict(pattern, _buffer.AsSpan(pos));
        _buffer[pos + written] = 0;
        pos += written + 1;
        written = EncodeStrict(options, _buffer.AsSpan(pos));
        _buffer[pos + written] = 0;
        _pos = pos + written + 1;
    }

    /// <summary>Writes a (deprecated) DBPointer.</summary>
    public void WriteDBPointer(string ns, ObjectId id)
    {
        ArgumentNullException.ThrowIfNull(ns);
        int max = MaxStringSize(ns) + 12;
        int pos = BeginValue(BsonType.DBPointer, max);
        pos = EncodeString(pos, ns);
        id.WriteTo(_buffer.AsSpan(pos, 12));
        _pos = pos + 12;
    }

    /// <summary>Writes JavaScript code with a scope given as an encoded BSON document.</summary>
    /// <exception cref="BsonException">The scope is not a length-consistent document.</exception>
    public void WriteJavaScriptWithScope(string code, ReadOnlySpan<byte> scopeBson)
    {
        ArgumentNullException.ThrowIfNull(code);
        CheckRawDocument(scopeBson);
        int pos = BeginValue(BsonType.JavaScriptWithScope, 4 + MaxStringSize(code) + scopeBson.Length);
        int start = pos;
        pos = EncodeString(pos + 4, code);
        scopeBson.CopyTo(_buffer.AsSpan(pos));
        pos += scopeBson.Length;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start), pos - start);
        _pos = pos;
    }

    /// <summary>
    /// Writes an already encoded document: as a new top-level document between documents, or as an embedded
    /// document value after a name or inside an array. Only its length prefix and terminator are checked.
    /// </summary>
    /// <exception cref="BsonException">The bytes are not a length-consistent document.</exception>
    public void WriteRawDocument(ReadOnlySpan<byte> bson)
    {
        CheckRawDocument(bson);
        if (_depth == 0)
        {
            EnsureCapacity(bson.Length);
            _documentStart = _pos;
            bson.CopyTo(_buffer.AsSpan(_pos));
            _pos += bson.Length;
            CompleteTopLevel(bson.Length);
            return;
        }

        int pos = BeginValue(BsonType.Document, bson.Length);
        bson.CopyTo(_buffer.AsSpan(pos));
        _pos = pos + bson.Length;
    }

    /// <summary>Writes an already encoded array as a value (after a name or inside an array).</summary>
    /// <exception cref="BsonException">The bytes are not a length-consistent array document.</exception>
    public void WriteRawArray(ReadOnlySpan<byte> bson)
    {
        CheckRawDocument(bson);
        int pos = BeginValue(BsonType.Array, bson.Length);
        bson.CopyTo(_buffer.AsSpan(pos));
        _pos = pos + bson.Length;
    }

    /// <summary>Writes a named double element.</summary>
    public void WriteDouble(string name, double value)
    {
        WriteName(name);
        WriteDouble(value);
    }

    /// <summary>Writes a named 32-bit integer element.</summary>
    public void WriteInt32(string name, int value)
    {
        WriteName(name);
        WriteInt32(value);
    }

    /// <summary>Writes a named 64-bit integer element.</summary>
    public void WriteInt64(string name, long value)
    {
        WriteName(name);
        WriteInt64(value);
    }

    /// <summary>Writes a named boolean element.</summary>
    public void WriteBoolean(string name, bool value)
    {
        WriteName(name);
        WriteBoolean(value);
    }

    /// <summary>Writes a named string element.</summary>
    public void WriteString(string name, string value)
    {
        WriteName(name);
        WriteString(value);
    }

    /// <summary>Writes a named null element.</summary>
    public void WriteNull(string name)
    {
        WriteName(name);
        WriteNull();
    }

    /// <summary>Writes a named ObjectId element.</summary>
    public void WriteObjectId(string name, ObjectId value)
    {
        WriteName(name);
        WriteObjectId(value);
    }

    /// <summary>Writes a named UTC datetime element (milliseconds since the Unix epoch).</summary>
    public void WriteDateTime(string name, long millisecondsSinceEpoch)
    {
        WriteName(name);
        WriteDateTime(millisecondsSinceEpoch);
    }

    /// <summary>Writes a named Decimal128 element.</summary>
    public void WriteDecimal128(string name, Decimal128 value)
    {
        WriteName(name);
        WriteDecimal128(value);
    }

    /// <summary>Writes a named binary element.</summary>
    public void WriteBinary(string name, ReadOnlySpan<byte> bytes, BsonBinarySubType subType = BsonBinarySubType.Binary)
    {
        WriteName(name);
        WriteBinary(bytes, subType);
    }

    /// <summary>Writes a named timestamp element.</summary>
    public void WriteTimestamp(string name, ulong value)
    {
        WriteName(name);
        WriteTimestamp(value);
    }

    private void WriteStringLike(BsonType type, string value)
    {
        int pos = BeginValue(type, MaxStringSize(value));
        _pos = EncodeString(pos, value);
    }

    /// <summary>Writes length prefix, UTF-8 bytes and terminator at <paramref name="pos"/> (capacity already ensured).</summary>
    /// <returns>The offset after the string.</returns>
    private int EncodeString(int pos, string value)
    {
        int written = EncodeStrict(value, _buffer.AsSpan(pos + 4));
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(pos), written + 1);
        _buffer[pos + 4 + written] = 0;
        return pos + 5 + written;
    }

    private static int MaxStringSize(string value) =>
        (value.Length <= 4096 ? value.Length * 3 : System.Text.Encoding.UTF8.GetByteCount(value)) + 5;

    private static void CheckRawDocument(ReadOnlySpan<byte> bson)
    {
        if (bson.Length < 5 || BinaryPrimitives.ReadInt32LittleEndian(bson) != bson.Length || bson[^1] != 0)
        {
            ThrowMisuse("The bytes are not a BSON document: the length prefix must equal the byte count and the last byte must be 0x00.");
        }
    }
}
