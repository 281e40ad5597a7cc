using Mongo.Bson;

namespace Mongo.InMemory.Transactions;

/// <summary>Recovering a commit's outcome for a router that never saw the transaction.</summary>
internal sealed partial class TransactionManager
{
    /// <summary>
    /// commitTransaction with a recoveryToken through a router that did not take part in the transaction: as mongod's
    /// coordinateCommitTransaction with no participants, a committed transaction answers ok, and one still in progress is
    /// aborted (its router is gone or unreachable, so it can never be committed safely): NoSuchTransaction.
    /// </summary>
    public BsonDocument RecoverCommit(string sessionKey, long txnNumber)
    {
        var session = Session(sessionKey);
        lock (session)
        {
            CheckNotTooOld(session, txnNumber);
            if (txnNumber == session.ActiveTxnNumber && session.Current is { } transaction)
            {
                if (transaction.State == TransactionState.Committed)
                {
                    return new BsonDocument();
                }

                if (transaction.State == TransactionState.InProgress)
                {
                    Abort(transaction, "its commit was recovered through another router before the transaction committed");
                }

                throw TransactionErrors.NoSuchTransaction("Transaction with " + transaction.Describe() + " has been aborted.");
            }

            throw TransactionErrors.NoSuchTransaction(
                "Given transaction number " + txnNumber + " does not match any in-progress transactions. The active transaction number is " + session.ActiveTxnNumber);
        }
    }
}
