using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Cursors;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Server.Replication;

namespace Mongo.InMemory.Transactions;

/// <summary>Running a command sent with <c>autocommit: false</c>: in its session's transaction, against its storage.</summary>
internal sealed partial class TransactionManager
{
    /// <summary>
    /// Runs a command of a transaction (its session fields already validated): commitTransaction and abortTransaction
    /// end it; any other command starts or continues it and runs against its storage. As on mongod, a command that
    /// fails, or a write that reports a write error, aborts the transaction.
    /// </summary>
    /// <param name="context">The command's context.</param>
    /// <param name="handler">The command's handler.</param>
    /// <param name="entry">The commit's entry in the replicated log, for the write concern wait (null: none).</param>
    public BsonDocument Run(CommandContext context, ICommandHandler handler, out (long Index, long Term)? entry)
    {
        entry = null;
        var member = context.Server.Replication;
        var command = context.Command;
        var name = context.CommandName;
        var key = SessionKey(command) ?? throw Errors.InvalidOptions("Transaction number requires a session ID to also be specified");
        var txnNumber = command["txnNumber"].ToInt64();
        var session = Session(key);
        BsonDocument reply;
        lock (session)
        {
            switch (name)
            {
                case "commitTransaction":
                    reply = CommitCommand(session, txnNumber, member, out entry);
                    break;
                case "abortTransaction":
                    reply = AbortCommand(session, txnNumber);
                    break;
                default:
                    var hasReadConcern = command.GetValueOrDefault("readConcern") is BsonDocument { ElementCount: > 0 };
                    var readAt = command.GetValueOrDefault("readConcern") is BsonDocument readConcern
                        && readConcern.GetValueOrDefault("level") is BsonString { Value: "snapshot" }
                        ? readConcern.GetValueOrDefault("atClusterTime") as BsonTimestamp
                        : null;
                    var transaction = BeginOrContinue(session, txnNumber, command.Contains("startTransaction"), name, hasReadConcern, member, readAt);
                    if (name == "getMore") CheckGetMore(context.Server.Cursors, command, transaction);
                    var inner = new CommandContext
                    {
                        DatabaseName = context.DatabaseName,
                        Command = command,
                        MessageLength = context.MessageLength,
                        Server = context.Server,
                        Connection = context.Connection,
                        StartedAt = context.StartedAt,
                        ExpiresAt = context.ExpiresAt,
                        Transaction = transaction,
                    };
                    Interlocked.Increment(ref _active);
                    try
                    {
                        reply = handler.Execute(inner);
                    }
                    catch
                    {
                        Abort(transaction, "a command in it failed");
                        throw;
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _active);
                    }

                    if (HasFailedStatements(reply)) Abort(transaction, "a write in it failed");
                    else if (reply.GetValueOrDefault("cursor") is BsonDocument cursor && cursor.GetValueOrDefault("id") is { IsNumeric: true } id && id.ToInt64() != 0)
                        context.Server.Cursors.SetOwner(id.ToInt64(), transaction);
                    break;
            }
        }

        if (IsRouter)
        {
            // A router names the shard that can tell a retried commit the outcome; this one-router cluster has one.
            reply.Set("recoveryToken", new BsonDocument("recoveryShardId", "shard0"));
        }

        return reply;
    }

    private BsonDocument CommitCommand(SessionTransactions session, long txnNumber, ReplicaMember? member, out (long Index, long Term)? entry)
    {
        var transaction = Continue(session, txnNumber);
        switch (transaction.State)
        {
            case TransactionState.Aborted:
                throw TransactionErrors.NoSuchTransaction("Transaction with " + transaction.Describe() + " has been aborted.");
            case TransactionState.Committed:
                // A retried commit learns the outcome again (on the next primary too: the table is the set's); its
                // write concern applies to the newest entry, as mongod waits for the client's last optime.
                entry = member is null ? null : (member.Set.LastIndex, member.Set.Term);
                return new BsonDocument();
            default:
                entry = Commit(transaction, member);
                if (entry is null && member is not null) entry = (member.Set.LastIndex, member.Set.Term); // read-only
                return new BsonDocument();
        }
    }

    private BsonDocument AbortCommand(SessionTransactions session, long txnNumber)
    {
        var transaction = Continue(session, txnNumber);
        switch (transaction.State)
        {
            case TransactionState.Aborted:
                throw TransactionErrors.NoSuchTransaction("Transaction with " + transaction.Describe() + " has been aborted.");
            case TransactionState.Committed:
                throw TransactionErrors.TransactionCommitted("Transaction with " + transaction.Describe() + " has been committed.");
            default:
                Abort(transaction);
                return new BsonDocument();
        }
    }

    /// <summary>
    /// mongod's getMore rules for transactions: a cursor opened in a transaction is read only in it, and one opened
    /// outside is not read in one. <paramref name="transaction"/> is the getMore's (null: none).
    /// </summary>
    public static void CheckGetMore(CursorManager cursors, BsonDocument command, Transaction? transaction)
    {
        if (command[0] is not { IsNumeric: true } idValue) return; // the handler reports the type error
        var id = idValue.ToInt64();
        if (!cursors.TryGetOwner(id, out var owner)) return; // CursorNotFound from the handler
        var createdIn = owner as Transaction;
        if (transaction is null)
        {
            if (createdIn is not null)
                throw Errors.Location(50740, "Cannot run getMore on cursor " + id + ", which was created in transaction " + createdIn.TxnNumber + ", without a txnNumber");
            return;
        }

        if (createdIn is null)
            throw Errors.Location(50739, "Cannot run getMore on cursor " + id + ", which was not created in a transaction, in transaction " + transaction.TxnNumber);
        if (!ReferenceEquals(createdIn, transaction))
            throw Errors.Location(50741, "Cannot run getMore on cursor " + id + ", which was created in transaction " + createdIn.TxnNumber + ", in transaction " + transaction.TxnNumber);
    }

    private static bool HasFailedStatements(BsonDocument reply) =>
        reply.GetValueOrDefault("writeErrors") is BsonArray { Count: > 0 }
        || reply.GetValueOrDefault("nErrors") is { IsNumeric: true } nErrors && nErrors.ToInt64() > 0;
}
