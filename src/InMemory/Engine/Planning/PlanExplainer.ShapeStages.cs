using Mongo.Bson;

namespace Mongo.InMemory.Engine.Planning;

/// <summary>
/// The stage trees of the shapes in PlanExplainer.Shapes.cs, field by field as mongod 8.0's explainers print them
/// (plan_explainer_impl.cpp statsToBSON for IDHACK, COUNT_SCAN, DISTINCT_SCAN, RECORD_STORE_FAST_COUNT;
/// plan_explainer_express.cpp for the express stages).
/// </summary>
internal sealed partial class PlanExplainer
{
    private long _distinctValues;
    private long _fastCount;

    /// <summary>The keys the plan read, as executionStats.totalKeysExamined sums them over its stages.</summary>
    private long TotalKeysExamined => Shape switch
    {
        ExplainShape.FastCount => 0,
        ExplainShape.Express => Math.Min(1, _returned.GetValueOrDefault("fetch")),
        ExplainShape.DistinctScan => _distinctValues,
        _ => Plan?.KeysExamined ?? 0,
    };

    /// <summary>The documents the plan read, as executionStats.totalDocsExamined sums them over its stages.</summary>
    private long TotalDocsExamined => Shape switch
    {
        ExplainShape.FastCount or ExplainShape.CountScan => 0,
        ExplainShape.Express => Math.Min(1, _returned.GetValueOrDefault("fetch")),
        ExplainShape.DistinctScan => DistinctFetches ? _distinctValues : 0,
        _ => Plan?.DocsExamined ?? 0,
    };

    /// <summary>The tree of a shape that is not the classic stage tree, or null for the classic tree.</summary>
    private BsonDocument? ShapeStages(bool stats) => Shape switch
    {
        ExplainShape.FastCount => FastCountStage(stats),
        ExplainShape.Express => ExpressStage(stats),
        ExplainShape.CountScan => CountScanStages(stats),
        ExplainShape.DistinctScan => DistinctScanStages(stats),
        _ => null,
    };

    /// <summary>Runs what a shape reads instead of the plan; false when the plan itself is to run.</summary>
    private bool ExecuteShape()
    {
        switch (Shape)
        {
            case ExplainShape.FastCount:
                _fastCount = Collection!.Count;
                _returned["limit"] = Math.Max(0, Limit > 0 ? Math.Min(_fastCount - Skip, Limit) : _fastCount - Skip);
                return true;
            case ExplainShape.DistinctScan when RawFilter is null || RawFilter.ElementCount == 0:
                _distinctValues = CountDistinct(Collection!.Documents);
                _returned["limit"] = _distinctValues;
                return true;
            default:
                return false;
        }
    }

    // The distinct values of the key the index holds for these documents: each array element is a key, and a
    // document without the field is keyed by null (unless the index is sparse).
    private long CountDistinct(IEnumerable<BsonDocument> documents)
    {
        var parts = DistinctKey!.Split('.');
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var scratch = new List<BsonValue?>();
        foreach (var doc in documents)
        {
            scratch.Clear();
            FieldPath.Collect(doc, parts, 0, scratch, expandLeafArrays: true);
            var any = false;
            foreach (var v in scratch)
            {
                if (v is null) continue;
                any = true;
                seen.Add(BsonOrder.Key(v, _shapeIndex!.Collator));
            }

            if (!any && !_shapeIndex!.Sparse) seen.Add(BsonOrder.Key(BsonNull.Value, null));
        }

        return seen.Count;
    }

    // count with an empty query: the record store's own count, skip and limit applied by the stage itself.
    private BsonDocument FastCountStage(bool stats)
    {
        var details = new BsonDocument();
        if (stats) details.Add("nCounted", _returned.GetValueOrDefault("limit")).Add("nSkipped", Math.Min(Skip, _fastCount));
        return Stage("RECORD_STORE_FAST_COUNT", stats, 0, details, works: 1);
    }

    // The express explainer prints no common counters: only the lookup's index and its counts (8.0.0 prints
    // keysExamined, docsExamined, then nReturned), and a write's would-be counts.
    private BsonDocument ExpressStage(bool stats)
    {
        var name = RootStage switch { "UPDATE" => "EXPRESS_UPDATE", "DELETE" => "EXPRESS_DELETE", _ => "EXPRESS_IXSCAN" };
        var stage = new BsonDocument
        {
            { "stage", name },
            { "keyPattern", KeyPatternString(_shapeIndex!.Key) },
            { "indexName", _shapeIndex.Name },
        };
        if (!stats) return stage;
        var found = Math.Min(1, _returned.GetValueOrDefault("fetch"));
        stage.Add("keysExamined", Num(found)).Add("docsExamined", Num(found)).Add("nReturned", Num(RootStage is null ? _returned.GetValueOrDefault("limit") : 0));
        if (RootStage is not null)
        {
            stage.Add("nWouldModify", Num(RootStage == "UPDATE" ? _wouldModify : 0))
                .Add("nWouldUpsert", 0)
                .Add("nWouldDelete", Num(RootStage == "DELETE" ? found : 0));
        }

        return stage;
    }

    // An _id equality the express path does not take (a count, an upsert, a skip, a non-simple projection): IDHACK.
    private static BsonDocument IdHackStage(QueryPlan plan, bool stats, long nReturned)
    {
        var details = new BsonDocument();
        if (stats) details.Add("keysExamined", plan.KeysExamined).Add("docsExamined", plan.DocsExamined);
        return Stage("IDHACK", stats, nReturned, details, works: plan.KeysExamined + 1);
    }

