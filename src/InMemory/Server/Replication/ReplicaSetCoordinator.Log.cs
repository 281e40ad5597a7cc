using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Server.Replication;

/// <summary>
/// The replicated log. Every write on the primary appends one entry (its optime); a member has applied the log up to
/// some entry. A member that keeps up applies each entry as it is written, so it simply reads the data set. A member
/// that lags (a replication delay or a pause, the test controls) reads the snapshot taken when the last entry it has
/// applied was written: while any member lags, each append takes a structural snapshot of the data set (documents are
/// shared, only collections changed since the previous snapshot are copied), and entries are kept from the oldest one a
/// lagging member still rests on. Members apply lazily: how far a member has got is computed when someone asks.
/// </summary>
internal sealed partial class ReplicaSetCoordinator
{
    private readonly object _logLock = new(); // taken inside Sync, never the other way round
    private readonly List<LogEntry> _entries = [];
    private Storage? _lastSnapshot;
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _progressWatched; // writes signal only when someone waits: most never need to

    /// <summary>The newest entry's optime (the primary's lastWrite).</summary>
    public OpTime LastOpTime
    {
        get
        {
            lock (_logLock)
            {
                return _entries[^1].OpTime;
            }
        }
    }

    /// <summary>The newest entry's index.</summary>
    public long LastIndex
    {
        get
        {
            lock (_logLock)
            {
                return _entries[^1].Index;
            }
        }
    }

    /// <summary>Completes at the next change that may let a member apply more (an append, a resume, a restart, an election).</summary>
    public Task Progress
    {
        get
        {
            lock (_logLock)
            {
                _progressWatched = true;
                return _progress.Task;
            }
        }
    }

    /// <summary>Appends the entry of a write that just happened. Call under <see cref="Sync"/>, before releasing it.</summary>
    public (long Index, OpTime OpTime) AppendLocked()
    {
        var opTime = new OpTime(Clock.Next(), _term, OpTime.Now());
        // Taken under Sync, so the snapshot is exactly the state this entry produced.
        Storage? snapshot = _members.Any(static m => m.Lags) ? Storage.ReplicaSnapshot(_lastSnapshot) : null;
        long index;
        lock (_logLock)
        {
            index = _entries[^1].Index + 1;
            _entries.Add(new LogEntry(index, opTime) { Snapshot = snapshot });
            _lastSnapshot = snapshot ?? _lastSnapshot;
            TrimLocked();
        }

        SignalProgress();
        return (index, opTime);
    }

    /// <summary>The storage <paramref name="member"/> reads now: the data set when it is up to date, else its snapshot.</summary>
    public Storage ViewOf(ReplicaMember member)
    {
        if (member.IsPrimary)
        {
            return Storage;
        }

        lock (_logLock)
        {
            AdvanceLocked(member, OpTime.Now());
            LogEntry last = _entries[^1];
            if (member.AppliedIndex >= last.Index)
            {
                return Storage;
            }

            // A lagging member's entry is always kept with its snapshot; the data set is the safe answer otherwise.
            return EntryAtLocked(member.AppliedIndex)?.Snapshot ?? Storage;
        }
    }

    /// <summary>How far <paramref name="member"/> has applied the log now.</summary>
    public (long Index, OpTime OpTime) AppliedBy(ReplicaMember member)
    {
        lock (_logLock)
        {
            AdvanceLocked(member, OpTime.Now());
            return (member.AppliedIndex, member.AppliedOpTime);
        }
    }

    /// <summary>
    /// Whether <paramref name="member"/> has applied every write up to cluster time <paramref name="time"/>: it is up
    /// to date, or the first entry it has not applied is later than that.
    /// </summary>
    public bool HasApplied(ReplicaMember member, Mongo.Bson.BsonTimestamp time)
    {
        lock (_logLock)
        {
            AdvanceLocked(member, OpTime.Now());
            return member.AppliedIndex >= _entries[^1].Index
                || (EntryAtLocked(member.AppliedIndex + 1) is LogEntry next && next.OpTime.Timestamp.Value > time.Value);
        }
    }

    /// <summary>Whether a majority of the members has applied every write up to cluster time <paramref name="time"/>.</summary>
    public bool MajorityHasApplied(Mongo.Bson.BsonTimestamp time)
    {
        lock (_logLock)
        {
            DateTime now = OpTime.Now();
            int count = 0;
            foreach (ReplicaMember member in _members)
            {
                AdvanceLocked(member, now);
                if (member.AppliedIndex >= _entries[^1].Index
                    || (EntryAtLocked(member.AppliedIndex + 1) is LogEntry next && next.OpTime.Timestamp.Value > time.Value))
                {
                    count++;
                }
            }

            return count >= Majority;
        }
    }

    /// <summary>
    /// The majority-committed optime: the newest entry a majority of members has applied (a stopped member counts
    /// with what it had applied when it stopped).
    /// </summary>
    public OpTime MajorityOpTime()
    {
        lock (_logLock)
        {
            DateTime now = OpTime.Now();
            var applied = new List<OpTime>(_members.Length);
            foreach (ReplicaMember member in _members)
            {
                AdvanceLocked(member, now);
                applied.Add(member.AppliedOpTime);
            }

            applied.Sort(static (a, b) => b.Timestamp.Value.CompareTo(a.Timestamp.Value));
            return applied[Majority - 1];
        }
    }

