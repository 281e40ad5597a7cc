using System.Collections.Frozen;
using Mongo.Bson;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Server;

namespace Mongo.InMemory.Commands;

/// <summary>
/// A command's session fields (lsid, txnNumber, autocommit, startTransaction), checked in mongod's order and with its
/// codes and messages (initializeOperationSessionInfo, then validateSessionOptions in transaction_validation.cpp).
/// A standalone refuses every txnNumber (as mongod: no transactions or retryable writes without replication), so a
/// write sent with <c>autocommit: false</c> is never applied outside a transaction; a replica set or router runs it in
/// one (see <see cref="Transactions.TransactionManager"/>).
/// </summary>
internal static class SessionOptionRules
{
    private const int OperationNotSupportedInTransaction = 263;
    private const int NotARetryableWriteCommand = 50768;
    private const int IllegalTxnNumberForCommand = 50889;

    /// <summary>The commands mongod treats as retryable writes (supportsRetryableWrite), the only ones a bare txnNumber may carry.</summary>
    private static readonly FrozenSet<string> s_retryableWrites =
        FrozenSet.ToFrozenSet(["insert", "update", "delete", "findAndModify", "findandmodify", "bulkWrite"], StringComparer.Ordinal);

    /// <summary>
    /// mongod's initializeOperationSessionInfo: field types, txnNumber only with an lsid and only on a replica set member
    /// or router, autocommit only as false and with a txnNumber, startTransaction only as true and with autocommit.
    /// <paramref name="requiresAuth"/> is false for the commands a client may run before authenticating; mongod lets
    /// those carry neither autocommit nor txnNumber.
    /// </summary>
    public static CommandException? CheckSessionInfo(ServerState state, BsonDocument command, bool requiresAuth)
    {
        BsonValue? txnNumber = command.GetValueOrDefault("txnNumber");
        BsonValue? autocommit = command.GetValueOrDefault("autocommit");
        BsonValue? startTransaction = command.GetValueOrDefault("startTransaction");
        if (txnNumber is null && autocommit is null && startTransaction is null)
        {
            return null; // the common case: no transaction fields at all
        }

        // The IDL parse of the session fields comes first. The message follows the 7.0 parser's context name; an 8.0
        // server may name the field by another path, the code is the same.
        if (txnNumber is not null && !txnNumber.IsNumeric)
        {
            return WrongType("txnNumber", txnNumber, "long");
        }

        if (autocommit is not null && autocommit.BsonType != BsonType.Boolean)
        {
            return WrongType("autocommit", autocommit, "bool");
        }

        if (startTransaction is not null && startTransaction.BsonType != BsonType.Boolean)
        {
            return WrongType("startTransaction", startTransaction, "bool");
        }

        if (!requiresAuth)
        {
            if (autocommit is not null)
            {
                return new CommandException(OperationNotSupportedInTransaction, "OperationNotSupportedInTransaction", "This command is not supported in transactions");
            }

            if (txnNumber is not null)
            {
                return new CommandException(IllegalTxnNumberForCommand, "Location50889", "It is illegal to provide a txnNumber for this command");
            }
        }

        if (txnNumber is not null)
        {
            if (command.GetValueOrDefault("lsid") is null)
            {
                return Errors.InvalidOptions("Transaction number requires a session ID to also be specified");
            }

            if (!state.IsReplicaSet && !state.IsRouter)
            {
                // What PyMongo, the Node.js driver and mongosh report against a standalone mongod: no retryable
                // writes and no transactions without replication.
                return Errors.IllegalOperation("Transaction numbers are only allowed on a replica set member or mongos");
            }

            if (txnNumber.ToInt64() < 0)
            {
                return Errors.InvalidOptions("Transaction number cannot be negative");
            }
        }
        else if (autocommit is not null)
        {
            return Errors.InvalidOptions("'autocommit' field requires a transaction number to also be specified");
        }

        if (autocommit is not null)
        {
            if (autocommit.AsBoolean)
            {
                return Errors.InvalidOptions("Specifying autocommit=true is not allowed.");
            }
        }
        else if (startTransaction is not null)
        {
            return Errors.InvalidOptions("'startTransaction' field requires 'autocommit' field to also be specified");
        }

        if (startTransaction is not null && !startTransaction.AsBoolean)
        {
            return Errors.InvalidOptions("Specifying startTransaction=false is not allowed.");
        }

        return null;
    }

