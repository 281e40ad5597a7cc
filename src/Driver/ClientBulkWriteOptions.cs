using Mongo.Bson;

namespace Mongo.Driver;

/// <summary>Options of <see cref="MongoClient.BulkWrite(IReadOnlyList{ClientBulkWriteModel}, ClientBulkWriteOptions?, CancellationToken)"/>.</summary>
public sealed class ClientBulkWriteOptions
{
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
