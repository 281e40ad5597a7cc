using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Server;

/// <summary>
/// The history of the data set by cluster time, kept from server start as mongod keeps it, so a snapshot read (or a
/// transaction) at an earlier atClusterTime within minSnapshotHistoryWindowInSeconds sees the documents as they were then.
/// </summary>
/// <remarks>
/// <para>
/// The history is a log of undo records, newest last: every document change of the live storage (insert, replace,
/// delete, a commit's changes at once) appends one record naming the collection, the position in natural order and the
/// documents before and after; a catalog change (create, drop, rename, indexes, collMod, views) appends a structural
/// copy of the catalog as it was just before (<see cref="Storage.Snapshot"/>, documents shared). So an ordinary write
/// costs an append, not a copy of its collection; the cost is paid by the read at an earlier time, which copies the
/// catalog as it is (or as the first catalog change after that time left it) and undoes the newer records.
/// </para>
/// <para>
/// A record gets its time when the clock next hands one out (<see cref="ClusterClock.Next"/>): until then it is newer
/// than every time anyone knows, so a read at a known time undoes it. A commit's records are stamped together.
/// </para>
/// <para>
/// Bounds: records older than the window are dropped as writes come, and at most <see cref="MaxRecords"/> records and
/// <see cref="MaxRetainedBytes"/> bytes of documents no longer current (plus an estimate of what a catalog copy may pin)
/// are kept; past either, the oldest records go first. A read at a time before the oldest record kept is SnapshotTooOld,
/// as on mongod when its history is gone.
/// </para>
/// </remarks>
internal sealed partial class SnapshotHistory
{
    /// <summary>mongod's default minSnapshotHistoryWindowInSeconds.</summary>
    public const int DefaultWindowSeconds = 300;

    /// <summary>The most undo records kept, whatever the window, so heavy writing cannot grow memory without bound.</summary>
    public const int MaxRecords = 100_000;

    /// <summary>The most bytes of superseded documents (and estimated catalog copies) the records may keep alive.</summary>
    public const long MaxRetainedBytes = 256L * 1024 * 1024;

    // Pinned for each document of each index of a collection a catalog copy holds, should the live side change it
    // (list slot plus index entry); an estimate that errs high.
    private const long CatalogBytesPerDocument = 64;

    private readonly object _lock = new();
    private readonly List<Record> _records = []; // oldest first from _head; stamps never decrease; unstamped at the end
    private int _head;
    private int _firstUnstamped; // index of the first record without a time (== _records.Count: none)
    private long _dropped; // records ever dropped (positions stay comparable across drops)
    private long _retainedBytes;
    private int _holds;
    private bool _lostUnstamped; // an unstamped record was dropped: every time known so far is too old
    private ulong _oldest; // reads before this time are SnapshotTooOld
    private int _windowSeconds = DefaultWindowSeconds;
    private Storage? _live;
    private (ulong At, Storage Data)? _cache; // the last copy a read made, until anything changes

