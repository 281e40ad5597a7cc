namespace Mongo.Bson.Serialization;

/// <summary>How a CLR member name becomes a BSON element name.</summary>
public enum BsonNamingConvention
{
    /// <summary>The member name as declared (<c>FirstName</c>), as the official driver does by default.</summary>
    AsDeclared = 0,

    /// <summary>The first character lower-cased, as System.Text.Json's camel case (<c>firstName</c>, <c>URL</c> becomes <c>url</c>).</summary>
    CamelCase,

    /// <summary>Lower-case words joined by underscores (<c>first_name</c>).</summary>
    SnakeCaseLower,
}

/// <summary>What deserialization does with an element that maps to no member (and no extra-elements member takes it).</summary>
public enum BsonUnknownElementHandling
{
    /// <summary>Skip it (the value is still validated). The default, so documents can gain fields without breaking readers.</summary>
    Ignore = 0,

    /// <summary>Throw a <see cref="BsonSerializationException"/> naming the type, the element and its byte offset.</summary>
    Error,
}

/// <summary>How enum values are stored.</summary>
public enum BsonEnumRepresentation
{
    /// <summary>As the underlying integer: Int32, or Int64 for 64-bit enums (the official driver's default).</summary>
    Integer = 0,

    /// <summary>As the member name (<c>"Active"</c>); reading accepts the name, case-sensitively, or the integer.</summary>
    String,
}
