using Mongo.Bson.Serialization;

namespace Mongo.Driver;

public sealed partial class MongoClientSettings
{
    /// <summary>
    /// Where typed collections (<c>GetCollection&lt;Person&gt;()</c>) get their serializers: usually a source-generated
    /// context (<c>[BsonSerializable(typeof(Person))] partial class AppBson : BsonSerializerContext</c>, then
    /// <c>settings.SerializerContext = AppBson.Default</c>), which is trim- and NativeAOT-safe. Null (the default) uses the
    /// reflection fallback, which trimmed and AOT apps do not have (see
    /// <see cref="BsonTypeInfoResolver.IsReflectionEnabledByDefault"/>). A serializer registered in the client's
    /// <c>BsonSerializerRegistry</c> and <see cref="MongoCollectionSettings.SerializerContext"/> take precedence.
    /// Code only: not a connection-string option.
    /// </summary>
    public IBsonTypeInfoResolver? SerializerContext { get; set; }
}
