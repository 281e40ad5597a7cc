using Mongo.Bson;
using Mongo.Driver;
using Mongo.Driver.Diagnostics;

namespace Mongo.GridFS;

/// <summary>
/// A read-only, seekable stream over a GridFS file. Chunks are read in small batches straight from the server's
/// replies (no decoding into documents) and verified as they arrive: each must have the next <c>n</c> and exactly the
/// size the file's length calls for, and no chunk may be missing or left over. Seeking jumps to the chunk holding the
/// new position without reading the ones before it.
/// </summary>
public sealed class GridFSDownloadStream : Stream
{
    // Chunks per getMore: bounded memory (a chunk or a few) whatever the file size.
    private const int TargetBatchBytes = 1024 * 1024;

    private readonly GridFSBucket _bucket;
    private MongoCursor<BsonDocument>? _cursor;
    private IReadOnlyList<ReadOnlyMemory<byte>> _batch = [];
    private int _batchIndex;
    private long _nextExpectedN;       // the n the next chunk from the cursor must have
    private ReadOnlyMemory<byte> _chunk; // payload of the loaded chunk
    private long _chunkN = -1;         // n of the loaded chunk, -1 when none
    private long _position;
    private bool _disposed;
    private bool _emptyVerified;       // a zero-length file was checked for chunks holding data

    internal GridFSDownloadStream(GridFSBucket bucket, GridFSFileInfo fileInfo)
    {
        _bucket = bucket;
        FileInfo = fileInfo;
    }

    /// <summary>The files document of the file being read.</summary>
    public GridFSFileInfo FileInfo { get; }

    /// <summary>
    /// The stream's own operation span (opened by <c>OpenDownloadStream</c> while a listener is attached; null inside a
    /// one-call download, whose span is already current): ended when the stream is disposed, or by a failed read.
    /// </summary>
    internal OperationSpan? Span { get; set; }

    /// <inheritdoc />
    public override bool CanRead => !_disposed;

    /// <inheritdoc />
    public override bool CanSeek => !_disposed;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <summary>The file's length.</summary>
    public override long Length => FileInfo.Length;

    /// <summary>The read position; setting it seeks (positions past the end read nothing).</summary>
    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => FileInfo.Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadCore(async: false, buffer.AsMemory(offset, count), CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!EnsureChunkCore(async: false, CancellationToken.None).GetAwaiter().GetResult())
        {
            return 0;
        }

