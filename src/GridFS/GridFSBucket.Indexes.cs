using Mongo.Bson;
using Mongo.Driver;

namespace Mongo.GridFS;

public sealed partial class GridFSBucket
{
    private static readonly BsonDocument s_filesIndexKeys = new() { { "filename", 1 }, { "uploadDate", 1 } };
    private static readonly BsonDocument s_chunksIndexKeys = new() { { "files_id", 1 }, { "n", 1 } };

    /// <summary>
    /// The spec's index check before the first write: when the files collection is empty, make sure
    /// <c>filename_1_uploadDate_1</c> on files and the unique <c>files_id_1_n_1</c> on chunks exist, comparing existing
    /// key patterns numerically (an index created as <c>{ n: 1.0 }</c> by another driver counts).
    /// </summary>
    internal async ValueTask EnsureIndexesCore(bool async, CancellationToken ct)
    {
        if (Volatile.Read(ref _indexState.Checked) == 1)
        {
            return;
        }

        // Read from the primary: a lagging secondary could report an empty collection that is not.
        var probe = Files.WithReadPreference(ReadPreference.Primary).Find(FilterDefinition.Empty)
            .Project(new BsonDocument("_id", 1)).Limit(1);
        var existing = async ? await probe.FirstOrDefaultAsync(ct).ConfigureAwait(false) : probe.FirstOrDefault(ct);
        if (existing is null)
        {
            await EnsureIndexCore(async, Files, s_filesIndexKeys, unique: false, ct).ConfigureAwait(false);
            await EnsureIndexCore(async, Chunks, s_chunksIndexKeys, unique: true, ct).ConfigureAwait(false);
        }

        Volatile.Write(ref _indexState.Checked, 1);
    }

    private static async ValueTask EnsureIndexCore(bool async, MongoCollection<BsonDocument> collection, BsonDocument keys, bool unique, CancellationToken ct)
    {
        List<BsonDocument> indexes;
        try
        {
            indexes = async ? await collection.ListIndexesAsync(ct).ConfigureAwait(false) : collection.ListIndexes(ct);
        }
        catch (MongoCommandException ex) when (ex.Code == 26)
        {
            // NamespaceNotFound: the collection does not exist yet, so neither does any index.
            indexes = [];
        }

        foreach (var index in indexes)
        {
            if (index.GetValueOrDefault("key") is BsonDocument existing && KeysEqual(existing, keys))
            {
                return;
            }
        }

        var model = new CreateIndexModel(new BsonDocument(keys.Elements), unique ? new CreateIndexOptions { Unique = true } : null);
        _ = async
            ? await collection.CreateIndexesAsync([model], ct).ConfigureAwait(false)
            : collection.CreateIndexes([model], ct);
    }

    /// <summary>Same fields in the same order with numerically equal directions (1, 1L and 1.0 are one direction).</summary>
    internal static bool KeysEqual(BsonDocument existing, BsonDocument wanted)
    {
        if (existing.ElementCount != wanted.ElementCount)
        {
            return false;
        }

        for (int i = 0; i < wanted.ElementCount; i++)
        {
            var a = existing.GetElement(i);
            var b = wanted.GetElement(i);
            if (a.Name != b.Name || !a.Value.IsNumeric || a.Value.ToDouble() != b.Value.ToDouble())
            {
                return false;
            }
        }

        return true;
    }
}
