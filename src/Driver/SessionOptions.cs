using Mongo.Bson;

namespace Mongo.Driver;

/// <summary>Options of an explicit session (<see cref="MongoClient.StartSession"/>).</summary>
public sealed class SessionOptions
{
    /// <summary>
    /// Whether reads observe the session's earlier reads and writes (causal-consistency spec: after the first operation,
    /// reads send <c>readConcern.afterClusterTime</c>). Null means true, unless <see cref="Snapshot"/> is set.
    /// </summary>
    public bool? CausalConsistency { get; init; }

    /// <summary>
    /// Every read sees one point in time: the first read sends <c>readConcern: { level: "snapshot" }</c> and later ones
    /// the <c>atClusterTime</c> the server chose (or all send
    /// <see cref="SnapshotTime"/> when it is given). Needs MongoDB 5.0+ on a replica set or sharded cluster; writes fail.
    /// Cannot be combined with <see cref="CausalConsistency"/> = true.
    /// </summary>
    public bool Snapshot { get; init; }

    /// <summary>
    /// The point in time a snapshot session reads at, from its first command on (sent as <c>readConcern.atClusterTime</c>),
    /// instead of the time the server chooses for the first read; e.g. another snapshot session's
    /// <see cref="MongoSession.SnapshotTime"/>, to read the same snapshot again. Only valid with <see cref="Snapshot"/> = true.
    /// The server refuses a time older than the history it keeps (SnapshotTooOld).
    /// </summary>
    public BsonTimestamp? SnapshotTime { get; init; }

    /// <summary>
    /// The options of transactions started on this session when <see cref="MongoSession.StartTransaction"/> (or
    /// <see cref="MongoSession.WithTransaction{TResult}"/>) is given none, option by option; what they leave null comes from the client.
    /// </summary>
    public TransactionOptions? DefaultTransactionOptions { get; init; }

    /// <summary>
    /// The <c>timeoutMS</c> of CommitTransaction, AbortTransaction and WithTransaction on this session (client-side operations
    /// timeout spec <c>defaultTimeoutMS</c>); null inherits the client's. Inside WithTransaction the callback's operations on
    /// the session share WithTransaction's one deadline. Zero or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>: no limit.
    /// </summary>
    public TimeSpan? DefaultTimeout { get; init; }
}
