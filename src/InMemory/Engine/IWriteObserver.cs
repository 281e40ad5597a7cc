using Mongo.Bson;

namespace Mongo.InMemory.Engine;

/// <summary>
/// Told of every change to a <see cref="Storage"/>'s collections before it is made, so that it can refuse it (throw) or
/// record it. The shared storage's observer makes writes outside transactions respect what open transactions have
/// written; a transaction's private storage has one that checks for write conflicts and records the write set. The
/// engine calls it with the storage lock held; a call that throws leaves the collection unchanged.
/// </summary>
internal interface IWriteObserver
{
    /// <summary>Before <paramref name="document"/> is inserted into <paramref name="collection"/>.</summary>
    void BeforeInsert(CollectionData collection, BsonDocument document);

    /// <summary>Before the stored <paramref name="oldDocument"/> is replaced by <paramref name="newDocument"/>.</summary>
    void BeforeReplace(CollectionData collection, BsonDocument oldDocument, BsonDocument newDocument);

    /// <summary>Before the stored <paramref name="document"/> is deleted.</summary>
    void BeforeDelete(CollectionData collection, BsonDocument document);

    /// <summary>Before several stored documents are changed by one statement (a multi-update or multi-delete).</summary>
    /// <remarks>Lets a waiting observer wait before the first of them is touched, so the statement can be rerun whole.</remarks>
    void BeforeWriteMany(CollectionData collection, IReadOnlyList<BsonDocument> documents);

    /// <summary>Before a collection named <paramref name="name"/> is created in <paramref name="database"/>.</summary>
    void BeforeCreateCollection(DatabaseData database, string name);

    /// <summary>Before an index is added to <paramref name="collection"/>.</summary>
    void BeforeCreateIndex(CollectionData collection);

    /// <summary>When a namespace is opened for reading or writing (a transaction's reads hold it against DDL, as its locks do on mongod).</summary>
    void Using(string database, string name);

    /// <summary>Whether the TTL sweep may delete <paramref name="document"/> now (not while a transaction holds it).</summary>
    bool MayExpire(CollectionData collection, BsonDocument document);
}
