using System.Collections.Concurrent;
using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Cursors;
using Mongo.InMemory.Server.Replication;

namespace Mongo.InMemory.Transactions;

/// <summary>
/// The server's multi-document transactions, per session (mongod's TransactionParticipant and session catalog, for a
/// replica-set primary or a router): starting, continuing, committing and aborting them with mongod's rules and
/// errors, the keys they hold against other writers (first writer wins), and the lifetime limit. Lock order, to stay
/// free of deadlocks: a session, then its transaction's storage, then the shared storage.
/// </summary>
internal sealed partial class TransactionManager : IDisposable
{
    private readonly Storage _shared;
    private readonly Func<IEnumerable<CursorManager>> _cursors;
    private readonly ConcurrentDictionary<string, SessionTransactions> _sessions = new(StringComparer.Ordinal);

    // Guarded by the shared storage's lock: who holds each key, and the transactions still open.
    private readonly Dictionary<string, Transaction> _locks = new(StringComparer.Ordinal);
    private readonly HashSet<Transaction> _open = [];

    // Read without the lock by writers outside transactions: when nothing is open they need not look further.
    private volatile int _openCount;
    private readonly Timer _reaper;
    private int _lifetimeLimitSeconds;
    private long _totalStarted;
    private long _totalCommitted;
    private long _totalAborted;

    // Transactions with a command running right now (serverStatus' currentActive).
    private long _active;

    /// <summary>
    /// The transactions of <paramref name="shared"/>: a router's storage, or a replica set's data set (one table for
    /// all members). <paramref name="cursors"/> gives the cursor managers an aborted transaction's cursors may be in.
    /// </summary>
    public TransactionManager(Storage shared, int lifetimeLimitSeconds, bool isRouter, Func<IEnumerable<CursorManager>> cursors)
    {
        _shared = shared;
        _cursors = cursors;
        IsRouter = isRouter;
        _lifetimeLimitSeconds = lifetimeLimitSeconds;
        shared.Observer = new SharedWriteGuard(this);
        _reaper = new Timer(static s => ((TransactionManager)s!).ReapExpired(), this, ReapPeriod, ReapPeriod);
    }

    // mongod's reaper runs every transactionLifetimeLimitSeconds / 2 (and at least every 60 s); a short period keeps
    // short test limits honest without costing anything while nothing is open.
    private static readonly TimeSpan ReapPeriod = TimeSpan.FromMilliseconds(250);

    /// <summary>Whether these are a router's transactions (replies carry a recoveryToken).</summary>
    public bool IsRouter { get; }

    private Storage Shared => _shared;

    /// <summary>transactionLifetimeLimitSeconds (setParameter); applies to transactions started afterwards.</summary>
    public int LifetimeLimitSeconds
    {
        get => Volatile.Read(ref _lifetimeLimitSeconds);
        set => Volatile.Write(ref _lifetimeLimitSeconds, value);
    }

    /// <summary>Whether any transaction is open (read without the lock; a fast exit for writers outside transactions).</summary>
    public bool AnyOpen => _openCount > 0;

    /// <summary>The lsid's id of a command, in hex; null when it has none.</summary>
    public static string? SessionKey(BsonDocument command) =>
        command.GetValueOrDefault("lsid") is BsonDocument lsid && lsid.GetValueOrDefault("id") is BsonBinaryData id
            ? Convert.ToHexString(id.Bytes)
            : null;

    public SessionTransactions Session(string key)
    {
        if (_sessions.Count >= MaxSessions && !_sessions.ContainsKey(key))
        {
            // Bounded like the retryable-write cache: forget sessions with nothing open (drivers end them anyway).
            foreach (var (k, s) in _sessions)
                if (s.Current is not { State: TransactionState.InProgress }) _sessions.TryRemove(k, out _);
        }

        return _sessions.GetOrAdd(key, static k => new SessionTransactions(k));
    }

    private const int MaxSessions = 100_000;