    // COUNT over COUNT_SCAN: the keys in one range are counted, no document is read.
    private BsonDocument CountScanStages(bool stats)
    {
        var plan = Plan!;
        var index = plan.Index!;
        var scan = new BsonDocument();
        if (stats) scan.Add("keysExamined", plan.KeysExamined);
        scan.Add("keyPattern", index.Key.DeepClone()).Add("indexName", index.Name);
        if (index.Collator is not null && index.Spec.GetValueOrDefault("collation") is BsonDocument collation) scan.Add("collation", collation.DeepClone());
        scan.Add("isMultiKey", index.IsMultiKey).Add("multiKeyPaths", MultiKeyPaths(index))
            .Add("isUnique", index.Unique).Add("isSparse", index.Sparse).Add("isPartial", index.Partial is not null)
            .Add("indexVersion", 2).Add("indexBounds", CountScanBounds(plan));
        var countScan = Stage("COUNT_SCAN", stats, _returned.GetValueOrDefault("fetch"), scan, works: plan.KeysExamined + 1);
        return Wrap("COUNT", stats, "none", RootDetails(stats), countScan);
    }

    // A count scan always reads forward: its bounds are the start and end keys of the one range (field names kept).
    private static BsonDocument CountScanBounds(QueryPlan plan)
    {
        var index = plan.Index!;
        var names = index.Key.Names.ToArray();
        var (start, end) = (new BsonDocument(), new BsonDocument());
        var (startInclusive, endInclusive) = (true, true);
        for (var i = 0; i < names.Length; i++)
        {
            var interval = plan.Bounds![i][0];
            var descending = (index.Directions?[i] ?? 1) < 0;
            var (low, lowIn, high, highIn) = descending
                ? (interval.High, interval.HighInclusive, interval.Low, interval.LowInclusive)
                : (interval.Low, interval.LowInclusive, interval.High, interval.HighInclusive);
            start.Add(names[i], low);
            end.Add(names[i], high);
            // The range's one interval decides inclusiveness; fields after it are open (MinKey..MaxKey, inclusive).
            if (!interval.IsPoint(index.Collator) && !IsAll(plan.Bounds[i]))
            {
                startInclusive = lowIn;
                endInclusive = highIn;
            }
        }

        return new BsonDocument
        {
            { "startKey", start },
            { "startKeyInclusive", startInclusive },
            { "endKey", end },
            { "endKeyInclusive", endInclusive },
        };
    }

    // Whether the distinct's documents are fetched after the scan: the index cannot give the values itself (a
    // multikey index, a collated index, or a query whose conditions are not all on the index).
    private bool DistinctFetches =>
        _shapeIndex!.IsMultiKey || _shapeIndex.Collator is not null ||
        RawFilter is { ElementCount: > 0 } raw && raw.Any(e => e.Name.StartsWith('$') || !_shapeIndex.Key.Contains(e.Name));

    // PROJECTION_COVERED (the key alone) over DISTINCT_SCAN, or a FETCH between them when the index cannot cover it.
    private BsonDocument DistinctScanStages(bool stats)
    {
        var index = _shapeIndex!;
        var names = index.Key.Names.ToArray();
        var emptyQuery = RawFilter is null || RawFilter.ElementCount == 0;
        var scan = new BsonDocument { { "keyPattern", index.Key.DeepClone() }, { "indexName", index.Name } };
        if (index.Collator is not null && index.Spec.GetValueOrDefault("collation") is BsonDocument collation) scan.Add("collation", collation.DeepClone());
        scan.Add("isMultiKey", index.IsMultiKey).Add("multiKeyPaths", MultiKeyPaths(index))
            .Add("isUnique", index.Unique).Add("isSparse", index.Sparse).Add("isPartial", index.Partial is not null)
            .Add("indexVersion", 2).Add("direction", !emptyQuery && Plan!.Backward ? "backward" : "forward");
        var bounds = new BsonDocument();
        for (var i = 0; i < names.Length; i++)
        {
            var intervals = emptyQuery ? [Interval.All] : Plan!.Bounds![i];
            bounds.Add(names[i], new BsonArray(intervals.Select(b => (BsonValue)b.Format())));
        }

        scan.Add("indexBounds", bounds);
        if (stats) scan.Add("keysExamined", _distinctValues);
        var stage = Stage("DISTINCT_SCAN", stats, _distinctValues, scan, works: _distinctValues + 1);
        var transform = new BsonDocument { { "_id", 0 }, { DistinctKey!, 1 } };
        if (!DistinctFetches)
            return WrapCount("PROJECTION_COVERED", stats, _distinctValues, new BsonDocument("transformBy", transform), stage);
        var fetch = new BsonDocument();
        if (stats) fetch.Add("docsExamined", _distinctValues).Add("alreadyHasObj", 0);
        stage = WrapCount("FETCH", stats, _distinctValues, fetch, stage);
        // With a query the planner's projection is dropped for the FETCH (turnIxscanIntoDistinctIxscan); without one
        // the FETCH is added under the distinct's projection.
        return emptyQuery ? WrapCount("PROJECTION_SIMPLE", stats, _distinctValues, new BsonDocument("transformBy", transform), stage) : stage;
    }

    private static BsonDocument WrapCount(string name, bool stats, long nReturned, BsonDocument details, BsonDocument input)
    {
        var stage = Stage(name, stats, nReturned, details, works: input.GetValueOrDefault("works")?.ToInt64() + 1 ?? 1);
        stage.Add("inputStage", input);
        return stage;
    }

    private static BsonDocument MultiKeyPaths(IndexData index)
    {
        var paths = new BsonDocument();
        var names = index.Key.Names.ToArray();
        for (var i = 0; i < names.Length; i++)
            paths.Add(names[i], index.MultiKeyFields?[i] == true ? new BsonArray { names[i] } : new BsonArray());
        return paths;
    }
}