    /// <summary>How many members have applied the entry at <paramref name="index"/>.</summary>
    public int CountApplied(long index)
    {
        lock (_logLock)
        {
            DateTime now = OpTime.Now();
            int count = 0;
            foreach (ReplicaMember member in _members)
            {
                AdvanceLocked(member, now);
                if (member.AppliedIndex >= index)
                {
                    count++;
                }
            }

            return count;
        }
    }

    /// <summary>
    /// The earliest time a delayed member will apply its next entry (null: none will without another change), so
    /// waiters know when to look again.
    /// </summary>
    public DateTime? NextDelayedApply()
    {
        lock (_logLock)
        {
            DateTime? next = null;
            foreach (ReplicaMember member in _members)
            {
                if (member.IsRunning && !member.IsPrimary && !member.Paused && member.Delay > TimeSpan.Zero
                    && EntryAtLocked(member.AppliedIndex + 1) is LogEntry pending)
                {
                    DateTime due = pending.OpTime.WallTime + member.Delay;
                    if (next is null || due < next)
                    {
                        next = due;
                    }
                }
            }

            return next;
        }
    }

    /// <summary>
    /// Changes a member's delay or pause (the test controls). Call under <see cref="Sync"/>. A member that starts to lag
    /// first catches up (it lags from now on); one that stops lagging catches up at once.
    /// </summary>
    public void SetLagLocked(ReplicaMember member, TimeSpan delay, bool paused)
    {
        lock (_logLock)
        {
            DateTime now = OpTime.Now();
            AdvanceLocked(member, now);
            bool lagged = member.Lags;
            member.Delay = delay;
            member.Paused = paused;
            if (member.Lags && !lagged)
            {
                StartLaggingLocked(member);
            }

            AdvanceLocked(member, now);
            TrimLocked();
        }

        SignalProgress();
    }

    /// <summary>Records what a member had applied when it stops; it keeps that until it runs again.</summary>
    private void FreezeAppliedLocked(ReplicaMember member)
    {
        lock (_logLock)
        {
            AdvanceLocked(member, OpTime.Now());
        }
    }

    /// <summary>A member that was primary, or not lagging, starts to lag from the newest entry: it needs that entry's snapshot.</summary>
    private void StartLaggingLocked(ReplicaMember member)
    {
        LogEntry last = _entries[^1];
        last.Snapshot ??= Storage.ReplicaSnapshot(_lastSnapshot);
        _lastSnapshot = last.Snapshot;
        member.AppliedIndex = last.Index;
        member.AppliedOpTime = last.OpTime;
    }

    /// <summary>Brings a member as far as it has got by <paramref name="now"/> (never backwards).</summary>
    private void AdvanceLocked(ReplicaMember member, DateTime now)
    {
        LogEntry last = _entries[^1];
        if (member.IsPrimary || (member.IsRunning && !member.Lags))
        {
            member.AppliedIndex = last.Index;
            member.AppliedOpTime = last.OpTime;
            return;
        }

        if (!member.IsRunning || member.Paused)
        {
            return; // stays where it is
        }

        DateTime cutoff = now - member.Delay;
        for (int i = _entries.Count - 1; i >= 0 && _entries[i].Index > member.AppliedIndex; i--)
        {
            if (_entries[i].OpTime.WallTime <= cutoff)
            {
                member.AppliedIndex = _entries[i].Index;
                member.AppliedOpTime = _entries[i].OpTime;
                return;
            }
        }
    }

    /// <summary>Drops entries no lagging member rests on any more (all but the newest when none lags).</summary>
    private void TrimLocked()
    {
        long keepFrom = _entries[^1].Index;
        foreach (ReplicaMember member in _members)
        {
            if (member.Lags && member.AppliedIndex >= 0)
            {
                keepFrom = Math.Min(keepFrom, member.AppliedIndex);
            }
        }

        int drop = (int)Math.Clamp(keepFrom - _entries[0].Index, 0, _entries.Count - 1);
        if (drop > 0)
        {
            _entries.RemoveRange(0, drop);
        }

        if (keepFrom == _entries[^1].Index && !_members.Any(static m => m.Lags))
        {
            _lastSnapshot = null; // nobody lags: let the snapshots go
            _entries[^1].Snapshot = null;
        }
    }

    private LogEntry? EntryAtLocked(long index)
    {
        long offset = index - _entries[0].Index;
        return offset >= 0 && offset < _entries.Count ? _entries[(int)offset] : null;
    }

    private void SignalProgress()
    {
        TaskCompletionSource signalled;
        lock (_logLock)
        {
            if (!_progressWatched)
            {
                return;
            }

            signalled = _progress;
            _progress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _progressWatched = false;
        }

        signalled.TrySetResult();
    }

    private sealed class LogEntry(long index, OpTime opTime)
    {
        public long Index { get; } = index;

        public OpTime OpTime { get; } = opTime;

        /// <summary>The data set as this entry left it, kept only while some member lags.</summary>
        public Storage? Snapshot { get; set; }
    }
}
