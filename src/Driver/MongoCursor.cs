using System.Runtime.CompilerServices;
using Mongo.Bson;
using Mongo.Driver.Cursors;
using Mongo.Driver.Operations;
using Mongo.Driver.Util;

namespace Mongo.Driver;

/// <summary>
/// A server-side cursor: documents arrive in batches (<c>getMore</c> fetches the next one). Enumerate it with
/// <c>await foreach</c> or <c>foreach</c> (once), or walk the batches with <see cref="MoveNextBatchAsync"/>.
/// Disposing it early kills the server cursor. Not thread-safe.
/// </summary>
/// <typeparam name="TDocument">The decoded document type.</typeparam>
public sealed class MongoCursor<TDocument> : IAsyncEnumerable<TDocument>, IEnumerable<TDocument>, IAsyncDisposable, IDisposable
{
    private readonly IOperationExecutor _executor;
    private readonly DocumentCodec<TDocument> _codec;
    private readonly string _databaseName;
    private readonly string _collectionName;
    private readonly MongoServerAddress? _server;
    private readonly int? _batchSize;
    private readonly int _limit;
    private readonly TimeSpan? _maxAwaitTime;
    private readonly BsonValue? _comment;
    private List<ReadOnlyMemory<byte>>? _pending;
    private List<ReadOnlyMemory<byte>> _current = [];
    private List<TDocument>? _decoded;
    private int _returned;
    private bool _started;
    private bool _enumerated;
    private bool _disposed;
    private Sessions.ServerSession? _session;
    private readonly bool _leaseBatches;
    private Connections.ReplyLease? _lease; // the pooled reply buffer _pending/_current live in, when leased
    private OperationContext? _iteration; // iteration mode: the deadline of the current "next" until a batch brings documents
    private Diagnostics.OperationSpan? _span; // the opening operation's span: open while the server cursor is (telemetry only)

    internal MongoCursor(IOperationExecutor executor, DocumentCodec<TDocument> codec, CursorReply first, MongoServerAddress? server, string databaseName, string collectionName, int? batchSize, int limit, TimeSpan? maxAwaitTime, BsonValue? comment, Sessions.ServerSession? session = null, Connections.ReplyLease? lease = null, Diagnostics.OperationSpan? span = null)
    {
        _span = span;
        _lease = lease;
        _executor = executor;
        _session = session;
        _codec = codec;
        _leaseBatches = codec.CanDecodeLeased;
        _server = server;
        _batchSize = batchSize is > 0 ? batchSize : null;
        _limit = Math.Abs(limit);
        _maxAwaitTime = maxAwaitTime;
        _comment = comment;
        Id = first.Id;
        _pending = first.Batch;
        (_databaseName, _collectionName) = SplitNamespace(first.Namespace, databaseName, collectionName);
        if (Id == 0)
        {
            ReleaseSession();
            EndSpan(null);
        }
        else
        {
            _span?.KeepAlive();
        }
    }

    /// <summary>
    /// Whether this is a tailable cursor: <see cref="MoveNextBatchAsync"/> then returns after every getMore, with an
    /// empty batch when nothing new was inserted, for as long as the server keeps the cursor open; enumerating it
    /// waits for new documents until the cursor dies or the enumeration is cancelled.
    /// </summary>
    public bool IsTailable { get; internal init; }

    /// <summary>
    /// The call that opened the cursor (its timeoutMS deadline), and whether each getMore gets the whole timeoutMS anew
    /// (<see cref="CursorTimeoutMode.Iteration"/>, tailable cursors) or draws on the opening call's deadline
    /// (<see cref="CursorTimeoutMode.CursorLifetime"/>). Null: no timeoutMS (legacy timeouts).
    /// </summary>
    internal Operations.OperationContext? Context { get; init; }

    /// <summary>Whether <see cref="Context"/>'s timeoutMS applies to each getMore separately.</summary>
    internal bool IterationTimeout { get; init; }

