namespace Mongo.Bson.Serialization;

/// <summary>The metadata-driven serializer of an object model (the reflection path, and generated types without a fast path).</summary>
internal sealed class ObjectSerializer<T> : IBsonSerializer<T>
{
    private readonly BsonTypeInfo<T> _info;
    private readonly BsonObjectInfoValues<T> _values;

    public ObjectSerializer(BsonTypeInfo<T> info, BsonObjectInfoValues<T> values)
    {
        _info = info;
        _values = values;
    }

    public void Serialize(BsonWriter writer, T value) => throw new NotImplementedException(_info.Type + " " + _values);

    public T Deserialize(ref BsonReader reader) => throw new NotImplementedException();
}
