using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Mongo.Bson.Generators;

internal sealed partial class Parser
{
    private const string Serializers = "global::Mongo.Bson.Serialization.BsonSerializers.";

    // BsonType values (Mongo.Bson.BsonType) the representation rules name.
    private const int Double = 0x01;
    private const int String = 0x02;
    private const int Binary = 0x05;
    private const int ObjectId = 0x07;
    private const int Int32 = 0x10;
    private const int Int64 = 0x12;
    private const int Decimal128 = 0x13;

    private static readonly Dictionary<SpecialType, string> SpecialLeaves = new()
    {
        [SpecialType.System_Int32] = "Int32",
        [SpecialType.System_Int64] = "Int64",
        [SpecialType.System_Double] = "Double",
        [SpecialType.System_Boolean] = "Boolean",
        [SpecialType.System_String] = "String",
        [SpecialType.System_Decimal] = "Decimal",
        [SpecialType.System_DateTime] = "DateTime",
        [SpecialType.System_Int16] = "Int16",
        [SpecialType.System_Byte] = "Byte",
        [SpecialType.System_SByte] = "SByte",
        [SpecialType.System_UInt16] = "UInt16",
        [SpecialType.System_UInt32] = "UInt32",
        [SpecialType.System_UInt64] = "UInt64",
        [SpecialType.System_Single] = "Single",
        [SpecialType.System_Char] = "Char",
        [SpecialType.System_Object] = "Object",
    };

    private static readonly Dictionary<string, string> NamedLeaves = new()
    {
        ["Mongo.Bson.Decimal128"] = "Decimal128",
        ["Mongo.Bson.ObjectId"] = "ObjectId",
        ["System.Guid"] = "Guid",
        ["Mongo.Bson.BsonValue"] = "BsonValue",
        ["Mongo.Bson.BsonDocument"] = "BsonDocument",
        ["Mongo.Bson.BsonArray"] = "BsonArray",
        ["Mongo.Bson.RawBsonDocument"] = "RawBsonDocument",
        ["System.DateTimeOffset"] = "DateTimeOffset",
        ["System.DateOnly"] = "DateOnly",
        ["System.TimeOnly"] = "TimeOnly",
        ["System.TimeSpan"] = "TimeSpan",
        ["System.ReadOnlyMemory<byte>"] = "ReadOnlyMemoryOfByte",
    };

    // Interfaces a List<T> satisfies, and the concrete collections built from the List<T> the serializer reads.
    private static readonly Dictionary<string, string?> Collections = new()
    {
        ["System.Collections.Generic.IList<T>"] = null,
        ["System.Collections.Generic.IReadOnlyList<T>"] = null,
        ["System.Collections.Generic.ICollection<T>"] = null,
        ["System.Collections.Generic.IReadOnlyCollection<T>"] = null,
        ["System.Collections.Generic.IEnumerable<T>"] = null,
        ["System.Collections.Generic.HashSet<T>"] = "new global::System.Collections.Generic.HashSet<{0}>(list)",
        ["System.Collections.Generic.ISet<T>"] = "new global::System.Collections.Generic.HashSet<{0}>(list)",
        ["System.Collections.Immutable.ImmutableList<T>"] = "global::System.Collections.Immutable.ImmutableList.CreateRange(list)",
        ["System.Collections.Immutable.IImmutableList<T>"] = "global::System.Collections.Immutable.ImmutableList.CreateRange(list)",
        ["System.Collections.Immutable.ImmutableHashSet<T>"] = "global::System.Collections.Immutable.ImmutableHashSet.CreateRange(list)",
    };

    private const string ImmutableArrayMarker = "ImmutableArray";

    private static readonly Dictionary<string, string?> Dictionaries = new()
    {
        ["System.Collections.Generic.IDictionary<TKey, TValue>"] = null,
        ["System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>"] = null,
        ["System.Collections.Immutable.ImmutableDictionary<TKey, TValue>"] = "global::System.Collections.Immutable.ImmutableDictionary.CreateRange(dict)",
        ["System.Collections.Immutable.IImmutableDictionary<TKey, TValue>"] = "global::System.Collections.Immutable.ImmutableDictionary.CreateRange(dict)",
    };

