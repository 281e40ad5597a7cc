using Mongo.Bson.Internal;
using Mongo.Bson.Serialization;

namespace Mongo.Bson;

/// <summary>
/// Encodes and decodes whole documents through a <see cref="BsonSerializerRegistry"/>, a serializer model
/// (<see cref="BsonTypeInfo{T}"/>) or a resolver (a generated <see cref="BsonSerializerContext"/>, the reflection resolver).
/// </summary>
public static class BsonSerializer
{
    /// <summary>
    /// Encodes a value that serializes as a document: with the serializer registered in the default registry, else the
    /// model from <see cref="BsonTypeInfoResolver.Default"/> (reflection, unless the feature switch turned it off).
    /// </summary>
    public static byte[] Serialize<T>(T value) => SerializeCore(value, DefaultSerializer<T>());

    /// <summary>Encodes a value that serializes as a document.</summary>
    /// <exception cref="BsonException">No serializer is registered, or the value does not serialize as a document.</exception>
    public static byte[] Serialize<T>(T value, BsonSerializerRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return SerializeCore(value, registry.Get<T>());
    }

    /// <summary>Encodes a value with its serializer model (e.g. <c>AppBson.Default.Person</c> from a generated context).</summary>
    public static byte[] Serialize<T>(T value, BsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return SerializeCore(value, typeInfo.Serializer);
    }

    /// <summary>Encodes a value with the model <paramref name="resolver"/> gives its type.</summary>
    /// <exception cref="BsonSerializationException">The resolver does not know <typeparamref name="T"/>.</exception>
    public static byte[] Serialize<T>(T value, IBsonTypeInfoResolver resolver) => SerializeCore(value, resolver.GetRequiredTypeInfo<T>().Serializer);

    /// <summary>Decodes a document with the default registry, else <see cref="BsonTypeInfoResolver.Default"/>.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> bson) => DeserializeCore(bson, DefaultSerializer<T>());

    /// <summary>Decodes a document.</summary>
    /// <exception cref="BsonFormatException">The bytes are not a valid BSON document.</exception>
    /// <exception cref="BsonException">No serializer is registered, or the document does not fit <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(ReadOnlySpan<byte> bson, BsonSerializerRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return DeserializeCore(bson, registry.Get<T>());
    }

    /// <summary>Decodes a document with a serializer model.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> bson, BsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return DeserializeCore(bson, typeInfo.Serializer);
    }

    /// <summary>Decodes a document with the model <paramref name="resolver"/> gives <typeparamref name="T"/>.</summary>
    /// <exception cref="BsonSerializationException">The resolver does not know <typeparamref name="T"/>, or the document does not fit it.</exception>
    public static T Deserialize<T>(ReadOnlySpan<byte> bson, IBsonTypeInfoResolver resolver) =>
        DeserializeCore(bson, resolver.GetRequiredTypeInfo<T>().Serializer);

    private static IBsonSerializer<T> DefaultSerializer<T>() =>
        BsonSerializerRegistry.Default.TryGet(out IBsonSerializer<T>? registered)
            ? registered
            : BsonTypeInfoResolver.Default.GetRequiredTypeInfo<T>().Serializer;

    private static byte[] SerializeCore<T>(T value, IBsonSerializer<T> serializer)
    {
        using var writer = new BsonWriter();
        serializer.Serialize(writer, value);
        if (writer.CurrentDepth != 0 || writer.WrittenCount == 0)
        {
            throw BsonErrors.Misuse($"The serializer for {typeof(T)} did not write one complete document.");
        }

        return writer.ToArray();
    }

    private static T DeserializeCore<T>(ReadOnlySpan<byte> bson, IBsonSerializer<T> serializer)
    {
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
