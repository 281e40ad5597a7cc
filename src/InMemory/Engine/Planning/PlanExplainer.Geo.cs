using Mongo.Bson;

namespace Mongo.InMemory.Engine.Planning;

/// <summary>
/// The stages of geo plans, in mongod 8.0's shape (plan_explainer_impl.cpp): $near is a GEO_NEAR_2DSPHERE / GEO_NEAR_2D
/// stage with the index's keyPattern, indexName and indexVersion, and with executionStats its searchIntervals (one
/// per ring read) and inputStages (each ring's FETCH over IXSCAN of cell ranges); $geoWithin/$geoIntersects over a
/// geo index are a FETCH (the geo condition its filter: cells only narrow) over an IXSCAN whose bounds are the cells.
/// </summary>
internal sealed partial class PlanExplainer
{
    private BsonDocument GeoAccess(QueryPlan plan, bool stats)
    {
        var index = plan.Index!;
        if (plan.Path == AccessPath.GeoScan)
        {
            var bounds = QueryPlan.CellBounds(index.Geo!.CellsToRead(plan.Region!));
            var ix = GeoIndexScan(index, bounds, stats, plan.KeysExamined, plan.Seeks, plan.DupsTested, plan.DupsDropped, _returned.GetValueOrDefault("access"));
            var fetch = new BsonDocument();
            var residual = RawFilter ?? new BsonDocument();
            if (residual.ElementCount > 0) fetch.Add("filter", ParsedQuery(residual));
            if (stats) fetch.Add("docsExamined", plan.DocsExamined).Add("alreadyHasObj", 0);
            return Wrap("FETCH", stats, "fetch", fetch, ix);
        }

        var near = new BsonDocument { { "keyPattern", index.Key.DeepClone() }, { "indexName", index.Name }, { "indexVersion", 2 } };
        var name = index.Geo!.Spherical ? "GEO_NEAR_2DSPHERE" : "GEO_NEAR_2D";
        if (!stats) return Stage(name, false, 0, near);
        var intervals = new BsonArray();
        var inputs = new BsonArray();
        foreach (var ring in plan.NearRings)
        {
            intervals.Add(new BsonDocument
            {
                { "minDistance", ring.MinDistance },
                { "maxDistance", ring.MaxDistance },
                { "maxInclusive", true },
                { "nBuffered", ring.Buffered },
                { "nReturned", ring.Returned },
            });
            var ix = GeoIndexScan(index, ring.Bounds, true, ring.KeysExamined, ring.Bounds.Count, ring.KeysExamined, 0, ring.KeysExamined);
            var fetch = Stage("FETCH", true, ring.Buffered, new BsonDocument { { "docsExamined", ring.Buffered }, { "alreadyHasObj", 0 } }, works: ring.KeysExamined + 1);
            fetch.Add("inputStage", ix);
            inputs.Add(fetch);
        }

        near.Add("searchIntervals", intervals);
        var stage = Stage(name, true, _returned.GetValueOrDefault("fetch"), near, works: plan.KeysExamined + 1);
        stage.Add("inputStages", inputs);
        return stage;
    }

    /// <summary>An IXSCAN of a geo index's cells: the geo field bounded by cell id ranges, the other key fields unbounded.</summary>
    private static BsonDocument GeoIndexScan(IndexData index, List<(long Low, long High)> cells, bool stats, long keys, long seeks, long dupsTested, long dupsDropped, long nReturned)
    {
        var ix = new BsonDocument
        {
            { "keyPattern", index.Key.DeepClone() },
            { "indexName", index.Name },
            { "isMultiKey", false },
            { "multiKeyPaths", new BsonDocument(index.Key.Names.Select(n => new BsonElement(n, new BsonArray()))) },
            { "isUnique", false },
            { "isSparse", index.Sparse },
            { "isPartial", index.Partial is not null },
            { "indexVersion", 2 },
            { "direction", "forward" },
        };
        var bounds = new BsonDocument();
        foreach (var field in index.Key.Names)
        {
            bounds.Add(field, field == index.Geo!.Field
                ? new BsonArray(cells.Select(c => (BsonValue)("[" + c.Low + ", " + c.High + "]")))
                : new BsonArray { "[MinKey, MaxKey]" });
        }

        ix.Add("indexBounds", bounds);
        if (stats) ix.Add("keysExamined", keys).Add("seeks", Math.Max(1, seeks)).Add("dupsTested", dupsTested).Add("dupsDropped", dupsDropped);
        return Stage("IXSCAN", stats, nReturned, ix, works: keys + 1);
    }
}
