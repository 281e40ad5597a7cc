namespace Mongo.Bson.Serialization;

/// <summary>
/// Documents as <c>Dictionary&lt;string, object?&gt;</c>. Values map to natural CLR types: int, long, double,
/// string, bool, <see cref="Decimal128"/>, <see cref="ObjectId"/>, <see cref="DateTime"/> (UTC), <see cref="Guid"/>
/// (subtype 4), <c>byte[]</c> (other binary), nested dictionaries, <c>List&lt;object?&gt;</c> for arrays, null;
/// anything else stays a <see cref="BsonValue"/>. Duplicate names: the last one wins.
/// </summary>
internal sealed class DictionarySerializer : IBsonSerializer<Dictionary<string, object?>>
{
    public static readonly DictionarySerializer Instance = new();

    public void Serialize(BsonWriter writer, Dictionary<string, object?> value)
    {
        if (value is null)
        {
            writer.WriteNull();
            return;
        }

        writer.WriteStartDocument();
        foreach (KeyValuePair<string, object?> pair in value)
        {
            writer.WriteName(pair.Key);
            writer.WriteValue(BsonValue.Create(pair.Value));
        }

        writer.WriteEndDocument();
    }

    public Dictionary<string, object?> Deserialize(ref BsonReader reader)
    {
        if (reader.TokenType == BsonTokenType.Value && reader.CurrentType == BsonType.Null)
        {
            return null!;
        }

        if (reader.TokenType != BsonTokenType.StartDocument)
        {
            throw BuiltInSerializers.Mismatch(ref reader, "Dictionary<string, object?>");
        }

        return ReadDocument(ref reader);
    }

    private static Dictionary<string, object?> ReadDocument(ref BsonReader reader)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != BsonTokenType.EndDocument)
        {
            string name = reader.GetName();
            result[name] = ReadValue(ref reader);
        }

        return result;
    }

    internal static object? ReadValue(ref BsonReader reader)
    {
        switch (reader.TokenType)
        {
            case BsonTokenType.StartDocument:
                return ReadDocument(ref reader);
            case BsonTokenType.StartArray:
                var list = new List<object?>();
                while (reader.Read() && reader.TokenType != BsonTokenType.EndArray)
                {
                    list.Add(ReadValue(ref reader));
                }

                return list;
        }

        switch (reader.CurrentType)
        {
            case BsonType.Int32:
                return reader.GetInt32();
            case BsonType.Int64:
                return reader.GetInt64();
            case BsonType.Double:
                return reader.GetDouble();
            case BsonType.String:
                return reader.GetString();
            case BsonType.Boolean:
                return reader.GetBoolean();
            case BsonType.Null:
                return null;
            case BsonType.Decimal128:
                return reader.GetDecimal128();
            case BsonType.ObjectId:
                return reader.GetObjectId();
            case BsonType.DateTime:
                var dateTime = new BsonDateTime(reader.GetDateTime());
                return dateTime.IsValidDateTime ? dateTime.ToUniversalTime() : dateTime;
            case BsonType.Binary:
                ReadOnlySpan<byte> bytes = reader.GetBinary(out BsonBinarySubType subType);
                if (subType == BsonBinarySubType.UuidStandard && bytes.Length == 16)
                {
                    return new Guid(bytes, bigEndian: true);
                }

                return subType == BsonBinarySubType.Binary ? bytes.ToArray() : new BsonBinaryData(bytes.ToArray(), subType);
            default:
                return reader.GetValue();
        }
    }
}
