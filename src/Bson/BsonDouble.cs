using System.Globalization;

namespace Mongo.Bson;

/// <summary>A BSON 64-bit binary floating point value.</summary>
public sealed class BsonDouble : BsonValue
{
    /// <summary>Creates a value.</summary>
    public BsonDouble(double value) => Value = value;

    /// <summary>The value.</summary>
    public double Value { get; }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.Double;

    /// <summary>Equal when the other is a Double with the same value (NaN equals NaN here, as DOM equality must be reflexive).</summary>
    public override bool Equals(BsonValue? other) => other is BsonDouble d && (d.Value.Equals(Value));

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
}
