namespace Mongo.Bson;

/// <summary>A BSON 128-bit decimal floating point value.</summary>
public sealed class BsonDecimal128 : BsonValue
{
    /// <summary>Creates a value.</summary>
    public BsonDecimal128(Decimal128 value) => Value = value;

    /// <summary>The value.</summary>
    public Decimal128 Value { get; }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.Decimal128;

    /// <summary>Bitwise equality of the encodings.</summary>
    public override bool Equals(BsonValue? other) => other is BsonDecimal128 d && d.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Value.ToString() ?? string.Empty;
}
