namespace Mongo.Bson.Serialization;

/// <summary>
/// The base of source-generated serializer contexts. Declare a partial class deriving from it, list the root types with
/// <see cref="BsonSerializableAttribute"/>, and the generator fills in a model for each type it reaches, with
/// straight-line serialization code that is trim- and NativeAOT-safe. Hand the context to the driver through
/// <c>MongoClientSettings.SerializerContext</c>.
/// </summary>
/// <example><code>
/// [BsonSerializable(typeof(Person))]
/// [BsonSourceGenerationOptions(NamingConvention = BsonNamingConvention.CamelCase)]
/// public partial class AppBson : BsonSerializerContext { }
///
/// var settings = MongoClientSettings.FromConnectionString(uri);
/// settings.SerializerContext = AppBson.Default;
/// </code></example>
public abstract class BsonSerializerContext : IBsonTypeInfoResolver
{
    /// <summary>Creates the context with its options.</summary>
    protected BsonSerializerContext(BsonSerializerOptions? options)
    {
        Options = options ?? BsonSerializerOptions.Default;
    }

    /// <summary>The options the context was generated with.</summary>
    public BsonSerializerOptions Options { get; }

    /// <inheritdoc />
    public abstract BsonTypeInfo? GetTypeInfo(Type type);

    /// <summary>The model of <typeparamref name="T"/>, or null if the context does not know it.</summary>
    public BsonTypeInfo<T>? GetTypeInfo<T>() => GetTypeInfo(typeof(T)) as BsonTypeInfo<T>;
}
