using Mongo.Bson;
using Mongo.Driver.Connections;

namespace Mongo.Driver.Operations;

/// <summary>What the retryable reads and writes specifications allow for a command.</summary>
internal enum RetryKind
{
    /// <summary>Never retried by the executor (DDL, runCommand, getMore, transactions' own commands).</summary>
    None,

    /// <summary>A retryable read: one retry (or, under timeoutMS, retries while time is left) when retryReads is on.</summary>
    Read,

    /// <summary>A retryable write: a txnNumber and one retry when retryWrites is on and the deployment supports it.</summary>
    Write,
}

/// <summary>
/// One command of a public call, as the executor runs it. What the executor must know about the command — whether it
/// writes, how it may be retried, whether it opens a cursor that keeps its session — is declared by the concrete
/// operation type (<see cref="ReadCommand"/>, <see cref="WriteCommand"/>, <see cref="WriteStageAggregateCommand"/>,
/// <see cref="CursorCommand"/>, <see cref="RunCommand"/>, <see cref="EndSessionsCommand"/>), fixed when it is built;
/// callers cannot assemble combinations the executor would have to untangle. The remaining settable fields are the
/// call's own (context, read preference, options) and what a session or cursor binds to it. The connection sees only
/// the <see cref="IWireCommand"/> part: the message to send, not what the operation means.
/// </summary>
internal abstract record CommandOperation : IWireCommand
{
    private protected CommandOperation(string database, BsonDocument body)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(body);
        Database = database;
        Body = body;
    }

    /// <summary>The database the command runs in (added as <c>$db</c>).</summary>
    public string Database { get; init; }

    /// <summary>The command document without <c>$db</c>; the executor adds <c>$db</c>, <c>apiVersion</c> and <c>$readPreference</c> as needed.</summary>
    public BsonDocument Body { get; init; }

    /// <summary>OP_MSG kind-1 sections (a write batch's documents).</summary>
    public IReadOnlyList<CommandSequence> Sequences { get; init; } = [];

    /// <summary>
    /// The public call this command belongs to: its one deadline (timeoutMS), operation id and token, shared by every
    /// batch, retry and getMore of the call. Null: the command is a call of its own under the client's timeoutMS.
    /// </summary>
    public OperationContext? Context { get; init; }

    /// <summary>Whether the command writes: it goes to a writable server and the write rules (labels, txnNumber) apply.</summary>
    public abstract bool IsWrite { get; }

    /// <summary>How the executor may retry the command.</summary>
    public abstract RetryKind Retry { get; }

    /// <summary>
    /// An aggregate ending in $out/$merge: with a non-primary <see cref="ReadPreference"/>, pre-5.0 servers need the
    /// primary (and no $readPreference), 5.0+ secondaries can run it.
    /// </summary>
    public virtual bool HasWriteStage => false;

    /// <summary>
    /// The operation keeps its implicit session beyond this command: it is not returned to the pool but handed over through
    /// <see cref="CommandResponse.Session"/> — to a cursor for its getMore/killCursors, or to a bulk write for its later
    /// batches — and the caller releases it.
    /// </summary>
    public virtual bool KeepSession => false;

    /// <summary>Sends no lsid at all (endSessions, which names the sessions it ends).</summary>
    public virtual bool NoSession => false;

    /// <summary>Unacknowledged (w:0) writes: the moreToCome flag is set and no reply is read.</summary>
    public virtual bool MoreToCome => false;

    /// <summary>For reads; null means primary.</summary>
    public ReadPreference? ReadPreference { get; init; }

    /// <summary>The reader copies out what it keeps (see <see cref="IWireCommand.LeaseReply"/>): a large reply may stay in the pooled receive buffer.</summary>
    public bool LeaseReply { get; init; }

    /// <summary>Adds <c>rawData: true</c> when the server supports it (8.2+); older servers never see the option.</summary>
    public bool RawData { get; init; }

    /// <summary>The oldest wire version that understands this command (0 = any); older servers refuse it before anything is sent.</summary>
    public int MinWireVersion { get; init; }

    /// <summary>The server the command must run on (a cursor's, a sharded transaction's mongos); null: selected by the executor.</summary>
    public MongoServerAddress? PinnedServer { get; init; }

    /// <summary>
    /// The server session bound to the command: an explicit session's, or the one a cursor or bulk write kept from its
    /// first command (driver-sessions spec). Null: the executor checks out an implicit session for this command.
    /// </summary>
    public Sessions.ServerSession? Session { get; init; }

    /// <summary>An explicit session's $clusterTime: gossiped instead of the client's when it is higher.</summary>
    public BsonDocument? ClusterTime { get; init; }

    /// <summary>
    /// Inside a transaction: the txnNumber, autocommit and startTransaction fields to add, and no retry of this command by
    /// the executor (transactions spec). Null outside transactions.
    /// </summary>
    public Sessions.TransactionFields? Transaction { get; init; }

    /// <summary>The command's name (the body's first element).</summary>
    public string CommandName => Body.ElementCount == 0 ? string.Empty : Body.GetElement(0).Name;
}
