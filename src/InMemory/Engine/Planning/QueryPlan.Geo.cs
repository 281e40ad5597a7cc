using Mongo.Bson;
using Mongo.InMemory.Engine.Geo;

namespace Mongo.InMemory.Engine.Planning;

/// <summary>One ring of a $near search as explain reports it (mongod's searchIntervals and the index reads under them).</summary>
/// <param name="MinDistance">The ring's inner distance (the previous ring's outer one), in the query's unit.</param>
/// <param name="MaxDistance">The ring's outer distance, in the query's unit (the last ring: the $maxDistance, else the farthest returned).</param>
/// <param name="Buffered">Documents read for the first time in this ring.</param>
/// <param name="Returned">Documents this ring returned (those within its outer distance, or for the last ring all the rest, that are within [$minDistance, $maxDistance]).</param>
/// <param name="KeysExamined">Index keys read for the ring.</param>
/// <param name="Bounds">The cell id ranges read, as [low, high] pairs.</param>
internal sealed record NearRing(double MinDistance, double MaxDistance, long Buffered, long Returned, long KeysExamined, List<(long Low, long High)> Bounds);

/// <summary>How geo plans read their index's cells.</summary>
internal sealed partial class QueryPlan
{
    /// <summary>The $near filter a <see cref="AccessPath.NearScan"/> orders by.</summary>
    public Query.NearFilter? Near { get; init; }

    /// <summary>The region whose cells a <see cref="AccessPath.GeoScan"/> reads.</summary>
    public GeoRegion? Region { get; init; }

    /// <summary>The rings a <see cref="AccessPath.NearScan"/> read, in order (explain's searchIntervals).</summary>
    public List<NearRing> NearRings { get; } = [];

    /// <summary>
    /// The cell id ranges an index read covers (ranges of descendants, then single ancestor ids), sorted; everything
    /// when <paramref name="cells"/> is null.
    /// </summary>
    internal static List<(long Low, long High)> CellBounds((List<long> Ranges, List<long> Ancestors)? cells)
    {
        var bounds = new List<(long, long)>();
        if (cells is not { } c) return [GeoCells.Range(GeoCells.Root)];
        foreach (var id in c.Ranges) bounds.Add(GeoCells.Range(id));
        foreach (var id in c.Ancestors) bounds.Add((id, id));
        bounds.Sort();
        return bounds;
    }

    // The documents filed under the given cell ranges, in the order read (a document once per key: callers dedupe).
    private List<BsonDocument> ReadCells(List<(long Low, long High)> bounds, ref long keys)
    {
        var docs = new List<BsonDocument>();
        foreach (var (low, high) in bounds)
        {
            Seeks++;
            foreach (var (_, doc) in Index!.GeoCells!.Scan([new BsonInt64(low)], [new BsonInt64(high)], backward: false))
            {
                keys++;
                docs.Add(doc);
            }
        }

        _keysExamined += keys;
        return docs;
    }

    // $geoWithin/$geoIntersects over a geo index: the documents of the region's cells, each once, in cell order (as
    // mongod's FETCH over IXSCAN returns them). They are read before the first is returned, so a write between
    // two of them (an update by a geo filter) never meets an index being changed under its read.
    private IEnumerable<BsonDocument> RunGeoScan()
    {
        long keys = 0;
        var read = ReadCells(CellBounds(Index!.Geo!.CellsToRead(Region!)), ref keys);
        var seen = new HashSet<BsonDocument>(ReferenceEqualityComparer.Instance);
        var docs = new List<BsonDocument>();
        foreach (var doc in read)
        {
            DupsTested++;
            if (!seen.Add(doc))
            {
                DupsDropped++;
                continue;
            }

            DocsExamined++;
            docs.Add(doc);
        }

        return docs;
    }

