using Mongo.InMemory.Commands;

namespace Mongo.InMemory.Transactions;

/// <summary>The errors of transactions, with mongod's codes, names and messages (transaction_participant.cpp and friends).</summary>
internal static class TransactionErrors
{
    public const int NoSuchTransactionCode = ErrorCodes.NoSuchTransaction;
    public const int TransactionTooOldCode = ErrorCodes.TransactionTooOld;
    public const int TransactionCommittedCode = ErrorCodes.TransactionCommitted;
    public const int OperationNotSupportedInTransactionCode = ErrorCodes.OperationNotSupportedInTransaction;
    public const int ConflictingOperationInProgressCode = ErrorCodes.ConflictingOperationInProgress;
    public const int IncompleteTransactionHistoryCode = ErrorCodes.IncompleteTransactionHistory;

    public static CommandException NoSuchTransaction(string message) => Engine.Errors.Of(NoSuchTransactionCode, message);

    public static CommandException TransactionTooOld(string message) => Engine.Errors.Of(TransactionTooOldCode, message);

    public static CommandException TransactionCommitted(string message) => Engine.Errors.Of(TransactionCommittedCode, message);

    public static CommandException NotSupported(string message) =>
        Engine.Errors.Of(OperationNotSupportedInTransactionCode, message);

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