    /// <summary>
    /// The context property key of <paramref name="type"/> stored with <paramref name="representation"/>, adding it (and
    /// what it reaches) to the worklist; null after reporting why it cannot be serialized.
    /// </summary>
    private string? Resolve(ITypeSymbol type, int? representation, Location location, string? memberName, string? declaringName)
    {
        type = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        string identity = FullName(type) + (representation is { } r ? "#" + r : string.Empty);
        if (_types.TryGetValue(identity, out TypeBuilder? existing))
        {
            return existing.Key;
        }

        string? unsupported = Unsupported(type);
        if (unsupported is not null)
        {
            Report(Descriptors.UnsupportedMemberType, location, memberName ?? "(root)", declaringName ?? _context.Name, type.ToDisplayString(), unsupported);
            return null;
        }

        if (!_compilation.IsSymbolAccessibleWithin(type, _context))
        {
            Report(Descriptors.InaccessibleType, location, type.ToDisplayString(), _context.Name);
            return null;
        }

        // Nullable<T>: the representation applies to the underlying value.
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            ITypeSymbol underlying = nullable.TypeArguments[0];
            string? inner = Resolve(underlying, representation, location, memberName, declaringName);
            return inner is null ? null : Add(identity, type, representation, TypeSpecKind.Nullable, b =>
            {
                b.ElementKey = inner;
                b.ElementTypeName = FullName(underlying);
            });
        }

        if (TryCollection(type, out ITypeSymbol? item, out string? factory, out bool isArray, out bool isList))
        {
            string? inner = Resolve(item!, representation, location, memberName, declaringName);
            if (inner is null)
            {
                return null;
            }

            string itemName = FullName(item!);
            string expression = isArray
                ? Serializers + "Array<" + itemName + ">({0})"
                : isList
                    ? Serializers + "List<" + itemName + ">({0})"
                    : factory == ImmutableArrayMarker
                    ? Serializers + "ImmutableArray<" + itemName + ">({0})"
                    : Serializers + "Collection<" + FullName(type) + ", " + itemName + ">({0}, static list => " + (factory is null ? "list" : string.Format(factory, itemName)) + ")";
            return Add(identity, type, representation, TypeSpecKind.Collection, b =>
            {
                b.ElementKey = inner;
                b.ElementTypeName = itemName;
                b.SerializerExpression = expression;
            });
        }

        if (TryDictionary(type, out ITypeSymbol? key, out ITypeSymbol? value, out string? dictFactory))
        {
            if (key!.SpecialType != SpecialType.System_String)
            {
                Report(Descriptors.UnsupportedMemberType, location, memberName ?? "(root)", declaringName ?? _context.Name, type.ToDisplayString(), "dictionary keys must be strings, because they become element names");
                return null;
            }

            string? inner = Resolve(value!, representation, location, memberName, declaringName);
            if (inner is null)
            {
                return null;
            }

            string valueName = FullName(value!);
            string expression = Serializers + "Dictionary<" + FullName(type) + ", " + valueName + ">({0}, static dict => " + (dictFactory ?? "dict") + ")";
            return Add(identity, type, representation, TypeSpecKind.Dictionary, b =>
            {
                b.ElementKey = inner;
                b.ElementTypeName = valueName;
                b.SerializerExpression = expression;
            });
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            if (representation is { } enumRepresentation)
            {
                if (enumRepresentation is not (String or Int32 or Int64))
                {
                    Report(Descriptors.UnsupportedRepresentation, location, memberName ?? "(root)", declaringName ?? _context.Name, type.ToDisplayString(), BsonTypeName(enumRepresentation));
                    return null;
                }

                return Add(identity, type, representation, TypeSpecKind.Enum, b =>
                    b.SerializerExpression = Serializers + "WithRepresentation<" + FullName(type) + ">(global::Mongo.Bson.BsonType." + BsonTypeName(enumRepresentation) + ")");
            }

            // The context's EnumRepresentation is fixed at compile time, like its naming convention.
            string policy = _enumRepresentation == 1 ? "String" : "Integer";
            return Add(identity, type, null, TypeSpecKind.Enum, b =>
                b.SerializerExpression = Serializers + "Enum<" + FullName(type) + ">(global::Mongo.Bson.Serialization.BsonEnumRepresentation." + policy + ")");
        }

        string? leaf = LeafName(type);
        if (leaf is not null)
        {
            if (representation is { } repr)
            {
                if (!RepresentationAllowed(type, repr))
                {
                    Report(Descriptors.UnsupportedRepresentation, location, memberName ?? "(root)", declaringName ?? _context.Name, type.ToDisplayString(), BsonTypeName(repr));
                    return null;
                }

                return Add(identity, type, representation, TypeSpecKind.Leaf, b =>
                    b.SerializerExpression = Serializers + "WithRepresentation<" + FullName(type) + ">(global::Mongo.Bson.BsonType." + BsonTypeName(repr) + ")");
            }

            return Add(identity, type, null, TypeSpecKind.Leaf, b => b.SerializerExpression = Serializers + leaf);
        }

        if (representation is { } objectRepr)
        {
            Report(Descriptors.UnsupportedRepresentation, location, memberName ?? "(root)", declaringName ?? _context.Name, type.ToDisplayString(), BsonTypeName(objectRepr));
            return null;
        }

