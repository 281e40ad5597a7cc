using Mongo.InMemory.Auth;
using Mongo.InMemory.Server.Replication;

namespace Mongo.InMemory;

/// <summary>
/// An in-process MongoDB replica set: N members, each a server on its own loopback port, sharing one data set through
/// a replicated log. One member is primary; the others are secondaries that serve reads when the client allows it
/// (a non-primary read preference) and refuse writes with NotWritablePrimary, as mongod 8.0 members do. Drivers
/// discover every member from any one of them and follow elections through hello (streaming hello included).
/// <code>
/// await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
/// var client = new MongoClient(set.ConnectionString);   // mongodb://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3/?replicaSet=rs0
/// await set.StepDownAsync();                            // a secondary takes over at once
/// await set.Primary!.StopAsync();                       // its port refuses connections; an election follows
/// </code>
/// <para>
/// <b>Replication.</b> Every write on the primary appends an entry (an optime) to the replicated log; a member that keeps
/// up applies each entry as it is written. The test controls <see cref="InMemoryReplicaSetMember.ReplicationDelay"/> and
/// <see cref="InMemoryReplicaSetMember.PauseReplication"/> make a member lag: it applies each entry that much later
/// (or not until resumed). <b>A lagging member serves the data set exactly as it was after the last entry it has
/// applied</b> (a snapshot kept for it), its hello <c>lastWrite</c> shows that entry's optime and date, and
/// <c>w: "majority"</c> or <c>w: N</c> writes wait for it when they need it (a stopped member never counts). Snapshots
/// share documents and copy only the collections a write changed, but they are made only while some member lags.
/// Writes without a writeConcern use the replica-set default, <c>{ w: "majority" }</c>, as on mongod 5.0+.
/// </para>
/// <para>
/// <b>Elections.</b> <see cref="StepDownAsync"/> hands over at once to the most up-to-date electable member (mongod's
/// election handoff); <see cref="ElectAsync"/> elects a given member; a stopped primary is replaced after
/// <see cref="InMemoryReplicaSetOptions.ElectionTimeout"/>, and a primary that cannot see a majority steps down after it.
/// Each election starts a new term: a new, larger electionId, and a topologyVersion change on every member whose hello
/// changed. A member that becomes primary first applies the whole log; nothing is ever rolled back. The retryable-write
/// table and the users are replicated, so a write retried on the new primary is not applied twice.
/// </para>
/// <para>
/// <b>Step-downs and connections.</b> As on mongod 4.2+, a member that steps down keeps its connections open: its
/// clients' next writes get NotWritablePrimary, and a write still waiting for its write concern gets a
/// writeConcernError PrimarySteppedDown (189). Each write runs whole under the set's lock, so a step-down waits for a
/// write in progress to finish rather than interrupting it (mongod would end a long one with
/// InterruptedDueToReplStateChange).
/// </para>
/// <para>
/// Not modelled: configuration changes (replSetReconfig is refused), arbiters, hidden or priority-0 members, tags,
/// rollback, initial sync, and readConcern "majority" snapshots (a read returns the member's applied data).
/// </para>
/// </summary>
public sealed class InMemoryReplicaSet : IAsyncDisposable, IDisposable
{
    private readonly ReplicaSetCoordinator _set;
    private readonly InMemoryReplicaSetMember[] _members;
    private int _disposed;

    private readonly InMemoryReplicaSetOptions _options;

    private InMemoryReplicaSet(ReplicaSetCoordinator set, InMemoryReplicaSetOptions options)
    {
        _set = set;
        _options = options;
        _members = set.Members.Select(member => new InMemoryReplicaSetMember(this, member)).ToArray();
    }

    /// <summary>The set's name (the connection string's replicaSet).</summary>
    public string Name => _set.Name;

    /// <summary>
    /// A connection string naming every member and the set, e.g.
    /// <c>mongodb://127.0.0.1:41001,127.0.0.1:41002,127.0.0.1:41003/?replicaSet=rs0</c>.
    /// </summary>
    public string ConnectionString =>
        "mongodb://" + string.Join(',', _members.Select(static m => m.Host)) + "/?replicaSet=" + Uri.EscapeDataString(Name);

    /// <summary>The members in configuration order (<c>_id</c> 0, 1, ...).</summary>
    public IReadOnlyList<InMemoryReplicaSetMember> Members => _members;

    /// <summary>The current primary, or null while the set has none (after a stop, before the election).</summary>
    public InMemoryReplicaSetMember? Primary => _set.Primary is ReplicaMember primary ? _members[primary.Id] : null;

    /// <summary>The options the set runs with (a copy; changing it has no effect).</summary>
    public InMemoryReplicaSetOptions Options => _options.Clone();

    /// <summary>The options as the set keeps them (members restart with these).</summary>
    internal InMemoryReplicaSetOptions OwnOptions => _options;

    /// <summary>The current election term (it grows by one with every election).</summary>
    public long Term => _set.Term;

    internal ReplicaSetCoordinator Coordinator => _set;