        return CopyFromChunk(buffer);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadCore(async: true, buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ReadCore(async: true, buffer, cancellationToken);

    /// <inheritdoc />
    public override void Flush() { }

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException("A GridFS download stream is read-only.");

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A GridFS download stream is read-only.");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            try
            {
                using (OperationSpan.Enter(Span))
                {
                    _cursor?.Dispose();
                }
            }
            finally
            {
                _cursor = null;
                Span?.End(null);
            }
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            try
            {
                if (_cursor is { } cursor)
                {
                    _cursor = null;
                    using (OperationSpan.Enter(Span))
                    {
                        await cursor.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                Span?.End(null);
            }
        }

        await base.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    internal async ValueTask<int> ReadCore(bool async, Memory<byte> buffer, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty || !await EnsureChunkCore(async, ct).ConfigureAwait(false))
        {
            return 0;
        }

        return CopyFromChunk(buffer.Span);
    }

    /// <summary>Writes the rest of the file to a destination, chunk payloads straight from the replies.</summary>
    internal async ValueTask CopyToCore(bool async, Stream destination, CancellationToken ct)
    {
        while (await EnsureChunkCore(async, ct).ConfigureAwait(false))
        {
            int offset = (int)(_position - (_chunkN * FileInfo.ChunkSizeBytes));
            var data = _chunk[offset..];
            if (async)
            {
                await destination.WriteAsync(data, ct).ConfigureAwait(false);
            }
            else
            {
                destination.Write(data.Span);
            }

            _position += data.Length;
        }
    }

    private int CopyFromChunk(Span<byte> destination)
    {
        int offset = (int)(_position - (_chunkN * FileInfo.ChunkSizeBytes));
        int count = Math.Min(destination.Length, _chunk.Length - offset);
        _chunk.Span.Slice(offset, count).CopyTo(destination);
        _position += count;
        return count;
    }

    /// <summary>
    /// Makes the chunk holding the position current (see <see cref="EnsureChunkUntracedCore"/>); the commands it sends are
    /// children of the stream's span, if it has one.
    /// </summary>
    private ValueTask<bool> EnsureChunkCore(bool async, CancellationToken ct) =>
        Span is null ? EnsureChunkUntracedCore(async, ct) : EnsureChunkTracedCore(async, ct);

    private async ValueTask<bool> EnsureChunkTracedCore(bool async, CancellationToken ct)
    {
        OperationSpan span = Span!;
        try
        {
            bool loaded;
            using (OperationSpan.Enter(span))
            {
                loaded = await EnsureChunkUntracedCore(async, ct).ConfigureAwait(false);
            }

            span.KeepAlive();
            return loaded;
        }
        catch (Exception ex)
        {
            // A failed read ends the download's span with the error; later reads of the stream are operations of their own.
            span.End(ex);
            Span = null;
            throw;
        }
    }

    /// <summary>Makes the chunk holding the position current; false at or past the end (after checking for extra chunks).</summary>
    private async ValueTask<bool> EnsureChunkUntracedCore(bool async, CancellationToken ct)
    {
        if (_position >= FileInfo.Length)
        {
            if (FileInfo.Length == 0 && !_emptyVerified)
            {
                _emptyVerified = true;
                await VerifyEmptyFileCore(async, ct).ConfigureAwait(false);
            }

            if (_position == FileInfo.Length && _cursor is not null && _chunkN == FileInfo.ChunkCount - 1)
            {
                // The last chunk was read in order: anything after it means the file is corrupt.
                await VerifyNoExtraChunksCore(async, ct).ConfigureAwait(false);
            }

            return false;
        }

        long wanted = _position / FileInfo.ChunkSizeBytes;
        if (wanted == _chunkN)
        {
            return true;
        }

        if (_cursor is null || wanted != _nextExpectedN)
        {
            await OpenCursorCore(async, wanted, ct).ConfigureAwait(false);
        }

        var raw = await NextRawChunkCore(async, ct).ConfigureAwait(false)
            ?? throw new GridFSChunkException(FileInfo.Id, wanted, GridFSChunkError.Missing, $"the file has {FileInfo.ChunkCount} chunks but chunk {wanted} was not found");
        LoadChunk(raw, wanted);
        return true;
    }

    private async ValueTask OpenCursorCore(bool async, long fromN, CancellationToken ct)
    {
        if (_cursor is { } old)
        {
            Unload(); // disposing the cursor returns the buffer the loaded chunk lives in
            _cursor = null;
            if (async)
            {
                await old.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                old.Dispose();
            }
        }

        var filter = new BsonDocument { { "files_id", FileInfo.Id } };
        if (fromN > 0)
        {
            filter.Add("n", new BsonDocument("$gte", fromN));
        }

        int batchSize = Math.Max(2, TargetBatchBytes / FileInfo.ChunkSizeBytes);
        // Chunk data is copied out of each batch before the next is fetched, so the replies can stay in the connection's
        // pooled buffer: a download then allocates next to nothing per chunk, whatever the file size.
        var options = new FindOptions { Sort = new BsonDocument("n", 1), BatchSize = batchSize, BorrowRawBatches = true };
        var find = _bucket.Chunks.Find(filter, options);
        _cursor = async ? await find.ToCursorAsync(ct).ConfigureAwait(false) : find.ToCursor(ct);
        _batch = [];
        _batchIndex = 0;
        _nextExpectedN = fromN;
    }

    private async ValueTask<ReadOnlyMemory<byte>?> NextRawChunkCore(bool async, CancellationToken ct)
    {
        while (_batchIndex >= _batch.Count)
        {
            // Moving on may return the borrowed reply buffer the loaded chunk lives in: forget it first.
            Unload();
            bool more = async ? await _cursor!.MoveNextBatchAsync(ct).ConfigureAwait(false) : _cursor!.MoveNextBatch(ct);
            if (!more)
            {
                return null;
            }

            _batch = _cursor.BorrowedRawBatch;
            _batchIndex = 0;
        }

        return _batch[_batchIndex++];
    }

    private void Unload()
    {
        _chunk = default;
        _chunkN = -1;
    }

    private void LoadChunk(ReadOnlyMemory<byte> raw, long expectedN)
    {
        (long n, ReadOnlyMemory<byte> data) = ParseChunk(raw, expectedN);
        if (n != expectedN)
        {
            throw new GridFSChunkException(FileInfo.Id, expectedN, n > expectedN ? GridFSChunkError.Missing : GridFSChunkError.OutOfOrder,
                $"expected chunk {expectedN}, the next chunk stored has n = {n}");
        }

        long expectedSize = n == FileInfo.ChunkCount - 1
            ? FileInfo.Length - (n * FileInfo.ChunkSizeBytes)
            : FileInfo.ChunkSizeBytes;
        if (data.Length != expectedSize)
        {
            throw new GridFSChunkException(FileInfo.Id, n, GridFSChunkError.WrongSize,
                $"chunk holds {data.Length} bytes, expected {expectedSize} (length {FileInfo.Length}, chunk size {FileInfo.ChunkSizeBytes})");
        }

        _chunk = data;
        _chunkN = n;
        _nextExpectedN = n + 1;
    }

    /// <summary>
    /// A files document saying length 0 while chunks hold data is corrupt (a lost length, an interrupted rewrite), and
    /// returning an empty file would hide it. One empty chunk 0 is tolerated: the GridFS spec's tests store one.
    /// </summary>
    private async ValueTask VerifyEmptyFileCore(bool async, CancellationToken ct)
    {
        await OpenCursorCore(async, 0, ct).ConfigureAwait(false);
        if (await NextRawChunkCore(async, ct).ConfigureAwait(false) is { } first)
        {
            (long n, ReadOnlyMemory<byte> data) = ParseChunk(first, 0);
            if (n != 0 || !data.IsEmpty)
            {
                throw new GridFSChunkException(FileInfo.Id, n, GridFSChunkError.Extra,
                    $"the files document says length 0, but chunk {n} holds {data.Length} bytes");
            }

            _nextExpectedN = 1;
        }

        await VerifyNoExtraChunksCore(async, ct).ConfigureAwait(false);
    }

    private async ValueTask VerifyNoExtraChunksCore(bool async, CancellationToken ct)
    {
        if (await NextRawChunkCore(async, ct).ConfigureAwait(false) is { } extra)
        {
            long n = ParseChunk(extra, _nextExpectedN).N;
            throw new GridFSChunkException(FileInfo.Id, n, GridFSChunkError.Extra,
                $"the file's length {FileInfo.Length} calls for {FileInfo.ChunkCount} chunks, but chunk {n} also exists");
        }

        // Keep answering end-of-file without asking the server again.
        _chunkN = -1;
        if (_cursor is { } cursor)
        {
            _cursor = null;
            if (async)
            {
                await cursor.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                cursor.Dispose();
            }
        }
    }

    /// <summary>Reads n and the binary payload of a chunk document without decoding anything else.</summary>
    private (long N, ReadOnlyMemory<byte> Data) ParseChunk(ReadOnlyMemory<byte> raw, long expectedN)
    {
        long? n = null;
        ReadOnlyMemory<byte>? data = null;
        var reader = new BsonReader(raw);
        reader.Read(); // the chunk document's start
        while (reader.Read() && reader.TokenType != BsonTokenType.EndDocument)
        {
            if (reader.TokenType is BsonTokenType.StartDocument or BsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            if (reader.NameEquals("n"u8))
            {
                n = reader.CurrentType switch
                {
                    BsonType.Int32 => reader.GetInt32(),
                    BsonType.Int64 => reader.GetInt64(),
                    BsonType.Double when reader.GetDouble() is var d && d == Math.Floor(d) => (long)d,
                    _ => throw new GridFSChunkException(FileInfo.Id, expectedN, GridFSChunkError.Malformed, $"n is a {reader.CurrentType}, not an integer"),
                };
            }
            else if (reader.NameEquals("data"u8))
            {
                if (reader.CurrentType != BsonType.Binary)
                {
                    throw new GridFSChunkException(FileInfo.Id, expectedN, GridFSChunkError.Malformed, $"data is a {reader.CurrentType}, not binary");
                }

                var payload = reader.GetBinary(out _);
                raw.Span.Overlaps(payload, out int offset);
                data = raw.Slice(offset, payload.Length);
            }
        }

        if (n is null || data is null)
        {
            throw new GridFSChunkException(FileInfo.Id, expectedN, GridFSChunkError.Malformed, "the chunk document lacks n or data");
        }

        return (n.Value, data.Value);
    }
}
