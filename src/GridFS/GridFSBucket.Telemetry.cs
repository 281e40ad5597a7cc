using Mongo.Bson;
using Mongo.Driver.Diagnostics;
using Mongo.Driver.Sessions;

namespace Mongo.GridFS;

/// <summary>
/// Each one-call GridFS operation (upload, download, delete) is one operation span, named after it and the bucket's files
/// collection (<c>upload fs.files</c>), with the commands it sends (index checks, chunk inserts, chunk finds and getMores)
/// as its children: a user reading a trace expects one span per call. The MongoDB OpenTelemetry specification does not
/// cover GridFS; this applies its rule for every other operation. Nothing is allocated for it when nothing listens.
/// </summary>
public sealed partial class GridFSBucket
{
    private async ValueTask UploadFromBytesCore(bool async, BsonValue id, string filename, ReadOnlyMemory<byte> source, GridFSUploadOptions? options, CancellationToken ct)
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

    private async ValueTask UploadFromStreamCore(bool async, BsonValue id, string filename, Stream source, GridFSUploadOptions? options, CancellationToken ct)
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

    private async ValueTask DownloadToStreamCore(bool async, BsonValue? id, string? filename, int revision, Stream destination, CancellationToken ct)
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

    private async ValueTask<byte[]> DownloadAsBytesCore(bool async, BsonValue? id, string? filename, int revision, CancellationToken ct)
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

    private async ValueTask DeleteCore(bool async, BsonValue id, CancellationToken ct)
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

    private async ValueTask DeleteByNameCore(bool async, string filename, CancellationToken ct)
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

    /// <summary>The span of one GridFS call, inside the session's transaction span when there is one; null when nothing listens.</summary>
    private OperationSpan? StartOperation(string operation) =>
        OperationSpan.Start(operation, Database.DatabaseName, Files.CollectionName, SessionBoundExecutor.TransactionSpan(Database.Executor));
}
