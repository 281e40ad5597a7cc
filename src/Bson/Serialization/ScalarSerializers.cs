namespace Mongo.Bson.Serialization;

/// <summary>
/// The common CLR scalars. Numbers read from any BSON number that holds the value exactly; strings and
/// nullable references read BSON null as null.
/// </summary>
internal sealed class ScalarSerializers :
    IBsonSerializer<int>, IBsonSerializer<long>, IBsonSerializer<double>, IBsonSerializer<string>, IBsonSerializer<bool>,
    IBsonSerializer<decimal>, IBsonSerializer<Decimal128>, IBsonSerializer<ObjectId>, IBsonSerializer<DateTime>, IBsonSerializer<Guid>
{
    public static readonly ScalarSerializers Instance = new();

    public void Serialize(BsonWriter writer, int value) => writer.WriteInt32(value);

    int IBsonSerializer<int>.Deserialize(ref BsonReader reader) =>
        reader.TryGetInt32(out int value) ? value : throw BuiltInSerializers.Mismatch(ref reader, "Int32");

    public void Serialize(BsonWriter writer, long value) => writer.WriteInt64(value);

    long IBsonSerializer<long>.Deserialize(ref BsonReader reader) =>
        reader.TryGetInt64(out long value) ? value : throw BuiltInSerializers.Mismatch(ref reader, "Int64");

    public void Serialize(BsonWriter writer, double value) => writer.WriteDouble(value);

    double IBsonSerializer<double>.Deserialize(ref BsonReader reader) =>
        reader.TryGetDouble(out double value) ? value : throw BuiltInSerializers.Mismatch(ref reader, "Double");

    public void Serialize(BsonWriter writer, string value)
    {
        if (value is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteString(value);
        }
    }

    string IBsonSerializer<string>.Deserialize(ref BsonReader reader)
    {
        if (reader.TokenType == BsonTokenType.Value)
        {
            switch (reader.CurrentType)
            {
                case BsonType.String:
                    return reader.GetString();
                case BsonType.Symbol:
                    return reader.GetSymbol();
                case BsonType.Null:
                    return null!;
            }
        }

        throw BuiltInSerializers.Mismatch(ref reader, "String");
    }

    public void Serialize(BsonWriter writer, bool value) => writer.WriteBoolean(value);

    bool IBsonSerializer<bool>.Deserialize(ref BsonReader reader) =>
        reader.TokenType == BsonTokenType.Value && reader.CurrentType == BsonType.Boolean
            ? reader.GetBoolean()
            : throw BuiltInSerializers.Mismatch(ref reader, "Boolean");

    public void Serialize(BsonWriter writer, decimal value) => writer.WriteDecimal128(new Decimal128(value));

    decimal IBsonSerializer<decimal>.Deserialize(ref BsonReader reader)
    {
        if (reader.TokenType == BsonTokenType.Value && reader.CurrentType == BsonType.Decimal128)
        {
            try
            {
                return reader.GetDecimal128().ToDecimal();
            }
            catch (OverflowException ex)
            {
                throw new BsonException($"The Decimal128 value at '{reader.CurrentPath}' does not fit in System.Decimal.", ex);
            }
        }

        if (reader.TryGetInt64(out long l))
        {
            return l;
        }

        throw BuiltInSerializers.Mismatch(ref reader, "Decimal");
    }

    public void Serialize(BsonWriter writer, Decimal128 value) => writer.WriteDecimal128(value);

    Decimal128 IBsonSerializer<Decimal128>.Deserialize(ref BsonReader reader)
    {
        if (reader.TokenType == BsonTokenType.Value && reader.CurrentType == BsonType.Decimal128)
        {
            return reader.GetDecimal128();
        }

        if (reader.TryGetInt64(out long l))
        {
            return new Decimal128(l);
        }

        throw BuiltInSerializers.Mismatch(ref reader, "Decimal128");
    }

    public void Serialize(BsonWriter writer, ObjectId value) => writer.WriteObjectId(value);

    ObjectId IBsonSerializer<ObjectId>.Deserialize(ref BsonReader reader) =>
        reader.TokenType == BsonTokenType.Value && reader.CurrentType == BsonType.ObjectId
            ? reader.GetObjectId()
            : throw BuiltInSerializers.Mismatch(ref reader, "ObjectId");

    public void Serialize(BsonWriter writer, DateTime value) => writer.WriteDateTime(BsonDateTime.ToMilliseconds(value));

    DateTime IBsonSerializer<DateTime>.Deserialize(ref BsonReader reader)
    {
        if (reader.TokenType != BsonTokenType.Value || reader.CurrentType != BsonType.DateTime)
        {
            throw BuiltInSerializers.Mismatch(ref reader, "DateTime");
        }

        var value = new BsonDateTime(reader.GetDateTime());
        if (!value.IsValidDateTime)
        {
            throw new BsonException($"The BSON datetime {value.MillisecondsSinceEpoch} at '{reader.CurrentPath}' is outside the range of System.DateTime.");
        }

        return value.ToUniversalTime();
    }

    public void Serialize(BsonWriter writer, Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        writer.WriteBinary(bytes, BsonBinarySubType.UuidStandard);
    }

    Guid IBsonSerializer<Guid>.Deserialize(ref BsonReader reader)
    {
        if (reader.TokenType == BsonTokenType.Value && reader.CurrentType == BsonType.Binary)
        {
            ReadOnlySpan<byte> bytes = reader.GetBinary(out BsonBinarySubType subType);
            if (subType == BsonBinarySubType.UuidStandard && bytes.Length == 16)
            {
                return new Guid(bytes, bigEndian: true);
            }

            if (subType == BsonBinarySubType.UuidLegacy)
            {
                throw new BsonException($"The UUID at '{reader.CurrentPath}' uses the legacy subtype 3, whose byte order is ambiguous; read it as BsonBinaryData and call ToGuid with the representation.");
            }
        }

        throw BuiltInSerializers.Mismatch(ref reader, "Guid (binary subtype 4)");
    }
}
