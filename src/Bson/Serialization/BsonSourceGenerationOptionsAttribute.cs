namespace Mongo.Bson.Serialization;

/// <summary>
/// The <see cref="BsonSerializerOptions"/> a generated <see cref="BsonSerializerContext"/> is compiled with.
/// Element names and the unknown-element policy are baked into the generated code, so they are fixed here, at
/// compile time.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class BsonSourceGenerationOptionsAttribute : Attribute
{
    /// <summary>How CLR member names become element names when no <see cref="BsonElementAttribute"/> names them.</summary>
    public BsonNamingConvention NamingConvention { get; set; }

    /// <summary>What reading does with an element that maps to no member.</summary>
    public BsonUnknownElementHandling UnknownElementHandling { get; set; }

    /// <summary>How enum members are stored when no <see cref="BsonRepresentationAttribute"/> says otherwise.</summary>
    public BsonEnumRepresentation EnumRepresentation { get; set; }
}
