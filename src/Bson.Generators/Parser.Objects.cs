using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Mongo.Bson.Generators;

internal sealed partial class Parser
{
    private void AnalyzeObject(TypeBuilder builder)
    {
        var type = (INamedTypeSymbol)builder.Symbol;
        Location? typeLocation = type.Locations.FirstOrDefault(l => l.IsInSource);
        bool isAbstract = type.IsAbstract || type.TypeKind == TypeKind.Interface;
        List<Candidate> candidates = CollectCandidates(type);

        IMethodSymbol? constructor = null;
        var bound = new Dictionary<IParameterSymbol, Candidate>(SymbolEqualityComparer.Default);
        if (!isAbstract)
        {
            constructor = ChooseConstructor(type, out string? why);
            if (constructor is null)
            {
                Report(Descriptors.NoUsableConstructor, typeLocation, type.ToDisplayString(), why!);
                return;
            }

            foreach (IParameterSymbol parameter in constructor.Parameters)
            {
                // A public member wins over a private one of the same name (a property over its backing field).
                Candidate? match = candidates
                    .Where(c => !c.Ignored && string.Equals(c.Symbol.Name, parameter.Name, StringComparison.OrdinalIgnoreCase))
                    .OrderBy(c => c.Symbol.DeclaredAccessibility == Accessibility.Public ? 0 : 1)
                    .FirstOrDefault();
                if (match is null)
                {
                    Report(Descriptors.NoUsableConstructor, parameter.Locations.FirstOrDefault() ?? typeLocation, type.ToDisplayString(), $"constructor parameter '{parameter.Name}' matches no member by name");
                    return;
                }

                match.Parameter = parameter;
                bound[parameter] = match;
            }
        }

        List<Candidate> included = candidates.Where(c => c.Included).ToList();
        Candidate? id = included.FirstOrDefault(c => HasAttribute(c.Symbol, "BsonIdAttribute"))
            ?? included.FirstOrDefault(c => c.Symbol.Name == "Id")
            ?? included.FirstOrDefault(c => c.Symbol.Name == "id")
            ?? included.FirstOrDefault(c => c.Symbol.Name == "_id");

        // Declaration order, then a stable sort by [BsonElement(Order = n)]. The id keeps its place: the official
        // serializer's ToBson does not move it (only inserts ask for it first), and the bytes must be the same.
        List<Candidate> ordered = included.OrderBy(c => c.Order).ToList();

        var members = new List<MemberSpec>();
        var byElement = new Dictionary<string, Candidate>();
        foreach (Candidate candidate in ordered)
        {
            MemberSpec? member = BuildMember(type, candidate, candidate == id);
            if (member is null)
            {
                continue;
            }

            if (!member.IsExtraElements)
            {
                if (byElement.TryGetValue(member.ElementName, out Candidate? first))
                {
                    Report(Descriptors.DuplicateElementName, candidate.Location ?? typeLocation, first.Symbol.Name, candidate.Symbol.Name, type.ToDisplayString(), member.ElementName);
                    continue;
                }

                byElement[member.ElementName] = candidate;
            }

            candidate.Index = members.Count;
            members.Add(member);
        }

        var parameters = new List<ParameterSpec>();
        if (constructor is not null)
        {
            foreach (IParameterSymbol parameter in constructor.Parameters)
            {
                Candidate candidate = bound[parameter];
                if (candidate.Index < 0)
                {
                    // The member was rejected (a diagnostic may already say why); nothing is generated for this context.
                    Report(Descriptors.NoUsableConstructor, parameter.Locations.FirstOrDefault() ?? typeLocation, type.ToDisplayString(), $"constructor parameter '{parameter.Name}' binds to '{candidate.Symbol.Name}', which is not serialized");
                    return;
                }

                parameters.Add(new ParameterSpec(parameter.Name, FullName(parameter.Type), candidate.Index, parameter.HasExplicitDefaultValue, DefaultLiteral(parameter)));
            }

            for (int i = 0; i < members.Count; i++)
            {
                int position = parameters.FindIndex(p => p.MemberIndex == i);
                if (position >= 0)
                {
                    members[i] = members[i] with { ParameterIndex = position, IsRequired = members[i].IsRequired || !parameters[position].HasDefault };
                }
            }
        }

        List<DerivedSpec> derived = CollectDerived(type);
        builder.Object = new ObjectSpec(
            type.IsValueType,
            isAbstract,
            constructor is not null,
            constructor is not null && constructor.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute"),
            new EquatableArray<ParameterSpec>(parameters),
            new EquatableArray<MemberSpec>(members),
            InHierarchy(type) ? DiscriminatorOf(type) : null,
            new EquatableArray<DerivedSpec>(derived));
    }

