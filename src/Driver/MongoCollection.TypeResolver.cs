using Mongo.Bson.Serialization;

namespace Mongo.Driver;

public sealed partial class MongoCollection<TDocument>
{
    /// <summary>
    /// The resolver typed builders and expression filters render against (placeholder until the settings chain lands:
    /// collection settings' context, database, client settings' context, then the reflection fallback).
    /// </summary>
    internal IBsonTypeInfoResolver TypeResolver => BsonTypeInfoResolver.Combine();
}
