using Microsoft.CodeAnalysis;

namespace Mongo.Bson.Generators;

/// <summary>The generator's diagnostics; each message says what to change.</summary>
internal static class Descriptors
{
    private const string Category = "Mongo.Bson.Generators";

    public static readonly DiagnosticDescriptor UnsupportedMemberType = new(
        "MONGOGEN001",
        "Member type is not supported",
        "Member '{0}' of '{1}' has type '{2}', which cannot be serialized: {3}. Change the member's type, or mark it [BsonIgnore].",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ContextNotPartial = new(
        "MONGOGEN002",
        "Serializer context must be partial",
        "The serializer context '{0}' (and every type that contains it) must be declared 'partial' so the generator can add its members",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ContextNotDerived = new(
        "MONGOGEN003",
        "Serializer context must derive from BsonSerializerContext",
        "'{0}' carries [BsonSerializable] but does not derive from Mongo.Bson.Serialization.BsonSerializerContext; declare it as 'partial class {0} : BsonSerializerContext'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedRepresentation = new(
        "MONGOGEN004",
        "Unsupported [BsonRepresentation]",
        "Member '{0}' of '{1}' has type '{2}', which cannot be stored as BsonType.{3}. Supported: ObjectId as String, string as ObjectId, enum as String/Int32/Int64, decimal as Double/String/Decimal128/Int32/Int64, Guid as String, int/long/double as Int32/Int64/Double/String/Decimal128.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NoUsableConstructor = new(
        "MONGOGEN005",
        "No usable constructor",
        "'{0}' cannot be created when reading: {1}. Add a public parameterless constructor, mark one constructor [BsonConstructor], or name each constructor parameter after a member.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor KnownTypeNotDerived = new(
        "MONGOGEN006",
        "Known type does not derive from the base",
        "[BsonKnownTypes] on '{0}' lists '{1}', which does not derive from (or implement) '{0}'. Remove it from the list or change its base type.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateElementName = new(
        "MONGOGEN007",
        "Duplicate element name",
        "Members '{0}' and '{1}' of '{2}' are both stored as element '{3}'. Give one of them another name with [BsonElement(\"...\")] or mark it [BsonIgnore].",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InaccessibleType = new(
        "MONGOGEN008",
        "Type is not accessible from the context",
        "'{0}' is not accessible from the serializer context '{1}'. Make the type internal or public, or nest the context where it can see the type.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor HiddenMemberOfGenericType = new(
        "MONGOGEN009",
        "Init-only or non-public member of a generic type",
        "Member '{0}' of the generic type '{1}' is init-only or not public. Generated code reaches such members through [UnsafeAccessor], which cannot bind a member of a closed generic type. Give it a public 'set' accessor, make it 'required', bind it through a constructor parameter, or mark it [BsonIgnore].",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static DiagnosticDescriptor ById(string id) => id switch
    {
        "MONGOGEN001" => UnsupportedMemberType,
        "MONGOGEN002" => ContextNotPartial,
        "MONGOGEN003" => ContextNotDerived,
        "MONGOGEN004" => UnsupportedRepresentation,
        "MONGOGEN005" => NoUsableConstructor,
        "MONGOGEN006" => KnownTypeNotDerived,
        "MONGOGEN007" => DuplicateElementName,
        "MONGOGEN009" => HiddenMemberOfGenericType,
        _ => InaccessibleType,
    };
}
