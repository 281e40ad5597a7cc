namespace Mongo.Bson;

public abstract partial class BsonValue
{
    /// <summary>An Int32 value.</summary>
    public static implicit operator BsonValue(int value) => BsonInt32.Create(value);

    /// <summary>An Int64 value.</summary>
    public static implicit operator BsonValue(long value) => new BsonInt64(value);

    /// <summary>A Double value.</summary>
    public static implicit operator BsonValue(double value) => new BsonDouble(value);

    /// <summary>A string value; a null string becomes BSON null.</summary>
    public static implicit operator BsonValue(string? value) => value is null ? BsonNull.Value : new BsonString(value);

    /// <summary>A boolean value.</summary>
    public static implicit operator BsonValue(bool value) => BsonBoolean.Create(value);

    /// <summary>A UTC datetime value (local times are converted to UTC).</summary>
    public static implicit operator BsonValue(DateTime value) => new BsonDateTime(value);

    /// <summary>An ObjectId value.</summary>
    public static implicit operator BsonValue(ObjectId value) => new BsonObjectId(value);

    /// <summary>A Decimal128 value.</summary>
    public static implicit operator BsonValue(Decimal128 value) => new BsonDecimal128(value);

    /// <summary>A UUID in the standard representation (binary subtype 4).</summary>
    public static implicit operator BsonValue(Guid value) => BsonBinaryData.FromGuid(value, GuidRepresentation.Standard);

    /// <summary>Generic binary data (subtype 0); a null array becomes BSON null.</summary>
    public static implicit operator BsonValue(byte[]? value) => value is null ? BsonNull.Value : new BsonBinaryData(value);

    /// <summary>The Int32 value (throws <see cref="InvalidCastException"/> for other types).</summary>
    public static explicit operator int(BsonValue value) => value.AsInt32;

    /// <summary>The Int64 value (throws <see cref="InvalidCastException"/> for other types).</summary>
    public static explicit operator long(BsonValue value) => value.AsInt64;

    /// <summary>The Double value (throws <see cref="InvalidCastException"/> for other types).</summary>
    public static explicit operator double(BsonValue value) => value.AsDouble;

    /// <summary>The string value (throws <see cref="InvalidCastException"/> for other types).</summary>
    public static explicit operator string(BsonValue value) => value.AsString;

    /// <summary>The boolean value (throws <see cref="InvalidCastException"/> for other types).</summary>
    public static explicit operator bool(BsonValue value) => value.AsBoolean;

    /// <summary>The ObjectId value (throws <see cref="InvalidCastException"/> for other types).</summary>
    public static explicit operator ObjectId(BsonValue value) => value.AsObjectId;

    /// <summary>The datetime as UTC (throws <see cref="InvalidCastException"/> for other types).</summary>
    public static explicit operator DateTime(BsonValue value) => value.AsDateTime;

    /// <summary>
    /// Maps a CLR value to a BSON value: null, BSON values themselves, the primitive types with implicit
    /// conversions, dictionaries with string keys (documents) and other enumerables (arrays).
    /// </summary>
    /// <exception cref="ArgumentException">The value's type has no BSON mapping.</exception>
    public static BsonValue Create(object? value) => value switch
    {
        null => BsonNull.Value,
        BsonValue bson => bson,
        int i => BsonInt32.Create(i),
        long l => new BsonInt64(l),
        double d => new BsonDouble(d),
        float f => new BsonDouble(f),
        short s => BsonInt32.Create(s),
        byte b => BsonInt32.Create(b),
        sbyte sb => BsonInt32.Create(sb),
        ushort us => BsonInt32.Create(us),
        uint ui => new BsonInt64(ui),
        string str => new BsonString(str),
        bool flag => BsonBoolean.Create(flag),
        DateTime dt => new BsonDateTime(dt),
        DateTimeOffset dto => new BsonDateTime(dto.ToUnixTimeMilliseconds()),
        ObjectId oid => new BsonObjectId(oid),
        Decimal128 dec => new BsonDecimal128(dec),
        Guid guid => BsonBinaryData.FromGuid(guid, GuidRepresentation.Standard),
        byte[] bytes => new BsonBinaryData(bytes),
        System.Text.RegularExpressions.Regex regex => FromRegex(regex),
        IEnumerable<KeyValuePair<string, object?>> map => FromMap(map),
        System.Collections.IEnumerable sequence => FromSequence(sequence),
        _ => throw new ArgumentException($"No BSON mapping for a value of type {value.GetType()}.", nameof(value)),
    };

    private static BsonDocument FromMap(IEnumerable<KeyValuePair<string, object?>> map)
    {
        var doc = new BsonDocument();
        foreach (var pair in map)
        {
            doc.Add(pair.Key, Create(pair.Value));
        }

        return doc;
    }

    private static BsonArray FromSequence(System.Collections.IEnumerable sequence)
    {
        var array = new BsonArray();
        foreach (object? item in sequence)
        {
            array.Add(Create(item));
        }

        return array;
    }

    private static BsonRegularExpression FromRegex(System.Text.RegularExpressions.Regex regex)
    {
        var options = regex.Options;
        string flags = string.Concat(
            (options & System.Text.RegularExpressions.RegexOptions.IgnoreCase) != 0 ? "i" : "",
            (options & System.Text.RegularExpressions.RegexOptions.Multiline) != 0 ? "m" : "",
            (options & System.Text.RegularExpressions.RegexOptions.Singleline) != 0 ? "s" : "",
            (options & System.Text.RegularExpressions.RegexOptions.IgnorePatternWhitespace) != 0 ? "x" : "");
        return new BsonRegularExpression(regex.ToString(), flags);
    }
}
