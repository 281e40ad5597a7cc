using Mongo.Bson;

namespace Mongo.InMemory.Engine;

/// <summary>
/// Read-only copies of a collection, for the members of an in-memory replica set that lag behind the primary (see
/// <see cref="Storage.ReplicaSnapshot"/>). Stored documents are never changed in place (an update stores a new document
/// through <see cref="Replace"/>), so a copy shares the documents and copies only the lists and the index maps.
/// </summary>
internal sealed partial class CollectionData
{
    // Bumped by every change of the documents or the index list; with the options and index specifications (which
    // collMod changes in place) it tells whether an earlier copy is still exact.
    private long _changeCount;

    /// <summary>True for a copy made by <see cref="ReplicaCopy"/>: nothing but replication replaces it, and TTL never sweeps it.</summary>
    public bool IsReplicaCopy { get; private init; }

    private CollectionData(DatabaseData database, CollectionData source)
        : this(database, source.Name, (BsonDocument)source.Options.DeepClone())
    {
        Uuid = source.Uuid;
        IsReplicaCopy = true;
        for (var i = 1; i < source._indexes.Count; i++) _indexes.Add(new IndexData((BsonDocument)source._indexes[i].Spec.DeepClone()));
        _documents.EnsureCapacity(source._documents.Count);
        foreach (var index in _indexes) index.Reserve(source._documents.Count);
        foreach (var doc in source._documents)
        {
            foreach (var index in _indexes) index.Add(index.KeysOf(doc), doc);
            _documents.Add(doc);
        }

        _cappedBytes = source._cappedBytes;
        foreach (var (doc, sequence) in source._sequence) _sequence[doc] = sequence;
        _lastSequence = source._lastSequence;
        _evictedThrough = source._evictedThrough;
        _changeCount = source._changeCount;
    }

    /// <summary>
    /// A copy of this collection as it is now, placed in <paramref name="database"/>; <paramref name="previous"/> (an
    /// earlier copy of this collection) is returned instead when nothing changed since it was made.
    /// </summary>
    public CollectionData ReplicaCopy(DatabaseData database, CollectionData? previous)
    {
        if (previous is not null && previous.Uuid == Uuid && previous._changeCount == _changeCount && previous.Name == Name
            && previous.Database.Name == database.Name && previous.Options.Equals(Options) && SameIndexSpecs(previous))
        {
            // Shared by several snapshots: its Database is the first one's, which has the same name (all it is used for).
            return previous;
        }

        return new CollectionData(database, this);
    }

    private bool SameIndexSpecs(CollectionData other)
    {
        if (other._indexes.Count != _indexes.Count) return false;
        for (var i = 0; i < _indexes.Count; i++)
            if (!other._indexes[i].Spec.Equals(_indexes[i].Spec)) return false;
        return true;
    }
}
