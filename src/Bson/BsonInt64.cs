using System.Globalization;

namespace Mongo.Bson;

/// <summary>A BSON 64-bit signed integer.</summary>
public sealed class BsonInt64 : BsonValue
{
    /// <summary>Creates a value.</summary>
    public BsonInt64(long value) => Value = value;

    /// <summary>The value.</summary>
    public long Value { get; }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.Int64;

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) => other is BsonInt64 i && i.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
