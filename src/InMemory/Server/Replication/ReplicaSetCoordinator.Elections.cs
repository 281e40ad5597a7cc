using Mongo.Bson;

namespace Mongo.InMemory.Server.Replication;

/// <summary>
/// Elections. A primary that steps down hands over at once to the most up-to-date electable member (mongod's election
/// handoff); a primary that stops, or that can no longer see a majority, is replaced (or steps down) after
/// <see cref="ElectionTimeout"/>. Each election starts a new term: a new electionId, a "new primary" log entry, and a
/// topologyVersion bump on every member whose hello changes. A member that becomes primary first applies the whole
/// log (mongod's catch-up phase; nothing is ever rolled back here).
/// </summary>
internal sealed partial class ReplicaSetCoordinator
{
    private long _term;
    private ReplicaMember? _reportedPrimary;
    private DateTime? _noPrimarySince;
    private DateTime? _lostMajoritySince;
    private CancellationTokenSource? _timer;

    /// <summary>The current term (replSetGetStatus term, lastWrite opTime.t).</summary>
    public long Term => Interlocked.Read(ref _term);

    /// <summary>The primary's electionId: 0x7fffffff then the term, as mongod builds it (OID::fromTerm).</summary>
    public ObjectId ElectionId => FromTerm(Term);

    /// <summary>The primary the members report in hello (it may be one that stopped, until the election timeout).</summary>
    public ReplicaMember? ReportedPrimary => _reportedPrimary;

    /// <summary>When the current primary was elected, and the optime of its first entry.</summary>
    public DateTime ElectionDate { get; private set; }

    public OpTime ElectionOpTime { get; private set; } = OpTime.Null;

    /// <summary>Why the current primary was elected (replSetGetStatus electionCandidateMetrics.lastElectionReason).</summary>
    public string ElectionReason { get; private set; } = "electionTimeout";

