using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Server;

/// <summary>Reading the data as of an earlier time, and what a transaction reading at one checks before it writes.</summary>
internal sealed partial class SnapshotHistory
{
    /// <summary>Throws SnapshotTooOld when the history no longer reaches back to <paramref name="at"/>.</summary>
    public void EnsureAvailable(BsonTimestamp at)
    {
        lock (_lock)
        {
            EnsureAvailableLocked(at);
        }
    }

    /// <summary>
    /// The data as of <paramref name="at"/>: null when nothing changed since (read the current data), else a copy of the
    /// catalog with every newer change undone. Throws SnapshotTooOld when the history no longer reaches back that far.
    /// </summary>
    /// <param name="at">The cluster time to read at.</param>
    /// <param name="privateCopy">
    /// True for a transaction, which writes to the copy: it gets one of its own. Reads share the last copy made while
    /// nothing changes (a snapshot session reads at one time again and again).
    /// </param>
    public Storage? At(BsonTimestamp at, bool privateCopy = false)
    {
        Storage live = _live ?? throw new InvalidOperationException("This server keeps no snapshot history (a standalone server refuses snapshot reads).");
        lock (live.Sync)
        {
            lock (_lock)
            {
                EnsureAvailableLocked(at);
                int first = FirstNewerLocked(at.Value);
                if (first == _records.Count)
                {
                    return null;
                }

                if (!privateCopy && _cache is { } cached && cached.At == at.Value)
                {
                    return cached.Data;
                }

                // Start from the catalog as the first catalog change after that time found it (or as it is now), and
                // undo the document changes made between that time and then, newest first.
                int end = first;
                while (end < _records.Count && _records[end].Kind != RecordKind.Catalog)
                {
                    end++;
                }

                Storage copy = (end < _records.Count ? _records[end].Catalog! : live).Snapshot();
                var copies = new Dictionary<CollectionData, CollectionData>(ReferenceEqualityComparer.Instance);
                foreach (DatabaseData database in copy.Databases)
                {
                    foreach (CollectionData collection in database.Collections)
                    {
                        copies[collection.Origin ?? collection] = collection;
                    }
                }

                for (int i = end - 1; i >= first; i--)
                {
                    Record record = _records[i];
                    if (!copies.TryGetValue(record.Collection!, out CollectionData? target))
                    {
                        // Every record between two catalog changes names a collection of the catalog between them.
                        throw new InvalidOperationException($"The snapshot history has a change of {record.Collection!.FullName} outside its catalog.");
                    }

                    target.Undo(record.Kind, record.Position, record.Old, record.New);
                }

                if (!privateCopy)
                {
                    _cache = (at.Value, copy);
                }

                return copy;
            }
        }
    }

    /// <summary>
    /// The position of the first record newer than <paramref name="at"/> (null: of the next record), which a transaction
    /// reading at that time remembers to find the changes made after it (<see cref="ChangedSince"/>).
    /// </summary>
    public long PositionAfter(BsonTimestamp? at)
    {
        lock (_lock)
        {
            int index = at is { } time ? FirstNewerLocked(time.Value) : _records.Count;
            return _dropped + index - _head;
        }
    }

    /// <summary>
    /// Whether the document whose _id key (in <paramref name="collection"/>'s _id index) is <paramref name="idKey"/> was
    /// inserted, replaced or deleted in the live <paramref name="collection"/> at or after <paramref name="position"/>:
    /// a transaction reading at an earlier time must not write it then (WriteConflict, as mongod's storage engine
    /// refuses an update over a newer committed one).
    /// </summary>
    public bool ChangedSince(long position, CollectionData collection, string idKey)
    {
        lock (_lock)
        {
            long start = Math.Max(position - _dropped, 0) + _head;
            for (long i = start; i < _records.Count; i++)
            {
                Record record = _records[(int)i];
                if (record.Kind == RecordKind.Catalog || !ReferenceEquals(record.Collection, collection))
                {
                    continue;
                }

                BsonDocument document = record.New ?? record.Old!;
                IndexKeys keys = collection.IdIndex.KeysOf(document);
                if (keys.Count > 0 && keys.KeyAt(0) == idKey)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private void EnsureAvailableLocked(BsonTimestamp at)
    {
        PruneLocked(); // the window moves on with time, writes or not
        if (_lostUnstamped || at.Value < _oldest)
        {
            throw Errors.Of(ErrorCodes.SnapshotTooOld, $"Read timestamp {at} is older than the oldest available timestamp.");
        }
    }

    /// <summary>The index of the first record newer than <paramref name="at"/> (unstamped ones are newer than any time).</summary>
    private int FirstNewerLocked(ulong at)
    {
        int i = _records.Count;
        while (i > _head && (i - 1 >= _firstUnstamped || _records[i - 1].Stamp > at))
        {
            i--;
        }

        return i;
    }
}
