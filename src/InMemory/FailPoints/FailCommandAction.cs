using Mongo.Bson;

namespace Mongo.InMemory.FailPoints;

/// <summary>What an armed failCommand fail point does to one matching command.</summary>
internal sealed class FailCommandAction
{
    /// <summary>Drop the connection without a reply.</summary>
    public bool CloseConnection { get; init; }

    /// <summary>Hold the command this long before doing anything else (blockConnection/blockTimeMS).</summary>
    public int BlockTimeMs { get; init; }

    /// <summary>Fail the command with this code (ok: 0).</summary>
    public int? ErrorCode { get; init; }

    /// <summary>Labels to put on the error; null means "let the server decide" (RetryableWriteError for retryable writes).</summary>
    public BsonArray? ErrorLabels { get; init; }

    /// <summary>Run the command, then add this writeConcernError to its reply.</summary>
    public BsonDocument? WriteConcernError { get; init; }

    /// <summary>
    /// onPrimaryTransactionalWrite without failBeforeCommitExceptionCode: the write runs (and is remembered for
    /// its retry) before the connection is closed.
    /// </summary>
    public bool AfterExecution { get; init; }

    /// <summary>Error message override (errmsg), if the fail point data had one.</summary>
    public string? ErrorMessage { get; init; }
}
