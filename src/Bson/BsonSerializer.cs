using Mongo.Bson.Internal;

namespace Mongo.Bson;

/// <summary>Encodes and decodes whole documents through a <see cref="BsonSerializerRegistry"/>.</summary>
public static class BsonSerializer
{
    /// <summary>Encodes a value that serializes as a document, with the default registry.</summary>
    public static byte[] Serialize<T>(T value) => Serialize(value, BsonSerializerRegistry.Default);

    /// <summary>Encodes a value that serializes as a document.</summary>
    /// <exception cref="BsonException">No serializer is registered, or the value does not serialize as a document.</exception>
    public static byte[] Serialize<T>(T value, BsonSerializerRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        IBsonSerializer<T> serializer = registry.Get<T>();
        using var writer = new BsonWriter();
        serializer.Serialize(writer, value);
        if (writer.CurrentDepth != 0 || writer.WrittenCount == 0)
        {
            throw BsonErrors.Misuse($"The serializer for {typeof(T)} did not write one complete document.");
        }

        return writer.ToArray();
    }

    /// <summary>Decodes a document with the default registry.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> bson) => Deserialize<T>(bson, BsonSerializerRegistry.Default);

    /// <summary>Decodes a document.</summary>
    /// <exception cref="BsonFormatException">The bytes are not a valid BSON document.</exception>
    /// <exception cref="BsonException">No serializer is registered, or the document does not fit <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(ReadOnlySpan<byte> bson, BsonSerializerRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        IBsonSerializer<T> serializer = registry.Get<T>();
        var reader = new BsonReader(bson);
        reader.Read();
        T result = serializer.Deserialize(ref reader);

        // Whatever the serializer did not read is still validated.
        while (reader.Read())
        {
        }

        return result;
    }
}
