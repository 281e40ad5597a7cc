using Mongo.Bson;
using Mongo.Driver.Sessions;

namespace Mongo.Driver;

/// <summary>
/// An explicit client session (driver-sessions spec): bind it to handles with <see cref="MongoDatabase.WithSession"/> or
/// <see cref="MongoCollection{TDocument}.WithSession"/> and every command those handles send, including a cursor's
/// getMore and killCursors, carries this session's <c>lsid</c>. Gives causally consistent reads by default, or snapshot reads,
/// and runs transactions (<see cref="StartTransaction"/>, <see cref="WithTransaction{TResult}"/>).
/// </summary>
/// <remarks>
/// Not thread-safe: use a session from one thread (or one logical flow of awaits) at a time. The server session behind it
/// is taken from the client's pool on first use and returned to the pool by <see cref="Dispose"/>; it is discarded instead
/// when a network error left its server-side state unknown.
/// </remarks>
public sealed partial class MongoSession : IDisposable, IAsyncDisposable
{
    private readonly ServerSessionPool? _pool;
    private ServerSession? _serverSession;
    private bool _disposed;

    internal MongoSession(MongoClient client, SessionOptions options, ServerSessionPool? pool)
    {
        Client = client;
        Options = options;
        _pool = pool;
        KnownSnapshotTime = options.SnapshotTime;
    }

    /// <summary>The client the session belongs to; only that client's handles can use it.</summary>
    public MongoClient Client { get; }

    /// <summary>The options the session was started with.</summary>
    public SessionOptions Options { get; }

    /// <summary>Whether reads in this session see its earlier operations (afterClusterTime).</summary>
    public bool IsCausallyConsistent => Options.CausalConsistency ?? !Options.Snapshot;

    /// <summary>Whether this is a snapshot session.</summary>
    public bool IsSnapshot => Options.Snapshot;

    /// <summary>The session's <c>lsid</c> document (<c>{ id: UUID }</c>); reading it takes the server session from the pool.</summary>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public BsonDocument Id => ServerSession.Lsid;

    /// <summary>The highest <c>$clusterTime</c> this session has seen (sent with its commands when higher than the client's).</summary>
    public BsonDocument? ClusterTime { get; private set; }

    /// <summary>The <c>operationTime</c> of the session's latest reply; causally consistent reads wait for it (afterClusterTime).</summary>
    public BsonTimestamp? OperationTime { get; private set; }

    /// <summary>
    /// The point in time this snapshot session reads at: <see cref="SessionOptions.SnapshotTime"/> when it was given, else the
    /// <c>atClusterTime</c> the server chose for the session's first snapshot read (find, aggregate or distinct). Pass it as
    /// <see cref="SessionOptions.SnapshotTime"/> to read the same snapshot from another session.
    /// </summary>
    /// <exception cref="MongoClientException">
    /// The session is not a snapshot session, or no snapshot read has run yet and no snapshot time was given.
    /// </exception>
    public BsonTimestamp SnapshotTime => KnownSnapshotTime ?? throw new MongoClientException(IsSnapshot
        ? "The snapshot session has no snapshot time yet: it is chosen by the session's first read (find, aggregate or distinct) unless SessionOptions.SnapshotTime gives it."
        : "Only snapshot sessions have a snapshot time; start the session with SessionOptions.Snapshot = true.");

    /// <summary>The point in time a snapshot session reads at, once it is known (given, or chosen by the first read); null before.</summary>
    internal BsonTimestamp? KnownSnapshotTime { get; set; }

    /// <summary>Whether the server session was marked dirty by a network error (it will not be pooled).</summary>
    internal bool IsDirty => _serverSession?.IsDirty == true;

    internal bool IsDisposed => _disposed;

    /// <summary>
    /// The session's timeoutMS: while WithTransaction runs with its own timeout, that one; else the session's
    /// <see cref="SessionOptions.DefaultTimeout"/>, else the client's; null when none is set.
    /// </summary>
    internal TimeSpan? Timeout => _callTimeout ?? (Options.DefaultTimeout is { } own ? Operations.OperationTimeouts.Validate(own) : Client.Settings.Timeout);

    // The timeoutMS WithTransaction was given (TransactionOptions.Timeout) for the duration of the call.
    private TimeSpan? _callTimeout;

    /// <summary>
    /// While WithTransaction runs under a timeoutMS: its one deadline, which every operation of the callback on this
    /// session and the commit draw on (client-side operations timeout spec "Convenient Transactions API"). Private to the
    /// driver so the application cannot change it mid-transaction.
    /// </summary>
    internal Operations.OperationContext? TimeoutContext { get; private set; }

    /// <summary>The server session, checked out of the pool on first use.</summary>
    internal ServerSession ServerSession
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _serverSession ??= _pool?.Acquire() ?? new ServerSession();
        }
    }

    /// <summary>Advances <see cref="ClusterTime"/> to <paramref name="clusterTime"/> if it is higher (e.g. one copied from another session).</summary>
    public void AdvanceClusterTime(BsonDocument clusterTime)
    {
        ArgumentNullException.ThrowIfNull(clusterTime);
        if (!clusterTime.TryGetValue("clusterTime", out BsonValue? value) || value is not BsonTimestamp timestamp)
        {
            throw new ArgumentException("A $clusterTime document has a clusterTime timestamp.", nameof(clusterTime));
        }

        if (ClusterTime?["clusterTime"] is not BsonTimestamp current || timestamp.Value > current.Value)
        {
            ClusterTime = clusterTime;
        }
    }

    /// <summary>Advances <see cref="OperationTime"/> to <paramref name="operationTime"/> if it is later (causal consistency across sessions).</summary>
    public void AdvanceOperationTime(BsonTimestamp operationTime)
    {
        ArgumentNullException.ThrowIfNull(operationTime);
        if (OperationTime is null || operationTime.Value > OperationTime.Value)
        {
            OperationTime = operationTime;
        }
    }

    /// <summary>
    /// Ends the session: a transaction still open is aborted first (errors ignored), then the server session goes back to the
    /// client's pool (dirty ones are discarded).
    /// </summary>
    public void Dispose() => DisposeCore(async: false).GetAwaiter().GetResult();

    /// <summary>
    /// Ends the session: a transaction still open is aborted first (errors ignored), then the server session goes back to the
    /// client's pool (dirty ones are discarded).
    /// </summary>
    public ValueTask DisposeAsync() => DisposeCore(async: true);

    private async ValueTask DisposeCore(bool async)
    {
        if (_disposed)
        {
            return;
        }

        if (IsInTransaction)
        {
            MarkTransactionSpanAbandoned("The session was disposed with its transaction open (neither committed nor aborted); the driver aborted it.");
            try
            {
                // Transactions spec: ending a session aborts its transaction so the server releases what it holds.
                await AbortTransactionCore(async, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MongoException or ObjectDisposedException)
            {
                // Ending a session never fails; the server aborts the transaction when it times out anyway.
            }
        }

        _disposed = true;
        Unpin();
        _serverSession?.Release();
        _serverSession = null;
    }
}
