using System.Collections.Concurrent;
using Mongo.Bson;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Transactions;

/// <summary>Where a transaction is in its life (mongod's TransactionState, less prepare).</summary>
internal enum TransactionState
{
    InProgress,
    Committed,
    Aborted,
}

/// <summary>
/// One multi-document transaction: a private snapshot of the catalog taken at its first command (its reads see that
/// plus its own writes), the write set it will apply when it commits, and the keys it holds against other writers.
/// Its commands run one at a time under its session's lock; the key locks and its state are changed under the shared
/// storage's lock, so that other transactions and writers see them consistently.
/// </summary>
internal sealed class Transaction
{
    private readonly Dictionary<CollectionData, WrittenIds> _written = new(ReferenceEqualityComparer.Instance);

    public Transaction(SessionTransactions session, long txnNumber, Storage snapshot, TimeSpan lifetime)
    {
        Session = session;
        TxnNumber = txnNumber;
        Storage = snapshot;
        StartedAt = DateTime.UtcNow;
        ExpiresAt = StartedAt + lifetime;
    }

    public SessionTransactions Session { get; }

    public long TxnNumber { get; }

    /// <summary>The transaction's own view: its snapshot plus its writes.</summary>
    public Storage Storage { get; }

    public DateTime StartedAt { get; }

    /// <summary>When transactionLifetimeLimitSeconds runs out: a transaction still open then is aborted.</summary>
    public DateTime ExpiresAt { get; }

    /// <summary>Changed under the shared storage's lock.</summary>
    public TransactionState State { get; set; } = TransactionState.InProgress;

    /// <summary>Why it was aborted, for the log of an expired or killed transaction (null: not aborted, or by the client).</summary>
    public string? AbortReason { get; set; }

    /// <summary>
    /// Where the server's snapshot history stood when the transaction's snapshot was taken (its first record newer than
    /// the snapshot; null: the server keeps no history): changes recorded from there on came after the snapshot.
    /// </summary>
    public long? HistoryPosition { get; init; }

    /// <summary>The keys (namespace, index, key) this transaction has written and so holds until it ends.</summary>
    public HashSet<string> Locks { get; } = new(StringComparer.Ordinal);

    /// <summary>The namespaces its commands have opened (DDL from outside waits for them, as for mongod's intent locks).</summary>
    public ConcurrentDictionary<string, byte> Namespaces { get; } = new(StringComparer.Ordinal);

    /// <summary>The "{ txnNumber: N, txnRetryCounter: 0 }" mongod puts in the messages about this transaction.</summary>
    public string Describe() => "{ txnNumber: " + TxnNumber + ", txnRetryCounter: 0 }";

    /// <summary>
    /// Notes that the transaction wrote the document whose _id key (in the _id index) is <paramref name="idKey"/> in
    /// <paramref name="collection"/>, one of its storage's collections that existed before it. What to apply is read
    /// from the storage at commit (the snapshot's document against the transaction's), so a write that failed after
    /// this note, which aborts the transaction anyway, leaves nothing wrong behind.
    /// </summary>
    public void NoteWrite(CollectionData collection, string idKey)
    {
        if (collection.Origin is null) return; // a collection created by this transaction is applied whole
        if (!_written.TryGetValue(collection, out var ids)) _written[collection] = ids = new WrittenIds();
        ids.Add(idKey);
    }

    /// <summary>
    /// The changes to collections that existed before the transaction: per collection it copied, (stored document, the
    /// transaction's document) for every _id it wrote, in the order first written, leaving out those it wrote back.
    /// </summary>
    public IEnumerable<(CollectionData Copy, IReadOnlyList<(BsonDocument? Old, BsonDocument? New)> Changes)> ChangesToExisting()
    {
        foreach (var (collection, ids) in _written)
        {
            var origin = collection.Origin!;
            var list = new List<(BsonDocument?, BsonDocument?)>(ids.Order.Count);
            foreach (var key in ids.Order)
            {
                var old = origin.IdIndex.HoldersOf(key).FirstOrDefault();
                var current = collection.IdIndex.HoldersOf(key).FirstOrDefault();
                if (!ReferenceEquals(old, current)) list.Add((old, current));
            }

            if (list.Count > 0) yield return (collection, list);
        }
    }

    /// <summary>The collections this transaction created (explicitly or by a first insert), which a commit adds whole.</summary>
    public IEnumerable<CollectionData> CreatedCollections()
    {
        foreach (var db in Storage.Databases)
            foreach (var collection in db.Collections)
                if (collection.Origin is null) yield return collection;
    }

    private sealed class WrittenIds
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public List<string> Order { get; } = [];

        public void Add(string key)
        {
            if (_seen.Add(key)) Order.Add(key);
        }
    }
}

/// <summary>
/// A session's transaction state (mongod's TransactionParticipant, per lsid): the active transaction number, shared by
/// retryable writes and transactions, and the transaction it names, if any. Locked while one of its commands runs.
/// </summary>
internal sealed class SessionTransactions(string key)
{
    /// <summary>The lsid's id, in hex.</summary>
    public string Key { get; } = key;

    /// <summary>The highest txnNumber seen on the session (-1: none yet).</summary>
    public long ActiveTxnNumber { get; set; } = -1;

    /// <summary>The transaction of <see cref="ActiveTxnNumber"/>, or null when that number was a retryable write.</summary>
    public Transaction? Current { get; set; }
}
