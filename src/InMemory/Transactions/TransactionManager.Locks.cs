using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Transactions;

/// <summary>
/// The keys transactions hold, and how writers outside transactions wait for them. A key is a namespace, a unique
/// index (the _id index above all) and one of its keys: writing a document takes every unique key of its old and new
/// versions, so two writers of one document, or of one unique value, meet on a key. Creating a collection takes the
/// namespace's key. All of it is guarded by the shared storage's lock.
/// </summary>
internal sealed partial class TransactionManager
{
    /// <summary>The keys of <paramref name="document"/> in every unique index of <paramref name="collection"/>.</summary>
    public static IEnumerable<string> LockKeys(CollectionData collection, BsonDocument document)
    {
        var ns = collection.FullName;
        foreach (var index in collection.Indexes)
        {
            if (!index.Unique) continue;
            var keys = index.KeysOf(document);
            for (var i = 0; i < keys.Count; i++) yield return ns + "\0" + index.Name + "\0" + keys.KeyAt(i);
        }
    }

    /// <summary>The key a transaction takes to create collection <paramref name="name"/> of <paramref name="database"/>.</summary>
    public static string NamespaceKey(string database, string name) => database + "." + name + "\0";

    /// <summary>The open transaction holding <paramref name="key"/>, if any (shared lock held).</summary>
    public Transaction? Holder(string key) => _locks.GetValueOrDefault(key);

    /// <summary>Gives <paramref name="key"/> to <paramref name="transaction"/> until it ends (shared lock held).</summary>
    public void Hold(Transaction transaction, string key)
    {
        _locks[key] = transaction;
        transaction.Locks.Add(key);
    }

    /// <summary>
    /// Waits (the shared storage's lock held, and released while waiting) until <paramref name="owner"/> commits or
    /// aborts. mongod blocks a write that meets a transaction's write the same way, for as long as the operation's
    /// maxTimeMS allows (MaxTimeMSExpired after that) or, without one, until the transaction ends: at the latest when
    /// transactionLifetimeLimitSeconds aborts it.
    /// </summary>
    public void WaitFor(Transaction owner, CommandContext context)
    {
        while (owner.State == TransactionState.InProgress)
        {
            Pause(context);
        }
    }

    /// <summary>
    /// Waits (as <see cref="WaitFor"/>) until no open transaction has used a namespace <paramref name="affected"/>
    /// matches: DDL from outside a transaction waits for the transactions that read or wrote its collections, as
    /// mongod's exclusive collection lock waits for their intent locks.
    /// </summary>
    public void WaitForNamespaces(Func<string, bool> affected, CommandContext context)
    {
        if (_openCount == 0) return;
        lock (Shared.Sync)
        {
            while (_open.Any(t => t.Namespaces.Keys.Any(affected)))
            {
                Pause(context);
            }
        }
    }

    private void Pause(CommandContext context)
    {
        if (context.Server.ShutdownToken.IsCancellationRequested)
            throw new CommandException(ErrorCodes.InterruptedAtShutdown, "InterruptedAtShutdown", "interrupted at shutdown") { FailsWholeCommand = true };
        var wait = 250; // wakes now and then even if not pulsed (commit and abort pulse), to notice a shutdown
        if (context.ExpiresAt != 0)
        {
            var left = context.ExpiresAt - Environment.TickCount64;
            if (left <= 0) throw TransactionErrors.MaxTimeExpired();
            wait = (int)Math.Min(wait, left);
        }

        Monitor.Wait(Shared.Sync, wait);

        // The wait let go of the replica set's lock: a writer whose member stepped down meanwhile must not go on.
        if (context.Server.Replication is { IsPrimary: false })
            throw new CommandException(ErrorCodes.InterruptedDueToReplStateChange, "InterruptedDueToReplStateChange",
                "operation was interrupted because a node stepped down while it waited for a transaction");
    }

    /// <summary>
    /// Runs one statement of a write outside transactions (the shared storage's lock held): when it meets what an open
    /// transaction holds it has changed nothing yet, so it waits for that transaction and runs again, seeing its outcome.
    /// </summary>
    /// <param name="context">The command's context (its maxTimeMS bounds the wait).</param>
    /// <param name="statement">The statement; it must change nothing before the observer lets it write.</param>
    /// <param name="afterWait">Called after each wait, before the rerun: forget what the wait may have made stale.</param>
    public static void RunStatement(CommandContext context, Action statement, Action? afterWait = null)
    {
        while (true)
        {
            try
            {
                statement();
                return;
            }
            catch (TransactionWaitException wait)
            {
                context.Server.Transactions.WaitFor(wait.Owner, context);
                afterWait?.Invoke();
            }
        }
    }
}
