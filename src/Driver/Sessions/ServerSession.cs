using System.Diagnostics;
using Mongo.Bson;

namespace Mongo.Driver.Sessions;

/// <summary>
/// A server session (driver-sessions spec): the <c>lsid</c> the server keys its session state by, when it was last
/// used (the server forgets it after logicalSessionTimeoutMinutes of disuse) and the session's txnNumber counter.
/// Owned by one operation or cursor at a time, so the counter needs no locking.
/// </summary>
internal sealed class ServerSession
{
    private long _txnNumber;

    public ServerSession()
    {
        Id = BsonBinaryData.FromGuid(Guid.NewGuid(), GuidRepresentation.Standard);
        // Cached: every command of every operation that uses this session writes the same document.
        Lsid = new BsonDocument("id", Id);
        LastUse = Stopwatch.GetTimestamp();
    }

    /// <summary>The UUID (binary subtype 4).</summary>
    public BsonBinaryData Id { get; }

    /// <summary><c>{ id: UUID }</c>, sent as the command's <c>lsid</c>.</summary>
    public BsonDocument Lsid { get; }

    /// <summary>Stopwatch timestamp of the last command sent with this session.</summary>
    public long LastUse { get; private set; }

    /// <summary>Set after a network error: the server may still hold state for it, so the pool discards it.</summary>
    public bool IsDirty { get; private set; }

    /// <summary>The last txnNumber handed out (0 = none yet).</summary>
    public long TxnNumber => _txnNumber;

    /// <summary>True while an operation or cursor holds the session (guards against returning it twice).</summary>
    internal bool CheckedOut { get; set; }

    /// <summary>The pool the session came from.</summary>
    internal ServerSessionPool? Pool { get; set; }

    /// <summary>Gives the session back to its pool (a second call does nothing).</summary>
    public void Release() => Pool?.Release(this);

    public void MarkUsed() => LastUse = Stopwatch.GetTimestamp();

    /// <summary>Sets the last use to a Stopwatch timestamp (tests age sessions with it).</summary>
    internal void MarkUsed(long timestamp) => LastUse = timestamp;

    public void MarkDirty() => IsDirty = true;

    /// <summary>The next txnNumber for a retryable write statement batch; a retry of that batch reuses it.</summary>
    public long AdvanceTxnNumber() => ++_txnNumber;

    /// <summary>Whether the server may forget the session within a minute (it expires after <paramref name="timeoutMinutes"/> idle).</summary>
    public bool ExpiresWithinAMinute(int timeoutMinutes, long now) =>
        Stopwatch.GetElapsedTime(LastUse, now) >= TimeSpan.FromMinutes(timeoutMinutes - 1);
}
