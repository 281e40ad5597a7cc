namespace Mongo.Bson;

/// <summary>The BSON MinKey value. There is one instance, <see cref="Value"/>.</summary>
public sealed class BsonMinKey : BsonValue
{
    private BsonMinKey() { }

    /// <summary>The single instance.</summary>
    public static BsonMinKey Value { get; } = new();

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.MinKey;

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) => other is BsonMinKey;

    /// <inheritdoc />
    public override int GetHashCode() => (int)BsonType.MinKey;

    /// <inheritdoc />
    public override string ToString() => "MinKey";
}
