using Mongo.Bson;

namespace Mongo.InMemory.Engine;

/// <summary>
/// Copies for storage snapshots, and applying a committed transaction's changes in one step. Stored documents are never
/// changed in place (an update stores a new document through <see cref="Replace"/>), so a copy shares them; it shares
/// the document list and the unique indexes' key maps too until one side changes them (copy on write), so taking a
/// snapshot costs per collection and index, not per document.
/// </summary>
internal sealed partial class CollectionData
{
    private CollectionData(DatabaseData database, CollectionData source)
    {
        Database = database;
        Name = source.Name;
        Options = (BsonDocument)source.Options.DeepClone();
        IsCapped = source.IsCapped;
        CappedMaxSize = source.CappedMaxSize;
        CappedMaxDocuments = source.CappedMaxDocuments;
        DefaultCollator = source.DefaultCollator;
        Uuid = source.Uuid;
        // The live collection, also for a copy of a copy (a read at an earlier time copies a copy the history kept).
        Origin = source.Origin ?? source;
        // Both sides hold the list now; whichever changes it first copies it.
        _documents = source._documents;
        _documentsShared = true;
        source._documentsShared = true;
        foreach (var index in source._indexes) _indexes.Add(index.Snapshot());
        _cappedBytes = source._cappedBytes;
        foreach (var (doc, sequence) in source._sequence) _sequence[doc] = sequence;
        _lastSequence = source._lastSequence;
        _evictedThrough = source._evictedThrough;
    }

    /// <summary>The collection this one was copied from by a snapshot (null: not a copy, or created after it).</summary>
    public CollectionData? Origin { get; }

    /// <summary>A copy of this collection for a snapshot's <paramref name="database"/>.</summary>
    public CollectionData SnapshotInto(DatabaseData database) => new(database, this);

    /// <summary>
    /// Applies a committed transaction's changes to this collection all at once: each change is (stored document, new
    /// document), with null for "none" (an insert has no stored document, a delete no new one). Every unique index is
    /// checked for the final state first, so a DuplicateKey leaves the collection as it was. An updated document keeps
    /// its place in natural order, as <see cref="Replace"/> keeps it; inserted ones go at the end in the given order.
    /// The storage's observer is not told: these changes were checked as the transaction made them.
    /// </summary>
    public void ApplyCommitted(IReadOnlyList<(BsonDocument? Old, BsonDocument? New)> changes)
    {
        if (changes.Count == 0) return;
        var leaving = CheckCommitted(changes);
        var newKeys = new IndexKeys[changes.Count][];
        for (var c = 0; c < changes.Count; c++)
            if (changes[c].New is { } doc)
                newKeys[c] = _indexes.Select(i => i.KeysOf(doc)).ToArray();
        ApplyChecked(changes, leaving, newKeys);
    }

    /// <summary>
    /// Throws the DuplicateKey that applying <paramref name="changes"/> would hit in a unique index, before anything
    /// changes; returns the stored documents the changes replace or delete.
    /// </summary>
    public HashSet<BsonDocument> CheckCommitted(IReadOnlyList<(BsonDocument? Old, BsonDocument? New)> changes)
    {
        var leaving = new HashSet<BsonDocument>(ReferenceEqualityComparer.Instance);
        foreach (var (old, _) in changes)
            if (old is not null) leaving.Add(old);

        foreach (var index in _indexes)
        {
            if (!index.Unique) continue;
            var claimed = new HashSet<string>(StringComparer.Ordinal);
            for (var c = 0; c < changes.Count; c++)
            {
                if (changes[c].New is not { } doc) continue;
                var keys = index.KeysOf(doc);
                for (var k = 0; k < keys.Count; k++)
                {
                    var key = keys.KeyAt(k);
                    var heldElsewhere = false;
                    foreach (var holder in index.HoldersOf(key))
                        if (!leaving.Contains(holder)) heldElsewhere = true;
                    if (heldElsewhere || !claimed.Add(key))
                        throw Errors.DuplicateKey(FullName, index.Name, (BsonDocument)index.Key.DeepClone(), keys.KeyValueAt(k));
                }
            }
        }

        return leaving;
    }

    private void ApplyChecked(IReadOnlyList<(BsonDocument? Old, BsonDocument? New)> changes, HashSet<BsonDocument> leaving, IndexKeys[][] newKeys)
    {
        // Positions of the documents being replaced or deleted, found in one pass rather than one scan per change.
        var positions = new Dictionary<BsonDocument, int>(ReferenceEqualityComparer.Instance);
        if (leaving.Count > 0)
        {
            for (var i = 0; i < _documents.Count; i++)
                if (leaving.Contains(_documents[i])) positions[_documents[i]] = i;
        }

        var deleted = new HashSet<BsonDocument>(ReferenceEqualityComparer.Instance);
        var history = History;
        var records = history is null ? null : new List<Server.SnapshotHistory.Record>(changes.Count);
        for (var c = 0; c < changes.Count; c++)
        {
            var (old, doc) = changes[c];
            if (old is not null)
            {
                foreach (var index in _indexes) index.Remove(index.KeysOf(old), old);
            }

            if (doc is not null)
            {
                for (var i = 0; i < _indexes.Count; i++) _indexes[i].Add(newKeys[c][i], doc);
            }

            if (old is not null && doc is not null)
            {
                OwnDocuments()[positions[old]] = doc;
                records?.Add(new(0, Server.SnapshotHistory.RecordKind.Replace, this, positions[old], old, doc, null, old.GetEncodedSize()));
                CappedSizeChanged(old, doc);
            }
            else if (old is not null)
            {
                deleted.Add(old);
                CappedSizeChanged(old, null);
            }
            else if (doc is not null)
            {
                OwnDocuments().Add(doc);
                records?.Add(new(0, Server.SnapshotHistory.RecordKind.Insert, this, _documents.Count - 1, null, doc, null, 0));
                if (IsCapped) AfterCappedInsert(doc);
            }
        }

        if (deleted.Count > 0)
        {
            if (records is not null)
            {
                // Recorded as deletes from the highest position down, which leaves the lower positions valid: undone in
                // reverse, each goes back where it was.
                var gone = deleted.Select(d => positions[d]).OrderDescending();
                foreach (var position in gone) records.Add(new(0, Server.SnapshotHistory.RecordKind.Delete, this, position, _documents[position], null, null, _documents[position].GetEncodedSize()));
            }

            OwnDocuments().RemoveAll(deleted.Contains);
        }

        if (records is { Count: > 0 }) history!.AddAll(records);
        _changeCount++; // a replica-set snapshot made before this commit is no longer exact
    }
}
