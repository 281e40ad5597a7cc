using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine.Pipeline;

/// <summary>The collection a $lookup joins with, read through the query planner.</summary>
internal static partial class AggregationPipeline
{
    /// <summary>
    /// A $lookup's foreign namespace. On a collection, the documents equal to an input document's local values are
    /// found through the query planner (an index on the foreign field is looked up, as mongod does, instead of
    /// scanning the collection once per input document) and handed back in natural order, the order a scan gives.
    /// A view (or a missing namespace) is read whole once, as before. The documents are not to be changed: callers copy.
    /// </summary>
    private sealed class ForeignSource
    {
        private readonly CollectionData? _collection;
        private readonly List<BsonDocument>? _documents;
        private Dictionary<BsonDocument, int>? _positions;

        private ForeignSource(CollectionData? collection, List<BsonDocument>? documents)
        {
            _collection = collection;
            _documents = documents;
        }

        public static ForeignSource Open(PipelineContext context, string database, string? name)
        {
            if (name is null) return new ForeignSource(null, []);
            var source = context.Storage.OpenForRead(database, name);
            if (source.Collection is not { } collection) return new ForeignSource(null, source.TakeAll());
            collection.SweepTtl();
            return new ForeignSource(collection, null);
        }

        /// <summary>Every document, in natural order.</summary>
        public IReadOnlyList<BsonDocument> All => _documents ?? _collection!.Documents;

        /// <summary>The documents <paramref name="filter"/> matches, in natural order.</summary>
        public List<BsonDocument> Matching(Filter filter, BsonDocument rawFilter, Collator? collator)
        {
            var matched = new List<BsonDocument>();
            var candidates = _collection is null ? _documents! : _collection.PlanQuery(filter, rawFilter, collator).Run(_collection);
            foreach (var doc in candidates)
            {
                Commands.OperationDeadline.Check();
                if (filter.Matches(doc)) matched.Add(doc);
            }

            if (_collection is null || matched.Count < 2) return matched;
            // An index yields its key order; the join has always listed its matches in the collection's order.
            if (_positions is null)
            {
                _positions = new Dictionary<BsonDocument, int>(_collection.Count, ReferenceEqualityComparer.Instance);
                var documents = _collection.Documents;
                for (var i = 0; i < documents.Count; i++) _positions[documents[i]] = i;
            }

            matched.Sort((a, b) => _positions[a].CompareTo(_positions[b]));
            return matched;
        }
    }
}