    public static ObjectId FromTerm(long term)
    {
        Span<byte> bytes = stackalloc byte[12];
        bytes[0] = 0x7f;
        bytes[1] = bytes[2] = bytes[3] = 0xff;
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes[4..], term);
        return new ObjectId(bytes);
    }

    /// <summary>Steps the primary down (call under <see cref="Sync"/>). It may not be elected again for <paramref name="period"/>.</summary>
    /// <param name="primary">The member stepping down.</param>
    /// <param name="period">How long it stays unelectable.</param>
    /// <param name="handoff">Whether another electable member takes over at once (else the set waits for an election).</param>
    public void StepDownLocked(ReplicaMember primary, TimeSpan period, bool handoff)
    {
        Transition(() =>
        {
            DateTime now = DateTime.UtcNow;
            BecomeSecondaryLocked(primary);
            primary.SteppedDownUntil = now + period;
            _reportedPrimary = null;
            _noPrimarySince = now;
            if (handoff && BestCandidate(exclude: primary) is ReplicaMember next)
            {
                BecomePrimaryLocked(next, "stepUpRequestSkipDryRun");
            }
        });
        EnsureElectionTimer();
    }

    /// <summary>Makes <paramref name="candidate"/> primary at once, stepping the current one down (call under <see cref="Sync"/>).</summary>
    public void ElectLocked(ReplicaMember candidate)
    {
        if (!candidate.IsRunning)
        {
            throw new InvalidOperationException($"Member {candidate.Id} ({candidate.Host}) is stopped: restart it before electing it.");
        }

        if (candidate.IsPrimary)
        {
            return;
        }

        Transition(() =>
        {
            if (Primary is ReplicaMember current)
            {
                BecomeSecondaryLocked(current);
            }

            BecomePrimaryLocked(candidate, "stepUpRequest");
        });
    }

    /// <summary>A member's server stopped (call under <see cref="Sync"/>): a primary is replaced after the election timeout.</summary>
    public void MemberStoppedLocked(ReplicaMember member)
    {
        FreezeAppliedLocked(member);
        Transition(() =>
        {
            if (member.IsPrimary)
            {
                _noPrimarySince = DateTime.UtcNow;
                AbortTransactionsLocked(member);
            }

            member.State = MemberState.Down;
        });
        EnsureElectionTimer();
    }

    /// <summary>A member's server started again (call under <see cref="Sync"/>): it rejoins as a secondary.</summary>
    public void MemberRestartedLocked(ReplicaMember member)
    {
        Transition(() => member.State = MemberState.Secondary);
        lock (_logLock)
        {
            AdvanceLocked(member, OpTime.Now());
            TrimLocked();
        }

        EnsureElectionTimer();
    }

    /// <summary>The member an election would pick now (excluding <paramref name="exclude"/>), or null.</summary>
    public ReplicaMember? BestCandidate(ReplicaMember? exclude = null)
    {
        DateTime now = DateTime.UtcNow;
        ReplicaMember? best = null;
        foreach (ReplicaMember member in _members)
        {
            if (member == exclude || !member.IsRunning || member.IsPrimary || member.FrozenUntil > now || member.SteppedDownUntil > now)
            {
                continue;
            }

            if (best is null || Better(member, best))
            {
                best = member;
            }
        }

        return best;

        // A member that keeps up beats a lagging one (mongod's delayed members cannot be elected at all); then the
        // most up-to-date wins, then the lowest _id.
        bool Better(ReplicaMember a, ReplicaMember b)
        {
            if (a.Lags != b.Lags)
            {
                return !a.Lags;
            }

            long appliedA = AppliedBy(a).Index;
            long appliedB = AppliedBy(b).Index;
            return appliedA != appliedB ? appliedA > appliedB : a.Id < b.Id;
        }
    }

    private void BecomePrimaryLocked(ReplicaMember candidate, string reason)
    {
        Interlocked.Increment(ref _term);
        candidate.State = MemberState.Primary; // a primary applies everything: it no longer lags
        candidate.FrozenUntil = default;
        lock (_logLock)
        {
            AdvanceLocked(candidate, OpTime.Now());
            TrimLocked();
        }

        _reportedPrimary = candidate;
        _noPrimarySince = null;
        _lostMajoritySince = null;
        ElectionDate = DateTime.UtcNow;
        ElectionReason = reason;
        ElectionOpTime = AppendLocked().OpTime; // the new term's "new primary" no-op
    }

    private void BecomeSecondaryLocked(ReplicaMember primary)
    {
        AbortTransactionsLocked(primary);
        lock (_logLock)
        {
            AdvanceLocked(primary, OpTime.Now());
            primary.State = MemberState.Secondary;
            if (primary.Lags)
            {
                StartLaggingLocked(primary);
            }
        }
    }

    /// <summary>
    /// Tests: runs inside every transition (under <see cref="Sync"/>), after the states changed and before the
    /// topologyVersion counters are bumped, where a reader that does not take the lock would see half of the change.
    /// </summary>
    internal Action? AfterStateChange { get; set; }

    /// <summary>
    /// Runs a change of the set's state and bumps the topologyVersion of every running member whose hello it changed
    /// (its own state, the primary it reports, the election id), waking their awaitable hellos.
    /// </summary>
    private void Transition(Action change)
    {
        var before = new (MemberState, ReplicaMember?, long)[_members.Length];
        for (int i = 0; i < _members.Length; i++)
        {
            before[i] = HelloKey(_members[i]);
        }

        change();
        AfterStateChange?.Invoke();
        for (int i = 0; i < _members.Length; i++)
        {
            if (_members[i].IsRunning && before[i] != HelloKey(_members[i]))
            {
                _members[i].BumpTopology();
            }
        }

        SignalProgress();
    }

    private (MemberState, ReplicaMember?, long) HelloKey(ReplicaMember member) =>
        (member.State, member.IsRunning ? _reportedPrimary : null, member.IsPrimary ? Term : 0);

    /// <summary>Starts the election timer if the set has no primary or its primary lost the majority.</summary>
    private void EnsureElectionTimer()
    {
        if (_timer is not null || (Primary is not null && RunningCount >= Majority))
        {
            return;
        }

        var timer = new CancellationTokenSource();
        _timer = timer;
        _ = Task.Run(() => ElectionTimerAsync(timer.Token));
    }

    private void StopElectionTimer()
    {
        lock (Sync)
        {
            _timer?.Cancel();
            _timer = null;
        }
    }

    private async Task ElectionTimerAsync(CancellationToken cancellationToken)
    {
        TimeSpan tick = TimeSpan.FromMilliseconds(Math.Clamp(ElectionTimeout.TotalMilliseconds / 10, 10, 100));
        try
        {
            while (true)
            {
                await Task.Delay(tick, cancellationToken).ConfigureAwait(false);
                lock (Sync)
                {
                    if (cancellationToken.IsCancellationRequested || !TickLocked())
                    {
                        _timer?.Dispose();
                        _timer = null;
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The set stopped.
        }
    }

    /// <summary>One look at the set by the election timer. False: nothing left to wait for.</summary>
    private bool TickLocked()
    {
        DateTime now = DateTime.UtcNow;
        if (Primary is ReplicaMember primary)
        {
            if (RunningCount >= Majority)
            {
                _lostMajoritySince = null;
                return false;
            }

            // A primary that cannot see a majority steps down, as mongod's does after its election timeout.
            _lostMajoritySince ??= now;
            if (now - _lostMajoritySince.Value >= ElectionTimeout)
            {
                StepDownLocked(primary, TimeSpan.Zero, handoff: false);
            }

            return true;
        }

        _noPrimarySince ??= now;
        if (now - _noPrimarySince.Value < ElectionTimeout)
        {
            return true;
        }

        if (_reportedPrimary is not null)
        {
            Transition(() => _reportedPrimary = null); // the members have noticed the primary is gone
        }

        if (RunningCount >= Majority && BestCandidate() is ReplicaMember candidate)
        {
            Transition(() => BecomePrimaryLocked(candidate, "electionTimeout"));
            return false;
        }

        return RunningCount > 0;
    }
}
