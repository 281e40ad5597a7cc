using System.Buffers;
using Mongo.Bson;
using Mongo.Driver;
using Mongo.Driver.Operations;
using Mongo.Driver.Sessions;
using Mongo.Driver.Util;
using Mongo.Driver.Connections;

namespace Mongo.GridFS;

public sealed partial class GridFSBucket
{
    // Chunk ids per delete command when cleaning up a failed or aborted upload.
    private const int DeleteBatch = 10_000;

    /// <summary>Opens a stream that uploads a new file with a generated ObjectId; write to it, then dispose or <c>Complete</c> it.</summary>
    public GridFSUploadStream OpenUploadStream(string filename, GridFSUploadOptions? options = null, CancellationToken cancellationToken = default) =>
        OpenUploadStreamSpannedCore(async: false, ObjectId.GenerateNewId(), filename, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Opens a stream that uploads a new file with a generated ObjectId; write to it, then dispose or <c>Complete</c> it.</summary>
    public Task<GridFSUploadStream> OpenUploadStreamAsync(string filename, GridFSUploadOptions? options = null, CancellationToken cancellationToken = default) =>
        OpenUploadStreamSpannedCore(async: true, ObjectId.GenerateNewId(), filename, options, cancellationToken).AsTask();

    /// <summary>Opens a stream that uploads a new file with the caller's id.</summary>
    public GridFSUploadStream OpenUploadStreamWithId(BsonValue id, string filename, GridFSUploadOptions? options = null, CancellationToken cancellationToken = default) =>
        OpenUploadStreamSpannedCore(async: false, id, filename, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Opens a stream that uploads a new file with the caller's id.</summary>
    public Task<GridFSUploadStream> OpenUploadStreamWithIdAsync(BsonValue id, string filename, GridFSUploadOptions? options = null, CancellationToken cancellationToken = default) =>
        OpenUploadStreamSpannedCore(async: true, id, filename, options, cancellationToken).AsTask();

    /// <summary>Uploads everything a stream yields as a new file; returns its generated id.</summary>
    public ObjectId UploadFromStream(string filename, Stream source, GridFSUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var id = ObjectId.GenerateNewId();
        UploadFromStreamCore(async: false, id, filename, source, options, cancellationToken).GetAwaiter().GetResult();
        return id;
    }

    /// <summary>Uploads everything a stream yields as a new file; returns its generated id.</summary>
    public async Task<ObjectId> UploadFromStreamAsync(string filename, Stream source, GridFSUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var id = ObjectId.GenerateNewId();
        await UploadFromStreamCore(async: true, id, filename, source, options, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>Uploads everything a stream yields as a new file with the caller's id.</summary>
    public void UploadFromStreamWithId(BsonValue id, string filename, Stream source, GridFSUploadOptions? options = null, CancellationToken cancellationToken = default) =>
        UploadFromStreamCore(async: false, id, filename, source, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Uploads everything a stream yields as a new file with the caller's id.</summary>
    public Task UploadFromStreamWithIdAsync(BsonValue id, string filename, Stream source, GridFSUploadOptions? options = null, CancellationToken cancellationToken = default) =>
        UploadFromStreamCore(async: true, id, filename, source, options, cancellationToken).AsTask();

    /// <summary>Uploads bytes as a new file; returns its generated id.</summary>
    public ObjectId UploadFromBytes(string filename, ReadOnlyMemory<byte> source, GridFSUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var id = ObjectId.GenerateNewId();
        UploadFromBytesCore(async: false, id, filename, source, options, cancellationToken).GetAwaiter().GetResult();
        return id;
    }

    /// <summary>Uploads bytes as a new file; returns its generated id.</summary>
    public async Task<ObjectId> UploadFromBytesAsync(string filename, ReadOnlyMemory<byte> source, GridFSUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var id = ObjectId.GenerateNewId();
        await UploadFromBytesCore(async: true, id, filename, source, options, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>Uploads bytes as a new file with the caller's id.</summary>
    public void UploadFromBytesWithId(BsonValue id, string filename, ReadOnlyMemory<byte> source, GridFSUploadOptions? options = null, CancellationToken cancellationToken = default) =>
        UploadFromBytesCore(async: false, id, filename, source, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Uploads bytes as a new file with the caller's id.</summary>
    public Task UploadFromBytesWithIdAsync(BsonValue id, string filename, ReadOnlyMemory<byte> source, GridFSUploadOptions? options = null, CancellationToken cancellationToken = default) =>
        UploadFromBytesCore(async: true, id, filename, source, options, cancellationToken).AsTask();

    private async ValueTask<GridFSUploadStream> OpenUploadStreamCore(bool async, BsonValue id, string filename, GridFSUploadOptions? options, CancellationToken ct)
    {
        if (Scope(ct) is { } scoped)
        {
            // One deadline for the whole call under timeoutMS.
            return await scoped.OpenUploadStreamCore(async, id, filename, options, ct).ConfigureAwait(false);
        }

        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(filename);
        int chunkSize = options?.ChunkSizeBytes ?? Options.ChunkSizeBytes;
        if (chunkSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "ChunkSizeBytes must be positive.");
        }

        await EnsureIndexesCore(async, ct).ConfigureAwait(false);
        return new GridFSUploadStream(this, id, filename, chunkSize, options?.Metadata);
    }

    private async ValueTask UploadFromBytesUntracedCore(bool async, BsonValue id, string filename, ReadOnlyMemory<byte> source, GridFSUploadOptions? options, CancellationToken ct)
    {
        if (Scope(ct) is { } scoped)
        {
            // One deadline for the whole call under timeoutMS.
            await scoped.UploadFromBytesUntracedCore(async, id, filename, source, options, ct).ConfigureAwait(false);
            return;
        }

        var upload = await OpenUploadStreamCore(async, id, filename, options, ct).ConfigureAwait(false);
        await using (upload.ConfigureAwait(false))
        {
            await WriteOrAbortCore(async, upload, source, ct).ConfigureAwait(false);
            await upload.CompleteCore(async, ct).ConfigureAwait(false);
        }
    }

    private async ValueTask UploadFromStreamUntracedCore(bool async, BsonValue id, string filename, Stream source, GridFSUploadOptions? options, CancellationToken ct)
    {
        if (Scope(ct) is { } scoped)
        {
            // One deadline for the whole call under timeoutMS.
            await scoped.UploadFromStreamUntracedCore(async, id, filename, source, options, ct).ConfigureAwait(false);
            return;
        }

        ArgumentNullException.ThrowIfNull(source);
        var upload = await OpenUploadStreamCore(async, id, filename, options, ct).ConfigureAwait(false);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(upload.ChunkSizeBytes);
        try
        {
            await using (upload.ConfigureAwait(false))
            {
                while (true)
                {
                    int read;
                    try
                    {
                        read = async ? await source.ReadAsync(buffer, ct).ConfigureAwait(false) : source.Read(buffer);
                    }
                    catch
                    {
                        // The source failed: the partial file must not become visible.
                        await AbortQuietlyCore(async, upload).ConfigureAwait(false);
                        throw;
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    await WriteOrAbortCore(async, upload, buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                }

                await upload.CompleteCore(async, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask WriteOrAbortCore(bool async, GridFSUploadStream upload, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        try
        {
            await upload.WriteCore(async, data, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await AbortQuietlyCore(async, upload).ConfigureAwait(false);
            throw;
        }
    }

    private static async ValueTask AbortQuietlyCore(bool async, GridFSUploadStream upload)
    {
        try
        {
            await upload.AbortCore(async, CancellationToken.None).ConfigureAwait(false);
        }
        catch (MongoException)
        {
            // Best effort: the caller sees the original error.
        }
    }

    /// <summary>Inserts pre-encoded chunk documents as one OP_MSG document sequence (no per-chunk DOM).</summary>
    internal async ValueTask InsertChunksCore(bool async, BsonValue filesId, IReadOnlyList<ReadOnlyMemory<byte>> chunks, CancellationToken ct)
    {
        var body = new BsonDocument { { "insert", Chunks.CollectionName }, { "ordered", true } };
        // Inside a transaction of the bucket's session, the transaction's rules replace the bucket's write concern.
        WriteConcern writeConcern = Chunks.Executor.WriteConcernFor(null, Chunks.WriteConcern);
        body.AddWriteConcern(writeConcern);
        var message = new WriteCommand(Database.DatabaseName, body, retryable: writeConcern.IsAcknowledged)
        {
            Context = Chunks.StartOperation(ct),
            Sequences = [new CommandSequence("documents", chunks)],
        };
        var response = await Chunks.Executor.ExecuteAsync(async, message, ct).ConfigureAwait(false);
        var reply = response.Body;
        if (reply.GetValueOrDefault("writeErrors") is BsonArray { Count: > 0 } errors && errors[0] is BsonDocument first)
        {
            throw new GridFSException(
                $"Inserting chunks of GridFS file {filesId} failed: {first.GetValueOrDefault("errmsg")} (code {first.GetValueOrDefault("code")}).");
        }

        if (reply.GetValueOrDefault("writeConcernError") is BsonDocument wce)
        {
            throw new GridFSException(
                $"Inserting chunks of GridFS file {filesId} did not satisfy the write concern: {wce.GetValueOrDefault("errmsg")} (code {wce.GetValueOrDefault("code")}).");
        }
    }

    internal async ValueTask InsertFilesDocumentCore(bool async, BsonValue id, string filename, long length, int chunkSize, BsonDocument? metadata, CancellationToken ct)
    {
        var files = new BsonDocument
        {
            { "_id", id },
            { "length", length },
            { "chunkSize", chunkSize },
            { "uploadDate", new BsonDateTime(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) },
            { "filename", filename },
        };
        if (metadata is not null)
        {
            files.Add("metadata", metadata);
        }

        _ = async ? await Files.InsertOneAsync(files, cancellationToken: ct).ConfigureAwait(false) : Files.InsertOne(files, cancellationToken: ct);
    }

    /// <summary>
    /// Deletes exactly the chunks one upload wrote, by their ids: with a caller-chosen file id, chunks of another
    /// file with the same id must survive the cleanup.
    /// </summary>
    internal async ValueTask DeleteChunksCore(bool async, BsonValue filesId, List<ObjectId> chunkIds, CancellationToken ct)
    {
        for (int start = 0; start < chunkIds.Count; start += DeleteBatch)
        {
            var ids = new BsonArray(Math.Min(DeleteBatch, chunkIds.Count - start));
            for (int i = start; i < Math.Min(chunkIds.Count, start + DeleteBatch); i++)
            {
                ids.Add(new BsonObjectId(chunkIds[i]));
            }

            var filter = new BsonDocument { { "files_id", filesId }, { "_id", new BsonDocument("$in", ids) } };
            _ = async ? await Chunks.DeleteManyAsync(filter, cancellationToken: ct).ConfigureAwait(false) : Chunks.DeleteMany(filter, cancellationToken: ct);
        }
    }
}
