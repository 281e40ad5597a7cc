using Mongo.Bson;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Transactions;

/// <summary>
/// The observer of a transaction's private storage: every write is checked against the other writers (first writer
/// wins) and noted for the commit, and what mongod refuses inside a transaction is refused.
/// </summary>
internal sealed class TransactionObserver(TransactionManager manager, Transaction transaction) : IWriteObserver
{
    public void Using(string database, string name) => transaction.Namespaces.TryAdd(database + "." + name, 0);

    public void BeforeInsert(CollectionData collection, BsonDocument document) => manager.Claim(transaction, collection, null, document);

    public void BeforeReplace(CollectionData collection, BsonDocument oldDocument, BsonDocument newDocument) =>
        manager.Claim(transaction, collection, oldDocument, newDocument);

    public void BeforeDelete(CollectionData collection, BsonDocument document) => manager.Claim(transaction, collection, document, null);

    public void BeforeWriteMany(CollectionData collection, IReadOnlyList<BsonDocument> documents)
    {
        // Each document is claimed as it is written; a conflict aborts the whole transaction, so partial is harmless.
    }

    public void BeforeCreateCollection(DatabaseData database, string name) => manager.ClaimNamespace(transaction, database.Name, name);

    public void BeforeCreateIndex(CollectionData collection)
    {
        // 8.0 builds indexes in a transaction only on a collection the transaction itself created, while still empty.
        if (collection.Origin is not null)
            throw TransactionErrors.NotSupported("Cannot create new indexes on existing collection " + collection.FullName + " in a multi-document transaction.");
        if (collection.Count > 0)
            throw TransactionErrors.NotSupported("Cannot create new indexes on non-empty collection " + collection.FullName + " in a multi-document transaction.");
    }

    public bool MayExpire(CollectionData collection, BsonDocument document) => false; // a snapshot does not sweep
}

/// <summary>
/// The observer of the server's shared storage: a write outside transactions that meets a document, unique key or new
/// namespace an open transaction holds waits for that transaction (see <see cref="TransactionWaitException"/>), and the
/// TTL sweep leaves such documents for later.
/// </summary>
internal sealed class SharedWriteGuard(TransactionManager manager) : IWriteObserver
{
    public void Using(string database, string name)
    {
    }

    public void BeforeInsert(CollectionData collection, BsonDocument document) => Check(collection, document);

    public void BeforeReplace(CollectionData collection, BsonDocument oldDocument, BsonDocument newDocument)
    {
        Check(collection, oldDocument);
        Check(collection, newDocument);
    }

    public void BeforeDelete(CollectionData collection, BsonDocument document) => Check(collection, document);

    public void BeforeWriteMany(CollectionData collection, IReadOnlyList<BsonDocument> documents)
    {
        if (!manager.AnyOpen) return;
        foreach (var document in documents) Check(collection, document);
    }

    public void BeforeCreateCollection(DatabaseData database, string name)
    {
        if (manager.AnyOpen && manager.Holder(TransactionManager.NamespaceKey(database.Name, name)) is { } holder)
            throw new TransactionWaitException(holder);
    }

    public void BeforeCreateIndex(CollectionData collection)
    {
    }

    public bool MayExpire(CollectionData collection, BsonDocument document) =>
        !manager.AnyOpen || TransactionManager.LockKeys(collection, document).All(k => manager.Holder(k) is null);

    private void Check(CollectionData collection, BsonDocument document)
    {
        if (!manager.AnyOpen) return;
        foreach (var key in TransactionManager.LockKeys(collection, document))
            if (manager.Holder(key) is { } holder) throw new TransactionWaitException(holder);
    }
}
