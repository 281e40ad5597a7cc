using Mongo.Driver.Topology;

namespace Mongo.Driver.Sessions;

/// <summary>
/// What a command sent inside a transaction carries besides its body (transactions spec): the transaction's txnNumber,
/// <c>autocommit: false</c> always and <c>startTransaction: true</c> on the first command. The executor never retries such a
/// command on its own (commitTransaction and abortTransaction are retried by the session) and reports the server it selected,
/// which a sharded transaction is pinned to.
/// </summary>
internal sealed class TransactionFields(long txnNumber, bool startTransaction, bool isCommitOrAbort)
{
    public long TxnNumber { get; } = txnNumber;

    /// <summary>The first command of the transaction: it carries <c>startTransaction: true</c>.</summary>
    public bool StartTransaction { get; } = startTransaction;

    /// <summary>commitTransaction or abortTransaction, built by the session: sent as they are, their errors labelled by the session.</summary>
    public bool IsCommitOrAbort { get; } = isCommitOrAbort;

    /// <summary>The server the executor selected (set before the command is sent), or null when selection failed.</summary>
    public MongoServerAddress? SelectedServer { get; set; }

    /// <summary>The type of <see cref="SelectedServer"/>: only a mongos (or a load balancer) pins the session.</summary>
    public ServerType SelectedServerType { get; set; }

    /// <summary>Load-balanced mode: the connection the session is pinned to, which the command uses instead of the pool's.</summary>
    public PinnedConnection? PinnedConnection { get; init; }

    /// <summary>
    /// Load-balanced mode: the connection the executor kept out of the pool for a first command of an unpinned session; the
    /// session pins it, or releases it when it does not need it.
    /// </summary>
    public PinnedConnection? NewPin { get; set; }
}