    private MemberSpec? BuildMember(INamedTypeSymbol type, Candidate candidate, bool isId)
    {
        ISymbol symbol = candidate.Symbol;
        bool isExtra = HasAttribute(symbol, "BsonExtraElementsAttribute");
        bool extraIsDictionary = isExtra && IsObjectDictionary(candidate.Type);
        if (isExtra && !extraIsDictionary && FullName(candidate.Type) != "global::Mongo.Bson.BsonDocument")
        {
            Report(Descriptors.UnsupportedMemberType, candidate.Location, symbol.Name, type.ToDisplayString(), candidate.Type.ToDisplayString(), "an [BsonExtraElements] member must be a BsonDocument or an IDictionary<string, object?>");
            return null;
        }

        // BsonType is byte-based: the attribute argument arrives boxed as its underlying type.
        int? representation = FindAttribute(symbol, "BsonRepresentationAttribute") is { ConstructorArguments.Length: 1 } repr && repr.ConstructorArguments[0].Value is { } r
            ? Convert.ToInt32(r, System.Globalization.CultureInfo.InvariantCulture)
            : null;
        string? key = Resolve(candidate.Type, representation, candidate.Location ?? Location.None, symbol.Name, type.ToDisplayString());
        if (key is null)
        {
            return null;
        }

        string elementName = isId ? "_id" : candidate.ElementName ?? Naming.Convert(symbol.Name, _namingConvention);
        bool canBeNull = !candidate.Type.IsValueType || candidate.Type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;
        bool csharpRequired = symbol is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true };
        (AccessKind getter, AccessKind setter, bool isInit) = Accessors(candidate);
        if (symbol.ContainingType.IsGenericType && (IsUnsafe(getter) || IsUnsafe(setter)))
        {
            // [UnsafeAccessor] externs typed with a closed generic (Wrapper<int>) fail to bind at run time
            // (MissingMethodException); refuse at compile time instead.
            Report(Descriptors.HiddenMemberOfGenericType, candidate.Location ?? Location.None, symbol.Name, symbol.ContainingType.ToDisplayString());
            return null;
        }

