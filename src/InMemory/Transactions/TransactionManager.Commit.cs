using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Server.Replication;

namespace Mongo.InMemory.Transactions;

/// <summary>Write conflicts as a transaction writes, and applying its writes when it commits.</summary>
internal sealed partial class TransactionManager
{
    /// <summary>
    /// Checks a transaction's write to <paramref name="collection"/> (one of its storage's) before it is made, and takes
    /// its keys: a key another open transaction holds, or one whose documents changed after the snapshot, is a write
    /// conflict (first writer wins; the caller's transaction then aborts). <paramref name="oldDocument"/> is null for an
    /// insert, <paramref name="newDocument"/> for a delete.
    /// </summary>
    public void Claim(Transaction transaction, CollectionData collection, BsonDocument? oldDocument, BsonDocument? newDocument)
    {
        if (collection.IsCapped)
            throw TransactionErrors.NotSupported("Collection '" + collection.FullName + "' is a capped collection. Writes in transactions are not allowed on capped collections.");
        if (collection.Name.StartsWith("system.", StringComparison.Ordinal))
            throw Errors.Location(50791, "Cannot write to system collection " + collection.FullName + " within a transaction.");

        BeforeClaim?.Invoke(transaction);
        var origin = collection.Origin;
        if (origin is null)
        {
            // A collection this transaction created: it holds the namespace, so no one else can write there until
            // the commit adds the collection whole.
            return;
        }

        lock (Shared.Sync)
        {
            CheckStillOpen(transaction);
            if (!IsCurrent(origin, collection))
                throw TransactionErrors.WriteConflict(); // dropped, renamed or recreated since the snapshot

            var take = new List<string>();
            foreach (var index in collection.Indexes)
            {
                if (!index.Unique) continue;
                var originIndex = origin.FindIndexByName(index.Name);
                foreach (var document in (ReadOnlySpan<BsonDocument?>)[oldDocument, newDocument])
                {
                    if (document is null) continue;
                    var keys = index.KeysOf(document);
                    for (var i = 0; i < keys.Count; i++)
                    {
                        var key = keys.KeyAt(i);
                        var lockKey = collection.FullName + "\0" + index.Name + "\0" + key;
                        var holder = Holder(lockKey);
                        if (ReferenceEquals(holder, transaction)) continue;
                        if (holder is not null) throw TransactionErrors.WriteConflict();
                        if (originIndex is not null && !index.SameHolders(originIndex, key)) throw TransactionErrors.WriteConflict();
                        take.Add(lockKey);
                    }
                }
            }

            // A document changed after the snapshot and back (inserted and deleted again, say) has the same holders on both
            // sides; the history still knows it changed, as mongod's storage engine knows of the newer update.
            var idKey = collection.IdIndex.KeysOf(oldDocument ?? newDocument!);
            if (idKey.Count > 0 && transaction.HistoryPosition is { } position && Shared.History is { } history
                && history.ChangedSince(position, origin, idKey.KeyAt(0)))
            {
                throw TransactionErrors.WriteConflict();
            }

            foreach (var key in take) Hold(transaction, key);
        }

        var written = oldDocument ?? newDocument!;
        var idKeys = collection.IdIndex.KeysOf(written);
        if (idKeys.Count > 0) transaction.NoteWrite(collection, idKeys.KeyAt(0));
    }

    /// <summary>
    /// Takes the namespace a transaction creates a collection in: another transaction creating it, or a collection or view
    /// of that name made since the snapshot, is a write conflict.
    /// </summary>
    public void ClaimNamespace(Transaction transaction, string database, string name)
    {
        BeforeClaim?.Invoke(transaction);
        if (name.StartsWith("system.", StringComparison.Ordinal))
            throw Errors.Location(50791, "Cannot write to system collection " + database + "." + name + " within a transaction.");
        lock (Shared.Sync)
        {
            CheckStillOpen(transaction);
            var key = NamespaceKey(database, name);
            var holder = Holder(key);
            if (ReferenceEquals(holder, transaction)) return;
            if (holder is not null) throw TransactionErrors.WriteConflict();
            if (Shared.GetDatabase(database) is { } db && (db.Get(name) is not null || db.GetView(name) is not null))
                throw TransactionErrors.WriteConflict();
            Hold(transaction, key);
        }
    }

