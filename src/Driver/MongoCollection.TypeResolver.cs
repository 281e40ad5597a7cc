using Mongo.Bson.Serialization;

namespace Mongo.Driver;

public sealed partial class MongoCollection<TDocument>
{
    /// <summary>
    /// The resolver typed builders and expression filters render against: the collection settings' context, the
    /// database's, the client settings' context, then the default resolution (the reflection fallback when enabled).
    /// </summary>
    internal IBsonTypeInfoResolver TypeResolver => _codec.Resolver;
}