    /// <summary>
    /// mongod's beginOrContinue for a command with <c>autocommit: false</c> (the session is locked by the caller):
    /// starts transaction <paramref name="txnNumber"/> or continues it, with mongod's errors for every other case.
    /// </summary>
    /// <param name="session">The session (locked).</param>
    /// <param name="txnNumber">The command's txnNumber.</param>
    /// <param name="startTransaction">Whether the command has startTransaction.</param>
    /// <param name="commandName">The command's name.</param>
    /// <param name="hasReadConcern">Whether the command has a non-empty readConcern.</param>
    /// <param name="member">The replica-set member running it (null: a router).</param>
    /// <param name="readAt">A snapshot readConcern's atClusterTime (null: none): the transaction reads the data as of then.</param>
    public Transaction BeginOrContinue(SessionTransactions session, long txnNumber, bool startTransaction, string commandName, bool hasReadConcern,
        ReplicaMember? member = null, BsonTimestamp? readAt = null)
    {
        CheckNotTooOld(session, txnNumber);
        if (!startTransaction)
        {
            var current = Continue(session, txnNumber);
            if (current.State == TransactionState.Aborted)
                throw TransactionErrors.NoSuchTransaction("Transaction with " + current.Describe() + " has been aborted.");
            if (current.State == TransactionState.Committed && commandName != "commitTransaction")
                throw TransactionErrors.TransactionCommitted("Transaction with " + current.Describe() + " has been committed.");
            if (hasReadConcern && current.State == TransactionState.InProgress)
                throw Errors.InvalidOptions("Only the first command in a transaction may specify a readConcern");
            return current;
        }

        if (txnNumber == session.ActiveTxnNumber)
        {
            // A replica-set member never restarts a transaction at the active number (only shards do, for routers).
            throw new CommandException(TransactionErrors.ConflictingOperationInProgressCode, "ConflictingOperationInProgress",
                "Only servers in a sharded cluster can start a new transaction at the active transaction number");
        }

        if (session.Current is { State: TransactionState.InProgress } previous)
        {
            Abort(previous, "a newer transaction " + txnNumber + " started on its session");
        }

        Transaction transaction;
        lock (Shared.Sync)
        {
            // A replica set's member may have stepped down since the dispatcher looked: only a primary starts one.
            if (member is { IsPrimary: false }) throw ReplicaSetCoordinator.NotWritablePrimary(helloOk: true);

            // The snapshot is taken at the first command, under the shared lock, so it is one consistent state: the data
            // as of atClusterTime when it names an earlier time (rebuilt from the history), else as they are now. The
            // history's position then tells which changes came after it (they conflict with its writes).
            var history = Shared.History;
            var snapshot = (readAt is { } at ? history?.At(at, privateCopy: true) : null) ?? Shared.Snapshot();
            transaction = new Transaction(session, txnNumber, snapshot, TimeSpan.FromSeconds(LifetimeLimitSeconds))
            {
                HistoryPosition = history?.PositionAfter(readAt),
            };
            snapshot.Observer = new TransactionObserver(this, transaction);
            _open.Add(transaction);
            _openCount = _open.Count;
            _totalStarted++;
        }

        session.ActiveTxnNumber = txnNumber;
        session.Current = transaction;
        return transaction;
    }

    /// <summary>The active transaction <paramref name="txnNumber"/> names, expired ones aborted on the way (no state checks).</summary>
    public Transaction Continue(SessionTransactions session, long txnNumber)
    {
        CheckNotTooOld(session, txnNumber);
        if (txnNumber != session.ActiveTxnNumber || session.Current is null)
        {
            throw TransactionErrors.NoSuchTransaction(
                "Given transaction number " + txnNumber + " does not match any in-progress transactions. The active transaction number is " + session.ActiveTxnNumber);
        }

        var current = session.Current;
        if (current.State == TransactionState.InProgress && DateTime.UtcNow >= current.ExpiresAt)
        {
            Abort(current, "it exceeded transactionLifetimeLimitSeconds");
        }

        return current;
    }

    /// <summary>
    /// A retryable write (txnNumber without autocommit) on the session: an older number than the active one fails,
    /// the active number of a transaction cannot be reused, and a newer one aborts the open transaction.
    /// </summary>
    public void BeginRetryableWrite(string sessionKey, long txnNumber)
    {
        var session = Session(sessionKey);
        lock (session)
        {
            if (txnNumber < session.ActiveTxnNumber)
            {
                throw TransactionErrors.TransactionTooOld(
                    "Retryable write with txnNumber " + txnNumber + " is prohibited on session " + Describe(session) + " because a newer " +
                    (session.Current is null ? "retryable write" : "transaction") + " with txnNumber " + session.ActiveTxnNumber + " has already started on this session.");
            }

            if (txnNumber == session.ActiveTxnNumber)
            {
                if (session.Current is not null)
                {
                    throw new CommandException(TransactionErrors.IncompleteTransactionHistoryCode, "IncompleteTransactionHistory",
                        "Cannot retry a retryable write that has been converted into a transaction");
                }

                return;
            }

            if (session.Current is { State: TransactionState.InProgress } open)
            {
                Abort(open, "a retryable write with a newer txnNumber arrived on its session");
            }

            session.ActiveTxnNumber = txnNumber;
            session.Current = null;
        }
    }

