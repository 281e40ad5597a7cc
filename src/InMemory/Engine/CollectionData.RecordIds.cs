using Mongo.Bson;

namespace Mongo.InMemory.Engine;

/// <summary>
/// Record ids for showRecordId. mongod numbers a collection's records in insertion order from 1; a capped collection
/// already keeps that sequence. Other collections number their documents only when a find first asks: every document
/// not numbered yet gets the next number in natural order, which is insertion order, so the numbers grow as mongod's
/// do and a document keeps its number for as long as it exists (it is remembered by _id, which never changes).
/// </summary>
internal sealed partial class CollectionData
{
    private Dictionary<string, long>? _recordIds;
    private long _lastRecordId;

    /// <summary>Numbers every document not numbered yet (call before <see cref="RecordIdOf"/>, under the storage lock).</summary>
    public void AssignRecordIds()
    {
        if (IsCapped) return;
        _recordIds ??= new Dictionary<string, long>(StringComparer.Ordinal);
        if (_recordIds.Count > 2 * _documents.Count + 16)
        {
            // Deleted documents' numbers are dropped now and then so the map stays the size of the collection.
            var live = new HashSet<string>(_documents.Select(d => RecordKey(d)), StringComparer.Ordinal);
            foreach (var key in _recordIds.Keys.Where(k => !live.Contains(k)).ToList()) _recordIds.Remove(key);
        }

        foreach (var doc in _documents)
        {
            var key = RecordKey(doc);
            if (!_recordIds.ContainsKey(key)) _recordIds[key] = ++_lastRecordId;
        }
    }

    /// <summary>The record id of a stored document (after <see cref="AssignRecordIds"/>).</summary>
    public long RecordIdOf(BsonDocument doc)
    {
        if (IsCapped) return _sequence.TryGetValue(doc, out var sequence) ? sequence : 0;
        return _recordIds is not null && _recordIds.TryGetValue(RecordKey(doc), out var id) ? id : 0;
    }

    private static string RecordKey(BsonDocument doc) => BsonOrder.Key(IndexData.TopLevelValue(doc, "_id"));
}
