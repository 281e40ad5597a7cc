using Mongo.Bson;
using Mongo.InMemory.Server;

namespace Mongo.InMemory.Engine;

/// <summary>Undoing a recorded change on a copy, which is how a read at an earlier time rebuilds the data (see <see cref="SnapshotHistory"/>).</summary>
internal sealed partial class CollectionData
{
    /// <summary>
    /// Undoes one change the live collection this one was copied from made: <paramref name="now"/> (the document the
    /// change stored, null for a delete) goes, <paramref name="old"/> (the one it replaced or deleted, null for an insert)
    /// comes back at <paramref name="position"/> in natural order. Changes undone newest first put every document back
    /// where it was. Only for a copy (no observer, no history).
    /// </summary>
    public void Undo(SnapshotHistory.RecordKind kind, int position, BsonDocument? old, BsonDocument? now)
    {
        switch (kind)
        {
            case SnapshotHistory.RecordKind.Insert:
                {
                    var at = PositionOf(now!, position);
                    foreach (var index in _indexes) index.Remove(index.KeysOf(now!), now!);
                    OwnDocuments().RemoveAt(at);
                    break;
                }

            case SnapshotHistory.RecordKind.Replace:
                {
                    var at = PositionOf(now!, position);
                    foreach (var index in _indexes) index.Replace(index.KeysOf(now!), now!, index.KeysOf(old!), old!);
                    OwnDocuments()[at] = old!;
                    break;
                }

            case SnapshotHistory.RecordKind.Delete:
                foreach (var index in _indexes) index.Add(index.KeysOf(old!), old!);
                OwnDocuments().Insert(Math.Min(position, _documents.Count), old!);
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "a catalog change is not undone document by document");
        }

        _changeCount++;
    }

    /// <summary>Where <paramref name="document"/> is: at the recorded position when it is there (it always should be).</summary>
    private int PositionOf(BsonDocument document, int position) =>
        position < _documents.Count && ReferenceEquals(_documents[position], document) ? position : IndexOfDocument(document);
}
