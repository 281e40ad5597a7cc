using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Mongo.Bson.Json;

namespace Mongo.Bson;

/// <summary>
/// MongoDB Extended JSON v2: parsing (canonical, relaxed and the common legacy forms:
/// <c>{"$binary": "...", "$type": "..."}</c>, <c>{"$regex": "...", "$options": "..."}</c>, <c>$uuid</c>) and
/// writing in canonical or relaxed mode. Objects with <c>$ref</c>/<c>$id</c> (DBRefs), query operators such as
/// <c>$regex</c> with an object value or <c>$type</c> alone, and unknown <c>$</c>-keys stay plain documents.
/// </summary>
/// <remarks>
/// The parser rejects what the bson-corpus specification lists as parse errors, including forms a lenient
/// parser might guess at: <c>{"$date": 42}</c> (a bare number; write <c>{"$date": {"$numberLong": "42"}}</c>),
/// NUL characters in element names and in regular expression patterns or options (BSON stores them
/// NUL-terminated), and nesting deeper than <see cref="BsonLimits.MaxDepth"/> documents and arrays.
/// </remarks>
public static class ExtendedJson
{
    /// <summary>Parses a JSON object into a document.</summary>
    /// <exception cref="BsonFormatException">Invalid JSON or Extended JSON; the message and properties give the byte offset and element path.</exception>
    public static BsonDocument Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        byte[]? rented = null;
        int max = Encoding.UTF8.GetMaxByteCount(json.Length);
        Span<byte> buffer = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int length = Encoding.UTF8.GetBytes(json, buffer);
            return ExtendedJsonParser.ParseDocument(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Parses a UTF-8 JSON object into a document.</summary>
    /// <exception cref="BsonFormatException">Invalid JSON or Extended JSON.</exception>
    public static BsonDocument Parse(ReadOnlySpan<byte> utf8Json) => ExtendedJsonParser.ParseDocument(utf8Json);

    /// <summary>Parses any Extended JSON value: a top-level type wrapper such as <c>{"$oid": "..."}</c> gives that type.</summary>
    /// <exception cref="BsonFormatException">Invalid JSON or Extended JSON.</exception>
    public static BsonValue ParseValue(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ExtendedJsonParser.ParseValue(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Parses any UTF-8 Extended JSON value.</summary>
    /// <exception cref="BsonFormatException">Invalid JSON or Extended JSON.</exception>
    public static BsonValue ParseValue(ReadOnlySpan<byte> utf8Json) => ExtendedJsonParser.ParseValue(utf8Json);

    /// <summary>Writes a value as Extended JSON text (compact).</summary>
    public static string Write(BsonValue value, ExtendedJsonMode mode = ExtendedJsonMode.Relaxed)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ExtendedJsonWriter.WriteToString(value, mode, indented: false);
    }

    /// <summary>Writes a value as Extended JSON text, optionally indented.</summary>
    public static string Write(BsonValue value, ExtendedJsonMode mode, bool indented)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ExtendedJsonWriter.WriteToString(value, mode, indented);
    }

    /// <summary>Writes a value as Extended JSON to a caller-owned writer (whose options decide indentation and escaping).</summary>
    public static void Write(Utf8JsonWriter writer, BsonValue value, ExtendedJsonMode mode = ExtendedJsonMode.Relaxed)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        ExtendedJsonWriter.WriteValue(writer, value, mode);
    }

    /// <summary>
    /// The writer options used for strings: no HTML-oriented escaping (non-ASCII text stays readable; control
    /// characters, quotes and backslashes are still escaped), and a JSON depth limit above what
    /// <see cref="BsonLimits.MaxDepth"/> documents need with their type wrappers (the DOM walk enforces BSON's own).
    /// </summary>
    internal static JsonWriterOptions WriterOptions(bool indented) => new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = indented,
        MaxDepth = 1000,
        SkipValidation = false,
    };
}
