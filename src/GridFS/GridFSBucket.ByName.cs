using Mongo.Bson;
using Mongo.Driver;

namespace Mongo.GridFS;

public sealed partial class GridFSBucket
{
    /// <summary>Deletes every revision of a file: all files documents with this filename and their chunks.</summary>
    /// <exception cref="GridFSFileNotFoundException">No files document had the filename.</exception>
    public void DeleteByName(string filename, CancellationToken cancellationToken = default) =>
        DeleteByNameCore(async: false, filename, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Deletes every revision of a file: all files documents with this filename and their chunks.</summary>
    /// <exception cref="GridFSFileNotFoundException">No files document had the filename.</exception>
    public Task DeleteByNameAsync(string filename, CancellationToken cancellationToken = default) =>
        DeleteByNameCore(async: true, filename, cancellationToken).AsTask();

    /// <summary>Renames every revision of a file.</summary>
    /// <exception cref="GridFSFileNotFoundException">No files document had the filename.</exception>
    public void RenameByName(string filename, string newFilename, CancellationToken cancellationToken = default) =>
        RenameByNameCore(async: false, filename, newFilename, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Renames every revision of a file.</summary>
    /// <exception cref="GridFSFileNotFoundException">No files document had the filename.</exception>
    public Task RenameByNameAsync(string filename, string newFilename, CancellationToken cancellationToken = default) =>
        RenameByNameCore(async: true, filename, newFilename, cancellationToken).AsTask();

    private async ValueTask DeleteByNameUntracedCore(bool async, string filename, CancellationToken ct)
    {
        if (Scope(ct) is { } scoped)
        {
            // One deadline for the whole call under timeoutMS.
            await scoped.DeleteByNameUntracedCore(async, filename, ct).ConfigureAwait(false);
            return;
        }

        ArgumentNullException.ThrowIfNull(filename);
        var byName = new BsonDocument("filename", filename);
        var find = Files.Find(byName).Project(new BsonDocument("_id", 1));
        var files = async ? await find.ToListAsync(ct).ConfigureAwait(false) : find.ToList(ct);
        if (files.Count == 0)
        {
            throw new GridFSFileNotFoundException(filename, -1);
        }

        var ids = new BsonArray();
        foreach (var file in files)
        {
            ids.Add(file["_id"]);
        }

        // Files documents first, so a failure part-way leaves orphan chunks rather than files that cannot be read.
        var byIds = new BsonDocument("_id", new BsonDocument("$in", ids));
        _ = async ? await Files.DeleteManyAsync(byIds, cancellationToken: ct).ConfigureAwait(false) : Files.DeleteMany(byIds, cancellationToken: ct);
        var chunks = new BsonDocument("files_id", new BsonDocument("$in", ids));
        _ = async ? await Chunks.DeleteManyAsync(chunks, cancellationToken: ct).ConfigureAwait(false) : Chunks.DeleteMany(chunks, cancellationToken: ct);
    }

    private async ValueTask RenameByNameCore(bool async, string filename, string newFilename, CancellationToken ct)
    {
        if (Scope(ct) is { } scoped)
        {
            // One deadline for the whole call under timeoutMS.
            await scoped.RenameByNameCore(async, filename, newFilename, ct).ConfigureAwait(false);
            return;
        }

        ArgumentNullException.ThrowIfNull(filename);
        ArgumentNullException.ThrowIfNull(newFilename);
        var filter = new BsonDocument("filename", filename);
        var update = new BsonDocument("$set", new BsonDocument("filename", newFilename));
        var result = async ? await Files.UpdateManyAsync(filter, update, cancellationToken: ct).ConfigureAwait(false) : Files.UpdateMany(filter, update, cancellationToken: ct);
        if (result.IsAcknowledged && result.MatchedCount == 0)
        {
            throw new GridFSFileNotFoundException(filename, -1);
        }
    }
}
