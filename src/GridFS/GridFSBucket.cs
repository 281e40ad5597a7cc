using Mongo.Bson;
using Mongo.Driver;

namespace Mongo.GridFS;

/// <summary>
/// A GridFS bucket: files stored as a files document in <c>{bucket}.files</c> and chunk documents in
/// <c>{bucket}.chunks</c>, following MongoDB's GridFS specification. Thread-safe; every operation has a sync
/// and an async form on one code path.
/// </summary>
public sealed partial class GridFSBucket
{
    // Set once the indexes were verified (or created) for this bucket; reset by Drop. Shared with the copies WithTimeout and
    // the one-deadline scopes make, so a copy does not check them again.
    private IndexState _indexState = new();

    // A per-call copy whose database handle carries the call's one deadline (see Scope).
    private bool _scoped;

    /// <summary>Creates a bucket over a database.</summary>
    public GridFSBucket(MongoDatabase database, GridFSBucketOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        Options = options ?? new GridFSBucketOptions();
        ArgumentException.ThrowIfNullOrEmpty(Options.BucketName, "options.BucketName");
        if (Options.ChunkSizeBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "ChunkSizeBytes must be positive.");
        }

        var settings = new MongoCollectionSettings
        {
            ReadConcern = Options.ReadConcern,
            WriteConcern = Options.WriteConcern,
            ReadPreference = Options.ReadPreference,
        };
        Database = database;
        Files = database.GetCollection<BsonDocument>(Options.BucketName + ".files", settings);
        Chunks = database.GetCollection<BsonDocument>(Options.BucketName + ".chunks", settings);
    }

    /// <summary>
    /// This bucket with a <c>timeoutMS</c> of its own (client-side operations timeout spec): how one call gets its own
    /// timeout, <c>bucket.WithTimeout(t).Delete(id)</c>, as with collections (buckets are cheap). Zero or
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>: no limit. The timeout covers each call as a whole (every
    /// command of an upload, download, delete or drop), and a stream's whole life from when it is opened.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public GridFSBucket WithTimeout(TimeSpan timeout) =>
        new(Database.WithTimeout(timeout), Options) { _indexState = _indexState };

    /// <summary>
    /// Client-side operations timeout spec "GridFS API": under timeoutMS, one call (an upload, a download, a delete, a drop,
    /// a stream's whole life) is one deadline, not one per command. Returns the copy of this bucket whose every command draws
    /// on a deadline started now, or null when this already is one or no timeoutMS applies.
    /// </summary>
    private GridFSBucket? Scope(CancellationToken ct) =>
        _scoped || Database.Timeout is null || Database.PinnedContext is not null ? null
            : new(Database.WithOperationContext(Database.StartOperation(ct)), Options) { _indexState = _indexState, _scoped = true };

    private sealed class IndexState
    {
        public int Checked;
    }

    /// <summary>The database holding the bucket.</summary>
    public MongoDatabase Database { get; }

    /// <summary>The bucket's options.</summary>
    public GridFSBucketOptions Options { get; }

    /// <summary>The files collection.</summary>
    internal MongoCollection<BsonDocument> Files { get; }

    /// <summary>The chunks collection.</summary>
    internal MongoCollection<BsonDocument> Chunks { get; }

    /// <summary>Finds files documents matching a filter.</summary>
    public GridFSFileCursor Find(FilterDefinition filter, GridFSFindOptions? options = null, CancellationToken cancellationToken = default) =>
        FindCore(async: false, filter, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Finds files documents matching a filter.</summary>
    public Task<GridFSFileCursor> FindAsync(FilterDefinition filter, GridFSFindOptions? options = null, CancellationToken cancellationToken = default) =>
        FindCore(async: true, filter, options, cancellationToken).AsTask();

    /// <summary>Deletes a file: its files document and all its chunks.</summary>
    /// <exception cref="GridFSFileNotFoundException">No files document had the id (orphan chunks are still removed).</exception>
    public void Delete(BsonValue id, CancellationToken cancellationToken = default) =>
        DeleteCore(async: false, id, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Deletes a file: its files document and all its chunks.</summary>
    /// <exception cref="GridFSFileNotFoundException">No files document had the id (orphan chunks are still removed).</exception>
    public Task DeleteAsync(BsonValue id, CancellationToken cancellationToken = default) =>
        DeleteCore(async: true, id, cancellationToken).AsTask();

    /// <summary>Renames a file (only this revision: the files document with this id).</summary>
    /// <exception cref="GridFSFileNotFoundException">No files document had the id.</exception>
    public void Rename(BsonValue id, string newFilename, CancellationToken cancellationToken = default) =>
        RenameCore(async: false, id, newFilename, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Renames a file (only this revision: the files document with this id).</summary>
    /// <exception cref="GridFSFileNotFoundException">No files document had the id.</exception>
    public Task RenameAsync(BsonValue id, string newFilename, CancellationToken cancellationToken = default) =>
        RenameCore(async: true, id, newFilename, cancellationToken).AsTask();

    /// <summary>Drops the files and chunks collections.</summary>
    public void Drop(CancellationToken cancellationToken = default) =>
        DropCore(async: false, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Drops the files and chunks collections.</summary>
    public Task DropAsync(CancellationToken cancellationToken = default) =>
        DropCore(async: true, cancellationToken).AsTask();

    private async ValueTask<GridFSFileCursor> FindCore(bool async, FilterDefinition filter, GridFSFindOptions? options, CancellationToken ct)
    {
        if (Scope(ct) is { } scoped)
        {
            // One deadline for the whole call under timeoutMS.
            return await scoped.FindCore(async, filter, options, ct).ConfigureAwait(false);
        }

        ArgumentNullException.ThrowIfNull(filter);
        var find = Files.Find(filter);
        if (options?.Sort is { } sort)
        {
            find = find.Sort(sort);
        }

        if (options?.Skip is { } skip)
        {
            find = find.Skip(skip);
        }

        if (options?.Limit is { } limit)
        {
            find = find.Limit(limit);
        }

        if (options?.BatchSize is { } batchSize)
        {
            find = find.BatchSize(batchSize);
        }

        if (options?.MaxTime is { } maxTime)
        {
            find = find.MaxTime(maxTime);
        }

        var cursor = async ? await find.ToCursorAsync(ct).ConfigureAwait(false) : find.ToCursor(ct);
        return new GridFSFileCursor(cursor);
    }

    private async ValueTask DeleteUntracedCore(bool async, BsonValue id, CancellationToken ct)
    {
        if (Scope(ct) is { } scoped)
        {
            // One deadline for the whole call under timeoutMS.
            await scoped.DeleteUntracedCore(async, id, ct).ConfigureAwait(false);
            return;
        }

        ArgumentNullException.ThrowIfNull(id);
        var byId = new BsonDocument("_id", id);
        var deleted = async ? await Files.DeleteOneAsync(byId, cancellationToken: ct).ConfigureAwait(false) : Files.DeleteOne(byId, cancellationToken: ct);

        // Chunks go even when the files document was missing: they are orphans from an interrupted upload or delete.
        var chunks = new BsonDocument("files_id", id);
        _ = async ? await Chunks.DeleteManyAsync(chunks, cancellationToken: ct).ConfigureAwait(false) : Chunks.DeleteMany(chunks, cancellationToken: ct);
        if (deleted.IsAcknowledged && deleted.DeletedCount == 0)
        {
            throw new GridFSFileNotFoundException(id);
        }
    }

    private async ValueTask RenameCore(bool async, BsonValue id, string newFilename, CancellationToken ct)
    {
        if (Scope(ct) is { } scoped)
        {
            // One deadline for the whole call under timeoutMS.
            await scoped.RenameCore(async, id, newFilename, ct).ConfigureAwait(false);
            return;
        }

        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(newFilename);
        var filter = new BsonDocument("_id", id);
        var update = new BsonDocument("$set", new BsonDocument("filename", newFilename));
        var result = async ? await Files.UpdateOneAsync(filter, update, cancellationToken: ct).ConfigureAwait(false) : Files.UpdateOne(filter, update, cancellationToken: ct);
        if (result.IsAcknowledged && result.MatchedCount == 0)
        {
            throw new GridFSFileNotFoundException(id);
        }
    }

    private async ValueTask DropCore(bool async, CancellationToken ct)
    {
        if (Scope(ct) is { } scoped)
        {
            // One deadline for the whole call under timeoutMS.
            await scoped.DropCore(async, ct).ConfigureAwait(false);
            return;
        }

        if (async)
        {
            await Database.DropCollectionAsync(Files.CollectionName, ct).ConfigureAwait(false);
            await Database.DropCollectionAsync(Chunks.CollectionName, ct).ConfigureAwait(false);
        }
        else
        {
            Database.DropCollection(Files.CollectionName, ct);
            Database.DropCollection(Chunks.CollectionName, ct);
        }

        Volatile.Write(ref _indexState.Checked, 0);
    }
}
