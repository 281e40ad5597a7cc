using Mongo.Bson;

namespace Mongo.InMemory.Engine;

/// <summary>Point-in-time copies of the whole catalog.</summary>
internal sealed partial class Storage
{
    /// <summary>
    /// A copy of the catalog as it is now, independent of this storage from then on: writes to either are not seen by
    /// the other. Databases, collections (options, index specifications, capped state) and views are copied; documents
    /// are shared, because a stored document is never changed in place (every write path stores a new one through
    /// <see cref="CollectionData.Replace"/> or removes it), and so are each collection's document list and unique key
    /// maps until either side changes them (copy on write): taking a snapshot costs per collection and index, and the
    /// first write to a collection on either side afterwards pays for copying its list and maps. Each copied collection
    /// remembers its <see cref="CollectionData.Origin"/>. The copy has no observer, and nothing expires in it
    /// (<see cref="IsSnapshot"/>). The caller holds <see cref="Sync"/> of this storage; afterwards each side is used
    /// under its own lock (shared lists and maps are only read, never changed, while shared).
    /// </summary>
    /// <remarks>
    /// A transaction reads and writes such a copy (its snapshot plus its own writes); a lagging replica-set member can
    /// serve reads from one.
    /// </remarks>
    public Storage Snapshot()
    {
        var copy = new Storage { IsSnapshot = true, NoTableScan = NoTableScan };
        foreach (var (name, db) in _databases) copy._databases[name] = db.SnapshotInto(copy);
        return copy;
    }
}

/// <summary>Copies of a database for <see cref="Storage.Snapshot"/>.</summary>
internal sealed partial class DatabaseData
{
    /// <summary>A copy of this database (its collections and views) belonging to <paramref name="storage"/>.</summary>
    public DatabaseData SnapshotInto(Storage storage)
    {
        var copy = new DatabaseData(storage, Name);
        foreach (var (name, collection) in _collections) copy._collections[name] = collection.SnapshotInto(copy);
        foreach (var (name, view) in _views)
            copy._views[name] = new ViewData(copy, name, view.ViewOn, (BsonArray)view.Pipeline.DeepClone(), view.Collator);
        return copy;
    }
}
