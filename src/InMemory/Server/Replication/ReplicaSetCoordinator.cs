using Mongo.Bson;
using Mongo.InMemory.Auth;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Server.Replication;

/// <summary>
/// The shared half of an in-memory replica set: the data set (one <see cref="Engine.Storage"/>, which the primary
/// writes), the replicated log, the election state, and what mongod replicates besides documents (the retryable-write
/// table, the users, the cluster clock). Every member's server reads and writes through it.
/// <para>
/// One lock orders everything that changes: the storage's <see cref="Storage.Sync"/>. Writes take it for their whole
/// run and append their log entry before releasing it, and elections take it too, so a write either completes on the
/// primary before a step-down or is refused with NotWritablePrimary after it, never half of each.
/// </para>
/// </summary>
internal sealed partial class ReplicaSetCoordinator : IDisposable
{
    /// <summary>The most members a set may have here: mongod's limit on voting members (all members vote here).</summary>
    public const int MaxMembers = 7;

    private readonly ReplicaMember[] _members;

    public ReplicaSetCoordinator(string name, int memberCount, TimeSpan electionTimeout, UserStore users, int transactionLifetimeLimitSeconds = 60)
    {
        if (memberCount is < 1 or > MaxMembers)
        {
            throw new ArgumentOutOfRangeException(nameof(memberCount), memberCount, $"A replica set has 1 to {MaxMembers} members.");
        }

        Name = name;
        ElectionTimeout = electionTimeout;
        Users = users;
        _members = new ReplicaMember[memberCount];
        for (int i = 0; i < memberCount; i++)
        {
            _members[i] = new ReplicaMember(this, i);
        }

        Clock.History.Attach(Storage);

        // The primary's cursors live on its server; an aborted transaction's are killed wherever they are.
        Transactions = new Transactions.TransactionManager(Storage, transactionLifetimeLimitSeconds, isRouter: false,
            () => _members.Select(static m => m.Server?.Cursors).OfType<Cursors.CursorManager>());

        // replSetInitiate's first entry ("initiating set"), before any election: term 0.
        _entries.Add(new LogEntry(0, new OpTime(Clock.Next(), 0, OpTime.Now())));
    }

    /// <summary>The set's name (hello setName, replSetGetConfig _id).</summary>
    public string Name { get; }

    /// <summary>The members in configuration order (_id 0, 1, ...).</summary>
    public IReadOnlyList<ReplicaMember> Members => _members;

    /// <summary>The data set: the primary's storage. Secondaries that are caught up read it too.</summary>
    public Storage Storage { get; } = new();

    /// <summary>The lock every state change and every write takes (see the class remarks).</summary>
    public object Sync => Storage.Sync;

    /// <summary>The cluster clock all members share.</summary>
    public ClusterClock Clock { get; } = new();

    /// <summary>The retryable-write table (config.transactions): replicated, so a retry after a failover is not applied twice.</summary>
    public RetryableWriteCache RetryableWrites { get; } = new();

    /// <summary>
    /// The transaction table (mongod's session catalog with config.transactions): shared by the members, so a commit
    /// retried on the next primary learns the outcome. Only the primary runs transactions; an election aborts the open
    /// ones (see <see cref="AbortTransactionsLocked"/>).
    /// </summary>
    public Transactions.TransactionManager Transactions { get; }

    /// <summary>The users (admin.system.users): replicated.</summary>
    public UserStore Users { get; }

    /// <summary>settings.replicaSetId in the configuration.</summary>
    public ObjectId ReplicaSetId { get; } = ObjectId.GenerateNewId();

    /// <summary>The configuration version (hello setVersion); the configuration never changes here.</summary>
    public int ConfigVersion => 1;

    /// <summary>How long a set without a reachable primary waits before electing one (scaled down from mongod's 10 s for tests).</summary>
    public TimeSpan ElectionTimeout { get; }

    /// <summary>The votes an election or a w:"majority" write needs.</summary>
    public int Majority => (_members.Length / 2) + 1;

    /// <summary>The current primary, or null.</summary>
    public ReplicaMember? Primary => Array.Find(_members, static m => m.IsPrimary);

    public int RunningCount => _members.Count(static m => m.IsRunning);

    /// <summary>
    /// The set as a single server sees it: one member, primary from the start (the <c>ReplicaSetName</c> option of
    /// <see cref="InMemoryMongoServerOptions"/>).
    /// </summary>
    public static ReplicaSetCoordinator StartSingle(string name, UserStore users, int transactionLifetimeLimitSeconds) =>
        new(name, 1, TimeSpan.FromSeconds(1), users, transactionLifetimeLimitSeconds);

    /// <summary>
    /// Makes every attached member a secondary and elects the first one (replSetInitiate followed by the first
    /// election, as a freshly initiated set does).
    /// </summary>
    public void Initiate()
    {
        lock (Sync)
        {
            Transition(() =>
            {
                foreach (ReplicaMember member in _members)
                {
                    if (member.Server is not null)
                    {
                        member.State = MemberState.Secondary;
                    }
                }

                BecomePrimaryLocked(_members[0], "electionTimeout");
            });
        }
    }

    /// <summary>The error a secondary gives a command that needs the primary.</summary>
    public static CommandException NotWritablePrimary(bool helloOk) =>
        new(ErrorCodes.NotWritablePrimary, "NotWritablePrimary", helloOk ? "not primary" : "not master");

    /// <summary>
    /// A primary stepped down or stopped (call under <see cref="Sync"/>): its in-progress transactions are aborted, as
    /// mongod's step-down aborts every unprepared transaction; their next command (a commit on the new primary
    /// included) gets NoSuchTransaction, labelled TransientTransactionError.
    /// </summary>
    private void AbortTransactionsLocked(ReplicaMember primary) =>
        Transactions.AbortAllLocked("primary " + primary.Host + " stepped down or stopped");

    public void Dispose()
    {
        StopElectionTimer();
        StopNoopWriter();
        Transactions.Dispose();
    }
}
