using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Mongo.Bson.Json;

/// <summary>Type wrapper objects: classification by key set, then strict reading of each wrapper's values.</summary>
internal ref partial struct ExtendedJsonParser
{
    private const NumberStyles IntegerStyle = NumberStyles.AllowLeadingSign;
    private const NumberStyles DoubleStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
    private const long MaxRelaxedDateMs = 253402300799999; // 9999-12-31T23:59:59.999Z

    private static readonly string[] s_isoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
    ];

    private enum WrapperKind
    {
        None,
        ObjectId,
        Symbol,
        Int32,
        Int64,
        Double,
        Decimal128,
        Binary,
        LegacyBinary,
        Uuid,
        Code,
        CodeWithScope,
        Timestamp,
        RegularExpression,
        LegacyRegex,
        DBPointer,
        Date,
        MinKey,
        MaxKey,
        Undefined,
    }

    [Flags]
    private enum Keys : uint
    {
        None = 0,
        Oid = 1 << 0,
        Symbol = 1 << 1,
        NumberInt = 1 << 2,
        NumberLong = 1 << 3,
        NumberDouble = 1 << 4,
        NumberDecimal = 1 << 5,
        Binary = 1 << 6,
        Uuid = 1 << 7,
        Code = 1 << 8,
        Scope = 1 << 9,
        Timestamp = 1 << 10,
        RegularExpression = 1 << 11,
        DbPointer = 1 << 12,
        Date = 1 << 13,
        MinKey = 1 << 14,
        MaxKey = 1 << 15,
        Undefined = 1 << 16,

        // Legacy keys that double as query operators ($regex, $options, $type): a document unless the legacy shape fits.
        Regex = 1 << 17,
        Options = 1 << 18,
        Type = 1 << 19,

        Strict = (1 << 17) - 1,
    }

    private static Keys KeyOf(string name) => KeyOf(name.AsSpan());

    private static Keys KeyOf(ReadOnlySpan<byte> name)
    {
        if (name.Length < 4 || name[0] != (byte)'$')
        {
            return Keys.None;
        }

        // Every wrapper key is ASCII, so a non-ASCII name cannot match and ASCII bytes widen to the same chars.
        Span<char> chars = stackalloc char[20];
        if (name.Length > chars.Length || !System.Text.Ascii.IsValid(name))
        {
            return Keys.None;
        }

        System.Text.Ascii.ToUtf16(name, chars, out int written);
        return KeyOf(chars[..written]);
    }

    private static Keys KeyOf(ReadOnlySpan<char> name) => name switch
    {
        "$oid" => Keys.Oid,
        "$symbol" => Keys.Symbol,
        "$numberInt" => Keys.NumberInt,
        "$numberLong" => Keys.NumberLong,
        "$numberDouble" => Keys.NumberDouble,
        "$numberDecimal" => Keys.NumberDecimal,
        "$binary" => Keys.Binary,
        "$uuid" => Keys.Uuid,
        "$code" => Keys.Code,
        "$scope" => Keys.Scope,
        "$timestamp" => Keys.Timestamp,
        "$regularExpression" => Keys.RegularExpression,
        "$dbPointer" => Keys.DbPointer,
        "$date" => Keys.Date,
        "$minKey" => Keys.MinKey,
        "$maxKey" => Keys.MaxKey,
        "$undefined" => Keys.Undefined,
        "$regex" => Keys.Regex,
        "$options" => Keys.Options,
        "$type" => Keys.Type,
        _ => Keys.None,
    };

    private static bool IsStrictWrapperKey(string name) => (KeyOf(name) & Keys.Strict) != 0;

    private static WrapperKind KindOf(Keys key) => key switch
    {
        Keys.Oid => WrapperKind.ObjectId,
        Keys.Symbol => WrapperKind.Symbol,
        Keys.NumberInt => WrapperKind.Int32,
        Keys.NumberLong => WrapperKind.Int64,
        Keys.NumberDouble => WrapperKind.Double,
        Keys.NumberDecimal => WrapperKind.Decimal128,
        Keys.Binary => WrapperKind.Binary,
        Keys.Uuid => WrapperKind.Uuid,
        Keys.Code => WrapperKind.Code,
        Keys.Timestamp => WrapperKind.Timestamp,
        Keys.RegularExpression => WrapperKind.RegularExpression,
        Keys.DbPointer => WrapperKind.DBPointer,
        Keys.Date => WrapperKind.Date,
        Keys.MinKey => WrapperKind.MinKey,
        Keys.MaxKey => WrapperKind.MaxKey,
        Keys.Undefined => WrapperKind.Undefined,
        _ => WrapperKind.None,
    };

    /// <summary>Looks ahead over the keys of the object starting at <paramref name="scan"/> (a copy of the reader on StartObject).</summary>
    private readonly WrapperKind Classify(Utf8JsonReader scan)
    {
        Keys keys = Keys.None;
        int total = 0;
        bool duplicate = false;
        JsonTokenType regexValue = JsonTokenType.None, binaryValue = JsonTokenType.None;
        scan.Read();
        while (scan.TokenType == JsonTokenType.PropertyName)
        {
            // Names are compared as UTF-8 without allocating; an escaped name is rare and decoded first.
            Keys key = scan.ValueIsEscaped ? KeyOf(scan.GetString()!) : KeyOf(scan.ValueSpan);
            total++;
            duplicate |= (keys & key) != 0;
            keys |= key;
            scan.Read();
            if (key == Keys.Regex)
            {
                regexValue = scan.TokenType;
            }
            else if (key == Keys.Binary)
            {
                binaryValue = scan.TokenType;
            }

            scan.Skip();
            scan.Read();
        }

        bool exact = !duplicate && total == BitOperations.PopCount((uint)keys);
        if ((keys & Keys.Regex) != 0 && regexValue != JsonTokenType.StartObject)
        {
            // Legacy {"$regex": "...", "$options": "..."}; an object value is the $regex query operator instead.
            if (regexValue != JsonTokenType.String)
            {
                throw Error("$regex must be a string (legacy regular expression) or an object (query operator)");
            }

            return exact && (keys & ~(Keys.Regex | Keys.Options)) == 0
                ? WrapperKind.LegacyRegex
                : throw Error("A legacy {\"$regex\": ..., \"$options\": ...} object must have no other keys");
        }

        if (exact && keys == (Keys.Binary | Keys.Type) && binaryValue == JsonTokenType.String)
        {
            return WrapperKind.LegacyBinary;
        }

        if ((keys & Keys.Strict) == 0)
        {
            return WrapperKind.None; // a document: DBRef, query operators ($regex with an object, $type alone), unknown $keys
        }

        if (exact && keys == Keys.Code)
        {
            return WrapperKind.Code;
        }

        if (exact && keys == (Keys.Code | Keys.Scope))
        {
            return WrapperKind.CodeWithScope;
        }

        if (exact && BitOperations.IsPow2((uint)keys) && KindOf(keys) != WrapperKind.None)
        {
            return KindOf(keys);
        }

        throw Error(duplicate
            ? "A type wrapper object has a duplicate key"
            : "A type wrapper object must have exactly the keys of its type (e.g. {\"$code\": ..., \"$scope\": ...}; other keys are not allowed)");
    }

    /// <summary>Reader on the wrapper's StartObject; ends on its EndObject.</summary>
    private BsonValue ReadWrapper(WrapperKind kind)
    {
        switch (kind)
        {
            case WrapperKind.CodeWithScope:
                return ReadCodeWithScope();
            case WrapperKind.LegacyRegex:
                return ReadLegacyRegex();
            case WrapperKind.LegacyBinary:
                return ReadLegacyBinary();
        }

        NextProperty(out string key);
        BsonValue value = kind switch
        {
            WrapperKind.ObjectId => new BsonObjectId(ParseObjectId(ExpectString(key))),
            WrapperKind.Symbol => new BsonSymbol(ExpectString(key)),
            WrapperKind.Int32 => ParseInt32(ExpectString(key)),
            WrapperKind.Int64 => ParseInt64(ExpectString(key)),
            WrapperKind.Double => new BsonDouble(ParseDouble(ExpectString(key))),
            WrapperKind.Decimal128 => new BsonDecimal128(ParseDecimal(ExpectString(key))),
            WrapperKind.Binary => ReadCanonicalBinary(),
            WrapperKind.Uuid => ParseUuid(ExpectString(key)),
            WrapperKind.Code => new BsonJavaScript(ExpectString(key)),
            WrapperKind.Timestamp => ReadTimestamp(),
            WrapperKind.RegularExpression => ReadRegularExpression(),
            WrapperKind.DBPointer => ReadDBPointer(),
            WrapperKind.Date => ReadDate(),
            WrapperKind.MinKey => ExpectOne(key, BsonMinKey.Value),
            WrapperKind.MaxKey => ExpectOne(key, BsonMaxKey.Value),
            WrapperKind.Undefined => _reader.TokenType == JsonTokenType.True
                ? BsonUndefined.Value
                : throw Error("$undefined must be true"),
            _ => throw new InvalidOperationException($"Unhandled wrapper kind {kind}."),
        };

        _reader.Read(); // EndObject: Classify guaranteed a single key
        return value;
    }

    /// <summary>Advances to the next property and its value; false at EndObject.</summary>
    private bool NextProperty(out string name)
    {
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.EndObject)
        {
            name = string.Empty;
            return false;
        }

        name = _reader.GetString()!;
        _reader.Read();
        return true;
    }

    private readonly string ExpectString(string key) => _reader.TokenType == JsonTokenType.String
        ? _reader.GetString()!
        : throw Error($"The value of {key} must be a string, found {Describe(_reader.TokenType)}");

    private readonly BsonValue ExpectOne(string key, BsonValue value) =>
        _reader.TokenType == JsonTokenType.Number && _reader.ValueSpan.SequenceEqual("1"u8)
            ? value
            : throw Error($"The value of {key} must be the number 1");

    private readonly void ExpectStartObject(string key)
    {
        if (_reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error($"The value of {key} must be an object, found {Describe(_reader.TokenType)}");
        }
    }

    private readonly BsonFormatException UnexpectedKey(string wrapper, string key) =>
        Error($"Unexpected key '{key}' in {wrapper}");

    private readonly BsonFormatException MissingKey(string wrapper, string key) =>
        Error($"{wrapper} is missing its '{key}' key");

    private BsonValue ReadCodeWithScope()
    {
        string? code = null;
        BsonDocument? scope = null;
        while (NextProperty(out string key))
        {
            if (key == "$code")
            {
                code = ExpectString(key);
            }
            else
            {
                ExpectStartObject(key);
                _path.Add(new PathSegment("$scope", 0));
                _reader.Read();
                scope = ReadDocumentBody(topLevel: false);
                _path.RemoveAt(_path.Count - 1);
            }
        }

        return new BsonJavaScriptWithScope(code!, scope!);
    }

    private BsonValue ReadLegacyRegex()
    {
        string? pattern = null, options = null;
        while (NextProperty(out string key))
        {
            if (key == "$regex")
            {
                pattern = ExpectString(key);
            }
            else
            {
                options = ExpectString(key);
            }
        }

        return NewRegex(pattern!, options ?? string.Empty);
    }

    /// <summary>
    /// BSON stores a regex's pattern and options as NUL-terminated strings, so a NUL in either could never be
    /// encoded; the corpus makes it a parse error rather than a later encoding error.
    /// </summary>
    private readonly BsonRegularExpression NewRegex(string pattern, string options)
    {
        if (pattern.Contains('\0', StringComparison.Ordinal))
        {
            throw Error("A regular expression pattern cannot contain a NUL character");
        }

        if (options.Contains('\0', StringComparison.Ordinal))
        {
            throw Error("Regular expression options cannot contain a NUL character");
        }

        return new BsonRegularExpression(pattern, options);
    }

    private BsonValue ReadLegacyBinary()
    {
        string? base64 = null, type = null;
        while (NextProperty(out string key))
        {
            if (key == "$binary")
            {
                base64 = ExpectString(key);
            }
            else
            {
                type = ExpectString(key);
            }
        }

        return new BsonBinaryData(ParseBase64(base64!), ParseSubType(type!));
    }

    private BsonValue ReadCanonicalBinary()
    {
        ExpectStartObject("$binary");
        string? base64 = null, subType = null;
        while (NextProperty(out string key))
        {
            if (key == "base64" && base64 is null)
            {
                base64 = ExpectString(key);
            }
            else if (key == "subType" && subType is null)
            {
                subType = ExpectString(key);
            }
            else
            {
                throw UnexpectedKey("$binary", key);
            }
        }

        return new BsonBinaryData(
            ParseBase64(base64 ?? throw MissingKey("$binary", "base64")),
            ParseSubType(subType ?? throw MissingKey("$binary", "subType")));
    }

    private BsonValue ReadTimestamp()
    {
        ExpectStartObject("$timestamp");
        uint? t = null, i = null;
        while (NextProperty(out string key))
        {
            if (key == "t" && t is null)
            {
                t = ExpectUInt32("$timestamp.t");
            }
            else if (key == "i" && i is null)
            {
                i = ExpectUInt32("$timestamp.i");
            }
            else
            {
                throw UnexpectedKey("$timestamp", key);
            }
        }

        return new BsonTimestamp(t ?? throw MissingKey("$timestamp", "t"), i ?? throw MissingKey("$timestamp", "i"));
    }

    private readonly uint ExpectUInt32(string key) =>
        _reader.TokenType == JsonTokenType.Number && _reader.TryGetUInt32(out uint value)
            ? value
            : throw Error($"{key} must be an integer from 0 to 4294967295");

    private BsonValue ReadRegularExpression()
    {
        ExpectStartObject("$regularExpression");
        string? pattern = null, options = null;
        while (NextProperty(out string key))
        {
            if (key == "pattern" && pattern is null)
            {
                pattern = ExpectString(key);
            }
            else if (key == "options" && options is null)
            {
                options = ExpectString(key);
            }
            else
            {
                throw UnexpectedKey("$regularExpression", key);
            }
        }

        return NewRegex(
            pattern ?? throw MissingKey("$regularExpression", "pattern"),
            options ?? throw MissingKey("$regularExpression", "options"));
    }

    private BsonValue ReadDBPointer()
    {
        ExpectStartObject("$dbPointer");
        string? ns = null;
        ObjectId? id = null;
        while (NextProperty(out string key))
        {
            if (key == "$ref" && ns is null)
            {
                ns = ExpectString(key);
            }
            else if (key == "$id" && id is null)
            {
                id = _reader.TokenType == JsonTokenType.StartObject && ReadValue() is BsonObjectId oid
                    ? oid.Value
                    : throw Error("$dbPointer.$id must be an ObjectId ({\"$oid\": ...})");
            }
            else
            {
                throw UnexpectedKey("$dbPointer", key);
            }
        }

        return new BsonDBPointer(ns ?? throw MissingKey("$dbPointer", "$ref"), id ?? throw MissingKey("$dbPointer", "$id"));
    }

    private BsonValue ReadDate()
    {
        switch (_reader.TokenType)
        {
            case JsonTokenType.String:
                return new BsonDateTime(ParseIsoDate(_reader.GetString()!));
            case JsonTokenType.Number:
                // The bson-corpus parse errors list {"$date": 42}: v2 has no bare-number form, so it is not guessed at.
                throw Error("$date must be an ISO-8601 string or {\"$numberLong\": \"<milliseconds>\"}, not a bare number");
            case JsonTokenType.StartObject:
                // From an object, only {"$numberLong": ...} reads as an Int64.
                return ReadValue() is BsonInt64 wrapped
                    ? new BsonDateTime(wrapped.Value)
                    : throw Error("$date as an object must be {\"$numberLong\": \"<milliseconds>\"}");
            default:
                throw Error($"The value of $date must be a string or {{\"$numberLong\": ...}}, found {Describe(_reader.TokenType)}");
        }
    }

    private readonly ObjectId ParseObjectId(string text) =>
        ObjectId.TryParse(text, out ObjectId id) ? id : throw Error($"Invalid $oid '{Abbreviate(text)}': expected 24 hexadecimal digits");

    private readonly BsonValue ParseInt32(string text) =>
        int.TryParse(text, IntegerStyle, CultureInfo.InvariantCulture, out int value)
            ? BsonInt32.Create(value)
            : throw Error($"Invalid $numberInt '{Abbreviate(text)}': expected a 32-bit integer as a string");

    private readonly BsonValue ParseInt64(string text) =>
        long.TryParse(text, IntegerStyle, CultureInfo.InvariantCulture, out long value)
            ? new BsonInt64(value)
            : throw Error($"Invalid $numberLong '{Abbreviate(text)}': expected a 64-bit integer as a string");

    private readonly double ParseDouble(string text)
    {
        switch (text)
        {
            case "Infinity":
                return double.PositiveInfinity;
            case "-Infinity":
                return double.NegativeInfinity;
            case "NaN":
                return double.NaN;
        }

        return double.TryParse(text, DoubleStyle, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw Error($"Invalid $numberDouble '{Abbreviate(text)}': expected a finite decimal number, \"Infinity\", \"-Infinity\" or \"NaN\"");
    }

    private readonly Decimal128 ParseDecimal(string text)
    {
        try
        {
            return Decimal128.Parse(text);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            throw Error($"Invalid $numberDecimal: {ex.Message}", ex);
        }
    }

    private readonly BsonValue ParseUuid(string text)
    {
        // RFC 4122 text with hyphens (required by the spec) or without them (allowed).
        if (!Guid.TryParseExact(text, "D", out Guid guid) && !Guid.TryParseExact(text, "N", out guid))
        {
            throw Error($"Invalid $uuid '{Abbreviate(text)}': expected 32 hexadecimal digits in 8-4-4-4-12 groups");
        }

        return BsonBinaryData.FromGuid(guid, GuidRepresentation.Standard);
    }

    private readonly byte[] ParseBase64(string text)
    {
        if (text.Length % 4 != 0)
        {
            throw Error("Invalid base64 in $binary: the payload must be padded with '='");
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException ex)
        {
            throw Error($"Invalid base64 in $binary: {ex.Message}", ex);
        }
    }

    private readonly BsonBinarySubType ParseSubType(string text) =>
        text.Length is 1 or 2 && byte.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte subType)
            ? (BsonBinarySubType)subType
            : throw Error($"Invalid binary subType '{Abbreviate(text)}': expected one or two hexadecimal digits");

    private readonly long ParseIsoDate(string text)
    {
        if (DateTimeOffset.TryParseExact(text, s_isoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset value))
        {
            return value.ToUnixTimeMilliseconds();
        }

        throw Error($"Invalid $date '{Abbreviate(text)}': expected an ISO-8601 date-time such as 1970-01-01T00:00:00Z");
    }

    /// <summary>Whether a datetime has a relaxed ISO-8601 form (years 1970 to 9999).</summary>
    internal static bool HasIsoForm(long millisecondsSinceEpoch) => millisecondsSinceEpoch is >= 0 and <= MaxRelaxedDateMs;

    private static string Abbreviate(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}
