namespace Mongo.Bson.Serialization;

/// <summary>
/// Asks the Mongo.Bson source generator to emit a serializer and member metadata for <see cref="Type"/> into the
/// partial <see cref="BsonSerializerContext"/> this attribute is placed on. The types it reaches through members
/// (nested classes, collection items, known derived types) are generated too.
/// </summary>
/// <example><code>
/// [BsonSerializable(typeof(Person))]
/// public partial class AppBson : BsonSerializerContext { }
/// </code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BsonSerializableAttribute : Attribute
{
    /// <summary>Declares a root type of the context.</summary>
    public BsonSerializableAttribute(Type type) => Type = type;

    /// <summary>The root type.</summary>
    public Type Type { get; }
}