    /// <summary>Starts a set of <paramref name="members"/> members (1 to 7) and elects the first one primary.</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="members"/> is not between 1 and 7.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">A port cannot be bound.</exception>
    public static Task<InMemoryReplicaSet> StartAsync(int members = 3, InMemoryReplicaSetOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Start(members, options));
    }

    /// <summary>Starts a set synchronously; see <see cref="StartAsync"/>.</summary>
    public static InMemoryReplicaSet Start(int members = 3, InMemoryReplicaSetOptions? options = null)
    {
        if (members is < 1 or > ReplicaSetCoordinator.MaxMembers)
        {
            throw new ArgumentOutOfRangeException(nameof(members), members, $"A replica set has 1 to {ReplicaSetCoordinator.MaxMembers} members (mongod's limit on voting members).");
        }

        InMemoryReplicaSetOptions copy = (options ?? new InMemoryReplicaSetOptions()).Clone();
        copy.Validate();
        var set = new ReplicaSetCoordinator(copy.Name, members, copy.ElectionTimeout, new UserStore(copy.Server.Users));
        var replicaSet = new InMemoryReplicaSet(set, copy);
        try
        {
            foreach (InMemoryReplicaSetMember member in replicaSet._members)
            {
                member.StartFirst(copy.Port == 0 ? 0 : copy.Port + member.Id);
            }

            set.Initiate();
            set.StartNoopWriter(copy.PeriodicNoopInterval);
        }
        catch
        {
            replicaSet.Dispose();
            throw;
        }

        return replicaSet;
    }

    /// <summary>
    /// Steps the primary down, as <c>replSetStepDown</c> with <c>force: true</c> does: the most up-to-date electable
    /// member takes over at once (if there is none, the set elects one after the election timeout). The old primary
    /// keeps its connections open (mongod 4.2+) and may not be elected again for <paramref name="stepDownPeriod"/>
    /// (zero by default: at the next election it is a candidate like any other).
    /// </summary>
    /// <returns>The new primary, or null when none could take over at once.</returns>
    /// <exception cref="InvalidOperationException">The set has no primary.</exception>
    public InMemoryReplicaSetMember? StepDown(TimeSpan? stepDownPeriod = null)
    {
        ThrowIfDisposed();
        lock (_set.Sync)
        {
            ReplicaMember primary = _set.Primary ?? throw new InvalidOperationException("The replica set has no primary to step down.");
            _set.StepDownLocked(primary, stepDownPeriod ?? TimeSpan.Zero, handoff: true);
        }

        return Primary;
    }

    /// <summary>Steps the primary down; see <see cref="StepDown"/>.</summary>
    public Task<InMemoryReplicaSetMember?> StepDownAsync(TimeSpan? stepDownPeriod = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(StepDown(stepDownPeriod));
    }

    /// <summary>
    /// Makes <paramref name="member"/> primary now (a new term), stepping the current primary down; a lagging member first
    /// applies the whole log. Freeze and step-down periods are ignored, as for <c>replSetStepUp</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The member is stopped.</exception>
    public void Elect(InMemoryReplicaSetMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        ThrowIfDisposed();
        if (member.Set != this)
        {
            throw new ArgumentException("The member belongs to another replica set.", nameof(member));
        }

        lock (_set.Sync)
        {
            _set.ElectLocked(member.Inner);
        }
    }

    /// <summary>Makes <paramref name="member"/> primary now; see <see cref="Elect"/>.</summary>
    public Task ElectAsync(InMemoryReplicaSetMember member, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Elect(member);
        return Task.CompletedTask;
    }

    /// <summary>Waits until the set has a primary (after a stop or a step-down without handoff) and returns it.</summary>
    /// <exception cref="TimeoutException">None was elected within <paramref name="timeout"/> (10 s by default).</exception>
    public Task<InMemoryReplicaSetMember> WaitForPrimaryAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForPrimaryAsync(async: true, timeout, cancellationToken).AsTask();

    /// <summary>Waits until the set has a primary and returns it; see <see cref="WaitForPrimaryAsync(TimeSpan?, CancellationToken)"/>.</summary>
    public InMemoryReplicaSetMember WaitForPrimary(TimeSpan? timeout = null) =>
        WaitForPrimaryAsync(async: false, timeout, CancellationToken.None).GetAwaiter().GetResult();

    private async ValueTask<InMemoryReplicaSetMember> WaitForPrimaryAsync(bool async, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(10);
        DateTime deadline = DateTime.UtcNow + limit;
        while (true)
        {
            Task progress = _set.Progress; // taken before looking, so an election in between is not missed
            if (Primary is InMemoryReplicaSetMember primary)
            {
                return primary;
            }

            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"The replica set {Name} elected no primary within {limit}.");
            }

            if (async)
            {
                try
                {
                    await progress.WaitAsync(left, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Checked at the top.
                }
            }
            else
            {
                progress.Wait(left, cancellationToken);
            }
        }
    }

    /// <summary>Stops every member and releases the set.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _set.Dispose();
        foreach (InMemoryReplicaSetMember member in _members)
        {
            await member.ShutDownAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops every member synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <inheritdoc/>
    public override string ToString() => $"replica set {Name} ({string.Join(", ", _members.Select(static m => m.ToString()))})";
}
