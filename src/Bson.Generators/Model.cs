using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Mongo.Bson.Generators;

// The pipeline's output: plain strings, numbers and equatable arrays only (no ISymbol, no SyntaxNode), so an edit
// that leaves a context's model equal leaves its generated source cached.

/// <summary>One [BsonSerializable] context class and everything generated into it.</summary>
internal sealed record ContextSpec(
    string? Namespace,
    string ClassName,
    string HintName,
    EquatableArray<string> ContainingTypes,
    int NamingConvention,
    int UnknownElementHandling,
    int EnumRepresentation,
    EquatableArray<TypeSpec> Types,
    EquatableArray<DiagnosticSpec> Diagnostics,
    bool Valid);

/// <summary>How a type is serialized.</summary>
internal enum TypeSpecKind
{
    /// <summary>A built-in serializer expression (scalars, BsonValue, representation variants).</summary>
    Leaf,
    Nullable,
    Enum,
    Collection,
    Dictionary,
    Object,
}

/// <summary>A type the context has a model for (one property each).</summary>
/// <param name="Key">The property name in the context (unique).</param>
/// <param name="TypeName">Fully qualified, nullable annotations removed.</param>
/// <param name="IsPublic">Whether the model is exposed as a public property (false for representation variants).</param>
/// <param name="SerializerExpression">For Leaf and Enum: the serializer expression; for Collection/Dictionary: the
/// serializer factory expression with <c>{0}</c> standing for the element serializer.</param>
/// <param name="ElementKey">Nullable underlying, collection item or dictionary value key.</param>
internal sealed record TypeSpec(
    string Key,
    string TypeName,
    bool IsPublic,
    TypeSpecKind Kind,
    string? SerializerExpression,
    string? ElementKey,
    string? ElementTypeName,
    ObjectSpec? Object);

/// <summary>A class, record or struct stored as a document.</summary>
internal sealed record ObjectSpec(
    bool IsValueType,
    bool IsAbstract,
    bool HasConstructor,
    bool SetsRequiredMembers,
    EquatableArray<ParameterSpec> Parameters,
    EquatableArray<MemberSpec> Members,
    string? Discriminator,
    EquatableArray<DerivedSpec> Derived);

/// <summary>A known derived type, most-derived first.</summary>
internal sealed record DerivedSpec(string Key, string TypeName, string Discriminator);

/// <summary>A constructor parameter bound to a member.</summary>
internal sealed record ParameterSpec(string Name, string TypeName, int MemberIndex, bool HasDefault, string? DefaultLiteral);

/// <summary>How generated code reaches a member.</summary>
internal enum AccessKind
{
    None,
    Direct,
    UnsafeMethod,
    UnsafeField,
}

/// <summary>One serialized member, in write order.</summary>
internal sealed record MemberSpec(
    string Name,
    string ElementName,
    string TypeName,
    string TypeKey,
    bool CanBeNull,
    bool IsId,
    bool IsExtraElements,
    bool ExtraIsDictionary,
    bool IgnoreIfNull,
    bool IgnoreIfDefault,
    bool IsRequired,
    bool IsCSharpRequired,
    int? Representation,
    AccessKind Getter,
    AccessKind Setter,
    bool SetterIsInit,
    string DeclaringTypeName,
    bool DeclaringIsValueType,
    int ParameterIndex);

/// <summary>A diagnostic with a location that survives the pipeline by value.</summary>
internal sealed record DiagnosticSpec(string Id, string? FilePath, TextSpan Span, LinePositionSpan LineSpan, EquatableArray<string> Arguments)
{
    public static DiagnosticSpec Create(DiagnosticDescriptor descriptor, Location? location, params string[] arguments)
    {
        location ??= Location.None;
        return new DiagnosticSpec(descriptor.Id, location.SourceTree?.FilePath, location.SourceSpan, location.GetLineSpan().Span, new EquatableArray<string>(arguments));
    }

    public Diagnostic ToDiagnostic()
    {
        Location location = FilePath is null ? Location.None : Location.Create(FilePath, Span, LineSpan);
        return Diagnostic.Create(Descriptors.ById(Id), location, Arguments.ToArray<object>());
    }
}
