using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Mongo.Bson.Serialization;

namespace Mongo.Bson;

/// <summary>
/// Maps CLR types to their <see cref="IBsonSerializer{T}"/>. No reflection: every serializer is registered
/// explicitly. A new registry starts with the built-ins (BSON DOM types, common scalars and
/// <c>Dictionary&lt;string, object?&gt;</c>); <see cref="Register{T}"/> adds or replaces one. Thread-safe.
/// </summary>
public sealed class BsonSerializerRegistry
{
    private readonly ConcurrentDictionary<Type, object> _serializers = new();

    /// <summary>Creates a registry holding the built-in serializers.</summary>
    public BsonSerializerRegistry()
    {
        BuiltInSerializers.RegisterAll(this);
    }

    /// <summary>The process-wide default registry used by <see cref="BsonSerializer"/>.</summary>
    public static BsonSerializerRegistry Default { get; } = new();

    /// <summary>Adds or replaces the serializer for <typeparamref name="T"/>.</summary>
    public void Register<T>(IBsonSerializer<T> serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        _serializers[typeof(T)] = serializer;
    }

    /// <summary>The serializer for <typeparamref name="T"/>.</summary>
    /// <exception cref="BsonException">None is registered.</exception>
    public IBsonSerializer<T> Get<T>() =>
        TryGet(out IBsonSerializer<T>? serializer)
            ? serializer
            : throw new BsonException($"No BSON serializer is registered for {typeof(T)}; register one with BsonSerializerRegistry.Register.");

    /// <summary>Looks up the serializer for <typeparamref name="T"/>.</summary>
    public bool TryGet<T>([NotNullWhen(true)] out IBsonSerializer<T>? serializer)
    {
        if (_serializers.TryGetValue(typeof(T), out object? found))
        {
            serializer = (IBsonSerializer<T>)found;
            return true;
        }

        serializer = null;
        return false;
    }
}
