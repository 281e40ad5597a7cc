using Mongo.Bson;
using Mongo.Driver.Diagnostics;
using Mongo.Driver.Sessions;

namespace Mongo.GridFS;

/// <summary>
/// Each one-call GridFS operation (upload, download, delete) is one operation span, named after it and the bucket's files
/// collection (<c>upload fs.files</c>), with the commands it sends (index checks, chunk inserts, chunk finds and getMores)
/// as its children: a user reading a trace expects one span per call. The MongoDB OpenTelemetry specification does not
/// cover GridFS; this applies its rule for every other operation. While nothing listens, the calls go straight to the
/// untraced code, with no extra async step.
/// </summary>
public sealed partial class GridFSBucket
{
    private ValueTask UploadFromBytesCore(bool async, BsonValue id, string filename, ReadOnlyMemory<byte> source, GridFSUploadOptions? options, CancellationToken ct) =>
        OperationSpan.IsEnabled ? UploadFromBytesTracedCore(async, id, filename, source, options, ct) : UploadFromBytesUntracedCore(async, id, filename, source, options, ct);

    private async ValueTask UploadFromBytesTracedCore(bool async, BsonValue id, string filename, ReadOnlyMemory<byte> source, GridFSUploadOptions? options, CancellationToken ct)
    {
        OperationSpan? span = StartOperation("upload");
        using (OperationSpan.Enter(span))
        {
            try
            {
                await UploadFromBytesUntracedCore(async, id, filename, source, options, ct).ConfigureAwait(false);
                span?.End(null);
            }
            catch (Exception ex)
            {
                span?.End(ex);
                throw;
            }
        }
    }

    private ValueTask UploadFromStreamCore(bool async, BsonValue id, string filename, Stream source, GridFSUploadOptions? options, CancellationToken ct) =>
        OperationSpan.IsEnabled ? UploadFromStreamTracedCore(async, id, filename, source, options, ct) : UploadFromStreamUntracedCore(async, id, filename, source, options, ct);

    private async ValueTask UploadFromStreamTracedCore(bool async, BsonValue id, string filename, Stream source, GridFSUploadOptions? options, CancellationToken ct)
    {
        OperationSpan? span = StartOperation("upload");
        using (OperationSpan.Enter(span))
        {
            try
            {
                await UploadFromStreamUntracedCore(async, id, filename, source, options, ct).ConfigureAwait(false);
                span?.End(null);
            }
            catch (Exception ex)
            {
                span?.End(ex);
                throw;
            }
        }
    }

    private ValueTask DownloadToStreamCore(bool async, BsonValue? id, string? filename, int revision, Stream destination, CancellationToken ct) =>
        OperationSpan.IsEnabled ? DownloadToStreamTracedCore(async, id, filename, revision, destination, ct) : DownloadToStreamUntracedCore(async, id, filename, revision, destination, ct);

    private async ValueTask DownloadToStreamTracedCore(bool async, BsonValue? id, string? filename, int revision, Stream destination, CancellationToken ct)
    {
        OperationSpan? span = StartOperation("download");
        using (OperationSpan.Enter(span))
        {
            try
            {
                await DownloadToStreamUntracedCore(async, id, filename, revision, destination, ct).ConfigureAwait(false);
                span?.End(null);
            }
            catch (Exception ex)
            {
                span?.End(ex);
                throw;
            }
        }
    }

    private ValueTask<byte[]> DownloadAsBytesCore(bool async, BsonValue? id, string? filename, int revision, CancellationToken ct) =>
        OperationSpan.IsEnabled ? DownloadAsBytesTracedCore(async, id, filename, revision, ct) : DownloadAsBytesUntracedCore(async, id, filename, revision, ct);

    private async ValueTask<byte[]> DownloadAsBytesTracedCore(bool async, BsonValue? id, string? filename, int revision, CancellationToken ct)
    {
        OperationSpan? span = StartOperation("download");
        using (OperationSpan.Enter(span))
        {
            try
            {
                var result = await DownloadAsBytesUntracedCore(async, id, filename, revision, ct).ConfigureAwait(false);
                span?.End(null);
                return result;
            }
            catch (Exception ex)
            {
                span?.End(ex);
                throw;
            }
        }
    }

