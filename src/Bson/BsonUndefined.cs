namespace Mongo.Bson;

/// <summary>The BSON Undefined value. There is one instance, <see cref="Value"/>.</summary>
public sealed class BsonUndefined : BsonValue
{
    private BsonUndefined() { }

    /// <summary>The single instance.</summary>
    public static BsonUndefined Value { get; } = new();

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.Undefined;

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) => other is BsonUndefined;

    /// <inheritdoc />
    public override int GetHashCode() => (int)BsonType.Undefined;

    /// <inheritdoc />
    public override string ToString() => "undefined";
}
