namespace Mongo.Bson.Serialization;

/// <summary>
/// The built-in serializers that generated code and the reflection resolver compose: scalars, nullable values, enums,
/// collections and dictionaries. Each is stateless or immutable and thread-safe; numbers read from any BSON number
/// that holds the value exactly; reference types read BSON null as null.
/// </summary>
public static partial class BsonSerializers
{
    /// <summary><see cref="int"/> as Int32.</summary>
    public static IBsonSerializer<int> Int32 => ScalarSerializers.Instance;

    /// <summary><see cref="long"/> as Int64.</summary>
    public static IBsonSerializer<long> Int64 => ScalarSerializers.Instance;

    /// <summary><see cref="double"/> as Double.</summary>
    public static IBsonSerializer<double> Double => ScalarSerializers.Instance;

    /// <summary><see cref="bool"/> as Boolean.</summary>
    public static IBsonSerializer<bool> Boolean => ScalarSerializers.Instance;

    /// <summary><see cref="string"/> as String (null as Null).</summary>
    public static IBsonSerializer<string> String => ScalarSerializers.Instance;

    /// <summary><see cref="decimal"/> as Decimal128.</summary>
    public static IBsonSerializer<decimal> Decimal => ScalarSerializers.Instance;

    /// <summary><see cref="Bson.Decimal128"/> as Decimal128.</summary>
    public static IBsonSerializer<Decimal128> Decimal128 => ScalarSerializers.Instance;

    /// <summary><see cref="Bson.ObjectId"/> as ObjectId.</summary>
    public static IBsonSerializer<ObjectId> ObjectId => ScalarSerializers.Instance;

    /// <summary>
    /// <see cref="System.DateTime"/> as a UTC datetime: a Local value is converted to UTC, an Unspecified one is taken as UTC;
    /// values read back have <see cref="DateTimeKind.Utc"/>.
    /// </summary>
    public static IBsonSerializer<DateTime> DateTime => ScalarSerializers.Instance;

    /// <summary><see cref="System.Guid"/> as binary subtype 4 (standard representation).</summary>
    public static IBsonSerializer<Guid> Guid => ScalarSerializers.Instance;

    /// <summary>Any value as a <see cref="BsonValue"/>.</summary>
    public static IBsonSerializer<BsonValue> BsonValue => BsonValueSerializer.Instance;

    /// <summary>A document as a <see cref="BsonDocument"/> (null as Null).</summary>
    public static IBsonSerializer<BsonDocument> BsonDocument => BsonDocumentSerializer.Instance;

    /// <summary>A document as a <see cref="Bson.RawBsonDocument"/>.</summary>
    public static IBsonSerializer<RawBsonDocument> RawBsonDocument => RawBsonDocumentSerializer.Instance;
}
