namespace Mongo.Bson;

/// <summary>The BSON MaxKey value. There is one instance, <see cref="Value"/>.</summary>
public sealed class BsonMaxKey : BsonValue
{
    private BsonMaxKey() { }

    /// <summary>The single instance.</summary>
    public static BsonMaxKey Value { get; } = new();

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.MaxKey;

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) => other is BsonMaxKey;

    /// <inheritdoc />
    public override int GetHashCode() => (int)BsonType.MaxKey;

    /// <inheritdoc />
    public override string ToString() => "MaxKey";
}