    // $near: rings of widening radius around the point. Each ring reads the cells covering the disc (or cap) of its
    // radius, measures the documents not met before, and returns, nearest first, those within its radius: every
    // document that near lies in the cells read, so nothing nearer can turn up later. The last ring (the $maxDistance,
    // or the whole index) returns everything left. Ties keep natural order, as the collection scan this replaces did.
    private IEnumerable<BsonDocument> RunNearScan(CollectionData collection)
    {
        var near = Near!;
        var geo = Index!.Geo!;
        if (Index.Partial is not null || Index.GeoCells is null)
        {
            foreach (var doc in NearByScan(collection)) yield return doc;
            yield break;
        }

        var unit = near.GeoJson ? GeoMath.EarthRadiusMeters : 1;
        var spherical = near.Spherical;
        var limit = spherical ? Math.PI : (geo.Max - geo.Min) * Math.Sqrt(2);
        var max = near.MaxDistance / unit;
        // A first radius expected to hold a handful of the index's keys were they spread evenly.
        var count = Math.Max(1, Index.GeoCells.KeyCount);
        var radius = spherical ? Math.Sqrt(32.0 / count) : (geo.Max - geo.Min) * Math.Sqrt(8 / (Math.PI * count));
        var seen = new HashSet<BsonDocument>(ReferenceEqualityComparer.Instance);
        var pending = new List<(double Distance, BsonDocument Doc)>();
        Dictionary<BsonDocument, int>? positions = null;
        var inner = 0.0;
        while (true)
        {
            var last = radius >= limit || max is { } m && radius >= m;
            if (max is { } cap && radius > cap) radius = cap;
            var region = last && radius >= limit ? GeoRegion.Anywhere(spherical)
                : spherical ? GeoRegion.Cap(near.Point, radius) : GeoRegion.Disc(near.Point, radius);
            var cells = geo.CellsToRead(region);
            if (cells is null) last = true;
            var bounds = CellBounds(cells);
            long keys = 0, buffered = 0;
            foreach (var doc in ReadCells(bounds, ref keys))
            {
                if (!seen.Add(doc)) continue;
                DocsExamined++;
                if (near.Nearest(doc) is not { } found) continue;
                pending.Add((found.Distance, doc));
                buffered++;
            }

            // The ring's documents; those outside [$minDistance, $maxDistance] are dropped here, by the very test the
            // $near filter applies (so the rings report what mongod's intervals do).
            var within = last ? double.PositiveInfinity : radius * unit;
            var ring = pending.FindAll(p => p.Distance <= within || last);
            pending.RemoveAll(p => p.Distance <= within || last);
            ring.RemoveAll(p => near.MinDistance is { } lo && !(p.Distance >= lo) || near.MaxDistance is { } hi && !(p.Distance <= hi));
            ring.Sort((a, b) => a.Distance.CompareTo(b.Distance));
            OrderTies(ring, collection, ref positions);
            var outer = !last ? radius * unit : near.MaxDistance ?? (ring.Count > 0 ? Math.Max(radius * unit, ring[^1].Distance) : radius * unit);
            NearRings.Add(new NearRing(inner, outer, buffered, ring.Count, keys, bounds));
            foreach (var (_, doc) in ring) yield return doc;
            if (last) yield break;
            inner = radius * unit;
            radius *= 2;
        }
    }

    // Documents at the same distance in natural order: the collection's positions are looked up once, when a tie is met.
    private static void OrderTies(List<(double Distance, BsonDocument Doc)> ring, CollectionData collection, ref Dictionary<BsonDocument, int>? positions)
    {
        for (var start = 0; start < ring.Count;)
        {
            var end = start + 1;
            while (end < ring.Count && ring[end].Distance == ring[start].Distance) end++;
            if (end - start > 1)
            {
                if (positions is null)
                {
                    positions = new Dictionary<BsonDocument, int>(ReferenceEqualityComparer.Instance);
                    var documents = collection.Documents;
                    for (var i = 0; i < documents.Count; i++) positions[documents[i]] = i;
                }

                var map = positions;
                ring.Sort(start, end - start, Comparer<(double Distance, BsonDocument Doc)>.Create((a, b) => map[a.Doc].CompareTo(map[b.Doc])));
            }

            start = end;
        }
    }

    // A partial geo index does not file every document: its $near measures the whole collection, as before the cells.
    private IEnumerable<BsonDocument> NearByScan(CollectionData collection)
    {
        var located = new List<(double Distance, int Order, BsonDocument Doc)>();
        foreach (var doc in collection.Documents)
        {
            DocsExamined++;
            if (Near!.Nearest(doc) is { } near) located.Add((near.Distance, located.Count, doc));
        }

        located.Sort((a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.Order.CompareTo(b.Order));
        foreach (var (_, _, doc) in located) yield return doc;
    }
}
