using Mongo.Bson;
using Mongo.InMemory.Engine.Indexing;

namespace Mongo.InMemory.Engine;

/// <summary>
/// A geo index's cells: each cell id (see <see cref="Geo.GeoCells"/>) a document's locations sit in, with the documents
/// filed there, kept in step with every write (and shared with snapshots as the other structures are) so that $near,
/// $geoWithin and $geoIntersects read the documents of the cells their region covers instead of every document.
/// </summary>
internal sealed partial class IndexData
{
    /// <summary>Cell id → documents, in cell order (null unless this is a 2d or 2dsphere index).</summary>
    public OrderedIndex? GeoCells { get; private set; }

    /// <summary>The cells <paramref name="doc"/> is filed under (none when a partial filter leaves it out).</summary>
    internal List<BsonValue?[]> GeoKeysOf(BsonDocument doc)
    {
        var result = new List<BsonValue?[]>();
        if (Geo is null || Partial is not null && !Partial.Matches(doc)) return result;
        foreach (var cell in Geo.CellsOf(doc)) result.Add([new BsonInt64(cell)]);
        return result;
    }

    private void AddGeoCells(BsonDocument doc)
    {
        foreach (var key in GeoKeysOf(doc)) GeoCells!.Add(key, doc);
    }

    private void RemoveGeoCells(BsonDocument doc)
    {
        foreach (var key in GeoKeysOf(doc)) GeoCells!.Remove(key, doc);
    }

    /// <summary>Moves the cells of a replaced document: kept cells keep their place, the others are removed or added.</summary>
    private void ReplaceGeoCells(BsonDocument oldDoc, BsonDocument newDoc)
    {
        var before = GeoKeysOf(oldDoc);
        var after = GeoKeysOf(newDoc);
        foreach (var key in before)
        {
            var kept = after.FindIndex(k => GeoCells!.Compare(k, key) == 0);
            if (kept >= 0 && GeoCells!.ReplaceInPlace(key, oldDoc, newDoc)) after.RemoveAt(kept);
            else GeoCells!.Remove(key, oldDoc);
        }

        foreach (var key in after) GeoCells!.Add(key, newDoc);
    }
}
