namespace Mongo.Bson;

/// <summary>A BSON boolean. There are exactly two instances.</summary>
public sealed class BsonBoolean : BsonValue
{
    private BsonBoolean(bool value) => Value = value;

    /// <summary>The true value.</summary>
    public static BsonBoolean True { get; } = new(true);

    /// <summary>The false value.</summary>
    public static BsonBoolean False { get; } = new(false);

    /// <summary>The value.</summary>
    public bool Value { get; }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.Boolean;

    /// <summary>The shared instance for a value.</summary>
    public static BsonBoolean Create(bool value) => value ? True : False;

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) => other is BsonBoolean b && b.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Value ? "true" : "false";
}
