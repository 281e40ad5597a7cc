using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Mongo.Bson.Serialization;

/// <summary>
/// Builds serializer models for any type by reflection, following the same rules (and producing the same bytes) as
/// the source generator: members, names, constructors, ignore policies, representations, polymorphism. Each model is
/// built once per type and cached; accessors are compiled delegates, so values are never boxed on the member path.
/// This is what <c>GetCollection&lt;Person&gt;()</c> falls back to when no <see cref="BsonSerializerContext"/> knows
/// the type. It needs unreferenced metadata and dynamic code, so trimmed and NativeAOT apps turn it off through
/// <see cref="BsonTypeInfoResolver.IsReflectionEnabledByDefault"/> and use a generated context instead.
/// </summary>
[RequiresUnreferencedCode(BsonTypeInfoResolver.ReflectionMessage)]
[RequiresDynamicCode(BsonTypeInfoResolver.ReflectionMessage)]
public sealed partial class BsonReflectionResolver : IBsonTypeInfoResolver
{
    private static readonly MethodInfo CreateObjectMethod = Method(nameof(CreateObject));
    private static readonly MethodInfo CreateValueMethod = Method(nameof(CreateValue));
    private static readonly MethodInfo CreateNullableMethod = Method(nameof(CreateNullable));
    private static readonly MethodInfo CreateEnumMethod = Method(nameof(CreateEnum));
    private static readonly MethodInfo CreateArrayMethod = Method(nameof(CreateArray));
    private static readonly MethodInfo CreateCollectionMethod = Method(nameof(CreateCollection));
    private static readonly MethodInfo CreateDictionaryMethod = Method(nameof(CreateDictionary));
    private static readonly MethodInfo CreateBsonValueMethod = Method(nameof(CreateBsonValue));

    private readonly ConcurrentDictionary<Type, BsonTypeInfo> _cache = new();

    /// <summary>Creates a resolver with <paramref name="options"/> (naming convention, unknown elements, enums).</summary>
    public BsonReflectionResolver(BsonSerializerOptions? options = null)
    {
        Options = options ?? BsonSerializerOptions.Default;
    }

    /// <summary>The options every model is built with.</summary>
    public BsonSerializerOptions Options { get; }

    /// <summary>The model of <paramref name="type"/>; null for types no serializer can describe (open generics, pointers, by-refs).</summary>
    /// <exception cref="NotSupportedException">The type cannot be serialized (e.g. a dictionary whose keys are not strings); the message says why.</exception>
    public BsonTypeInfo? GetTypeInfo(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.ContainsGenericParameters || type.IsPointer || type.IsByRef || type.IsByRefLike || type == typeof(void))
        {
            return null;
        }

        if (_cache.TryGetValue(type, out BsonTypeInfo? cached))
        {
            return cached;
        }

