namespace Mongo.Driver;

/// <summary>
/// Typed builders for documents of type <typeparamref name="TDocument"/>: members are named with lambdas
/// (<c>p => p.Home.City</c>) and rendered with the collection's serialization model, so element names
/// (<c>[BsonElement]</c>, naming conventions) and value encodings (representations, enums as strings) follow it.
/// </summary>
/// <typeparam name="TDocument">The document type.</typeparam>
public static class Builders<TDocument>
{
    /// <summary>Filters: <c>Builders&lt;Person&gt;.Filter.Gt(p => p.Age, 30)</c>.</summary>
    public static FilterDefinitionBuilder<TDocument> Filter { get; } = new();

    /// <summary>Sorts: <c>Builders&lt;Person&gt;.Sort.Ascending(p => p.Name).Descending(p => p.Age)</c>.</summary>
    public static SortDefinitionBuilder<TDocument> Sort { get; } = new();

    /// <summary>Projections: <c>Builders&lt;Person&gt;.Projection.Include(p => p.Name).Exclude(p => p.Id)</c>.</summary>
    public static ProjectionDefinitionBuilder<TDocument> Projection { get; } = new();

    /// <summary>Updates: <c>Builders&lt;Person&gt;.Update.Set(p => p.Name, "Ada").Inc(p => p.Age, 1)</c>.</summary>
    public static UpdateDefinitionBuilder<TDocument> Update { get; } = new();

    /// <summary>Index keys: <c>Builders&lt;Person&gt;.IndexKeys.Ascending(p => p.Home.City).Hashed(p => p.Id)</c>.</summary>
    public static IndexKeysDefinitionBuilder<TDocument> IndexKeys { get; } = new();
}