    /// <summary>The server cursor's id; 0 once the server has no more documents.</summary>
    public long Id { get; private set; }

    /// <summary>The current batch as encoded documents (slices of the server's reply; no decoding). They stay valid after the cursor moves on.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> CurrentRawBatch
    {
        get
        {
            if (_lease is { } lease)
            {
                // The caller may keep these: move the batches out of the pooled reply buffer before handing one over.
                _current = Owned(_current);
                _pending = _pending is null ? null : Owned(_pending);
                _lease = null;
                lease.Return();
            }

            return _current;
        }
    }

    /// <summary>
    /// For GridFS, which copies each chunk's data out before asking for more: batches may stay in the pooled reply
    /// buffer (<see cref="BorrowedRawBatch"/>), so a download costs no per-reply copy.
    /// </summary>
    internal bool BorrowRawBatches { get; init; }

    /// <summary>The current batch without a copy: valid only until the next <see cref="MoveNextBatchAsync"/> or disposal.</summary>
    internal IReadOnlyList<ReadOnlyMemory<byte>> BorrowedRawBatch => _current;

    /// <summary>The current batch, decoded on first access.</summary>
    public IReadOnlyList<TDocument> CurrentBatch
    {
        get
        {
            if (_decoded is null)
            {
                var decoded = new List<TDocument>(_current.Count);
                foreach (var bytes in _current)
                {
                    decoded.Add(Decode(bytes));
                }

                _decoded = decoded;
            }

            return _decoded;
        }
    }