    /// <summary>
    /// The commands mongod runs inside a transaction (allowedInTransactions); any other is refused before the session
    /// is checked out, so the transaction is left as it was.
    /// </summary>
    private static readonly FrozenSet<string> s_allowedInTransactions = FrozenSet.ToFrozenSet(
        ["find", "getMore", "killCursors", "aggregate", "distinct", "insert", "update", "delete", "findAndModify", "findandmodify", "bulkWrite",
         "create", "createIndexes", "commitTransaction", "abortTransaction"],
        StringComparer.Ordinal);

    private static readonly FrozenSet<string> s_readConcernLevelsInTransactions = FrozenSet.ToFrozenSet(["local", "majority", "snapshot"], StringComparer.Ordinal);

    /// <summary>
    /// mongod's validateSessionOptions and the transaction checks that precede checking the session out (they run after
    /// the failCommand fail point): a bare txnNumber only on a retryable write; within a transaction only the commands
    /// mongod allows there (count with its own message), never against the local or config database or
    /// system.profile/system.views, no writeConcern but on commit and abort, a readConcern level of local, majority or
    /// snapshot; and a transaction never started by killCursors, commitTransaction, abortTransaction or prepareTransaction.
    /// </summary>
    public static CommandException? CheckTransaction(string name, string database, BsonDocument command)
    {
        bool inTransaction = command.Contains("autocommit");
        if (!inTransaction)
        {
            return command.Contains("txnNumber") && !s_retryableWrites.Contains(name)
                ? new CommandException(NotARetryableWriteCommand, "NotARetryableWriteCommand",
                    $"txnNumber may only be provided for multi-document transactions and retryable write commands. autocommit:false was not provided, and {name} is not a retryable write command.")
                : null;
        }

        if (name == "count")
        {
            return NotInTransaction(
                "Cannot run 'count' in a multi-document transaction. Please see http://dochub.mongodb.org/core/transaction-count for a recommended alternative.");
        }

        if (!s_allowedInTransactions.Contains(name))
        {
            return NotInTransaction($"Cannot run '{name}' in a multi-document transaction.");
        }

        if (database == "local")
        {
            return NotInTransaction("Cannot run command against the 'local' database in a transaction.");
        }

        if (command[0] is BsonString { Value: "system.profile" or "system.views" } collection)
        {
            return NotInTransaction($"Cannot run command against the '{database}.{collection.Value}' collection in a transaction.");
        }

        if (database == "config")
        {
            return NotInTransaction("Cannot run command against the config database in a transaction.");
        }

        if (command.Contains("startTransaction"))
        {
            string? refusal = name switch
            {
                "killCursors" => "Cannot run killCursors as the first operation in a multi-document transaction.",
                "prepareTransaction" => "Cannot start a transaction with a prepare",
                "commitTransaction" => "Cannot start a transaction with a commit",
                "abortTransaction" => "Cannot start a transaction with an abort",
                _ => null,
            };
            if (refusal is not null)
            {
                return NotInTransaction(refusal);
            }
        }

        bool endsTransaction = name is "commitTransaction" or "abortTransaction";
        if (endsTransaction && database != "admin")
        {
            return Errors.Of(ErrorCodes.Unauthorized, name + " may only be run against the admin database.");
        }

        if (!endsTransaction && command.Contains("writeConcern"))
        {
            return Errors.InvalidOptions("writeConcern is not allowed within a multi-statement transaction");
        }

        if (command.GetValueOrDefault("readConcern") is BsonDocument readConcern
            && readConcern.GetValueOrDefault("level") is BsonString level && !s_readConcernLevelsInTransactions.Contains(level.Value))
        {
            return Errors.InvalidOptions("The readConcern level must be either 'local' (default), 'majority' or 'snapshot' in order to run in a transaction");
        }

        return null;
    }

    private static CommandException NotInTransaction(string message) =>
        new(OperationNotSupportedInTransaction, "OperationNotSupportedInTransaction", message);

    private static CommandException WrongType(string field, BsonValue value, string expected) =>
        Errors.TypeMismatch($"BSON field 'OperationSessionInfo.{field}' is the wrong type '{BsonOrder.TypeName(value)}', expected type '{expected}'");
}
