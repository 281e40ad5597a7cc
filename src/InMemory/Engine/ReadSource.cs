using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;

namespace Mongo.InMemory.Engine;

/// <summary>
/// What a read command reads from a namespace: a collection's stored documents, or a view's documents, which
/// <see cref="Storage.OpenForRead"/> computes once by running the view's pipelines over its source (the server runs a
/// read on a view as an aggregation over the resolved source too). One source serves one read, under the storage lock.
/// </summary>
internal sealed class ReadSource
{
    private readonly CollectionData? _collection;
    private readonly List<BsonDocument>? _viewDocuments;

    private ReadSource(CollectionData? collection, List<BsonDocument>? viewDocuments, CollectionData? indexed)
    {
        _collection = collection;
        _viewDocuments = viewDocuments;
        IndexedCollection = indexed;
    }

    /// <summary>Whether the namespace is a view (its reads are aggregations, which some find options cannot become).</summary>
    public bool IsView => _viewDocuments is not null;

    /// <summary>The collection read (null for a view or a missing namespace).</summary>
    public CollectionData? Collection => _collection;

    /// <summary>A namespace that holds nothing.</summary>
    public static ReadSource Missing { get; } = new(null, null, null);

    public static ReadSource Of(CollectionData collection) => new(collection, null, collection);

    /// <param name="documents">The view's documents, private to this source.</param>
    /// <param name="underlying">The collection the view chain ends at (null when it does not exist).</param>
    public static ReadSource OfView(List<BsonDocument> documents, CollectionData? underlying) => new(null, documents, underlying);

    /// <summary>
    /// The collection whose indexes a hint names: the namespace itself, or for a view the collection it resolves to
    /// (the server hints the aggregation it runs on that collection).
    /// </summary>
    public CollectionData? IndexedCollection { get; }

    /// <summary>
    /// Documents that may match <paramref name="filter"/> in natural order: the collection's stored documents (callers
    /// must not change them) or all of the view's.
    /// </summary>
    public IEnumerable<BsonDocument> Candidates(BsonDocument? filter, Collator? collator) =>
        _viewDocuments ?? _collection?.Candidates(filter, collator) ?? [];

    /// <summary>Every document in natural order as copies the caller owns (the input of an aggregation).</summary>
    public List<BsonDocument> TakeAll()
    {
        // A view's documents were computed from copies for this source alone, so they are handed over as they are.
        if (_viewDocuments is not null) return _viewDocuments;
        if (_collection is null) return [];
        _collection.SweepTtl();
        var list = new List<BsonDocument>(_collection.Count);
        foreach (var d in _collection.Documents)
        {
            Commands.OperationDeadline.Check();
            list.Add((BsonDocument)d.DeepClone());
        }
        return list;
    }
}