        // Object models build their members on first use, so building one never recurses into itself; two threads
        // racing on a new type build it twice and keep the first.
        BsonTypeInfo created = Create(type, representation: null);
        return _cache.GetOrAdd(type, created);
    }

    /// <summary>The model of <typeparamref name="T"/>.</summary>
    public BsonTypeInfo<T> GetTypeInfo<T>() => (BsonTypeInfo<T>)GetTypeInfo(typeof(T))!;

    private BsonTypeInfo Get(Type type) =>
        GetTypeInfo(type) ?? throw new NotSupportedException($"The type {type} cannot be serialized.");

    /// <summary>
    /// Builds the model of <paramref name="type"/>; with a representation (from a member's [BsonRepresentation]) the
    /// representation applies to the value, or to the items of a collection or the values of a dictionary.
    /// </summary>
    private BsonTypeInfo Create(Type type, BsonType? representation)
    {
        if (LeafSerializer(type) is { } leaf && representation is null)
        {
            return Invoke(CreateValueMethod, type, leaf);
        }

        if (typeof(BsonValue).IsAssignableFrom(type))
        {
            return representation is null
                ? Invoke(CreateBsonValueMethod, type)
                : throw new ArgumentException($"A {type} member cannot have a BsonRepresentation.");
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Invoke(CreateNullableMethod, underlying, representation is null ? Get(underlying) : Create(underlying, representation));
        }

        if (type.IsEnum)
        {
            return Invoke(CreateEnumMethod, type, representation);
        }

        if (type.IsArray)
        {
            Type item = type.GetElementType()!;
            if (type.GetArrayRank() != 1)
            {
                throw new NotSupportedException($"The multi-dimensional array type {type} cannot be serialized; use a jagged array or a list.");
            }

            return Invoke(CreateArrayMethod, item, ItemInfo(item, representation));
        }

        if (CollectionKind(type) is { } collection)
        {
            return Invoke(CreateCollectionMethod, [type, collection.Item], ItemInfo(collection.Item, representation), collection.Create);
        }

        if (DictionaryKind(type) is { } dictionary)
        {
            return Invoke(CreateDictionaryMethod, [type, dictionary.Value], ItemInfo(dictionary.Value, representation), dictionary.Create);
        }

        if (representation is { } rep)
        {
            // A scalar with a representation (ObjectId as String, decimal as Double, string as ObjectId, ...).
            return Invoke(CreateValueMethod, type, typeof(BsonSerializers).GetMethod(nameof(BsonSerializers.WithRepresentation))!
                .MakeGenericMethod(type).Invoke(null, [rep])!);
        }

        if (type.IsPrimitive || type == typeof(IntPtr) || type == typeof(UIntPtr) || typeof(Delegate).IsAssignableFrom(type))
        {
            throw new NotSupportedException($"The type {type} cannot be serialized.");
        }

        return Invoke(CreateObjectMethod, type);
    }

    private BsonTypeInfo ItemInfo(Type item, BsonType? representation) =>
        representation is null ? Get(item) : Create(item, representation);

    private static object? LeafSerializer(Type type) => type switch
    {
        _ when type == typeof(int) => BsonSerializers.Int32,
        _ when type == typeof(long) => BsonSerializers.Int64,
        _ when type == typeof(double) => BsonSerializers.Double,
        _ when type == typeof(bool) => BsonSerializers.Boolean,
        _ when type == typeof(string) => BsonSerializers.String,
        _ when type == typeof(decimal) => BsonSerializers.Decimal,
        _ when type == typeof(Decimal128) => BsonSerializers.Decimal128,
        _ when type == typeof(ObjectId) => BsonSerializers.ObjectId,
        _ when type == typeof(DateTime) => BsonSerializers.DateTime,
        _ when type == typeof(Guid) => BsonSerializers.Guid,
        _ when type == typeof(short) => BsonSerializers.Int16,
        _ when type == typeof(byte) => BsonSerializers.Byte,
        _ when type == typeof(sbyte) => BsonSerializers.SByte,
        _ when type == typeof(ushort) => BsonSerializers.UInt16,
        _ when type == typeof(uint) => BsonSerializers.UInt32,
        _ when type == typeof(ulong) => BsonSerializers.UInt64,
        _ when type == typeof(float) => BsonSerializers.Single,
        _ when type == typeof(char) => BsonSerializers.Char,
        _ when type == typeof(DateTimeOffset) => BsonSerializers.DateTimeOffset,
        _ when type == typeof(DateOnly) => BsonSerializers.DateOnly,
        _ when type == typeof(TimeOnly) => BsonSerializers.TimeOnly,
        _ when type == typeof(TimeSpan) => BsonSerializers.TimeSpan,
        _ when type == typeof(byte[]) => BsonSerializers.ByteArray,
        _ when type == typeof(ReadOnlyMemory<byte>) => BsonSerializers.ReadOnlyMemoryOfByte,
        _ when type == typeof(object) => BsonSerializers.Object,
        _ when type == typeof(RawBsonDocument) => BsonSerializers.RawBsonDocument,
        _ when type == typeof(Dictionary<string, object?>) => BsonSerializers.ObjectDictionary,
        _ => null,
    };

    private static (Type Item, Delegate Create)? CollectionKind(Type type)
    {
        if (!type.IsGenericType)
        {
            return null;
        }

        Type definition = type.GetGenericTypeDefinition();
        Type item = type.GetGenericArguments()[0];
        string? factory = definition switch
        {
            _ when definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(ICollection<>) ||
                   definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyCollection<>) => nameof(AsList),
            _ when definition == typeof(HashSet<>) || definition == typeof(ISet<>) || definition == typeof(IReadOnlySet<>) => nameof(AsHashSet),
            _ when definition == typeof(ImmutableArray<>) => nameof(AsImmutableArray),
            _ when definition == typeof(ImmutableList<>) || definition == typeof(IImmutableList<>) => nameof(AsImmutableList),
            _ when definition == typeof(ImmutableHashSet<>) || definition == typeof(IImmutableSet<>) => nameof(AsImmutableHashSet),
            _ => null,
        };
        return factory is null ? null : (item, (Delegate)Method(factory).MakeGenericMethod(type, item).Invoke(null, null)!);
    }

    private static (Type Value, Delegate Create)? DictionaryKind(Type type)
    {
        if (!type.IsGenericType || type.GetGenericArguments().Length != 2)
        {
            return null;
        }

        Type definition = type.GetGenericTypeDefinition();
        Type[] arguments = type.GetGenericArguments();
        string? factory = definition switch
        {
            _ when definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>) => nameof(AsDictionary),
            _ when definition == typeof(ImmutableDictionary<,>) || definition == typeof(IImmutableDictionary<,>) => nameof(AsImmutableDictionary),
            _ => null,
        };
        if (factory is null)
        {
            return null;
        }

        if (arguments[0] != typeof(string))
        {
            throw new NotSupportedException($"The dictionary type {type} cannot be serialized: keys become element names, so they must be strings.");
        }

        return (arguments[1], (Delegate)Method(factory).MakeGenericMethod(type, arguments[1]).Invoke(null, null)!);
    }

    private static Func<List<T>, TCollection> AsList<TCollection, T>() => static list => (TCollection)(object)list;

    private static Func<List<T>, TCollection> AsHashSet<TCollection, T>() => static list => (TCollection)(object)new HashSet<T>(list);

    private static Func<List<T>, TCollection> AsImmutableArray<TCollection, T>() => static list => (TCollection)(object)list.ToImmutableArray();

    private static Func<List<T>, TCollection> AsImmutableList<TCollection, T>() => static list => (TCollection)(object)list.ToImmutableList();

    private static Func<List<T>, TCollection> AsImmutableHashSet<TCollection, T>() => static list => (TCollection)(object)list.ToImmutableHashSet();

    private static Func<Dictionary<string, T>, TDictionary> AsDictionary<TDictionary, T>() => static d => (TDictionary)(object)d;

    private static Func<Dictionary<string, T>, TDictionary> AsImmutableDictionary<TDictionary, T>() => static d => (TDictionary)(object)d.ToImmutableDictionary();

    private BsonTypeInfo<T> CreateValue<T>(IBsonSerializer<T> serializer) => BsonMetadataServices.CreateValueInfo(Options, serializer);

    private BsonTypeInfo<T> CreateBsonValue<T>()
        where T : BsonValue =>
        BsonMetadataServices.CreateValueInfo<T>(Options, typeof(T) == typeof(BsonValue)
            ? (IBsonSerializer<T>)BsonSerializers.BsonValue
            : typeof(T) == typeof(BsonDocument)
                ? (IBsonSerializer<T>)BsonSerializers.BsonDocument
                : new BsonValueSubtypeSerializer<T>());

    private BsonTypeInfo<T?> CreateNullable<T>(BsonTypeInfo<T> inner)
        where T : struct =>
        BsonMetadataServices.CreateValueInfo(Options, BsonSerializers.Nullable(inner.Serializer));

    private BsonTypeInfo<T> CreateEnum<T>(BsonType? representation)
    {
        BsonType effective = representation ?? (Options.EnumRepresentation == BsonEnumRepresentation.String ? BsonType.String : BsonType.EndOfDocument);
        return BsonMetadataServices.CreateValueInfo<T>(Options, new EnumSerializer<T>(effective));
    }

    private BsonTypeInfo<T[]> CreateArray<T>(BsonTypeInfo<T> item) =>
        BsonMetadataServices.CreateCollectionInfo(Options, item, BsonSerializers.Array(item.Serializer));

    private BsonTypeInfo<TCollection> CreateCollection<TCollection, T>(BsonTypeInfo<T> item, Func<List<T>, TCollection> create)
        where TCollection : IEnumerable<T>
    {
        IBsonSerializer<TCollection> serializer = typeof(TCollection) == typeof(ImmutableArray<T>)
            ? (IBsonSerializer<TCollection>)BsonSerializers.ImmutableArray(item.Serializer)
            : BsonSerializers.Collection(item.Serializer, create);
        return BsonMetadataServices.CreateCollectionInfo(Options, item, serializer);
    }

    private BsonTypeInfo<TDictionary> CreateDictionary<TDictionary, T>(BsonTypeInfo<T> value, Func<Dictionary<string, T>, TDictionary> create)
        where TDictionary : IEnumerable<KeyValuePair<string, T>> =>
        BsonMetadataServices.CreateDictionaryInfo(Options, value, BsonSerializers.Dictionary(value.Serializer, create));

    private BsonTypeInfo Invoke(MethodInfo method, Type argument, params object?[] args) => Invoke(method, [argument], args);

    private BsonTypeInfo Invoke(MethodInfo method, Type[] arguments, params object?[] args)
    {
        try
        {
            return (BsonTypeInfo)method.MakeGenericMethod(arguments).Invoke(this, args)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }

    private static MethodInfo Method(string name) =>
        typeof(BsonReflectionResolver).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)!;
}

/// <summary>A specific <see cref="BsonValue"/> subclass (BsonString, BsonInt32, ...) written as itself.</summary>
internal sealed class BsonValueSubtypeSerializer<T> : IBsonSerializer<T>
    where T : BsonValue
{
    public void Serialize(BsonWriter writer, T value) => writer.WriteValue((BsonValue?)value ?? BsonNull.Value);

    public T Deserialize(ref BsonReader reader) =>
        reader.GetValue() is T value
            ? value
            : SerializerHelpers.IsNull(ref reader) ? null! : throw BuiltInSerializers.Mismatch(ref reader, typeof(T).Name);
}