    private ValueTask DeleteCore(bool async, BsonValue id, CancellationToken ct) =>
        OperationSpan.IsEnabled ? DeleteTracedCore(async, id, ct) : DeleteUntracedCore(async, id, ct);

    private async ValueTask DeleteTracedCore(bool async, BsonValue id, CancellationToken ct)
    {
        OperationSpan? span = StartOperation("delete");
        using (OperationSpan.Enter(span))
        {
            try
            {
                await DeleteUntracedCore(async, id, ct).ConfigureAwait(false);
                span?.End(null);
            }
            catch (Exception ex)
            {
                span?.End(ex);
                throw;
            }
        }
    }

    private ValueTask DeleteByNameCore(bool async, string filename, CancellationToken ct) =>
        OperationSpan.IsEnabled ? DeleteByNameTracedCore(async, filename, ct) : DeleteByNameUntracedCore(async, filename, ct);

    private async ValueTask DeleteByNameTracedCore(bool async, string filename, CancellationToken ct)
    {
        OperationSpan? span = StartOperation("delete");
        using (OperationSpan.Enter(span))
        {
            try
            {
                await DeleteByNameUntracedCore(async, filename, ct).ConfigureAwait(false);
                span?.End(null);
            }
            catch (Exception ex)
            {
                span?.End(ex);
                throw;
            }
        }
    }

    /// <summary>
    /// An upload stream is one <c>upload</c> operation span from its opening (the index checks) to its end: completed, or
    /// aborted (explicitly, or by disposing it uncompleted, an error status with <c>error.type</c> <c>aborted</c>), or failed
    /// (the error). Its chunk inserts and the files insert are children of it.
    /// </summary>
    private ValueTask<GridFSUploadStream> OpenUploadStreamSpannedCore(bool async, BsonValue id, string filename, GridFSUploadOptions? options, CancellationToken ct) =>
        OperationSpan.IsEnabled ? OpenUploadStreamTracedCore(async, id, filename, options, ct) : OpenUploadStreamCore(async, id, filename, options, ct);

    private ValueTask<GridFSUploadStream> OpenUploadStreamTracedCore(bool async, BsonValue id, string filename, GridFSUploadOptions? options, CancellationToken ct) =>
        OpenStreamTracedAsync("upload", () => OpenUploadStreamCore(async, id, filename, options, ct), static (stream, span) => stream.Span = span);

    /// <summary>
    /// A download stream is one <c>download</c> operation span from its opening (the files find) until it is disposed or
    /// closed, or fails (the error); the chunk finds, getMores and the killCursors of an early close are its children.
    /// </summary>
    private ValueTask<GridFSDownloadStream> OpenDownloadStreamSpannedCore(bool async, BsonValue? id, string? filename, int revision, CancellationToken ct) =>
        OperationSpan.IsEnabled ? OpenDownloadStreamTracedCore(async, id, filename, revision, ct) : OpenCore(async, id, filename, revision, ct);

    private ValueTask<GridFSDownloadStream> OpenDownloadStreamTracedCore(bool async, BsonValue? id, string? filename, int revision, CancellationToken ct) =>
        OpenStreamTracedAsync("download", () => OpenCore(async, id, filename, revision, ct), static (stream, span) => stream.Span = span);

    /// <summary>
    /// Opens a stream inside a new operation span that outlives the call: the span ends with the error if opening fails,
    /// else it is handed to the stream, which ends it when it is done.
    /// </summary>
    private async ValueTask<TStream> OpenStreamTracedAsync<TStream>(string operation, Func<ValueTask<TStream>> open, Action<TStream, OperationSpan?> attach)
    {
        OperationSpan? span = StartOperation(operation);
        TStream stream;
        try
        {
            using (OperationSpan.Enter(span))
            {
                stream = await open().ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            span?.End(ex);
            throw;
        }

        attach(stream, span);
        span?.KeepAlive();
        return stream;
    }

    /// <summary>The span of one GridFS call, inside the session's transaction span when there is one.</summary>
    private OperationSpan? StartOperation(string operation) =>
        OperationSpan.Start(operation, Database.DatabaseName, Files.CollectionName, SessionBoundExecutor.TransactionSpan(Database.Executor), abandonedEvent: "mongodb.gridfs.abandoned",
            tracing: Database.Executor.Tracing);
}
