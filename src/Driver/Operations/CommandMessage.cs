using Mongo.Bson;

namespace Mongo.Driver.Operations;

/// <summary>One command to send. The body is written straight into the OP_MSG buffer (no intermediate copy of the DOM).</summary>
internal sealed record CommandMessage
{
    /// <summary>The database the command runs in (added as <c>$db</c>).</summary>
    public required string Database { get; init; }

    /// <summary>The command document without <c>$db</c>; the executor adds <c>$db</c>, <c>apiVersion</c> and <c>$readPreference</c> as needed.</summary>
    public required BsonDocument Body { get; init; }

    /// <summary>OP_MSG kind-1 sections.</summary>
    public IReadOnlyList<DocumentSequence> Sequences { get; init; } = [];

    /// <summary>Unacknowledged (w:0) writes: the moreToCome flag is set and no reply is read.</summary>
    public bool MoreToCome { get; init; }

    /// <summary>Whether the command writes (selects a writable server; retryable-writes rules apply).</summary>
    public bool IsWrite { get; init; }

    /// <summary>For reads; null means primary.</summary>
    public ReadPreference? ReadPreference { get; init; }

    /// <summary>
    /// An aggregate ending in $out/$merge run with a non-primary <see cref="ReadPreference"/>: pre-5.0 servers need the
    /// primary (and no $readPreference), 5.0+ secondaries can run it.
    /// </summary>
    public bool HasWriteStage { get; init; }

    /// <summary>getMore/killCursors go to the server that owns the cursor.</summary>
    public MongoServerAddress? PinnedServer { get; init; }

    /// <summary>
    /// The oldest wire version that understands this command; a connection to an older server refuses it with a
    /// <see cref="MongoNotSupportedException"/> before anything is sent (0 = any server).
    /// </summary>
    public int MinWireVersion { get; init; }

    /// <summary>Adds <c>rawData: true</c> when the server supports it (8.2+); older servers never see the option.</summary>
    public bool RawData { get; init; }

    /// <summary>
    /// The server session a cursor keeps for its getMore/killCursors (driver-sessions spec: the same lsid as the command that
    /// opened it). Null: the executor checks out an implicit session from the pool for this command.
    /// </summary>
    public Sessions.ServerSession? Session { get; init; }

    /// <summary>An explicit session's $clusterTime: gossiped instead of the client's when it is higher.</summary>
    public BsonDocument? ClusterTime { get; init; }

    /// <summary>
    /// The reader of the reply copies out everything it keeps before it moves on (a cursor decoding into objects, GridFS
    /// copying chunk data): a large reply may then stay in the connection's pooled receive buffer, handed over through
    /// <see cref="CommandResponse.Lease"/>, instead of being copied into a new array.
    /// </summary>
    public bool LeaseReply { get; init; }

    /// <summary>Send no lsid at all (endSessions, which names the sessions it ends).</summary>
    public bool NoSession { get; init; }

    /// <summary>
    /// The caller keeps the implicit session beyond this command: it is not returned to the pool but handed over through
    /// <see cref="CommandResponse.Session"/> — to a cursor for its getMore/killCursors, or to a bulk write for its later
    /// batches — and the caller releases it.
    /// </summary>
    public bool KeepSession { get; init; }

    /// <summary>
    /// A retryable write (retryable-writes spec: inserts, single-statement updates/deletes, findAndModify, batches with no
    /// multi statements): gets a txnNumber and one retry when retryWrites is on and the deployment supports it.
    /// </summary>
    public bool RetryableWrite { get; init; }

    /// <summary>Never retry (runCommand and runCursorCommand: the caller's command may not be safe to repeat).</summary>
    public bool NoRetry { get; init; }

    /// <summary>
    /// Inside a transaction: the txnNumber, autocommit and startTransaction fields to add, and no retry of this command by
    /// the executor (transactions spec). Null outside transactions.
    /// </summary>
    public Sessions.TransactionFields? Transaction { get; init; }

    /// <summary>
    /// The public call this command belongs to: its one deadline (timeoutMS), operation id and token, shared by every
    /// batch, retry and getMore of the call. Null: the command is a call of its own under the client's timeoutMS.
    /// </summary>
    public OperationContext? Context { get; init; }

    /// <summary>The command's name (the body's first element).</summary>
    public string CommandName => Body.ElementCount == 0 ? string.Empty : Body.GetElement(0).Name;
}

/// <summary>A kind-1 section: identifier ("documents", "updates", "deletes") and pre-encoded BSON documents.</summary>
internal sealed record DocumentSequence(string Identifier, IReadOnlyList<ReadOnlyMemory<byte>> Documents);
