namespace Mongo.Bson;

/// <summary>A BSON DBPointer (deprecated, still readable): a namespace and an ObjectId.</summary>
public sealed class BsonDBPointer : BsonValue
{
    /// <summary>Creates a value.</summary>
    public BsonDBPointer(string @namespace, ObjectId id)
    {
        Namespace = @namespace ?? throw new ArgumentNullException(nameof(@namespace));
        Id = id;
    }

    /// <summary>The namespace (<c>database.collection</c>).</summary>
    public string Namespace { get; }

    /// <summary>The referenced id.</summary>
    public ObjectId Id { get; }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.DBPointer;

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) => other is BsonDBPointer p && p.Namespace == Namespace && p.Id == Id;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Namespace, Id);

    /// <inheritdoc />
    public override string ToString() => $"DBPointer({Namespace}, {Id})";
}
