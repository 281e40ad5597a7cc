using System.Collections.Concurrent;
using System.Globalization;
using Mongo.Bson;
using Mongo.InMemory.Commands;

namespace Mongo.InMemory.Server;

/// <summary>
/// What one router of a multi-router cluster knows of transactions (mongos' TransactionRouter): the transaction number it
/// last started or continued per session. A router that never saw a transaction cannot continue it (NoSuchTransaction),
/// cannot abort it, and commits it only through the recoveryToken, by asking the shard for the outcome: the shard answers
/// a committed transaction's outcome and aborts one still in progress (mongod's coordinateCommitTransaction with no
/// participants), so the client learns NoSuchTransaction and runs it again.
/// </summary>
internal sealed class RouterTransactionTable
{
    private const int MaxSessions = 100_000;
    private readonly ConcurrentDictionary<string, long> _txnNumbers = new(StringComparer.Ordinal);

    /// <summary>What the router does with a command of a transaction.</summary>
    public enum Decision
    {
        /// <summary>Run it in the session's transaction on the shard.</summary>
        Run,

        /// <summary>A commit of a transaction this router never saw, with a recoveryToken: ask the shard for the outcome.</summary>
        RecoverCommit,
    }

    /// <summary>
    /// Checks a command sent with <c>autocommit: false</c> against what this router has seen, and records a start or a
    /// continuation; throws mongos' error when the router cannot take part.
    /// </summary>
    public Decision Check(string name, BsonDocument command)
    {
        if (Transactions.TransactionManager.SessionKey(command) is not string key || command.GetValueOrDefault("txnNumber") is not { IsNumeric: true } number)
        {
            return Decision.Run; // the shard reports the missing session fields
        }

        long txnNumber = number.ToInt64();
        long known = _txnNumbers.TryGetValue(key, out long seen) ? seen : -1;
        if (command.Contains("startTransaction"))
        {
            if (txnNumber > known)
            {
                if (_txnNumbers.Count >= MaxSessions && !_txnNumbers.ContainsKey(key))
                {
                    _txnNumbers.Clear(); // bounded; a forgotten session's transaction is recovered like another router's
                }

                _txnNumbers[key] = txnNumber;
            }

            return Decision.Run;
        }

        if (txnNumber <= known)
        {
            return Decision.Run; // its own transaction, or an older number the shard refuses as TransactionTooOld
        }

        switch (name)
        {
            case "commitTransaction":
                if (command.GetValueOrDefault("recoveryToken") is BsonDocument)
                {
                    return Decision.RecoverCommit;
                }

                throw Engine.Errors.Of(50940, "Cannot commit without participants");
            case "abortTransaction":
                throw Transactions.TransactionErrors.NoSuchTransaction("no known command has been sent by this router for this transaction");
            default:
                throw Transactions.TransactionErrors.NoSuchTransaction(
                    "cannot continue txnId " + known.ToString(CultureInfo.InvariantCulture) + " for session " + key + " with txnId "
                    + txnNumber.ToString(CultureInfo.InvariantCulture));
        }
    }
}
