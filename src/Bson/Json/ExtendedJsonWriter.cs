using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using Mongo.Bson.Internal;

namespace Mongo.Bson.Json;

/// <summary>DOM to Extended JSON v2 through a <see cref="Utf8JsonWriter"/>, following the spec's conversion table.</summary>
internal static class ExtendedJsonWriter
{
    private static readonly JsonEncodedText s_oid = JsonEncodedText.Encode("$oid");
    private static readonly JsonEncodedText s_symbol = JsonEncodedText.Encode("$symbol");
    private static readonly JsonEncodedText s_numberInt = JsonEncodedText.Encode("$numberInt");
    private static readonly JsonEncodedText s_numberLong = JsonEncodedText.Encode("$numberLong");
    private static readonly JsonEncodedText s_numberDouble = JsonEncodedText.Encode("$numberDouble");
    private static readonly JsonEncodedText s_numberDecimal = JsonEncodedText.Encode("$numberDecimal");
    private static readonly JsonEncodedText s_binary = JsonEncodedText.Encode("$binary");
    private static readonly JsonEncodedText s_base64 = JsonEncodedText.Encode("base64");
    private static readonly JsonEncodedText s_subType = JsonEncodedText.Encode("subType");
    private static readonly JsonEncodedText s_code = JsonEncodedText.Encode("$code");
    private static readonly JsonEncodedText s_scope = JsonEncodedText.Encode("$scope");
    private static readonly JsonEncodedText s_timestamp = JsonEncodedText.Encode("$timestamp");
    private static readonly JsonEncodedText s_t = JsonEncodedText.Encode("t");
    private static readonly JsonEncodedText s_i = JsonEncodedText.Encode("i");
    private static readonly JsonEncodedText s_regularExpression = JsonEncodedText.Encode("$regularExpression");
    private static readonly JsonEncodedText s_pattern = JsonEncodedText.Encode("pattern");
    private static readonly JsonEncodedText s_options = JsonEncodedText.Encode("options");
    private static readonly JsonEncodedText s_dbPointer = JsonEncodedText.Encode("$dbPointer");
    private static readonly JsonEncodedText s_ref = JsonEncodedText.Encode("$ref");
    private static readonly JsonEncodedText s_id = JsonEncodedText.Encode("$id");
    private static readonly JsonEncodedText s_date = JsonEncodedText.Encode("$date");
    private static readonly JsonEncodedText s_minKey = JsonEncodedText.Encode("$minKey");
    private static readonly JsonEncodedText s_maxKey = JsonEncodedText.Encode("$maxKey");
    private static readonly JsonEncodedText s_undefined = JsonEncodedText.Encode("$undefined");

    public static void WriteValue(Utf8JsonWriter writer, BsonValue value, ExtendedJsonMode mode) => WriteValue(writer, value, mode, depth: 1);

