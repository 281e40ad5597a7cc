namespace Mongo.Bson.Serialization;

/// <summary>
/// Marks the member stored as <c>_id</c>. Without it a member named <c>Id</c>, <c>id</c> or <c>_id</c> is the id.
/// A default <see cref="ObjectId"/>, <see cref="Guid"/> or ObjectId-as-string id is generated on insert and set back.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = true)]
public sealed class BsonIdAttribute : Attribute
{
}

/// <summary>Names the BSON element a member is stored as, and opts a non-public or get-only member in.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = true)]
public sealed class BsonElementAttribute : Attribute
{
    /// <summary>Keeps the name the naming convention gives.</summary>
    public BsonElementAttribute()
    {
    }

    /// <summary>Stores the member as <paramref name="elementName"/>.</summary>
    public BsonElementAttribute(string elementName) => ElementName = elementName;

    /// <summary>The element name, or null for the naming convention's.</summary>
    public string? ElementName { get; }

    /// <summary>Members with a lower order are written first; unordered members keep declaration order after them.</summary>
    public int Order { get; set; } = int.MaxValue;
}

/// <summary>The member is neither written nor read.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = true)]
public sealed class BsonIgnoreAttribute : Attribute
{
}

/// <summary>The member is not written when it is null.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = true)]
public sealed class BsonIgnoreIfNullAttribute : Attribute
{
}

/// <summary>The member is not written when it equals its type's default (null, 0, false, <see cref="Guid.Empty"/>, ...).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = true)]
public sealed class BsonIgnoreIfDefaultAttribute : Attribute
{
}

/// <summary>
/// The member must be present when reading; its absence throws a <see cref="BsonSerializationException"/>.
/// C# <c>required</c> members and constructor parameters without a default value are required without it.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = true)]
public sealed class BsonRequiredAttribute : Attribute
{
}

/// <summary>
/// Stores the member as another BSON type: <see cref="ObjectId"/> as <see cref="BsonType.String"/>, an enum as
/// <see cref="BsonType.String"/>, <c>decimal</c> as <see cref="BsonType.Double"/> or <see cref="BsonType.String"/>,
/// numbers as other numbers, <see cref="Guid"/> as <see cref="BsonType.String"/>. For a collection it applies to the items.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = true)]
public sealed class BsonRepresentationAttribute : Attribute
{
    /// <summary>Stores the member as <paramref name="representation"/>.</summary>
    public BsonRepresentationAttribute(BsonType representation) => Representation = representation;

    /// <summary>The BSON type the member is stored as.</summary>
    public BsonType Representation { get; }
}

/// <summary>
/// A <see cref="BsonDocument"/> or <c>IDictionary&lt;string, object?&gt;</c> member that receives every element no other
/// member maps, and whose elements are written back after the members, so a round trip loses nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = true)]
public sealed class BsonExtraElementsAttribute : Attribute
{
}

/// <summary>The constructor deserialization calls; its parameters bind to members by name, case-insensitively.</summary>
[AttributeUsage(AttributeTargets.Constructor)]
public sealed class BsonConstructorAttribute : Attribute
{
}
