using Mongo.InMemory.Engine.Geo;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine.Planning;

/// <summary>The plans of geo queries: $near/$nearSphere over a geo index's cells, and $geoWithin/$geoIntersects through them.</summary>
internal static partial class QueryPlanner
{
    /// <summary>
    /// The plan of a $near/$nearSphere query: it needs a geo index on the field (a 2dsphere one for a GeoJSON point;
    /// mongod's 291 otherwise) and yields the documents nearest first, reading the index's cells ring by ring.
    /// </summary>
    private static QueryPlan NearPlan(CollectionData collection, NearFilter near)
    {
        var candidates = collection.Indexes.Where(i => i.Geo is { } g && g.Field == near.Path && !i.IsHidden).ToList();
        var index = near.GeoJson
            ? candidates.Find(i => i.Geo!.Spherical)
            : candidates.Find(i => !i.Geo!.Spherical) ?? candidates.FirstOrDefault();
        if (index is null)
            throw new Commands.CommandException(291, "NoQueryExecutionPlans", "planner returned error :: caused by :: unable to find index for $geoNear query");
        near.Bind(index.Geo!);
        return new QueryPlan { Path = AccessPath.NearScan, Index = index, Near = near };
    }

    /// <summary>
    /// The plan of a query whose top level (or top-level $and) holds a $geoWithin or $geoIntersects on a field a geo
    /// index files (no partial filter: every located document must be in it): the documents of the cells covering the
    /// query's region, each then matched by the whole filter. Flat shapes ($box, $polygon, $center) read a 2d index
    /// (or a 2dsphere one, whose coordinates are the same numbers); spherical ones ($geometry, $centerSphere,
    /// $geoIntersects) a 2dsphere index, or a 2d one for $centerSphere. Null when no index applies (the query scans).
    /// </summary>
    private static QueryPlan? GeoPlan(CollectionData collection, Filter filter)
    {
        foreach (var p in TopLevel(filter))
        {
            GeoRegion? region = p.Predicate switch
            {
                GeoWithinPredicate within => within.Region,
                GeoIntersectsPredicate intersects => intersects.Region,
                _ => null,
            };
            if (region is null || !p.Expands) continue;
            var usable = collection.Indexes.Where(i => i.Geo is { } g && g.Field == p.Path && !i.IsHidden && i.Partial is null && i.GeoCells is not null).ToList();
            var index = region.Spherical
                ? usable.Find(i => i.Geo!.Spherical) ?? (p.Predicate is GeoWithinPredicate { CenterSphere: true } ? usable.FirstOrDefault() : null)
                : usable.Find(i => !i.Geo!.Spherical) ?? usable.FirstOrDefault();
            if (index is null) continue;
            return new QueryPlan { Path = AccessPath.GeoScan, Index = index, Region = region, BoundPaths = [p.Path] };
        }

        return null;
    }

    private static IEnumerable<PathFilter> TopLevel(Filter filter)
    {
        if (filter is PathFilter p) yield return p;
        else if (filter is AndFilter and)
        {
            foreach (var child in and.Children)
                foreach (var found in TopLevel(child)) yield return found;
        }
    }
}
