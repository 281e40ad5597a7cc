namespace Mongo.Bson;

/// <summary>Exact numeric conversions through <see cref="Decimal128"/>.</summary>
public abstract partial class BsonValue
{
    /// <summary>
    /// Converts a numeric value to Decimal128: Int32 and Int64 exactly, Double via its shortest round-trip
    /// string (see <see cref="Decimal128(double)"/>), Decimal128 as is. Throws <see cref="InvalidCastException"/> for other types.
    /// </summary>
    public Decimal128 ToDecimal128() => BsonType switch
    {
        BsonType.Int32 => new Decimal128(((BsonInt32)this).Value),
        BsonType.Int64 => new Decimal128(((BsonInt64)this).Value),
        BsonType.Double => new Decimal128(((BsonDouble)this).Value),
        BsonType.Decimal128 => ((BsonDecimal128)this).Value,
        _ => throw new InvalidCastException($"A BSON {BsonType} is not numeric."),
    };
}