    /// <summary>
    /// Tests only: runs as a statement of a transaction is about to claim what it writes, before the shared lock, so a test
    /// can step the primary down exactly while a statement runs (the race a real step-down meets by chance).
    /// </summary>
    internal Action<Transaction>? BeforeClaim { get; set; }

    /// <summary>
    /// A statement still running when its transaction was aborted from outside its session (a step-down) takes no keys:
    /// they would never be released. mongod interrupts such an operation with InterruptedDueToReplStateChange.
    /// </summary>
    private static void CheckStillOpen(Transaction transaction)
    {
        if (transaction.State != TransactionState.InProgress)
            throw new CommandException(ErrorCodes.InterruptedDueToReplStateChange, "InterruptedDueToReplStateChange",
                "operation was interrupted because the transaction was aborted: " + (transaction.AbortReason ?? "it ended"));
    }

    /// <summary>Whether <paramref name="origin"/> is still the shared collection that <paramref name="copy"/> was copied from, under the same name.</summary>
    private bool IsCurrent(CollectionData origin, CollectionData copy) =>
        origin.Name == copy.Name && origin.Database.Name == copy.Database.Name
        && ReferenceEquals(Shared.GetDatabase(origin.Database.Name), origin.Database) && ReferenceEquals(origin.Database.Get(origin.Name), origin);

    /// <summary>
    /// Commits: the collections the transaction created are added and its changes to the others applied, all under the
    /// shared lock, so no reader sees part of it. Everything is checked before anything changes; a failure (which the
    /// keys it holds make all but impossible) aborts the transaction and changes nothing.
    /// </summary>
    /// <param name="transaction">The transaction to commit.</param>
    /// <param name="member">
    /// The replica-set member committing it (null: a router): it must still be primary, and the commit is one entry of
    /// the replicated log, appended under the same lock, so the members apply its writes all at once.
    /// </param>
    /// <returns>The log entry of the commit (null when nothing was written or there is no set).</returns>
    public (long Index, long Term)? Commit(Transaction transaction, ReplicaMember? member = null)
    {
        (long Index, long Term)? entry = null;
        try
        {
            lock (transaction.Storage.Sync)
            {
                lock (Shared.Sync)
                {
                    if (member is { IsPrimary: false }) throw ReplicaSetCoordinator.NotWritablePrimary(helloOk: true);
                    var changes = transaction.ChangesToExisting().ToList();
                    var createdCollections = transaction.CreatedCollections().ToList();
                    foreach (var (copy, list) in changes)
                    {
                        if (!IsCurrent(copy.Origin!, copy)) throw TransactionErrors.WriteConflict();
                        copy.Origin!.CheckCommitted(list);
                    }

                    // The commit's changes become visible at one time: none of them takes a time before the last is made.
                    using (Shared.History?.Hold())
                    {
                        foreach (var created in createdCollections)
                        {
                            var db = Shared.GetOrCreateDatabase(created.Database.Name);
                            if (db.Get(created.Name) is not null || db.GetView(created.Name) is not null) throw TransactionErrors.WriteConflict();
                            created.Database = db;
                            db.Attach(created);
                        }

                        foreach (var (copy, list) in changes) copy.Origin!.ApplyCommitted(list);
                    }

                    if (member is not null && (changes.Count > 0 || createdCollections.Count > 0))
                    {
                        // mongod's applyOps entry of the commit: one optime for all of the transaction's writes.
                        var (index, opTime) = member.Set.AppendLocked();
                        entry = (index, opTime.Term);
                    }

                    transaction.State = TransactionState.Committed;
                    End(transaction);
                    _totalCommitted++;
                }
            }
        }
        catch
        {
            Abort(transaction, "its commit failed");
            throw;
        }

        // Its cursors stay (unlike an abort's), so that a getMore outside it gets mongod's error rather than CursorNotFound.
        return entry;
    }
}
