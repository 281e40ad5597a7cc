using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mongo.Bson.Json;

/// <summary>
/// Extended JSON v2 (canonical and relaxed, plus the legacy forms the spec and corpus use) to DOM, on top of
/// <see cref="Utf8JsonReader"/>. An object whose first key starts with <c>$</c> is classified by a look-ahead
/// over its keys (a copy of the reader), because wrapper keys may come in any order; every other object is read
/// in one pass. Errors are <see cref="BsonFormatException"/>s with the byte offset and the element path.
/// </summary>
internal ref partial struct ExtendedJsonParser
{
    // The parser counts BSON depth itself (documents and arrays, as BsonReader does) against BsonLimits.MaxDepth.
    // JSON nests deeper than BSON: a code-with-scope takes two JSON levels per BSON level and a wrapper such as
    // $dbPointer three more at the leaf, so the JSON reader's own limit leaves room for both.
    private const int JsonMaxDepth = (2 * BsonLimits.MaxDepth) + 3;

    private static readonly JsonReaderOptions s_options = new()
    {
        MaxDepth = JsonMaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    private Utf8JsonReader _reader;
    private readonly List<PathSegment> _path;
    private int _depth;

    private ExtendedJsonParser(ReadOnlySpan<byte> utf8)
    {
        _reader = new Utf8JsonReader(utf8, s_options);
        _path = [];
    }

    /// <summary>Parses a top-level JSON object as a document (never as a type wrapper).</summary>
    public static BsonDocument ParseDocument(ReadOnlySpan<byte> utf8)
    {
        var parser = new ExtendedJsonParser(utf8);
        return parser.Run(topLevelDocument: true).AsDocument;
    }

    /// <summary>Parses any Extended JSON value (an object may be a type wrapper).</summary>
    public static BsonValue ParseValue(ReadOnlySpan<byte> utf8)
    {
        var parser = new ExtendedJsonParser(utf8);
        return parser.Run(topLevelDocument: false);
    }

    private BsonValue Run(bool topLevelDocument)
    {
        try
        {
            if (!_reader.Read())
            {
                throw Error("Empty input: expected an Extended JSON value");
            }

            BsonValue result;
            if (topLevelDocument)
            {
                if (_reader.TokenType != JsonTokenType.StartObject)
                {
                    throw Error($"Expected a JSON object at the top level, found {Describe(_reader.TokenType)}");
                }

                _reader.Read();
                result = ReadDocumentBody(topLevel: true);
            }
            else
            {
                result = ReadValue();
            }

            if (_reader.Read())
            {
                throw Error($"Unexpected {Describe(_reader.TokenType)} after the end of the value");
            }

            return result;
        }
        catch (JsonException ex)
        {
            throw new BsonFormatException($"Invalid JSON: {ex.Message}", _reader.BytesConsumed, PathText(), ex);
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader reports undecodable string content (e.g. invalid UTF-8) this way.
            throw new BsonFormatException($"Invalid JSON text: {ex.Message}", _reader.TokenStartIndex, PathText(), ex);
        }
    }

    private BsonValue ReadValue() => _reader.TokenType switch
    {
        JsonTokenType.String => new BsonString(_reader.GetString()!),
        JsonTokenType.Number => ReadNumber(),
        JsonTokenType.True => BsonBoolean.True,
        JsonTokenType.False => BsonBoolean.False,
        JsonTokenType.Null => BsonNull.Value,
        JsonTokenType.StartArray => ReadArray(),
        JsonTokenType.StartObject => ReadObject(),
        _ => throw Error($"Unexpected {Describe(_reader.TokenType)}"),
    };

    private BsonValue ReadNumber()
    {
        // Relaxed numbers: integers take the smallest integer type that holds them exactly, else double.
        ReadOnlySpan<byte> raw = _reader.ValueSpan;
        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0)
        {
            if (_reader.TryGetInt32(out int i32))
            {
                return BsonInt32.Create(i32);
            }

            if (_reader.TryGetInt64(out long i64))
            {
                return new BsonInt64(i64);
            }
        }

        if (!_reader.TryGetDouble(out double d) || !double.IsFinite(d))
        {
            throw Error($"The number {Encoding.UTF8.GetString(raw)} is outside the range of a double");
        }

        return new BsonDouble(d);
    }

    private BsonArray ReadArray()
    {
        EnterContainer();
        var array = new BsonArray();
        int index = 0;
        while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
        {
            _path.Add(new PathSegment(null, index++));
            array.AddUnchecked(ReadValue());
            _path.RemoveAt(_path.Count - 1);
        }

        _depth--;
        return array;
    }

    /// <summary>Reader on StartObject: a type wrapper or a document.</summary>
    private BsonValue ReadObject()
    {
        Utf8JsonReader start = _reader;
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.PropertyName && FirstByteIsDollar())
        {
            WrapperKind kind = Classify(start);
            if (kind != WrapperKind.None)
            {
                _reader = start;
                return ReadWrapper(kind);
            }
        }

        return ReadDocumentBody(topLevel: false);
    }

    /// <summary>
    /// Reader on the first PropertyName (or EndObject): reads the rest of a plain document. Below the top level a
    /// wrapper key among other keys is an error (the spec's "exactly the keys of the type wrapper" rule); the
    /// top-level object is never a wrapper, so its keys are just names.
    /// </summary>
    private BsonDocument ReadDocumentBody(bool topLevel)
    {
        EnterContainer();
        var document = new BsonDocument();
        while (_reader.TokenType != JsonTokenType.EndObject)
        {
            string name = _reader.GetString()!;
            if (name.Contains('\0', StringComparison.Ordinal))
            {
                // Names are NUL-terminated in BSON: such a document could never be encoded.
                throw Error($"Element name '{name.Replace("\0", "\\u0000", StringComparison.Ordinal)}' contains a NUL character");
            }

            if (!topLevel && name.Length > 0 && name[0] == '$' && IsStrictWrapperKey(name))
            {
                throw Error($"Type wrapper key '{name}' mixed with other keys in one object");
            }

            _path.Add(new PathSegment(name, 0));
            _reader.Read();
            document.AppendUnchecked(name, ReadValue());
            _path.RemoveAt(_path.Count - 1);
            _reader.Read();
        }

        _depth--;
        return document;
    }

    private void EnterContainer()
    {
        if (++_depth > BsonLimits.MaxDepth)
        {
            throw Error($"Documents and arrays are nested more than {BsonLimits.MaxDepth} levels deep (BsonLimits.MaxDepth)");
        }
    }

    private readonly bool FirstByteIsDollar()
    {
        // An escaped name ("\u0024oid") is rare; decode it rather than guess.
        if (_reader.ValueIsEscaped)
        {
            string name = _reader.GetString()!;
            return name.Length > 0 && name[0] == '$';
        }

        ReadOnlySpan<byte> span = _reader.ValueSpan;
        return span.Length > 0 && span[0] == (byte)'$';
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.EndObject => "end of object",
        JsonTokenType.EndArray => "end of array",
        JsonTokenType.PropertyName => "property name",
        _ => type.ToString(),
    };

    private readonly BsonFormatException Error(string message, Exception? inner = null) =>
        new($"Invalid Extended JSON: {message}", _reader.TokenStartIndex, PathText(), inner);

    private readonly string PathText()
    {
        if (_path.Count == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        foreach (PathSegment segment in _path)
        {
            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            if (segment.Name is null)
            {
                builder.Append(segment.Index.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(segment.Name);
            }
        }

        return builder.ToString();
    }

    private readonly record struct PathSegment(string? Name, int Index);
}
