using Mongo.Bson;

namespace Mongo.Driver;

/// <summary>Options of <see cref="MongoClient.BulkWrite(IReadOnlyList{ClientBulkWriteModel}, ClientBulkWriteOptions?, CancellationToken)"/>.</summary>
public sealed class ClientBulkWriteOptions
{
    private readonly TimeSpan? _timeout;

    /// <summary>
    /// The <c>timeoutMS</c> of this call, every batch and retry included (client-side operations timeout spec). Null: the
    /// client's. Zero or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>: no limit. Inside <see cref="MongoSession.WithTransaction{TResult}"/>
    /// run under timeoutMS it is refused (the callback's operations share that call's one deadline).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public TimeSpan? Timeout
    {
        get => _timeout;
        init => _timeout = value is { } t ? Operations.OperationTimeouts.Validate(t) : null;
    }

    /// <summary>
    /// Run the writes in order and stop at the first failure (the default); when false the server may reorder them
    /// and continues past failures.
    /// </summary>
    public bool IsOrdered { get; init; } = true;

    /// <summary>Skip document validation (sent only when set).</summary>
    public bool? BypassDocumentValidation { get; init; }

    /// <summary>Variables the filters and updates can read as <c>$$name</c>.</summary>
    public BsonDocument? Let { get; init; }

    /// <summary>The write concern; null uses the client's.</summary>
    public WriteConcern? WriteConcern { get; init; }

    /// <summary>A comment attached to the command (visible in logs and the profiler).</summary>
    public BsonValue? Comment { get; init; }

    /// <summary>
    /// Return a result for each successful write (<see cref="ClientBulkWriteResult.InsertResults"/> etc.); by default only
    /// the counts come back, which costs the server and the network less.
    /// </summary>
    public bool VerboseResults { get; init; }

    /// <summary>
    /// Operate on the raw time-series bucket documents rather than the measurements (server 8.2+). Older servers do
    /// not know the option, so it is only sent to servers that speak wire version 27 or newer.
    /// </summary>
    public bool RawData { get; init; }
}