    /// <summary>Writes <paramref name="value"/>, which sits at nesting level <paramref name="depth"/> (1 for the top-level container).</summary>
    private static void WriteValue(Utf8JsonWriter writer, BsonValue value, ExtendedJsonMode mode, int depth)
    {
        switch (value.BsonType)
        {
            case BsonType.Document:
                DepthGuard.Enter(depth, "ToJson");
                writer.WriteStartObject();
                foreach (BsonElement element in (BsonDocument)value)
                {
                    writer.WritePropertyName(element.Name);
                    WriteValue(writer, element.Value, mode, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case BsonType.Array:
                DepthGuard.Enter(depth, "ToJson");
                writer.WriteStartArray();
                foreach (BsonValue item in (BsonArray)value)
                {
                    WriteValue(writer, item, mode, depth + 1);
                }

                writer.WriteEndArray();
                break;
            case BsonType.String:
                writer.WriteStringValue(((BsonString)value).Value);
                break;
            case BsonType.Int32:
                int i32 = ((BsonInt32)value).Value;
                if (mode == ExtendedJsonMode.Relaxed)
                {
                    writer.WriteNumberValue(i32);
                }
                else
                {
                    WriteWrapped(writer, s_numberInt, i32);
                }

                break;
            case BsonType.Int64:
                long i64 = ((BsonInt64)value).Value;
                if (mode == ExtendedJsonMode.Relaxed)
                {
                    writer.WriteNumberValue(i64);
                }
                else
                {
                    WriteWrapped(writer, s_numberLong, i64);
                }

                break;
            case BsonType.Double:
                WriteDouble(writer, ((BsonDouble)value).Value, mode);
                break;
            case BsonType.Decimal128:
                WriteDecimal(writer, ((BsonDecimal128)value).Value);
                break;
            case BsonType.Boolean:
                writer.WriteBooleanValue(((BsonBoolean)value).Value);
                break;
            case BsonType.Null:
                writer.WriteNullValue();
                break;
            case BsonType.ObjectId:
                writer.WriteStartObject();
                WriteObjectIdProperty(writer, s_oid, ((BsonObjectId)value).Value);
                writer.WriteEndObject();
                break;
            case BsonType.DateTime:
                WriteDateTime(writer, ((BsonDateTime)value).MillisecondsSinceEpoch, mode);
                break;
            case BsonType.Binary:
                var binary = (BsonBinaryData)value;
                writer.WriteStartObject();
                writer.WriteStartObject(s_binary);
                writer.WriteBase64String(s_base64, binary.Bytes);
                Span<char> hex = stackalloc char[2];
                ((byte)binary.SubType).TryFormat(hex, out _, "x2", CultureInfo.InvariantCulture);
                writer.WriteString(s_subType, hex);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            case BsonType.RegularExpression:
                var regex = (BsonRegularExpression)value;
                writer.WriteStartObject();
                writer.WriteStartObject(s_regularExpression);
                writer.WriteString(s_pattern, regex.Pattern);
                writer.WriteString(s_options, regex.Options);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            case BsonType.Timestamp:
                var timestamp = (BsonTimestamp)value;
                writer.WriteStartObject();
                writer.WriteStartObject(s_timestamp);
                writer.WriteNumber(s_t, timestamp.Timestamp);
                writer.WriteNumber(s_i, timestamp.Increment);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            case BsonType.JavaScript:
                writer.WriteStartObject();
                writer.WriteString(s_code, ((BsonJavaScript)value).Code);
                writer.WriteEndObject();
                break;
            case BsonType.JavaScriptWithScope:
                var withScope = (BsonJavaScriptWithScope)value;
                writer.WriteStartObject();
                writer.WriteString(s_code, withScope.Code);
                writer.WritePropertyName(s_scope);
                WriteValue(writer, withScope.Scope, mode, depth); // the scope counts at this value's level, as BsonReader counts it
                writer.WriteEndObject();
                break;
            case BsonType.Symbol:
                writer.WriteStartObject();
                writer.WriteString(s_symbol, ((BsonSymbol)value).Name);
                writer.WriteEndObject();
                break;
            case BsonType.DBPointer:
                var pointer = (BsonDBPointer)value;
                writer.WriteStartObject();
                writer.WriteStartObject(s_dbPointer);
                writer.WriteString(s_ref, pointer.Namespace);
                writer.WriteStartObject(s_id);
                WriteObjectIdProperty(writer, s_oid, pointer.Id);
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            case BsonType.MinKey:
                writer.WriteStartObject();
                writer.WriteNumber(s_minKey, 1);
                writer.WriteEndObject();
                break;
            case BsonType.MaxKey:
                writer.WriteStartObject();
                writer.WriteNumber(s_maxKey, 1);
                writer.WriteEndObject();
                break;
            case BsonType.Undefined:
                writer.WriteStartObject();
                writer.WriteBoolean(s_undefined, true);
                writer.WriteEndObject();
                break;
            default:
                throw new BsonException($"Cannot write a BSON {value.BsonType} as Extended JSON.");
        }
    }

    private static void WriteWrapped(Utf8JsonWriter writer, JsonEncodedText key, long number)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(number, digits, out int written);
        writer.WriteStartObject();
        writer.WriteString(key, digits[..written]);
        writer.WriteEndObject();
    }

    private static void WriteDouble(Utf8JsonWriter writer, double value, ExtendedJsonMode mode)
    {
        Span<byte> text = stackalloc byte[40];
        int length = FormatDouble(value, text);
        if (mode == ExtendedJsonMode.Relaxed && double.IsFinite(value))
        {
            writer.WriteRawValue(text[..length], skipInputValidation: true);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString(s_numberDouble, text[..length]);
        writer.WriteEndObject();
    }

    /// <summary>
    /// The shortest round-trip form, always with a fraction or exponent so that it reads back as a double
    /// (<c>1.0</c>, <c>-0.0</c>, <c>1.5E+300</c>); <c>Infinity</c>, <c>-Infinity</c>, <c>NaN</c> for the rest.
    /// </summary>
    internal static int FormatDouble(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            ReadOnlySpan<byte> special = double.IsNaN(value) ? "NaN"u8 : value > 0 ? "Infinity"u8 : "-Infinity"u8;
            special.CopyTo(destination);
            return special.Length;
        }

        value.TryFormat(destination, out int length, "R", CultureInfo.InvariantCulture);
        if (destination[..length].IndexOfAny((byte)'.', (byte)'E', (byte)'e') < 0)
        {
            destination[length++] = (byte)'.';
            destination[length++] = (byte)'0';
        }

        return length;
    }

    private static void WriteDecimal(Utf8JsonWriter writer, Decimal128 value)
    {
        Span<char> text = stackalloc char[Decimal128.MaxFormattedLength];
        value.TryFormat(text, out int length);
        writer.WriteStartObject();
        writer.WriteString(s_numberDecimal, text[..length]);
        writer.WriteEndObject();
    }

    private static void WriteObjectIdProperty(Utf8JsonWriter writer, JsonEncodedText key, ObjectId id)
    {
        Span<byte> bytes = stackalloc byte[12];
        id.WriteTo(bytes);
        Span<byte> hex = stackalloc byte[24];
        for (int i = 0; i < bytes.Length; i++)
        {
            hex[2 * i] = (byte)"0123456789abcdef"[bytes[i] >> 4];
            hex[(2 * i) + 1] = (byte)"0123456789abcdef"[bytes[i] & 0xF];
        }

        writer.WriteString(key, hex);
    }

    private static void WriteDateTime(Utf8JsonWriter writer, long milliseconds, ExtendedJsonMode mode)
    {
        writer.WriteStartObject();
        if (mode == ExtendedJsonMode.Relaxed && ExtendedJsonParser.HasIsoForm(milliseconds))
        {
            DateTime utc = DateTime.UnixEpoch.AddMilliseconds(milliseconds);
            Span<char> text = stackalloc char[32];
            string format = milliseconds % 1000 == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            utc.TryFormat(text, out int length, format, CultureInfo.InvariantCulture);
            writer.WriteString(s_date, text[..length]);
        }
        else
        {
            writer.WriteStartObject(s_date);
            Span<byte> digits = stackalloc byte[20];
            Utf8Formatter.TryFormat(milliseconds, digits, out int written);
            writer.WriteString(s_numberLong, digits[..written]);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>A cached writer for producing strings, one per thread (writing never re-enters user code).</summary>
    internal static string WriteToString(BsonValue value, ExtendedJsonMode mode, bool indented)
    {
        ArrayBufferWriter<byte> buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        Utf8JsonWriter writer = indented
            ? (t_indentedWriter ??= new Utf8JsonWriter(buffer, ExtendedJson.WriterOptions(indented: true)))
            : (t_writer ??= new Utf8JsonWriter(buffer, ExtendedJson.WriterOptions(indented: false)));
        try
        {
            WriteValue(writer, value, mode);
            writer.Flush();
            return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            writer.Reset(buffer);
            buffer.ResetWrittenCount();
            if (buffer.Capacity > 1 << 20)
            {
                // Don't pin a huge buffer to the thread after one large document.
                t_buffer = null;
                t_writer = null;
                t_indentedWriter = null;
            }
        }
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_indentedWriter;
}
