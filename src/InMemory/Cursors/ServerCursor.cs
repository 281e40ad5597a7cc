using Mongo.Bson;

namespace Mongo.InMemory.Cursors;

/// <summary>An open cursor: the rest of a result set and when it was last used.</summary>
internal sealed class ServerCursor : IDisposable
{
    private int _inUse;

    public ServerCursor(long id, string ns, IEnumerator<BsonDocument> results, BsonDocument? pending, TailableState? tail = null)
    {
        Id = id;
        Namespace = ns;
        Results = results;
        Pending = pending;
        Tail = tail;
        Touch();
    }

    /// <summary>Set for a tailable cursor: it stays open at the end of its results and reads what is inserted later.</summary>
    public TailableState? Tail { get; }

    public long Id { get; }

    /// <summary>The transaction that opened the cursor (null: none); only it may read on.</summary>
    public object? Owner { get; set; }

    public string Namespace { get; }

    public IEnumerator<BsonDocument> Results { get; set; }

    /// <summary>The next document to return: already pulled from <see cref="Results"/> (that is how we know one exists).</summary>
    public BsonDocument? Pending { get; set; }

    public long LastUsedTicks { get; private set; }

    /// <summary>
    /// What is left of the maxTimeMS of the command that opened the cursor, in milliseconds (null: no limit): as on
    /// mongod, the getMores of a non-awaitData cursor spend the rest of it.
    /// </summary>
    public long? LeftoverMaxTimeMs { get; set; }

    /// <summary>Opened with noCursorTimeout: never killed for being idle (only killCursors, exhaustion or shutdown end it).</summary>
    public bool NoTimeout { get; init; }

    public void Touch() => LastUsedTicks = Environment.TickCount64;

    /// <summary>A getMore holds the cursor exclusively; a second concurrent getMore on it fails like the server's.</summary>
    public bool TryAcquire() => Interlocked.CompareExchange(ref _inUse, 1, 0) == 0;

    public void Release()
    {
        Touch();
        Volatile.Write(ref _inUse, 0);
    }

    public bool InUse => Volatile.Read(ref _inUse) != 0;

    public void Dispose()
    {
        Results.Dispose();
        Tail?.Dispose();
    }
}
