using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Cursors;

/// <summary>
/// What a tailable cursor on a capped collection needs to read on: its filter and projection, and the insertion
/// sequence number of the newest document it has looked at. An awaitData cursor's getMore waits (releasing the storage
/// lock) until an insert into the collection or its await time runs out.
/// </summary>
internal sealed class TailableState : IDisposable
{
    private readonly Storage _storage;
    private readonly CollectionData _collection;
    private readonly string _database;
    private readonly Engine.Query.Filter _filter;
    private readonly Projection? _projection;
    private readonly Action _wake;
    private long _lastSeen;

    /// <summary>Call under the storage lock, in the same critical section as the query that read up to now.</summary>
    public TailableState(Storage storage, CollectionData collection, Engine.Query.Filter filter, Projection? projection, bool awaitData)
    {
        _storage = storage;
        _collection = collection;
        _database = collection.Database.Name;
        _filter = filter;
        _projection = projection;
        AwaitData = awaitData;
        _lastSeen = collection.LastSequence;

        // Inserts run under the storage lock, so they may wake getMores waiting on it.
        _wake = () =>
        {
            if (Monitor.IsEntered(_storage.Sync)) Monitor.PulseAll(_storage.Sync);
        };
        if (awaitData) collection.CappedInsert += _wake;
    }

    public bool AwaitData { get; }

    /// <summary>The matching documents inserted since the last call (copies, projected); for awaitData waits up to <paramref name="maxWait"/> for one.</summary>
    public List<BsonDocument> Next(TimeSpan maxWait)
    {
        lock (_storage.Sync)
        {
            var found = Fetch();
            if (!AwaitData) return found;
            var deadline = Environment.TickCount64 + (long)maxWait.TotalMilliseconds;
            while (found.Count == 0)
            {
                var remaining = deadline - Environment.TickCount64;
                if (remaining <= 0) break;
                Monitor.Wait(_storage.Sync, TimeSpan.FromMilliseconds(remaining));
                found = Fetch();
            }

            return found;
        }
    }

    private List<BsonDocument> Fetch()
    {
        if (!ReferenceEquals(_storage.GetCollection(_database, _collection.Name), _collection))
            throw Engine.Errors.Of(ErrorCodes.QueryPlanKilled, "collection dropped. UUID " + _collection.Uuid);
        var found = new List<BsonDocument>();
        var inserted = _collection.InsertedAfter(_lastSeen, out var newest);
        foreach (var doc in inserted)
        {
            if (_filter.Matches(doc)) found.Add(_projection is null ? (BsonDocument)doc.DeepClone() : _projection.Apply(doc));
        }

        _lastSeen = newest;
        return found;
    }

    public void Dispose()
    {
        if (AwaitData) _collection.CappedInsert -= _wake;
    }
}
