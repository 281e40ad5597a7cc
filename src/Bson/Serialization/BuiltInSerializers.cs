using Mongo.Bson.Internal;

namespace Mongo.Bson.Serialization;

/// <summary>The serializers every registry starts with.</summary>
internal static class BuiltInSerializers
{
    public static void RegisterAll(BsonSerializerRegistry registry)
    {
        registry.Register<BsonDocument>(BsonDocumentSerializer.Instance);
        registry.Register<RawBsonDocument>(RawBsonDocumentSerializer.Instance);
        registry.Register<BsonValue>(BsonValueSerializer.Instance);
        registry.Register<int>(ScalarSerializers.Instance);
        registry.Register<long>(ScalarSerializers.Instance);
        registry.Register<double>(ScalarSerializers.Instance);
        registry.Register<string>(ScalarSerializers.Instance);
        registry.Register<bool>(ScalarSerializers.Instance);
        registry.Register<decimal>(ScalarSerializers.Instance);
        registry.Register<Decimal128>(ScalarSerializers.Instance);
        registry.Register<ObjectId>(ScalarSerializers.Instance);
        registry.Register<DateTime>(ScalarSerializers.Instance);
        registry.Register<Guid>(ScalarSerializers.Instance);
        registry.Register<Dictionary<string, object?>>(DictionarySerializer.Instance);
    }

    /// <summary>The error for a value of the wrong BSON type, naming the path.</summary>
    public static BsonException Mismatch(ref BsonReader reader, string target)
    {
        string found = reader.TokenType == BsonTokenType.Value ? reader.CurrentType.ToString() : reader.TokenType.ToString();
        string path = reader.CurrentPath;
        return BsonErrors.Misuse($"Cannot deserialize {target} from BSON {found}.", reader.ValueOffset, path);
    }
}

/// <summary>Documents as <see cref="BsonDocument"/> (BSON null as a null reference).</summary>
internal sealed class BsonDocumentSerializer : IBsonSerializer<BsonDocument>
{
    public static readonly BsonDocumentSerializer Instance = new();

    public void Serialize(BsonWriter writer, BsonDocument value)
    {
        if (value is null)
        {
            writer.WriteNull();
            return;
        }

        value.WriteTo(writer);
    }

    public BsonDocument Deserialize(ref BsonReader reader)
    {
        if (reader.TokenType == BsonTokenType.Value && reader.CurrentType == BsonType.Null)
        {
            return null!;
        }

        if (reader.TokenType != BsonTokenType.StartDocument)
        {
            throw BuiltInSerializers.Mismatch(ref reader, nameof(BsonDocument));
        }

        return (BsonDocument)reader.GetValue();
    }
}

/// <summary>Documents as <see cref="RawBsonDocument"/> views.</summary>
internal sealed class RawBsonDocumentSerializer : IBsonSerializer<RawBsonDocument>
{
    public static readonly RawBsonDocumentSerializer Instance = new();

    public void Serialize(BsonWriter writer, RawBsonDocument value)
    {
        if (value is null)
        {
            writer.WriteNull();
            return;
        }

        writer.WriteRawDocument(value.Bytes.Span);
    }

    public RawBsonDocument Deserialize(ref BsonReader reader)
    {
        if (reader.TokenType == BsonTokenType.Value && reader.CurrentType == BsonType.Null)
        {
            return null!;
        }

        if (reader.TokenType != BsonTokenType.StartDocument)
        {
            throw BuiltInSerializers.Mismatch(ref reader, nameof(RawBsonDocument));
        }

        return reader.GetRawDocument();
    }
}

/// <summary>Any value as a <see cref="BsonValue"/>.</summary>
internal sealed class BsonValueSerializer : IBsonSerializer<BsonValue>
{
    public static readonly BsonValueSerializer Instance = new();

    public void Serialize(BsonWriter writer, BsonValue value) => writer.WriteValue(value ?? BsonNull.Value);

    public BsonValue Deserialize(ref BsonReader reader) => reader.GetValue();
}
