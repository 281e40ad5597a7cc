using System.Collections.Frozen;
using Mongo.Bson;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Server;

namespace Mongo.InMemory.Commands;

/// <summary>
/// A command's session fields (lsid, txnNumber, autocommit, startTransaction), checked in mongod's order and with its
/// codes and messages (initializeOperationSessionInfo, then validateSessionOptions in transaction_validation.cpp).
/// This server does not implement multi-document transactions: a command that would run in one is refused before any
/// handler sees it, so a write sent with <c>autocommit: false</c> is never applied (and so never left behind by an
/// abort the server cannot perform).
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
    /// mongod's validateSessionOptions (it runs after the failCommand fail point): a bare txnNumber only on a retryable
    /// write, and a transaction never started by killCursors, commitTransaction, abortTransaction or prepareTransaction.
    /// Then this server's own refusal: whatever would run inside a transaction is answered NotImplemented, unrun.
    /// </summary>
    public static CommandException? CheckTransaction(string name, BsonDocument command)
    {
        bool inTransaction = command.Contains("autocommit");
        if (!inTransaction)
        {
            return command.Contains("txnNumber") && !s_retryableWrites.Contains(name)
                ? new CommandException(NotARetryableWriteCommand, "NotARetryableWriteCommand",
                    $"txnNumber may only be provided for multi-document transactions and retryable write commands. autocommit:false was not provided, and {name} is not a retryable write command.")
                : null;
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
                return new CommandException(OperationNotSupportedInTransaction, "OperationNotSupportedInTransaction", refusal);
            }
        }

        // No error label (in particular no TransientTransactionError): a driver's withTransaction must not retry this.
        return Errors.NotImplemented(
            $"multi-document transactions are not supported by Mongo.InMemory: {name} was sent with autocommit: false and was not run");
    }

    private static CommandException WrongType(string field, BsonValue value, string expected) =>
        Errors.TypeMismatch($"BSON field 'OperationSessionInfo.{field}' is the wrong type '{BsonOrder.TypeName(value)}', expected type '{expected}'");
}