    /// <summary>Moves to the next non-empty batch (for a tailable cursor: the next getMore's batch, maybe empty), fetching it from the server when needed.</summary>
    /// <returns>False when the cursor is exhausted.</returns>
    public bool MoveNextBatch(CancellationToken cancellationToken = default) =>
        MoveNextBatchCore(async: false, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Moves to the next non-empty batch (for a tailable cursor: the next getMore's batch, maybe empty), fetching it from the server when needed.</summary>
    /// <returns>False when the cursor is exhausted.</returns>
    public ValueTask<bool> MoveNextBatchAsync(CancellationToken cancellationToken = default) =>
        MoveNextBatchCore(async: true, cancellationToken);

    /// <summary>Reads every remaining document into a list.</summary>
    /// <exception cref="MongoClientException">The cursor was already enumerated or read with ToList.</exception>
    public List<TDocument> ToList(CancellationToken cancellationToken = default) =>
        ToListCore(async: false, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Reads every remaining document into a list.</summary>
    public Task<List<TDocument>> ToListAsync(CancellationToken cancellationToken = default) =>
        ToListCore(async: true, cancellationToken).AsTask();

    /// <inheritdoc />
    /// <exception cref="MongoClientException">The cursor was already enumerated or read with <see cref="ToList"/>.</exception>
    public async IAsyncEnumerator<TDocument> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        StartEnumeration();
        try
        {
            while (await MoveNextBatchCore(async: true, cancellationToken).ConfigureAwait(false))
            {
                foreach (var bytes in _current)
                {
                    yield return Decode(bytes);
                }
            }
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <exception cref="MongoClientException">The cursor was already enumerated or read with <see cref="ToList"/>.</exception>
    public IEnumerator<TDocument> GetEnumerator()
    {
        StartEnumeration();
        try
        {
            while (MoveNextBatch())
            {
                foreach (var bytes in _current)
                {
                    yield return Decode(bytes);
                }
            }
        }
        finally
        {
            Dispose();
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Kills the server cursor if it is still open (errors are ignored: the server times it out anyway).</summary>
    public void Dispose()
    {
        CloseCore(async: false).GetAwaiter().GetResult();
        ReleaseLease();
    }

    /// <summary>Kills the server cursor if it is still open, without blocking a thread.</summary>
    public async ValueTask DisposeAsync()
    {
        await CloseCore(async: true).ConfigureAwait(false);
        ReleaseLease();
    }

    /// <summary>
    /// Kills the server cursor if it is still open, as <see cref="Dispose"/> does, with a <c>timeoutMS</c> of its own for the
    /// <c>killCursors</c> command instead of the one the cursor was opened with (client-side operations timeout spec: close
    /// takes a per-call timeoutMS). Errors are ignored as in <see cref="Dispose"/>.
    /// </summary>
    /// <param name="timeout">The close's timeoutMS; zero or <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="cancellationToken">Cancels the killCursors command: an <see cref="OperationCanceledException"/>, and the server times the cursor out itself.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public void Close(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        TimeSpan validated = OperationTimeouts.Validate(timeout);
        CloseCore(async: false, timeout: validated, ct: cancellationToken).GetAwaiter().GetResult();
        ReleaseLease();
    }

    /// <inheritdoc cref="Close(TimeSpan, CancellationToken)"/>
    public async ValueTask CloseAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        TimeSpan validated = OperationTimeouts.Validate(timeout);
        await CloseCore(async: true, timeout: validated, ct: cancellationToken).ConfigureAwait(false);
        ReleaseLease();
    }

    private static List<ReadOnlyMemory<byte>> Owned(List<ReadOnlyMemory<byte>> batch)
    {
        var owned = new List<ReadOnlyMemory<byte>>(batch.Count);
        foreach (var bytes in batch)
        {
            owned.Add(bytes.ToArray());
        }

        return owned;
    }

    private TDocument Decode(ReadOnlyMemory<byte> bytes) => _lease is null ? _codec.Decode(bytes) : _codec.DecodeCopying(bytes.Span);

    /// <summary>
    /// Returns the pooled reply buffer once nothing will read the batches in it: before the next getMore, and on
    /// disposal (undecoded documents of the batch are dropped with it; a disposed cursor has no batch).
    /// </summary>
    private void ReleaseLease()
    {
        if (_lease is { } lease)
        {
            _lease = null;
            _pending = null;
            _current = [];
            _decoded = null;
            lease.Return();
        }
    }

    internal ValueTask<List<TDocument>> ToListAsyncCore(bool async, CancellationToken ct) => ToListCore(async, ct);

    private async ValueTask<List<TDocument>> ToListCore(bool async, CancellationToken ct)
    {
        StartEnumeration();
        var list = new List<TDocument>();
        try
        {
            while (await MoveNextBatchCore(async, ct).ConfigureAwait(false))
            {
                foreach (var bytes in _current)
                {
                    list.Add(Decode(bytes));
                }
            }
        }
        finally
        {
            await CloseCore(async, ct: CancellationToken.None).ConfigureAwait(false);
            ReleaseLease();
        }

        return list;
    }

    /// <summary>
    /// A server cursor can be read once. A second enumeration would silently see nothing (the documents were consumed),
    /// which hides a bug in the caller; running the query again is what they want.
    /// </summary>
    private void StartEnumeration()
    {
        if (_enumerated)
        {
            throw new MongoClientException("This cursor was already enumerated; a server cursor can be read only once. Run the query again (each enumeration of Find(...) sends a new find).");
        }

        _enumerated = true;
    }

    private async ValueTask<bool> MoveNextBatchCore(bool async, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed && !_started, this);
        _started = true;
        _decoded = null;
        while (true)
        {
            if (_pending is { } pending)
            {
                _pending = null;
                if (_limit > 0 && _returned + pending.Count > _limit)
                {
                    pending.RemoveRange(_limit - _returned, pending.Count - (_limit - _returned));
                }

                if (pending.Count > 0)
                {
                    _current = pending;
                    _returned += pending.Count;
                    if (_limit > 0 && _returned >= _limit)
                    {
                        await CloseCore(async, ct: CancellationToken.None).ConfigureAwait(false);
                    }

                    return true;
                }
            }

            _current = [];
            if (Id == 0 || _disposed)
            {
                return false;
            }

            _pending = await GetMoreAsync(async, ct).ConfigureAwait(false);
            if (IsTailable && _pending.Count == 0 && Id != 0)
            {
                // Nothing new yet: hand control back (an empty batch) instead of asking again at once.
                _pending = null;
                return true;
            }
        }
    }

    private async ValueTask<List<ReadOnlyMemory<byte>>> GetMoreAsync(bool async, CancellationToken ct)
    {
        ReleaseLease(); // the current batch is consumed: its buffer can serve the next reply
        var body = new BsonDocument { { "getMore", Id }, { "collection", _collectionName } };
        int? batchSize = _batchSize;
        if (_limit > 0)
        {
            // Never ask for more than the limit still allows: the server would send documents we must drop.
            int remaining = _limit - _returned;
            batchSize = batchSize is { } b ? Math.Min(b, remaining) : remaining;
        }

        if (batchSize is { } size)
        {
            body.Add("batchSize", size);
        }

        body.AddMaxTime(_maxAwaitTime);
        body.AddIf("comment", _comment);
        CommandResponse response;
        try
        {
            // Client-side operations timeout spec "Cursors": getMores never derive maxTimeMS from timeoutMS; they run under the
            // opening call's deadline (cursor lifetime) or under a fresh timeoutMS of their own (iteration, tailable).
            // In iteration mode one "next" may take several getMores (a tailable cursor's empty batches): they share one
            // timeoutMS, which restarts once a batch brought documents.
            OperationContext? context = Context is not { IsTimeoutSet: true } opened ? null
                : IterationTimeout ? (_iteration ??= opened.Restart(ct, omitMaxTime: true)).With(ct, omitMaxTime: true) : opened.With(ct, omitMaxTime: true);
            context?.ThrowIfExpired("before the cursor's getMore");
            var message = new CursorCommand(_databaseName, body, _server, _session) { LeaseReply = _leaseBatches || BorrowRawBatches, Context = context };
            using (Diagnostics.OperationSpan.Enter(_span))
            {
                response = await _executor.ExecuteAsync(async, message, ct).ConfigureAwait(false);
            }
        }
        catch (MongoServerException ex) when (ex.Code == 43)
        {
            Id = 0;
            var notFound = new MongoCursorNotFoundException(body["getMore"].AsInt64, ex.Message, ex);
            EndSpan(notFound);
            throw notFound;
        }
        catch (MongoOperationTimeoutException)
        {
            // timeoutMS ran out: the cursor stays open and may be iterated again (or closed, which kills it with a fresh timeout).
            _iteration = null;
            throw;
        }
        catch (Exception ex)
        {
            // The cursor's state on the server is unknown after a failed getMore; kill it so its id never leaks.
            await CloseCore(async, ex, ct: CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        CursorReply reply;
        try
        {
            reply = CursorReply.Parse(response.Bytes);
        }
        catch
        {
            response.Lease?.Return();
            throw;
        }

        _lease = response.Lease;
        Id = reply.Id;
        if (reply.Batch.Count > 0)
        {
            _iteration = null;
        }

        if (Id == 0)
        {
            // Sessions spec: an exhausted cursor returns its implicit session at once, not when the caller disposes it.
            ReleaseSession();
            EndSpan(null);
        }
        else
        {
            _span?.KeepAlive();
        }

        return reply.Batch;
    }

    // Closing on behalf of an iteration passes CancellationToken.None: the iteration's token must not stop the killCursors
    // that frees the server cursor; only an explicit Close(timeout, token) lets the caller cancel it.
    private async ValueTask CloseCore(bool async, Exception? error = null, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        long id = Id;
        Id = 0;
        if (id == 0)
        {
            ReleaseSession();
            EndSpan(error);
            return;
        }

        var body = new BsonDocument { { "killCursors", _collectionName }, { "cursors", new BsonArray { id } } };
        try
        {
            // The spec refreshes timeoutMS for killCursors, even when the cursor's lifetime deadline has passed; a close
            // given its own timeoutMS uses that one instead.
            OperationContext? context = timeout is { } own ? OperationContext.Start(own, ct)
                : Context is { IsTimeoutSet: true } opened ? opened.Restart(ct, omitMaxTime: false) : null;
            using (Diagnostics.OperationSpan.Enter(_span))
            {
                await _executor.ExecuteAsync(async, new CursorCommand(_databaseName, body, _server, _session) { Context = context }, ct).ConfigureAwait(false);
            }
        }
        catch (MongoException)
        {
            // Best effort: an unreachable server drops the cursor itself, and Dispose must not throw.
        }
        finally
        {
            ReleaseSession();
            EndSpan(error);
        }
    }

    /// <summary>The operation that opened the cursor ends with its server side (exhausted, closed, or failed).</summary>
    private void EndSpan(Exception? error)
    {
        Diagnostics.OperationSpan? span = _span;
        _span = null;
        span?.End(error);
    }

    private void ReleaseSession()
    {
        Sessions.ServerSession? session = _session;
        _session = null;
        session?.Release();
    }

    private static (string Database, string Collection) SplitNamespace(string ns, string database, string collection)
    {
        int dot = ns.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? (ns[..dot], ns[(dot + 1)..]) : (database, collection);
    }
}

/// <summary>Creates cursors from command replies.</summary>
internal static class CursorFactory
{
    /// <summary>
    /// Sends a cursor-opening command as the start of one operation whose span lives as long as the cursor's server
    /// side: the command, each getMore and the closing killCursors are its children (MongoDB OpenTelemetry specification).
    /// The span travels in <see cref="CommandResponse.Span"/> to <see cref="Create"/>.
    /// </summary>
    public static ValueTask<CommandResponse> ExecuteAsync(bool async, IOperationExecutor executor, CommandOperation message, CancellationToken ct)
    {
        // Null when nothing listens (no extra async step then), or inside an operation already (a GridFS download's
        // chunks, a client bulk write's results): the cursor's commands are that operation's.
        Diagnostics.OperationSpan? span = Diagnostics.OperationSpan.IsEnabled ? Diagnostics.OperationSpan.Start(message.CommandName, message.Database,
            Diagnostics.OperationTelemetry.CollectionName(message.CommandName, message.Body), Sessions.SessionBoundExecutor.TransactionSpan(executor), tracing: executor.Tracing) : null;
        return span is null ? executor.ExecuteAsync(async, message, ct) : TracedAsync(async, executor, message, span, ct);
    }

    private static async ValueTask<CommandResponse> TracedAsync(bool async, IOperationExecutor executor, CommandOperation message, Diagnostics.OperationSpan span, CancellationToken ct)
    {
        CommandResponse response;
        using (Diagnostics.OperationSpan.Enter(span))
        {
            try
            {
                response = await executor.ExecuteAsync(async, message, ct).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                span.End(ex);
                throw;
            }
        }

        return response with { Span = span };
    }

    public static MongoCursor<T> Create<T>(IOperationExecutor executor, DocumentCodec<T> codec, CommandResponse response, string database, string collection, int? batchSize, int limit = 0, TimeSpan? maxAwaitTime = null, BsonValue? comment = null, bool tailable = false, bool borrowRawBatches = false, OperationContext? context = null, bool iterationTimeout = false)
    {
        CursorReply first;
        try
        {
            first = CursorReply.Parse(response.Bytes);
        }
        catch (Exception ex)
        {
            response.Lease?.Return();
            response.Span?.End(ex);
            throw;
        }

        return new(executor, codec, first, response.Server, database, collection, batchSize, limit, maxAwaitTime, comment, response.Session, response.Lease, response.Span)
        {
            IsTailable = tailable,
            BorrowRawBatches = borrowRawBatches,
            Context = context,
            IterationTimeout = iterationTimeout || tailable,
        };
    }
}
