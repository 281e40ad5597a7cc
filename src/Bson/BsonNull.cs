namespace Mongo.Bson;

/// <summary>The BSON Null value. There is one instance, <see cref="Value"/>.</summary>
public sealed class BsonNull : BsonValue
{
    private BsonNull() { }

    /// <summary>The single instance.</summary>
    public static BsonNull Value { get; } = new();

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.Null;

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) => other is BsonNull;

    /// <inheritdoc />
    public override int GetHashCode() => (int)BsonType.Null;

    /// <inheritdoc />
    public override string ToString() => "null";
}