    public SnapshotHistory()
    {
        _oldest = new BsonTimestamp((uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 0).Value;
    }

    /// <summary>minSnapshotHistoryWindowInSeconds: how long records are kept at least (bounds permitting).</summary>
    public int WindowSeconds
    {
        get { lock (_lock) return _windowSeconds; }
        set { lock (_lock) _windowSeconds = value; }
    }

    /// <summary>The most records kept (<see cref="MaxRecords"/>; tests lower it).</summary>
    internal int RecordLimit { get; set; } = MaxRecords;

    /// <summary>The most bytes kept (<see cref="MaxRetainedBytes"/>; tests lower it).</summary>
    internal long ByteLimit { get; set; } = MaxRetainedBytes;

    /// <summary>How many records are kept now (for tests of the bounds).</summary>
    public int Count
    {
        get { lock (_lock) return _records.Count - _head; }
    }

    /// <summary>The bytes the kept records account for now (for tests of the bounds).</summary>
    public long RetainedBytes
    {
        get { lock (_lock) return _retainedBytes; }
    }

    /// <summary>The position after the newest record: records from here on are newer than anything read now.</summary>
    public long Position
    {
        get { lock (_lock) return _dropped + _records.Count - _head; }
    }

    /// <summary>
    /// Makes this the history of <paramref name="live"/> (a replica set's data set, a router's data): its changes are
    /// recorded from now on. Snapshots and a standalone server's data (which refuses snapshot reads) keep none.
    /// </summary>
    public void Attach(Storage live)
    {
        _live = live;
        live.History = this;
    }

    /// <summary>Called by the clock as it hands out <paramref name="time"/>: records without a time take it.</summary>
    public void Stamp(BsonTimestamp time)
    {
        lock (_lock)
        {
            if (_lostUnstamped)
            {
                _oldest = Math.Max(_oldest, time.Value);
                _lostUnstamped = false;
            }

            if (_holds > 0)
            {
                return; // a commit is being recorded: its records get one time, after it
            }

            for (int i = _firstUnstamped; i < _records.Count; i++)
            {
                _records[i] = _records[i] with { Stamp = time.Value };
            }

            _firstUnstamped = _records.Count;
        }
    }

    /// <summary>
    /// Keeps the records made until the scope is disposed from taking a time, so a commit's changes (its new collections
    /// and its document changes) become visible at one time.
    /// </summary>
    public HoldScope Hold()
    {
        lock (_lock)
        {
            _holds++;
        }

        return new HoldScope(this);
    }

    /// <summary>A document was inserted at <paramref name="position"/> of <paramref name="collection"/> (storage lock held).</summary>
    public void Inserted(CollectionData collection, int position, BsonDocument document) =>
        Add(new Record(0, RecordKind.Insert, collection, position, null, document, null, 0));

    /// <summary>The document at <paramref name="position"/> was replaced.</summary>
    public void Replaced(CollectionData collection, int position, BsonDocument old, BsonDocument document) =>
        Add(new Record(0, RecordKind.Replace, collection, position, old, document, null, old.GetEncodedSize()));

    /// <summary>The document at <paramref name="position"/> was deleted.</summary>
    public void Deleted(CollectionData collection, int position, BsonDocument old) =>
        Add(new Record(0, RecordKind.Delete, collection, position, old, null, null, old.GetEncodedSize()));

    /// <summary>Several changes made as one (a commit's), recorded at once so that no time falls between them.</summary>
    public void AddAll(List<Record> records)
    {
        lock (_lock)
        {
            foreach (Record record in records)
            {
                AddLocked(record);
            }

            PruneLocked();
        }
    }

    /// <summary>
    /// The catalog of <paramref name="storage"/> (the live one, its lock held) is about to change: keeps a copy of it as it
    /// is, which reads at earlier times start from.
    /// </summary>
    /// <param name="storage">The live storage.</param>
    /// <param name="leavingBytes">
    /// The bytes of the documents the change drops or empties out: the copy keeps them alive, which no record of a delete
    /// accounts for, so they count towards the bound.
    /// </param>
    public void CatalogChanging(Storage storage, long leavingBytes = 0)
    {
        long documents = 0;
        foreach (DatabaseData database in storage.Databases)
        {
            foreach (CollectionData collection in database.Collections)
            {
                documents += (long)collection.Count * collection.Indexes.Count;
            }
        }

        Storage copy = storage.Snapshot();
        long bytes = documents * CatalogBytesPerDocument + leavingBytes;
        Add(new Record(0, RecordKind.Catalog, null, 0, null, null, copy, bytes));
    }

    private void Add(Record record)
    {
        lock (_lock)
        {
            AddLocked(record);
            if ((_records.Count & 63) == 0 || _retainedBytes > ByteLimit || _records.Count - _head > RecordLimit)
            {
                PruneLocked();
            }
        }
    }

    private void AddLocked(Record record)
    {
        _records.Add(record);
        _retainedBytes += record.Bytes;
        _cache = null;
    }

    /// <summary>Drops the records older than the window, and the oldest past the bounds.</summary>
    private void PruneLocked()
    {
        ulong windowStart = new BsonTimestamp((uint)Math.Max(0, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - _windowSeconds), 0).Value;
        while (_head < _records.Count)
        {
            Record record = _records[_head];
            bool stamped = _head < _firstUnstamped;
            bool expired = stamped && record.Stamp < windowStart;
            if (!expired && _records.Count - _head <= RecordLimit && _retainedBytes <= ByteLimit)
            {
                break;
            }

            // A read at this record's time or later undoes only newer records; earlier ones needed it.
            if (stamped)
            {
                _oldest = Math.Max(_oldest, record.Stamp);
            }
            else
            {
                _lostUnstamped = true;
            }

            _retainedBytes -= record.Bytes;
            _records[_head] = default;
            _head++;
            _dropped++;
        }

        if (_head > 1024 && _head * 2 > _records.Count)
        {
            _records.RemoveRange(0, _head);
            _firstUnstamped -= _head;
            _head = 0;
        }

        if (_firstUnstamped < _head)
        {
            _firstUnstamped = _head;
        }
    }

    /// <summary>What a record undoes.</summary>
    internal enum RecordKind : byte
    {
        Insert,
        Replace,
        Delete,
        Catalog,
    }

    /// <summary>
    /// One change: its time (0 until stamped), the live collection and position in natural order it changed, the
    /// documents before and after, or for a catalog change the catalog as it was before; and the bytes it keeps alive.
    /// </summary>
    internal readonly record struct Record(
        ulong Stamp, RecordKind Kind, CollectionData? Collection, int Position, BsonDocument? Old, BsonDocument? New, Storage? Catalog, long Bytes);

    /// <summary>See <see cref="Hold"/>.</summary>
    public readonly struct HoldScope(SnapshotHistory history) : IDisposable
    {
        public void Dispose()
        {
            lock (history._lock)
            {
                history._holds--;
            }
        }
    }
}
