namespace Mongo.Bson.Serialization;

/// <summary>What describes an object type (filled by generated code or the reflection resolver).</summary>
/// <typeparam name="T">The object type.</typeparam>
public sealed class BsonObjectInfoValues<T>
{
    /// <summary>Creates an instance with the parameterless constructor, or null when a parameterised one is used.</summary>
    public Func<T>? ObjectCreator { get; init; }

    /// <summary>Calls the parameterised constructor with arguments in <see cref="ConstructorParameters"/> order.</summary>
    public Func<object?[], T>? ParameterizedCreator { get; init; }

    /// <summary>The parameterised constructor's parameters, each bound to a member.</summary>
    public BsonParameterInfoValues[]? ConstructorParameters { get; init; }

    /// <summary>
    /// Builds the members in declaration order (rule 2; the id stays where it is declared: serializers write it first only
    /// in a root document, as the official driver does); called on first use so types can refer to themselves.
    /// </summary>
    public Func<BsonMemberInfo[]>? MembersFactory { get; init; }

    /// <summary>Generated straight-line code; null for the metadata-driven serializer.</summary>
    public IBsonSerializer<T>? FastPathSerializer { get; init; }

    /// <summary>The <c>_t</c> value of this type within a hierarchy, or null.</summary>
    public string? Discriminator { get; init; }

    /// <summary>The known derived types' models (from <see cref="BsonKnownTypesAttribute"/>), or null.</summary>
    public Func<BsonTypeInfo[]>? DerivedTypesFactory { get; init; }
}

/// <summary>A constructor parameter and the member it fills.</summary>
public sealed class BsonParameterInfoValues
{
    /// <summary>The parameter name.</summary>
    public required string Name { get; init; }

    /// <summary>The parameter type.</summary>
    public required Type ParameterType { get; init; }

    /// <summary>The position in the constructor's parameter list.</summary>
    public required int Position { get; init; }

    /// <summary>The CLR name of the member the parameter is bound to.</summary>
    public required string MemberName { get; init; }

    /// <summary>Whether the parameter has a default value (then its element may be absent).</summary>
    public bool HasDefaultValue { get; init; }

    /// <summary>The default value, when <see cref="HasDefaultValue"/>.</summary>
    public object? DefaultValue { get; init; }
}
