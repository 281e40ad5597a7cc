namespace Mongo.Bson.Serialization;

/// <summary>Supplies serializer models by CLR type: a generated <see cref="BsonSerializerContext"/>, the reflection resolver, or a combination.</summary>
public interface IBsonTypeInfoResolver
{
    /// <summary>The model of <paramref name="type"/>, or null if this resolver does not know the type.</summary>
    BsonTypeInfo? GetTypeInfo(Type type);
}
