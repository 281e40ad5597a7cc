namespace Mongo.Driver;

/// <summary>Where a session is in the transactions specification's state machine (<see cref="MongoSession.TransactionState"/>).</summary>
public enum TransactionState
{
    /// <summary>No transaction has been started, or the last one ended and another operation has run since.</summary>
    None,

    /// <summary><see cref="MongoSession.StartTransaction"/> was called but no command has been sent in the transaction yet.</summary>
    Starting,

    /// <summary>At least one command was sent in the transaction (the server has started it).</summary>
    InProgress,

    /// <summary>The transaction was committed (also after a failed commit: calling commit again retries it).</summary>
    Committed,

    /// <summary>The transaction was aborted.</summary>
    Aborted,
}