        return Add(identity, type, null, TypeSpecKind.Object, b => _pendingObjects.Enqueue(b));
    }

    private string Add(string identity, ITypeSymbol type, int? representation, TypeSpecKind kind, System.Action<TypeBuilder> fill)
    {
        string key = UniqueKey(KeyOf(type) + (representation is { } r ? "As" + BsonTypeName(r) : string.Empty));
        var builder = new TypeBuilder(key, type, representation is null, kind);
        _types.Add(identity, builder);
        fill(builder);
        return key;
    }

    private string UniqueKey(string key)
    {
        string candidate = key;
        for (int i = 2; !_keys.Add(candidate); i++)
        {
            candidate = key + i;
        }

        return candidate;
    }

    private static string KeyOf(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => KeyOf(array.ElementType) + "Array",
        INamedTypeSymbol { IsGenericType: true } named => named.Name + string.Concat(named.TypeArguments.Select(KeyOf)),
        _ when type.SpecialType != SpecialType.None => type.MetadataName,
        _ => type.Name,
    };

    private static string? Unsupported(ITypeSymbol type) => type switch
    {
        IPointerTypeSymbol or IFunctionPointerTypeSymbol => "pointers cannot be stored",
        IArrayTypeSymbol { Rank: > 1 } => "multi-dimensional arrays are not supported; use an array of arrays (T[][]) or a List<List<T>>",
        IDynamicTypeSymbol => "dynamic has no static type to serialize; use BsonValue or object",
        ITypeParameterSymbol => "open generic types cannot be generated; list the closed type with [BsonSerializable]",
        { TypeKind: TypeKind.Delegate } => "delegates are code, not data",
        { IsRefLikeType: true } => "ref structs cannot be stored in a model",
        { SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr } => "native-sized integers have no BSON type; use int or long",
        INamedTypeSymbol { IsUnboundGenericType: true } => "open generic types cannot be generated",
        _ => null,
    };

    private static string? LeafName(ITypeSymbol type)
    {
        if (SpecialLeaves.TryGetValue(type.SpecialType, out string? special))
        {
            return special;
        }

        if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
        {
            return "ByteArray";
        }

        return NamedLeaves.TryGetValue(type.ToDisplayString(), out string? named) ? named : null;
    }

    private static bool TryCollection(ITypeSymbol type, out ITypeSymbol? item, out string? factory, out bool isArray, out bool isList)
    {
        item = null;
        factory = null;
        isArray = false;
        isList = false;
        if (type is IArrayTypeSymbol { Rank: 1 } array && array.ElementType.SpecialType != SpecialType.System_Byte)
        {
            item = array.ElementType;
            isArray = true;
            return true;
        }

        if (type is not INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named)
        {
            return false;
        }

        string definition = named.OriginalDefinition.ToDisplayString();
        item = named.TypeArguments[0];
        if (definition == "System.Collections.Generic.List<T>")
        {
            isList = true;
            return true;
        }

        if (definition == "System.Collections.Immutable.ImmutableArray<T>")
        {
            // Its own runtime serializer: a default ImmutableArray cannot be enumerated.
            factory = ImmutableArrayMarker;
            return true;
        }

        return Collections.TryGetValue(definition, out factory);
    }

    private static bool TryDictionary(ITypeSymbol type, out ITypeSymbol? key, out ITypeSymbol? value, out string? factory)
    {
        key = null;
        value = null;
        factory = null;
        if (type is not INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 2 } named)
        {
            return false;
        }

        string definition = named.OriginalDefinition.ToDisplayString();
        key = named.TypeArguments[0];
        value = named.TypeArguments[1];
        return definition == "System.Collections.Generic.Dictionary<TKey, TValue>" || Dictionaries.TryGetValue(definition, out factory);
    }

    private static bool RepresentationAllowed(ITypeSymbol type, int representation) => type.SpecialType switch
    {
        SpecialType.System_String => representation is ObjectId or String,
        SpecialType.System_Decimal => representation is Double or String or Decimal128 or Int32 or Int64,
        SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Double => representation is Int32 or Int64 or Double or String or Decimal128,
        _ => type.ToDisplayString() switch
        {
            "Mongo.Bson.ObjectId" => representation is ObjectId or String,
            "System.Guid" => representation is String or Binary,
            _ => false,
        },
    };

    private static string BsonTypeName(int value) => value switch
    {
        0x01 => "Double",
        0x02 => "String",
        0x03 => "Document",
        0x04 => "Array",
        0x05 => "Binary",
        0x07 => "ObjectId",
        0x08 => "Boolean",
        0x09 => "DateTime",
        0x0A => "Null",
        0x10 => "Int32",
        0x11 => "Timestamp",
        0x12 => "Int64",
        0x13 => "Decimal128",
        _ => "(" + value + ")",
    };
}
