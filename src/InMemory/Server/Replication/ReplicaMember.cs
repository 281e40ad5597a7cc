using Mongo.Bson;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Server.Replication;

/// <summary>The replica-set states this server takes, with mongod's numbers (replSetGetStatus <c>state</c>).</summary>
internal enum MemberState
{
    Primary = 1,
    Secondary = 2,
    Down = 8,
}

/// <summary>
/// One member of an in-memory replica set: its place in the configuration, its state, its topologyVersion, and how far
/// it has applied the replicated log. It outlives the server (<see cref="ServerState"/>) that answers for it: stopping and
/// restarting a member replaces the server (a new process id, new connections and cursors) but keeps the member.
/// State changes happen under the set's lock (<see cref="ReplicaSetCoordinator.Sync"/>); reads of the state need no lock.
/// </summary>
internal sealed partial class ReplicaMember
{
    private readonly object _topologyLock = new();
    private TaskCompletionSource _topologyChanged = NewSignal();
    private long _topologyCounter;
    private string? _host;
    private volatile int _state = (int)MemberState.Down;

    public ReplicaMember(ReplicaSetCoordinator set, int id)
    {
        Set = set;
        Id = id;
    }

    /// <summary>The set this member belongs to.</summary>
    public ReplicaSetCoordinator Set { get; }

    /// <summary>The member's <c>_id</c> in the configuration (its position: 0, 1, 2, ...).</summary>
    public int Id { get; }

    /// <summary>"host:port" as the configuration names the member (a single-member set takes its server's address).</summary>
    public string Host
    {
        get => _host ?? Server?.HostAndPort ?? string.Empty;
        set => _host = value;
    }

    /// <summary>The port the member listens on (0 until first started).</summary>
    public int Port { get; set; }

    /// <summary>The server answering for this member now; the last one after a stop; null before the first start.</summary>
    public ServerState? Server { get; private set; }

    public MemberState State
    {
        get => (MemberState)_state;
        set => _state = (int)value;
    }

    public bool IsPrimary => State == MemberState.Primary;

    public bool IsRunning => State != MemberState.Down;

    /// <summary>When the running server started (replSetGetStatus uptime).</summary>
    public DateTime StartedAt { get; private set; }

    /// <summary>replSetFreeze: the member does not stand for election before this time.</summary>
    public DateTime FrozenUntil { get; set; }

    /// <summary>replSetStepDown: a stepped-down primary may not be elected again before this time.</summary>
    public DateTime SteppedDownUntil { get; set; }

    /// <summary>The current topologyVersion counter (reset when the member restarts, as a new process starts at 0).</summary>
    public long TopologyCounter => Interlocked.Read(ref _topologyCounter);

    /// <summary>The member's <c>topologyVersion</c>: its server's process id and the counter.</summary>
    /// <remarks>
    /// Read under the set's lock: a transition changes the members' states and then bumps their counters under that lock,
    /// so a command that saw this member no longer primary never reports the counter from before the change (a driver
    /// would take its NotWritablePrimary as stale, keep the member as primary and retry on it).
    /// </remarks>
    public BsonDocument TopologyVersion()
    {
        lock (Set.Sync)
        {
            return new()
            {
                { "processId", Server?.ProcessId ?? ObjectId.Empty },
                { "counter", new BsonInt64(TopologyCounter) },
            };
        }
    }

    /// <summary>Binds a freshly created server to this member (first start or restart); the set makes it a secondary.</summary>
    public void Attach(ServerState server)
    {
        lock (_topologyLock)
        {
            Server = server;
            _topologyCounter = 0;
        }

        StartedAt = DateTime.UtcNow;
    }

    /// <summary>
    /// Called when what this member's hello says changes (its state, the primary it reports, the election id):
    /// bumps the counter and wakes every awaitable hello waiting on the old value, as mongod 4.4+ does.
    /// </summary>
    public void BumpTopology()
    {
        TaskCompletionSource woken;
        lock (_topologyLock)
        {
            _topologyCounter++;
            woken = _topologyChanged;
            _topologyChanged = NewSignal();
        }

        woken.TrySetResult();
    }

    /// <summary>
    /// Waits until the topologyVersion counter differs from <paramref name="counter"/> (returns at once if it already
    /// does), the time is up, or <paramref name="cancellationToken"/> fires (which throws).
    /// </summary>
    public async Task WaitForTopologyChangeAsync(long counter, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_topologyLock)
        {
            if (_topologyCounter != counter)
            {
                return;
            }

            changed = _topologyChanged.Task;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(maxWait);
        try
        {
            await changed.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // maxAwaitTimeMS elapsed: answer with the unchanged topology.
        }
    }

    /// <summary>The storage commands on this member read: the data set itself, or a snapshot while the member lags.</summary>
    public Storage Storage => PinnedView() ?? Set.ViewOf(this);

    public override string ToString() => $"member {Id} ({Host}, {State})";

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
