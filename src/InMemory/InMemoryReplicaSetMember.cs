using Mongo.Bson;
using Mongo.InMemory.Server.Replication;

namespace Mongo.InMemory;

/// <summary>A member's replica-set state as replSetGetStatus reports it.</summary>
public enum InMemoryReplicaSetMemberState
{
    /// <summary>PRIMARY (1): takes writes.</summary>
    Primary = 1,

    /// <summary>SECONDARY (2): replicates; serves reads a client allows on secondaries.</summary>
    Secondary = 2,

    /// <summary>Stopped (reported by the others as DOWN, 8): its port refuses connections.</summary>
    Down = 8,
}

/// <summary>
/// One member of an <see cref="InMemoryReplicaSet"/>: its address and state, and the test controls that stop it, restart
/// it and make it lag.
/// </summary>
public sealed class InMemoryReplicaSetMember
{
    private readonly object _lifecycle = new();
    private InMemoryMongoServer? _server;
    private InMemoryServerStatistics? _lastStatistics;

    internal InMemoryReplicaSetMember(InMemoryReplicaSet set, ReplicaMember inner)
    {
        Set = set;
        Inner = inner;
    }

    internal InMemoryReplicaSet Set { get; }

    internal ReplicaMember Inner { get; }

    /// <summary>The member's <c>_id</c> in the configuration (its position in <see cref="InMemoryReplicaSet.Members"/>).</summary>
    public int Id => Inner.Id;

    /// <summary>The TCP port the member listens on (the same after a restart).</summary>
    public int Port => Inner.Port;

    /// <summary>"host:port" as the configuration, hello's <c>hosts</c> and the connection string name the member.</summary>
    public string Host => Inner.Host;

    /// <summary>A connection string that talks to this member alone (<c>directConnection=true</c>).</summary>
    public string DirectConnectionString => "mongodb://" + Host + "/?directConnection=true";

    /// <summary>The member's state now.</summary>
    public InMemoryReplicaSetMemberState State => (InMemoryReplicaSetMemberState)(int)Inner.State;

    /// <summary>Whether the member is running (not stopped).</summary>
    public bool IsRunning => Inner.IsRunning;

    /// <summary>The traffic counters of the member's server (after a stop, of the server that stopped; a restart starts new ones).</summary>
    public InMemoryServerStatistics Statistics => _server?.Statistics ?? _lastStatistics ?? new InMemoryServerStatistics();

    /// <summary>The timestamp of the last log entry the member has applied (hello's <c>lastWrite.opTime.ts</c>).</summary>
    public BsonTimestamp LastAppliedTimestamp => Inner.Set.AppliedBy(Inner).OpTime.Timestamp;

    /// <summary>The wall-clock time of that entry (hello's <c>lastWrite.lastWriteDate</c>).</summary>
    public DateTime LastWriteDate => Inner.Set.AppliedBy(Inner).OpTime.WallTime;

    /// <summary>
    /// How long after a write this member applies it (zero, the default: at once). While it lags the member serves the
    /// data as of the last entry it applied. Setting a delay on an up-to-date member makes it lag from the next write;
    /// clearing it brings the member up to date at once. A primary ignores it until it becomes a secondary.
    /// </summary>
    public TimeSpan ReplicationDelay
    {
        get => Inner.Delay;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (Inner.Set.Sync)
            {
                Inner.Set.SetLagLocked(Inner, value, Inner.Paused);
            }
        }
    }

    /// <summary>Whether replication to this member is paused (see <see cref="PauseReplication"/>).</summary>
    public bool IsReplicationPaused => Inner.Paused;

    /// <summary>Stops applying the log: the member keeps serving the data as it is now until <see cref="ResumeReplication"/>.</summary>
    public void PauseReplication()
    {
        lock (Inner.Set.Sync)
        {
            Inner.Set.SetLagLocked(Inner, Inner.Delay, paused: true);
        }
    }

    /// <summary>Resumes applying the log (at once, or with the <see cref="ReplicationDelay"/> still set).</summary>
    public void ResumeReplication()
    {
        lock (Inner.Set.Sync)
        {
            Inner.Set.SetLagLocked(Inner, Inner.Delay, paused: false);
        }
    }

    /// <summary>
    /// Stops the member as a killed mongod stops: its listener closes (the port refuses connections) and every connection
    /// to it is closed. A stopped primary is replaced after the election timeout. Does nothing if already stopped.
    /// </summary>
    public async Task StopAsync()
    {
        Set.ThrowIfDisposed();
        InMemoryMongoServer? server;
        lock (_lifecycle)
        {
            server = _server;
            _server = null;
        }

        if (server is null)
        {
            return;
        }

        _lastStatistics = server.Statistics;
        await server.DisposeAsync().ConfigureAwait(false);
        lock (Inner.Set.Sync)
        {
            Inner.Set.MemberStoppedLocked(Inner);
        }
    }

    /// <summary>Stops the member synchronously; see <see cref="StopAsync"/>.</summary>
    public void Stop() => StopAsync().GetAwaiter().GetResult();

    /// <summary>
    /// Restarts a stopped member on the same port, as a new process (a new topologyVersion processId, no cursors): it
    /// rejoins as a secondary and catches up with the log (unless it has a delay or a pause).
    /// </summary>
    /// <exception cref="InvalidOperationException">The member is running.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The port is taken.</exception>
    public void Restart()
    {
        Set.ThrowIfDisposed();
        lock (_lifecycle)
        {
            if (_server is not null)
            {
                throw new InvalidOperationException($"Member {Id} ({Host}) is running: stop it before restarting it.");
            }

            _server = StartServer(Port, () =>
            {
                lock (Inner.Set.Sync)
                {
                    Inner.Set.MemberRestartedLocked(Inner);
                }
            });
        }
    }

    /// <summary>Restarts a stopped member; see <see cref="Restart"/>.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Restart();
        return Task.CompletedTask;
    }

    /// <summary>The first start, before the set is initiated: binds the port (0: an ephemeral one) and records the address.</summary>
    internal void StartFirst(int port)
    {
        lock (_lifecycle)
        {
            _server = StartServer(port, null);
            Inner.Port = _server.Port;
            Inner.Host = InMemoryMongoServer.HostAndPort(Set.OwnOptions.Server.BindAddress, _server.Port);
        }
    }

    /// <summary>Stops the server when the set is disposed (no election follows).</summary>
    internal async Task ShutDownAsync()
    {
        InMemoryMongoServer? server;
        lock (_lifecycle)
        {
            server = _server;
            _server = null;
        }

        if (server is not null)
        {
            _lastStatistics = server.Statistics;
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private InMemoryMongoServer StartServer(int port, Action? beforeListening)
    {
        InMemoryMongoServerOptions options = Set.OwnOptions.Server.Clone();
        options.Port = port;
        options.ReplicaSetName = Set.Name;
        return InMemoryMongoServer.StartMember(options, Inner, beforeListening);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Host} ({State})";
}
