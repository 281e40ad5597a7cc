using System.Buffers;
using Mongo.Bson;
using Mongo.Driver;
using Mongo.Driver.Diagnostics;
using Mongo.GridFS.Internal;

namespace Mongo.GridFS;

/// <summary>
/// A write-only stream that stores what is written as a GridFS file. Bytes go straight into encoded chunk documents
/// in one pooled batch buffer, which is inserted whenever it fills, so memory stays at one batch whatever the file
/// size. Only <see cref="Complete"/>/<see cref="CompleteAsync"/> insert the files document that makes the file visible.
/// Disposing a stream that was not completed aborts it, as do <see cref="Abort"/> and any failure: the chunks written
/// so far are deleted, so readers never see a partial file. (This differs from the official driver, whose Close
/// completes: there, an <c>await using</c> upload whose source failed half way commits a truncated file.)
/// </summary>
public sealed class GridFSUploadStream : Stream
{
    // A batch of encoded chunks is inserted once it reaches this size (or can no longer fit a whole chunk).
    private const int TargetBatchBytes = 4 * 1024 * 1024;

    private readonly GridFSBucket _bucket;
    private readonly ChunkTemplate _template;
    private readonly BsonDocument? _metadata;
    private readonly List<ReadOnlyMemory<byte>> _pending = [];
    private readonly List<ObjectId> _writtenChunkIds = [];
    private byte[]? _batch;
    private int _batchUsed;
    private int _chunkStart = -1;  // offset of the open chunk in _batch, or -1
    private int _chunkFill;        // payload bytes in the open chunk
    private int _nextN;
    private long _length;
    private State _state;

    private enum State { Open, Completed, Aborted, Failed }

    internal GridFSUploadStream(GridFSBucket bucket, BsonValue id, string filename, int chunkSizeBytes, BsonDocument? metadata)
    {
        _bucket = bucket;
        Id = id;
        Filename = filename;
        ChunkSizeBytes = chunkSizeBytes;
        _metadata = metadata;
        _template = new ChunkTemplate(id);
        int chunkBytes = _template.Overhead + chunkSizeBytes;
        _batch = ArrayPool<byte>.Shared.Rent(Math.Max(chunkBytes, Math.Min(TargetBatchBytes, chunkBytes * 16)));
    }

    /// <summary>The id of the file being written.</summary>
    public BsonValue Id { get; }

    /// <summary>The file's name.</summary>
    public string Filename { get; }

    /// <summary>The file's chunk size.</summary>
    public int ChunkSizeBytes { get; }

    /// <summary>
    /// The stream's own operation span (opened by <c>OpenUploadStream</c> while a listener is attached; null inside a
    /// one-call upload, whose span is already current): ended on completion, abort or failure.
    /// </summary>
    internal OperationSpan? Span { get; set; }

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => _state == State.Open;

    /// <summary>The bytes written so far.</summary>
    public override long Length => _length;