        return new MemberSpec(
            symbol.Name,
            elementName,
            FullName(candidate.Type),
            key,
            canBeNull,
            isId,
            isExtra,
            extraIsDictionary,
            HasAttribute(symbol, "BsonIgnoreIfNullAttribute"),
            HasAttribute(symbol, "BsonIgnoreIfDefaultAttribute"),
            csharpRequired || HasAttribute(symbol, "BsonRequiredAttribute"),
            csharpRequired,
            representation,
            getter,
            setter,
            isInit,
            FullName(symbol.ContainingType),
            symbol.ContainingType.IsValueType,
            -1);
    }

    private static bool IsUnsafe(AccessKind access) => access is AccessKind.UnsafeMethod or AccessKind.UnsafeField;

    private (AccessKind Getter, AccessKind Setter, bool IsInit) Accessors(Candidate candidate)
    {
        if (candidate.Symbol is IFieldSymbol field)
        {
            AccessKind access = _compilation.IsSymbolAccessibleWithin(field, _context) ? AccessKind.Direct : AccessKind.UnsafeField;
            return (access, field.IsReadOnly ? AccessKind.UnsafeField : access, false);
        }

        var property = (IPropertySymbol)candidate.Symbol;
        AccessKind getter = _compilation.IsSymbolAccessibleWithin(property.GetMethod!, _context) ? AccessKind.Direct : AccessKind.UnsafeMethod;
        if (property.SetMethod is not { } set)
        {
            return (getter, AccessKind.None, false);
        }

        bool accessible = _compilation.IsSymbolAccessibleWithin(set, _context);

        // An init accessor can only be called from an object initializer: C# required members go there (reading
        // guarantees their element); the others are set through [UnsafeAccessor] only when their element was read,
        // so a missing element keeps the member's initializer.
        if (set.IsInitOnly)
        {
            return (getter, property.IsRequired && accessible ? AccessKind.Direct : AccessKind.UnsafeMethod, true);
        }

        return (getter, accessible ? AccessKind.Direct : AccessKind.UnsafeMethod, false);
    }

    private List<Candidate> CollectCandidates(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (INamedTypeSymbol? t = type; t is not null && t.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); t = t.BaseType)
        {
            chain.Insert(0, t);
        }

        var result = new List<Candidate>();
        var names = new HashSet<string>();
        foreach (INamedTypeSymbol t in chain)
        {
            var declared = new List<Candidate>();
            foreach (IFieldSymbol field in t.GetMembers().OfType<IFieldSymbol>())
            {
                if (!field.IsStatic && !field.IsConst && !field.IsImplicitlyDeclared && names.Add(field.Name))
                {
                    declared.Add(new Candidate(field, field.Type));
                }
            }

            foreach (IPropertySymbol property in t.GetMembers().OfType<IPropertySymbol>())
            {
                if (!property.IsStatic && !property.IsIndexer && property.GetMethod is not null && names.Add(property.Name))
                {
                    declared.Add(new Candidate(property, property.Type));
                }
            }

            // The official class map of each type (base first) maps the read-write members (public fields, then
            // properties with a public getter and a setter), then those that are in only through an attribute or a
            // constructor parameter, fields before properties: the same order here, as the reflection resolver's.
            result.AddRange(declared.OrderBy(c => (IsReadWrite(c.Symbol) ? 0 : 2) + (c.Symbol is IFieldSymbol ? 0 : 1)));
        }

        return result;
    }

    // Dictionary<string, object?>, IDictionary<string, object?> or IReadOnlyDictionary<string, object?>: what reading
    // creates (a Dictionary) must be assignable to the member.
    private static bool IsObjectDictionary(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 2 } named
        && named.TypeArguments[0].SpecialType == SpecialType.System_String
        && named.TypeArguments[1].SpecialType == SpecialType.System_Object
        && named.OriginalDefinition.ToDisplayString() is "System.Collections.Generic.Dictionary<TKey, TValue>" or "System.Collections.Generic.IDictionary<TKey, TValue>" or "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>";

    private static bool IsReadWrite(ISymbol symbol) => symbol switch
    {
        IFieldSymbol field => field.DeclaredAccessibility == Accessibility.Public && !field.IsReadOnly,
        IPropertySymbol property => property.DeclaredAccessibility == Accessibility.Public
            && property.GetMethod?.DeclaredAccessibility == Accessibility.Public
            && property.SetMethod is not null,
        _ => false,
    };

    private static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, out string? why)
    {
        why = null;
        List<IMethodSymbol> constructors = type.InstanceConstructors.Where(c => !c.IsStatic).ToList();
        IMethodSymbol? marked = constructors.FirstOrDefault(c => HasAttribute(c, "BsonConstructorAttribute"));
        if (marked is not null)
        {
            if (marked.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
            {
                why = "the [BsonConstructor] constructor is not accessible; make it public or internal";
                return null;
            }

            return marked;
        }

        List<IMethodSymbol> publics = constructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToList();
        IMethodSymbol? parameterless = publics.FirstOrDefault(c => c.Parameters.Length == 0 && !(type.IsValueType && c.IsImplicitlyDeclared));
        if (parameterless is not null)
        {
            return parameterless;
        }

        // Records' positional constructors; a struct's implicit parameterless constructor only as the last resort.
        List<IMethodSymbol> explicitPublics = publics.Where(c => !c.IsImplicitlyDeclared && !IsCopyConstructor(type, c)).ToList();
        if (explicitPublics.Count == 1)
        {
            return explicitPublics[0];
        }

        if (type.IsValueType && explicitPublics.Count == 0)
        {
            return publics.FirstOrDefault(c => c.Parameters.Length == 0);
        }

        why = explicitPublics.Count == 0 ? "it has no public constructor" : "it has several public constructors and none is marked [BsonConstructor]";
        return null;
    }

    private static bool IsCopyConstructor(INamedTypeSymbol type, IMethodSymbol constructor) =>
        type.IsRecord && constructor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, type);

    private List<DerivedSpec> CollectDerived(INamedTypeSymbol type)
    {
        var found = new List<(INamedTypeSymbol Type, string Key)>();
        var visited = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default) { type };
        var pending = new Queue<INamedTypeSymbol>();
        pending.Enqueue(type);

        // Known types declared on a base count too: a member typed as a middle class must still write (and read) the
        // classes below it that only the root lists.
        for (INamedTypeSymbol? t = type.BaseType; t is not null; t = t.BaseType)
        {
            pending.Enqueue(t);
        }

        foreach (INamedTypeSymbol face in type.AllInterfaces)
        {
            pending.Enqueue(face);
        }

        while (pending.Count > 0)
        {
            INamedTypeSymbol current = pending.Dequeue();
            foreach (AttributeData attribute in current.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == Ns + "BsonKnownTypesAttribute"))
            {
                Location? location = attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation();
                foreach (TypedConstant argument in attribute.ConstructorArguments.SelectMany(a => a.Kind == TypedConstantKind.Array ? a.Values : ImmutableArrayOf(a)))
                {
                    if (argument.Value is not INamedTypeSymbol known || !visited.Add(known))
                    {
                        continue;
                    }

                    if (!IsDerived(known, current))
                    {
                        Report(Descriptors.KnownTypeNotDerived, location, current.ToDisplayString(), known.ToDisplayString());
                        continue;
                    }

                    string? key = Resolve(known, null, location ?? Location.None, null, current.ToDisplayString());
                    if (key is not null)
                    {
                        pending.Enqueue(known);
                        if (IsDerived(known, type))
                        {
                            found.Add((known, key));
                        }
                    }
                }
            }
        }

        // Most-derived first, so a type switch never tests a base before its own derived types.
        return found
            .OrderByDescending(f => Depth(f.Type))
            .Select(f => new DerivedSpec(f.Key, FullName(f.Type), DiscriminatorOf(f.Type)))
            .ToList();
    }

    private static IEnumerable<TypedConstant> ImmutableArrayOf(TypedConstant constant) => new[] { constant };

    private static bool IsDerived(INamedTypeSymbol candidate, INamedTypeSymbol baseType)
    {
        if (baseType.TypeKind == TypeKind.Interface)
        {
            return candidate.AllInterfaces.Contains(baseType, SymbolEqualityComparer.Default);
        }

        for (INamedTypeSymbol? t = candidate.BaseType; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, baseType))
            {
                return true;
            }
        }

        return false;
    }

    private static int Depth(INamedTypeSymbol type)
    {
        int depth = 0;
        for (INamedTypeSymbol? t = type.BaseType; t is not null; t = t.BaseType)
        {
            depth++;
        }

        return depth;
    }

    private static bool InHierarchy(INamedTypeSymbol type)
    {
        if (HasAttribute(type, "BsonKnownTypesAttribute"))
        {
            return true;
        }

        for (INamedTypeSymbol? t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (HasAttribute(t, "BsonKnownTypesAttribute"))
            {
                return true;
            }
        }

        return type.AllInterfaces.Any(i => HasAttribute(i, "BsonKnownTypesAttribute"));
    }

    private static string DiscriminatorOf(INamedTypeSymbol type) =>
        FindAttribute(type, "BsonDiscriminatorAttribute") is { ConstructorArguments.Length: 1 } attribute && attribute.ConstructorArguments[0].Value is string value
            ? value
            : type.Name;

    private static string? DefaultLiteral(IParameterSymbol parameter)
    {
        if (!parameter.HasExplicitDefaultValue)
        {
            return null;
        }

        object? value = parameter.ExplicitDefaultValue;
        if (value is null)
        {
            return "default!";
        }

        string literal = SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false);
        if (value is decimal)
        {
            literal += "m";
        }

        return "(" + FullName(parameter.Type) + ")(" + literal + ")";
    }

    /// <summary>A field or property that may become a member.</summary>
    private sealed class Candidate
    {
        public Candidate(ISymbol symbol, ITypeSymbol type)
        {
            Symbol = symbol;
            Type = type;
            Location = symbol.Locations.FirstOrDefault(l => l.IsInSource);
            Ignored = HasAttribute(symbol, "BsonIgnoreAttribute");
            AttributeData? element = FindAttribute(symbol, "BsonElementAttribute");
            Opted = element is not null || HasAttribute(symbol, "BsonIdAttribute") || HasAttribute(symbol, "BsonExtraElementsAttribute");
            ElementName = element is { ConstructorArguments.Length: 1 } && element.ConstructorArguments[0].Value is string name ? name : null;
            Order = element?.NamedArguments.FirstOrDefault(a => a.Key == "Order").Value.Value is int order ? order : int.MaxValue;
        }

        public ISymbol Symbol { get; }

        public ITypeSymbol Type { get; }

        public Location? Location { get; }

        public bool Ignored { get; }

        public bool Opted { get; }

        public string? ElementName { get; }

        public int Order { get; }

        public IParameterSymbol? Parameter { get; set; }

        public int Index { get; set; } = -1;

        /// <summary>The member rules of the shared model (rule 1).</summary>
        public bool Included
        {
            get
            {
                if (Ignored)
                {
                    return false;
                }

                if (Opted)
                {
                    return true;
                }

                bool bound = Parameter is not null;
                if (Symbol is IFieldSymbol fieldSymbol)
                {
                    return fieldSymbol.DeclaredAccessibility == Accessibility.Public && (!fieldSymbol.IsReadOnly || bound);
                }

                var property = (IPropertySymbol)Symbol;
                bool publicGetter = property.DeclaredAccessibility == Accessibility.Public && property.GetMethod!.DeclaredAccessibility == Accessibility.Public;
                return publicGetter && (property.SetMethod is not null || bound);
            }
        }
    }
}
