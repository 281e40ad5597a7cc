namespace Mongo.Bson.Serialization;

/// <summary>
/// The policies a serializer model is built with. Immutable; a generated context takes its options from
/// <see cref="BsonSourceGenerationOptionsAttribute"/>, the reflection resolver from its constructor.
/// </summary>
public sealed record BsonSerializerOptions
{
    /// <summary>The defaults: names as declared, unknown elements ignored, enums as integers.</summary>
    public static BsonSerializerOptions Default { get; } = new();

    /// <summary>How CLR member names become element names when no <see cref="BsonElementAttribute"/> names them.</summary>
    public BsonNamingConvention NamingConvention { get; init; }

    /// <summary>What reading does with an element that maps to no member.</summary>
    public BsonUnknownElementHandling UnknownElementHandling { get; init; }

    /// <summary>How enum members are stored when no <see cref="BsonRepresentationAttribute"/> says otherwise.</summary>
    public BsonEnumRepresentation EnumRepresentation { get; init; }

    /// <summary>The element name <see cref="NamingConvention"/> gives a CLR member name.</summary>
    public string ConvertName(string clrName) => BsonNaming.Convert(clrName, NamingConvention);
}