    /// <summary>The bytes written so far; cannot be set.</summary>
    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException("A GridFS upload stream cannot seek.");
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) =>
        WriteCore(async: false, buffer.AsMemory(offset, count), CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        // The sync path needs memory; a span cannot cross the awaits of the shared code path.
        byte[] copy = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            buffer.CopyTo(copy);
            WriteCore(async: false, copy.AsMemory(0, buffer.Length), CancellationToken.None).GetAwaiter().GetResult();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteCore(async: true, buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        WriteCore(async: true, buffer, cancellationToken);

    /// <summary>Nothing to do: chunks are sent when a batch fills and when the stream is closed.</summary>
    public override void Flush() { }

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Completes the upload: writes the last chunk and the files document.</summary>
    public void Complete(CancellationToken cancellationToken = default) =>
        CompleteCore(async: false, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Completes the upload: writes the last chunk and the files document.</summary>
    public Task CompleteAsync(CancellationToken cancellationToken = default) =>
        CompleteCore(async: true, cancellationToken).AsTask();

    /// <summary>Abandons the upload and deletes the chunks already written. No files document is created.</summary>
    public void Abort(CancellationToken cancellationToken = default) =>
        AbortCore(async: false, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Abandons the upload and deletes the chunks already written. No files document is created.</summary>
    public Task AbortAsync(CancellationToken cancellationToken = default) =>
        AbortCore(async: true, cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("A GridFS upload stream is write-only.");

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A GridFS upload stream cannot seek.");

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException("A GridFS upload stream cannot change its length.");

    /// <summary>
    /// Aborts the upload if it was not completed: an upload abandoned half way (an exception in the writer, a cancelled
    /// source) must not become a truncated file that readers see. Deleting the chunks is best effort here (Dispose does
    /// not throw); chunks left behind have no files document, so no reader sees them.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        try
        {
            if (disposing && _state == State.Open)
            {
                AbortOnDisposeCore(async: false).GetAwaiter().GetResult();
            }
        }
        finally
        {
            ReturnBuffer();
            EndSpanUnfinished();
            base.Dispose(disposing);
        }
    }

    /// <summary>Aborts the upload if it was not completed (see <see cref="Dispose(bool)"/>).</summary>
    public override async ValueTask DisposeAsync()
    {
        try
        {
            if (_state == State.Open)
            {
                await AbortOnDisposeCore(async: true).ConfigureAwait(false);
            }
        }
        finally
        {
            ReturnBuffer();
            EndSpanUnfinished();
            await base.DisposeAsync().ConfigureAwait(false);
            GC.SuppressFinalize(this);
        }
    }

    private async ValueTask AbortOnDisposeCore(bool async)
    {
        try
        {
            await AbortCore(async, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MongoException or IOException)
        {
            // The state is already Aborted; what could not be deleted is invisible without a files document.
        }
    }

    internal async ValueTask WriteCore(bool async, ReadOnlyMemory<byte> buffer, CancellationToken ct)
    {
        ThrowIfNotOpen();
        while (!buffer.IsEmpty)
        {
            if (_chunkStart < 0)
            {
                if (_batchUsed + _template.Overhead + ChunkSizeBytes > _batch!.Length)
                {
                    await FlushBatchCore(async, ct).ConfigureAwait(false);
                }

                StartChunk();
            }

            int take = Math.Min(buffer.Length, ChunkSizeBytes - _chunkFill);
            buffer.Span[..take].CopyTo(_batch.AsSpan(_batchUsed));
            _batchUsed += take;
            _chunkFill += take;
            _length += take;
            buffer = buffer[take..];
            if (_chunkFill == ChunkSizeBytes)
            {
                EndChunk();
            }
        }
    }

    private void StartChunk()
    {
        var chunkId = ObjectId.GenerateNewId();
        _writtenChunkIds.Add(chunkId);
        _chunkStart = _batchUsed;
        _batchUsed += _template.WritePrefix(_batch.AsSpan(_batchUsed), chunkId, _nextN++);
        _chunkFill = 0;
    }

    private void EndChunk()
    {
        int size = _template.Complete(_batch.AsSpan(_chunkStart), _chunkFill);
        _batchUsed = _chunkStart + size;
        _pending.Add(_batch.AsMemory(_chunkStart, size));
        _chunkStart = -1;
        _chunkFill = 0;
    }

    private async ValueTask FlushBatchCore(bool async, CancellationToken ct)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        try
        {
            using (OperationSpan.Enter(Span))
            {
                await _bucket.InsertChunksCore(async, Id, _pending, ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            await FailCore(async, ex).ConfigureAwait(false);
            throw;
        }

        _pending.Clear();
        _batchUsed = 0;
        Span?.KeepAlive();
    }

    internal async ValueTask CompleteCore(bool async, CancellationToken ct)
    {
        ThrowIfNotOpen();
        if (_chunkStart >= 0)
        {
            EndChunk();
        }

        await FlushBatchCore(async, ct).ConfigureAwait(false);
        try
        {
            using (OperationSpan.Enter(Span))
            {
                await _bucket.InsertFilesDocumentCore(async, Id, Filename, _length, ChunkSizeBytes, _metadata, ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            await FailCore(async, ex).ConfigureAwait(false);
            throw;
        }

        _state = State.Completed;
        ReturnBuffer();
        Span?.End(null);
    }

    internal async ValueTask AbortCore(bool async, CancellationToken ct)
    {
        if (_state is State.Aborted or State.Failed)
        {
            return; // nothing left to clean: a failed upload already removed its chunks
        }

        ThrowIfNotOpen();
        _state = State.Aborted;
        _pending.Clear();
        ReturnBuffer();
        try
        {
            using (OperationSpan.Enter(Span))
            {
                await _bucket.DeleteChunksCore(async, Id, _writtenChunkIds, ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Span?.End(ex);
            throw;
        }

        EndSpanUnfinished();
    }

    /// <summary>After a failed insert: remove whatever chunks made it, keep the original error.</summary>
    private async ValueTask FailCore(bool async, Exception original)
    {
        _state = State.Failed;
        _pending.Clear();
        try
        {
            using (OperationSpan.Enter(Span))
            {
                await _bucket.DeleteChunksCore(async, Id, _writtenChunkIds, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception cleanup) when (cleanup is not OperationCanceledException)
        {
            // The original failure is what the caller must see; the orphans are reported alongside it.
            original.Data["GridFS.OrphanCleanupError"] = cleanup.Message;
        }
        finally
        {
            Span?.End(original);
        }
    }

    /// <summary>Ends the stream's span, if still open, as stopped by the application before the upload completed.</summary>
    private void EndSpanUnfinished() =>
        Span?.EndUnfinished("aborted", $"The upload of GridFS file {Id} was aborted before it completed.");

    private void ThrowIfNotOpen()
    {
        if (_state != State.Open)
        {
            throw new GridFSException($"The upload of GridFS file {Id} is {_state.ToString().ToLowerInvariant()}; nothing more can be written.");
        }
    }

    private void ReturnBuffer()
    {
        if (_batch is { } batch)
        {
            _batch = null;
            ArrayPool<byte>.Shared.Return(batch);
        }
    }
}
