namespace Mongo.Bson;

/// <summary>A BSON ObjectId value.</summary>
public sealed class BsonObjectId : BsonValue
{
    /// <summary>Creates a value.</summary>
    public BsonObjectId(ObjectId value) => Value = value;

    /// <summary>The value.</summary>
    public ObjectId Value { get; }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.ObjectId;

    /// <summary>A value holding a freshly generated ObjectId.</summary>
    public static BsonObjectId GenerateNewId() => new(ObjectId.GenerateNewId());

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) => other is BsonObjectId o && o.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Value.ToString();
}