    private static void CheckNotTooOld(SessionTransactions session, long txnNumber)
    {
        if (txnNumber >= session.ActiveTxnNumber) return;
        var newer = session.Current is null
            ? "retryable write with txnNumberAndRetryCounter { txnNumber: " + session.ActiveTxnNumber + ", txnRetryCounter: -1 }"
            : "transaction with txnNumberAndRetryCounter " + session.Current.Describe();
        throw TransactionErrors.TransactionTooOld(
            "Cannot start transaction with { txnNumber: " + txnNumber + ", txnRetryCounter: 0 } on session " + Describe(session) + " because a newer " + newer +
            " has already started on this session.");
    }

    /// <summary>The session as mongod names it in messages: its lsid's id as a UUID.</summary>
    private static string Describe(SessionTransactions session) =>
        session.Key.Length == 32 ? new Guid(Convert.FromHexString(session.Key), bigEndian: true).ToString() : session.Key;

    /// <summary>
    /// Aborts <paramref name="transaction"/> if it is still open: its writes are dropped with its snapshot, its keys and
    /// cursors released, and writers waiting for it woken.
    /// </summary>
    public void Abort(Transaction transaction, string? reason = null)
    {
        lock (Shared.Sync)
        {
            if (transaction.State != TransactionState.InProgress) return;
            transaction.State = TransactionState.Aborted;
            transaction.AbortReason = reason;
            End(transaction);
            _totalAborted++;
        }

        foreach (var cursors in _cursors()) cursors.KillOwnedBy(transaction);
    }

    /// <summary>
    /// Aborts every open transaction, the shared lock held (a replica set's primary stepping down or stopping). The
    /// sessions' locks are not taken, to keep the lock order (session before storage): a statement still running in
    /// such a transaction fails when it next writes (see <see cref="Claim"/>), and its next command finds it aborted.
    /// </summary>
    public void AbortAllLocked(string reason)
    {
        if (_openCount == 0) return;
        foreach (var transaction in _open.ToArray()) Abort(transaction, reason);
    }

    /// <summary>Releases what an ending transaction holds and wakes whoever waits for it (shared lock held).</summary>
    private void End(Transaction transaction)
    {
        foreach (var key in transaction.Locks) _locks.Remove(key);
        transaction.Locks.Clear();
        _open.Remove(transaction);
        _openCount = _open.Count;
        Monitor.PulseAll(Shared.Sync);
    }

    /// <summary>
    /// Aborts the open transactions of the sessions an endSessions or killSessions names (null: of every session);
    /// ended sessions are forgotten.
    /// </summary>
    public void AbortSessions(IEnumerable<string>? sessionKeys, string reason, bool forget = false)
    {
        IEnumerable<SessionTransactions> sessions = sessionKeys is null
            ? _sessions.Values.ToArray()
            : sessionKeys.Select(k => _sessions.GetValueOrDefault(k)).OfType<SessionTransactions>();
        foreach (var session in sessions)
        {
            lock (session)
            {
                if (session.Current is { State: TransactionState.InProgress } open) Abort(open, reason);
                if (forget) _sessions.TryRemove(session.Key, out _);
            }
        }
    }

    /// <summary>Aborts transactions open past their lifetime limit (a timer; a session busy with a command is left for the next round).</summary>
    internal void ReapExpired()
    {
        if (_openCount == 0) return;
        Transaction[] open;
        lock (Shared.Sync) open = [.. _open];
        var now = DateTime.UtcNow;
        foreach (var transaction in open)
        {
            if (transaction.ExpiresAt > now || !Monitor.TryEnter(transaction.Session)) continue;
            try
            {
                Abort(transaction, "it exceeded transactionLifetimeLimitSeconds");
            }
            finally
            {
                Monitor.Exit(transaction.Session);
            }
        }
    }

    /// <summary>serverStatus' transactions section.</summary>
    public BsonDocument ServerStatus()
    {
        lock (Shared.Sync)
        {
            return new BsonDocument
            {
                { "retriedCommandsCount", 0L },
                { "retriedStatementsCount", 0L },
                { "transactionsCollectionWriteCount", 0L },
                { "currentActive", Interlocked.Read(ref _active) },
                { "currentInactive", Math.Max(0, _open.Count - Interlocked.Read(ref _active)) },
                { "currentOpen", (long)_open.Count },
                { "totalAborted", _totalAborted },
                { "totalCommitted", _totalCommitted },
                { "totalStarted", _totalStarted },
                { "totalPrepared", 0L },
                { "totalPreparedThenCommitted", 0L },
                { "totalPreparedThenAborted", 0L },
                { "currentPrepared", 0L },
            };
        }
    }

    public void Dispose() => _reaper.Dispose();
}
