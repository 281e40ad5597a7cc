using Mongo.InMemory.Commands;

namespace Mongo.InMemory.Transactions;

/// <summary>The errors of transactions, with mongod's codes, names and messages (transaction_participant.cpp and friends).</summary>
internal static class TransactionErrors
{
    public const int NoSuchTransactionCode = 251;
    public const int TransactionTooOldCode = 225;
    public const int TransactionCommittedCode = 256;
    public const int OperationNotSupportedInTransactionCode = 263;
    public const int ConflictingOperationInProgressCode = 117;
    public const int IncompleteTransactionHistoryCode = 217;

    public static CommandException NoSuchTransaction(string message) => new(NoSuchTransactionCode, "NoSuchTransaction", message);

    public static CommandException TransactionTooOld(string message) => new(TransactionTooOldCode, "TransactionTooOld", message);

    public static CommandException TransactionCommitted(string message) => new(TransactionCommittedCode, "TransactionCommitted", message);

    public static CommandException NotSupported(string message) =>
        new(OperationNotSupportedInTransactionCode, "OperationNotSupportedInTransaction", message);

    /// <summary>
    /// The loser of a write conflict. It fails the whole command (mongod's handleError rethrows transient errors rather
    /// than reporting them as one statement's write error), and the dispatcher adds the TransientTransactionError label.
    /// </summary>
    public static CommandException WriteConflict() =>
        new(ErrorCodes.WriteConflict, "WriteConflict",
            "Caused by :: Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.")
        {
            FailsWholeCommand = true,
        };

    /// <summary>A wait for a transaction's outcome that ran out of the command's maxTimeMS.</summary>
    public static CommandException MaxTimeExpired() =>
        new(ErrorCodes.MaxTimeMsExpired, "MaxTimeMSExpired", "operation exceeded time limit") { FailsWholeCommand = true };
}

/// <summary>
/// Thrown by the shared storage's observer when a write outside any transaction meets a document (or key, or new
/// namespace) an open transaction holds, before anything of the statement was changed: the statement's runner waits for
/// <see cref="Owner"/> to end and runs the statement again, which is what mongod's write-conflict retry loop amounts to.
/// </summary>
internal sealed class TransactionWaitException(Transaction owner) : Exception("waiting for transaction " + owner.TxnNumber)
{
    public Transaction Owner { get; } = owner;
}
