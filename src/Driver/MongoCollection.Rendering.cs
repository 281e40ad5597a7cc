using Mongo.Bson.Serialization;

namespace Mongo.Driver;

public sealed partial class MongoCollection<TDocument>
{
    /// <summary>
    /// The resolver every definition sent by this collection renders with: the collection's chain
    /// (<see cref="TypeResolver"/>), then the process default (the reflection-based models, where allowed).
    /// Untyped definitions ignore it.
    /// </summary>
    internal IBsonTypeInfoResolver RenderResolver => BsonTypeInfoResolver.Combine(TypeResolver, TypedRendering.DefaultResolver);
}
