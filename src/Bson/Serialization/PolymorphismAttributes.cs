namespace Mongo.Bson.Serialization;

/// <summary>
/// The discriminator (the <c>_t</c> element) a type is stored with when it is serialized through a polymorphic base.
/// Without it the discriminator is the type's name (without namespace), as the official driver writes it.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class BsonDiscriminatorAttribute : Attribute
{
    /// <summary>Stores the type with discriminator <paramref name="discriminator"/>.</summary>
    public BsonDiscriminatorAttribute(string discriminator) => Discriminator = discriminator;

    /// <summary>The discriminator value.</summary>
    public string Discriminator { get; }
}

/// <summary>
/// Declares, on a base class or interface, the derived types a member of this type may hold. Only these types are ever
/// created when reading: a discriminator in the data never names a type to load.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, AllowMultiple = true, Inherited = false)]
public sealed class BsonKnownTypesAttribute : Attribute
{
    /// <summary>Declares the known derived types.</summary>
    public BsonKnownTypesAttribute(params Type[] knownTypes) => KnownTypes = knownTypes;

    /// <summary>The derived types.</summary>
    public Type[] KnownTypes { get; }
}
