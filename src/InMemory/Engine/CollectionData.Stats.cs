using Mongo.Bson;

namespace Mongo.InMemory.Engine;

/// <summary>The storage statistics that collStats and the $collStats stage's storageStats report.</summary>
internal sealed partial class CollectionData
{
    // The in-memory server has no pages: every index and the record store report this much overhead.
    private const long NominalStorageOverhead = 4096;

    /// <summary>The collStats-shaped statistics, sizes divided by <paramref name="scale"/> (at least 1).</summary>
    public BsonDocument StorageStats(string ns, long scale)
    {
        var size = DataSize();
        var indexSizes = new BsonDocument();
        foreach (var index in _indexes) indexSizes.Add(index.Name, NominalStorageOverhead / scale);
        var indexTotal = NominalStorageOverhead * _indexes.Count / scale;
        var stats = new BsonDocument
        {
            { "ns", ns },
            { "size", size / scale },
            { "count", Count },
            { "avgObjSize", Count == 0 ? 0 : size / Count },
            { "numOrphanDocs", 0 },
            { "storageSize", (size + NominalStorageOverhead) / scale },
            { "freeStorageSize", 0 },
            { "capped", IsCapped },
        };
        if (IsCapped)
        {
            stats.Add("max", CappedMaxDocuments);
            stats.Add("maxSize", CappedMaxSize / scale);
        }

        stats.Add("nindexes", _indexes.Count);
        stats.Add("indexDetails", new BsonDocument());
        stats.Add("indexBuilds", new BsonArray());
        stats.Add("totalIndexSize", indexTotal);
        stats.Add("indexSizes", indexSizes);
        stats.Add("totalSize", (size + NominalStorageOverhead) / scale + indexTotal);
        stats.Add("scaleFactor", (int)scale);
        return stats;
    }
}
