using System.Buffers.Binary;

namespace Mongo.Bson;

public sealed partial class BsonWriter
{
    /// <summary>Writes a DOM value at the current position (after a name, or as an array item; a document also at top level).</summary>
    /// <param name="value">The value.</param>
    public void WriteValue(BsonValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (value.BsonType)
        {
            case BsonType.String:
                WriteString((BsonString)value);
                break;
            case BsonType.Int32:
                WriteInt32(((BsonInt32)value).Value);
                break;
            case BsonType.Double:
                WriteDouble(((BsonDouble)value).Value);
                break;
            case BsonType.Boolean:
                WriteBoolean(((BsonBoolean)value).Value);
                break;
            case BsonType.Int64:
                WriteInt64(((BsonInt64)value).Value);
                break;
            case BsonType.Document:
                WriteDocument((BsonDocument)value);
                break;
            case BsonType.Array:
                WriteArray((BsonArray)value);
                break;
            default:
                WriteOtherValue(value);
                break;
        }
    }

    /// <summary>Writes a named DOM value.</summary>
    /// <param name="name">The element name.</param>
    /// <param name="value">The value.</param>
    public void WriteValue(string name, BsonValue value)
    {
        WriteName(name);
        WriteValue(value);
    }

    /// <summary>Writes JavaScript code with a scope document.</summary>
    /// <param name="code">The code.</param>
    /// <param name="scope">The scope document.</param>
    public void WriteJavaScriptWithScope(string code, BsonDocument scope)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(scope);
        ReadOnlySpan<byte> encodedScope = scope.UnmaterializedBytes;
        if (!encodedScope.IsEmpty)
        {
            WriteJavaScriptWithScope(code, encodedScope);
            return;
        }

        int start = BeginValue(BsonType.JavaScriptWithScope, 4 + MaxStringSize(code) + 5);
        _pos = EncodeString(start + 4, code);

        // The scope is a document without an element header: open it as a container directly.
        PushContainer(_pos, isArray: false);
        WriteElements(scope);
        EndContainer();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start), _pos - start);
    }

    /// <summary>Writes a document value; one still in its decoded bytes is copied as is.</summary>
    internal void WriteDocument(BsonDocument document)
    {
        ReadOnlySpan<byte> encoded = document.UnmaterializedBytes;
        if (!encoded.IsEmpty)
        {
            WriteRawDocument(encoded);
            return;
        }

        WriteStartDocument();
        WriteElements(document);
        WriteEndDocument();
    }

    private void WriteArray(BsonArray array)
    {
        ReadOnlySpan<byte> encoded = array.UnmaterializedBytes;
        if (!encoded.IsEmpty)
        {
            WriteRawArray(encoded);
            return;
        }

        WriteStartArray();
        foreach (BsonValue item in array)
        {
            WriteValue(item);
        }

        WriteEndArray();
    }

    /// <summary>Writes the elements of a document into the currently open document.</summary>
    internal void WriteElements(BsonDocument document)
    {
        foreach (ref readonly BsonElement element in document.ElementSpan)
        {
            WriteName(element.Name);
            WriteValue(element.Value);
        }
    }

    private void WriteOtherValue(BsonValue value)
    {
        switch (value.BsonType)
        {
            case BsonType.ObjectId:
                WriteObjectId(((BsonObjectId)value).Value);
                break;
            case BsonType.DateTime:
                WriteDateTime(((BsonDateTime)value).MillisecondsSinceEpoch);
                break;
            case BsonType.Null:
                WriteNull();
                break;
            case BsonType.Binary:
                var binary = (BsonBinaryData)value;
                WriteBinary(binary.Span, binary.SubType);
                break;
            case BsonType.Decimal128:
                WriteDecimal128(((BsonDecimal128)value).Value);
                break;
            case BsonType.Timestamp:
                WriteTimestamp(((BsonTimestamp)value).Value);
                break;
            case BsonType.RegularExpression:
                var regex = (BsonRegularExpression)value;
                WriteRegularExpression(regex.Pattern, regex.Options);
                break;
            case BsonType.JavaScript:
                WriteJavaScript(((BsonJavaScript)value).Code);
                break;
            case BsonType.Symbol:
                WriteSymbol(((BsonSymbol)value).Name);
                break;
            case BsonType.DBPointer:
                var pointer = (BsonDBPointer)value;
                WriteDBPointer(pointer.Namespace, pointer.Id);
                break;
            case BsonType.JavaScriptWithScope:
                var code = (BsonJavaScriptWithScope)value;
                WriteJavaScriptWithScope(code.Code, code.Scope);
                break;
            case BsonType.Undefined:
                WriteUndefined();
                break;
            case BsonType.MinKey:
                WriteMinKey();
                break;
            case BsonType.MaxKey:
                WriteMaxKey();
                break;
            default:
                throw new BsonException($"Cannot write a value of type {value.BsonType}.");
        }
    }

    /// <summary>A string value: one still encoded in a decoded document's bytes (validated) is copied as it is.</summary>
    private void WriteString(BsonString value)
    {
        if (!value.TryGetUtf8(out ReadOnlySpan<byte> utf8))
        {
            WriteStringLike(BsonType.String, value.Value);
            return;
        }

        int pos = BeginValue(BsonType.String, utf8.Length + 5);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(pos), utf8.Length + 1);
        utf8.CopyTo(_buffer.AsSpan(pos + 4));
        _buffer[pos + 4 + utf8.Length] = 0;
        _pos = pos + 5 + utf8.Length;
    }
}
