namespace Mongo.InMemory.Engine;

/// <summary>Structural snapshots of the data set, which the lagging members of an in-memory replica set read.</summary>
internal sealed partial class Storage
{
    /// <summary>
    /// A copy of the catalog and data as they are now, which no later write changes. Call it under <see cref="Sync"/>.
    /// Documents are shared (stored documents are immutable); collections unchanged since <paramref name="previous"/>
    /// (an earlier snapshot of this storage) are shared with it, so a snapshot costs the size of what changed.
    /// </summary>
    public Storage ReplicaSnapshot(Storage? previous)
    {
        var copy = new Storage();
        foreach (var (name, db) in _databases)
        {
            var previousDb = previous?.GetDatabase(name);
            var dbCopy = new DatabaseData(name);
            foreach (var collection in db.Collections)
                dbCopy.Attach(collection.ReplicaCopy(dbCopy, previousDb?.Get(collection.Name)));
            foreach (var view in db.Views) dbCopy.CreateView(view.Name, view.ViewOn, view.Pipeline, view.Collator);
            copy._databases[name] = dbCopy;
        }

        return copy;
    }
}
