using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Mongo.Bson.Generators;

/// <summary>Turns one context class (symbols) into a <see cref="ContextSpec"/> (values), reporting what cannot be generated.</summary>
internal sealed partial class Parser
{
    private const string Ns = "Mongo.Bson.Serialization.";
    private const string ContextBase = Ns + "BsonSerializerContext";
    private const string OptionsAttribute = Ns + "BsonSourceGenerationOptionsAttribute";

    private readonly Compilation _compilation;
    private readonly INamedTypeSymbol _context;
    private readonly List<DiagnosticSpec> _diagnostics = new();
    private readonly Dictionary<string, TypeBuilder> _types = new();
    private readonly HashSet<string> _keys = new() { "Default", "Options", "GetTypeInfo", "Equals", "GetHashCode", "GetType", "ToString", "MemberwiseClone", "Finalize" };
    private readonly Queue<TypeBuilder> _pendingObjects = new();
    private int _namingConvention;
    private int _unknownElementHandling;
    private int _enumRepresentation;

    private Parser(Compilation compilation, INamedTypeSymbol context)
    {
        _compilation = compilation;
        _context = context;
        _keys.Add(context.Name);
    }

    public static ContextSpec? Parse(GeneratorAttributeSyntaxContext ctx, CancellationToken cancellationToken)
    {
        if (ctx.TargetSymbol is not INamedTypeSymbol symbol || !IsPrimaryDeclaration(ctx, symbol))
        {
            return null;
        }

        var parser = new Parser(ctx.SemanticModel.Compilation, symbol);
        return parser.ParseContext((ClassDeclarationSyntax)ctx.TargetNode, cancellationToken);
    }

    // A context split over several partial declarations is generated once: from the declaration that holds its
    // first [BsonSerializable].
    private static bool IsPrimaryDeclaration(GeneratorAttributeSyntaxContext ctx, INamedTypeSymbol symbol)
    {
        AttributeData? first = symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == BsonSerializerGenerator.SerializableAttribute);
        SyntaxReference? reference = first?.ApplicationSyntaxReference;
        return reference is null || (reference.SyntaxTree == ctx.TargetNode.SyntaxTree && ctx.TargetNode.Span.Contains(reference.Span));
    }

    private ContextSpec ParseContext(ClassDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        bool valid = true;
        Location location = declaration.Identifier.GetLocation();
        if (!IsPartialAll(_context))
        {
            Report(Descriptors.ContextNotPartial, location, _context.Name);
            valid = false;
        }

        if (!DerivesFrom(_context, ContextBase))
        {
            Report(Descriptors.ContextNotDerived, location, _context.Name);
            valid = false;
        }

        ReadOptions();
        if (valid)
        {
            foreach (AttributeData attribute in _context.GetAttributes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (attribute.AttributeClass?.ToDisplayString() == BsonSerializerGenerator.SerializableAttribute
                    && attribute.ConstructorArguments.Length == 1
                    && attribute.ConstructorArguments[0].Value is ITypeSymbol root)
                {
                    Location rootLocation = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? location;
                    Resolve(root, null, rootLocation, null, null);
                }
            }

            while (_pendingObjects.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                AnalyzeObject(_pendingObjects.Dequeue());
            }
        }

        bool hasErrors = _diagnostics.Count > 0;
        var containing = new List<string>();
        for (INamedTypeSymbol? outer = _context.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            string kind = (outer.IsRecord, outer.IsValueType) switch
            {
                (true, true) => "partial record struct ",
                (true, false) => "partial record ",
                (false, true) => "partial struct ",
                _ => "partial class ",
            };
            containing.Insert(0, kind + outer.Name);
        }

        string? ns = _context.ContainingNamespace.IsGlobalNamespace ? null : _context.ContainingNamespace.ToDisplayString();
        string hint = (ns is null ? string.Empty : ns + ".") + string.Join(".", containing.Select(c => c.Substring(c.LastIndexOf(' ') + 1))) + (containing.Count > 0 ? "." : string.Empty) + _context.Name + ".g.cs";
        IEnumerable<TypeSpec> types = hasErrors ? Enumerable.Empty<TypeSpec>() : _types.Values.Select(t => t.Build());
        return new ContextSpec(
            ns,
            _context.Name,
            hint,
            new EquatableArray<string>(containing),
            _namingConvention,
            _unknownElementHandling,
            _enumRepresentation,
            new EquatableArray<TypeSpec>(types),
            new EquatableArray<DiagnosticSpec>(_diagnostics.Distinct()),
            valid && !hasErrors);
    }

    private void ReadOptions()
    {
        AttributeData? options = _context.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == OptionsAttribute);
        if (options is null)
        {
            return;
        }

        foreach (KeyValuePair<string, TypedConstant> argument in options.NamedArguments)
        {
            int value = argument.Value.Value is { } boxed ? System.Convert.ToInt32(boxed, System.Globalization.CultureInfo.InvariantCulture) : 0;
            switch (argument.Key)
            {
                case "NamingConvention":
                    _namingConvention = value;
                    break;
                case "UnknownElementHandling":
                    _unknownElementHandling = value;
                    break;
                case "EnumRepresentation":
                    _enumRepresentation = value;
                    break;
            }
        }
    }

    private static bool IsPartialAll(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            foreach (SyntaxReference reference in t.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is TypeDeclarationSyntax syntax && !syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool DerivesFrom(ITypeSymbol type, string baseName)
    {
        for (ITypeSymbol? t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.ToDisplayString() == baseName)
            {
                return true;
            }
        }

        return false;
    }

    private void Report(DiagnosticDescriptor descriptor, Location? location, params string[] arguments) =>
        _diagnostics.Add(DiagnosticSpec.Create(descriptor, location, arguments));

    private static AttributeData? FindAttribute(ISymbol symbol, string name) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == Ns + name);

    private static bool HasAttribute(ISymbol symbol, string name) => FindAttribute(symbol, name) is not null;

    private static string FullName(ITypeSymbol type) =>
        type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    /// <summary>The mutable form of a <see cref="TypeSpec"/> while the worklist runs.</summary>
    private sealed class TypeBuilder
    {
        public TypeBuilder(string key, ITypeSymbol symbol, bool isPublic, TypeSpecKind kind)
        {
            Key = key;
            Symbol = symbol;
            IsPublic = isPublic;
            Kind = kind;
        }

        public string Key { get; }

        public ITypeSymbol Symbol { get; }

        public bool IsPublic { get; }

        public TypeSpecKind Kind { get; }

        public string? SerializerExpression { get; set; }

        public string? ElementKey { get; set; }

        public string? ElementTypeName { get; set; }

        public ObjectSpec? Object { get; set; }

        public TypeSpec Build() => new(Key, FullName(Symbol), IsPublic, Kind, SerializerExpression, ElementKey, ElementTypeName, Object);
    }
}
