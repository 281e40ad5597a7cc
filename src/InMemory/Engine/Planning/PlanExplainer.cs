using System.Diagnostics;
using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine.Planning;

/// <summary>What explain verbosity asks for.</summary>
internal enum ExplainVerbosity
{
    QueryPlanner,
    ExecutionStats,
    AllPlansExecution,
}

/// <summary>
/// One query as explain describes it: its plan's stage tree in the server's shape (<c>COLLSCAN</c>, or <c>FETCH</c> over
/// <c>IXSCAN</c>, under <c>SORT</c>/<c>SKIP</c>/<c>LIMIT</c>/<c>PROJECTION_*</c> and the command's own stage) and, when
/// executed, each stage's counts as they happened. Executing runs the very plan the command would run (the same access
/// path and early stop), but changes nothing: write commands report what they would match.
/// </summary>
internal sealed partial class PlanExplainer
{
    public required CollectionData? Collection { get; init; }

    public required Filter Filter { get; init; }

    public BsonDocument? RawFilter { get; init; }

    public Collator? Collator { get; init; }

    public BsonDocument? Sort { get; init; }

    public BsonValue? Hint { get; init; }

    public BsonDocument? Projection { get; init; }

    public long Skip { get; init; }

    public long Limit { get; init; }

    /// <summary>The command's own stage above the query's (COUNT, UPDATE, DELETE), or null for find.</summary>
    public string? RootStage { get; init; }

    /// <summary>Whether a write stops at its first match (updateOne, deleteOne, findAndModify).</summary>
    public bool SingleWrite { get; init; }

    private QueryPlan? _plan;
    private readonly Dictionary<string, long> _returned = [];
    private long _millis;

    public QueryPlan? Plan
    {
        get
        {
            if (_plan is null && Collection?.PlanQuery(Filter, RawFilter, Collator, Sort, Hint) is { } plan)
            {
                plan.Covered = IsCovered(plan);
                _plan = plan;
            }

            return _plan;
        }
    }

    /// <summary>
    /// Whether the index keys alone answer the query, as mongod decides a covered plan: one scan of a non-multikey index
    /// without a collation (its string keys would be collation keys, not the strings), bounds that answer the whole
    /// filter, no sort left to do, and a projection including only key fields, _id excluded unless it is one of them
    /// (and, as a null key may be a missing field, only fields the bounds keep from null).
    /// </summary>
    private bool IsCovered(QueryPlan plan)
    {
        if (plan.Path != AccessPath.IndexScan || plan.Index is not { Ordered: not null } index) return false;
        if (index.IsMultiKey || index.Collator is not null || RootStage is not null) return false;
        if (Sort is { ElementCount: > 0 } && !plan.ProvidesSort) return false;
        if (Projection is not { ElementCount: > 0 } || Residual(plan, RawFilter).ElementCount > 0) return false;
        if (RawFilter is { } raw && raw.Any(e => e.Name.StartsWith('$') || !index.Key.Contains(e.Name))) return false;
        var idExcluded = false;
        foreach (var (name, value) in Projection)
        {
            var included = value switch
            {
                BsonBoolean b => b.Value,
                _ when value.IsNumeric => value.ToDouble() != 0,
                _ => (bool?)null,
            };
            if (included is null) return false; // an expression, $slice, $elemMatch or a positional projection
            if (name == "_id" && included == false)
            {
                idExcluded = true;
                continue;
            }

            if (included == false || name.Contains('$', StringComparison.Ordinal) || !index.Key.Contains(name)) return false;
            // A null key stands for null and for a missing field alike, which the projection tells apart.
            var bounds = plan.Bounds![Array.IndexOf(index.Key.Names.ToArray(), name)];
            if (bounds.Any(b => b.Contains(BsonNull.Value, null))) return false;
        }

        return idExcluded || index.Key.Contains("_id");
    }

    // An _id lookup answers a filter that is the _id equality alone without a FETCH: mongod's IDHACK (isIdHackEligibleQuery).
    private bool IdHack => Plan?.Path == AccessPath.IdLookup && IsSimpleIdQuery(RawFilter) && Skip == 0;

    /// <summary>Runs the plan as the command would (without writing), recording each stage's output.</summary>
    public void Execute()
    {
        var watch = Stopwatch.StartNew();
        if (Plan is not { } plan || ExecuteShape())
        {
            _millis = watch.ElapsedMilliseconds;
            return;
        }

        var sortSpec = Sort is null ? null : SortSpec.Parse(Sort, Collator);
        var sorted = sortSpec is null || sortSpec.IsEmpty || plan.ProvidesSort;
        long enough = long.MaxValue;
        if (SingleWrite && sorted) enough = 1;
        else if (sorted && Limit > 0) enough = Skip + Limit;
        var matched = new List<BsonDocument>();
        long accessed = 0;
        foreach (var doc in plan.Run(Collection!))
        {
            accessed++;
            if (Filter.Matches(doc)) matched.Add(doc);
            if (matched.Count >= enough) break;
        }

        if (Shape == ExplainShape.DistinctScan)
        {
            _distinctValues = CountDistinct(matched);
            _returned["limit"] = _distinctValues;
            _millis = watch.ElapsedMilliseconds;
            return;
        }

        _returned["access"] = accessed;
        _returned["fetch"] = matched.Count;
        var afterSort = sorted ? matched.Count : Limit > 0 ? Math.Min(matched.Count, Skip + Limit) : matched.Count;
        _returned["sort"] = afterSort;
        var afterSkip = Math.Max(0, afterSort - Skip);
        _returned["skip"] = afterSkip;
        var afterLimit = Limit > 0 ? Math.Min(afterSkip, Limit) : afterSkip;
        if (SingleWrite) afterLimit = Math.Min(afterLimit, 1);
        _returned["limit"] = afterLimit;
        if (Update is not null) WouldWrite(sorted || sortSpec is null ? matched : sortSpec.Sort(matched, d => d), afterLimit);
        _millis = watch.ElapsedMilliseconds;
    }

    /// <summary>The documents the query returns (find, count) or the write would touch.</summary>
    public long Returned => _returned.GetValueOrDefault("limit");

    /// <summary>queryPlanner's winningPlan.</summary>
    public BsonDocument WinningPlan() => Cached(Stages(stats: false));

    // getWinningPlanStats marks the plan's root with isCached (false: there is no plan cache) at every verbosity.
    private static BsonDocument Cached(BsonDocument plan)
    {
        var result = new BsonDocument { { "isCached", false } };
        foreach (var e in plan) result.Add(e);
        return result;
    }

    /// <summary>The executionStats section (call <see cref="Execute"/> first).</summary>
    public BsonDocument ExecutionStats(ExplainVerbosity verbosity, long nReturned)
    {
        var stats = new BsonDocument
        {
            { "executionSuccess", _error is null },
        };
        if (_error is not null) stats.Add("errorMessage", _error.Message).Add("errorCode", _error.Code);
        stats.Add("nReturned", Num(nReturned))
            .Add("executionTimeMillis", Num(_millis))
            .Add("totalKeysExamined", Num(TotalKeysExamined))
            .Add("totalDocsExamined", Num(TotalDocsExamined))
            .Add("executionStages", Cached(Stages(stats: true)));
        // One plan was considered worth running, so there is nothing else to report for the others.
        if (verbosity == ExplainVerbosity.AllPlansExecution) stats.Add("allPlansExecution", new BsonArray());
        return stats;
    }

    private BsonDocument Stages(bool stats)
    {
        // A count of a collection that does not exist still has its COUNT stage (over EOF).
        if (Plan is not { } plan) return RootStage == "COUNT" ? Wrap("COUNT", stats, "none", RootDetails(stats), Stage("EOF", stats, 0, null)) : Stage("EOF", stats, 0, null);
        if (ShapeStages(stats) is { } shaped) return shaped;
        var stage = Access(plan, stats);
        if (Sort is { ElementCount: > 0 } && !plan.ProvidesSort)
        {
            var sort = new BsonDocument { { "sortPattern", Sort.DeepClone() }, { "memLimit", 104857600 } };
            if (Limit > 0) sort.Add("limitAmount", Skip + Limit);
            // SORT_DEFAULT sorts documents carrying metadata (a text score); the rest is SORT_SIMPLE.
            sort.Add("type", Sort.Any(e => e.Value is BsonDocument m && m.Contains("$meta")) ? "default" : "simple");
            if (stats) sort.Add("totalDataSizeSorted", 0).Add("usedDisk", false).Add("spills", 0).Add("spilledDataStorageSize", 0);
            stage = Wrap("SORT", stats, "sort", sort, stage);
        }

        if (Skip > 0) stage = Wrap("SKIP", stats, "skip", new BsonDocument("skipAmount", Skip), stage);
        if (Limit > 0 && (Sort is null || plan.ProvidesSort)) stage = Wrap("LIMIT", stats, "limit", new BsonDocument("limitAmount", Limit), stage);
        if (plan.Covered)
        {
            stage = Wrap("PROJECTION_COVERED", stats, "limit", new BsonDocument("transformBy", Projection!.DeepClone()), stage);
        }
        else if (Projection is { ElementCount: > 0 })
        {
            var simple = Projection.All(e => !e.Name.Contains('.', StringComparison.Ordinal) && (e.Value.IsNumeric || e.Value.BsonType == BsonType.Boolean));
            stage = Wrap(simple ? "PROJECTION_SIMPLE" : "PROJECTION_DEFAULT", stats, "limit", new BsonDocument("transformBy", Projection.DeepClone()), stage);
        }

        // A multi-document delete runs as BATCHED_DELETE (get_executor.cpp's batchDelete: multi, not returning the deleted document).
        var root = RootStage == "DELETE" && !SingleWrite ? "BATCHED_DELETE" : RootStage;
        if (root is not null) stage = Wrap(root, stats, root == "COUNT" ? "none" : "limit", RootDetails(stats), stage);
        return stage;
    }

    private BsonDocument RootDetails(bool stats)
    {
        var d = new BsonDocument();
        if (!stats) return d;
        var n = _returned.GetValueOrDefault("limit");
        switch (RootStage)
        {
            case "COUNT": d.Add("nCounted", n).Add("nSkipped", Math.Min(Skip, _returned.GetValueOrDefault("sort"))); break;
            case "UPDATE": d.Add("nMatched", n).Add("nWouldModify", _wouldModify).Add("nWouldUpsert", _wouldUpsert ? 1 : 0); break;
            case "DELETE": d.Add("nWouldDelete", n); break;
        }

        return d;
    }

    private BsonDocument Access(QueryPlan plan, bool stats)
    {
        if (plan.Path == AccessPath.CollectionScan)
        {
            var scan = new BsonDocument();
            if (RawFilter is { ElementCount: > 0 }) scan.Add("filter", ParsedQuery(RawFilter));
            scan.Add("direction", "forward");
            if (stats) scan.Add("docsExamined", plan.DocsExamined);
            return Stage("COLLSCAN", stats, _returned.GetValueOrDefault("access"), scan, works: plan.DocsExamined + 1);
        }

        if (plan.Path == AccessPath.TextScan)
        {
            var collscan = plan.TextTerms is null ? TextCollectionScan(plan, stats) : TextIndexScans(plan, stats);
            var match = new BsonDocument
            {
                { "indexPrefix", new BsonDocument() },
                { "indexName", plan.Index!.Name },
                { "parsedTextQuery", TextFilter.FindIn(Filter)?.Query?.ToBson() ?? new BsonDocument() },
                { "textIndexVersion", 3 },
            };
            if (stats) match.Add("docsRejected", Math.Max(0, _returned.GetValueOrDefault("access") - _returned.GetValueOrDefault("fetch")));
            return Wrap("TEXT_MATCH", stats, "fetch", match, collscan);
        }

        if (plan.Path is AccessPath.NearScan or AccessPath.GeoScan) return GeoAccess(plan, stats);

        if (IdHack) return IdHackStage(plan, stats, _returned.GetValueOrDefault("fetch"));
        if (plan.Path == AccessPath.Or) return OrStages(plan, stats);
        var ixStage = IndexScanStage(plan, stats, _returned.GetValueOrDefault("access"));
        if (plan.Covered) return ixStage; // the keys are all the query needs: nothing is fetched
        var fetch = new BsonDocument();
        var residual = Residual(plan, RawFilter);
        if (residual.ElementCount > 0) fetch.Add("filter", ParsedQuery(residual));
        if (stats) fetch.Add("docsExamined", plan.DocsExamined).Add("alreadyHasObj", 0);
        return Wrap("FETCH", stats, "fetch", fetch, ixStage);
    }

    /// <summary>The IXSCAN stage of an index scan or _id lookup plan.</summary>
    private static BsonDocument IndexScanStage(QueryPlan plan, bool stats, long nReturned)
    {
        var index = plan.Index!;
        var ix = new BsonDocument
        {
            { "keyPattern", (plan.ScanKeyPattern ?? index.Key).DeepClone() },
            { "indexName", index.Name },
        };
        // An index with a collation prints it (its keys are collation keys, not the strings).
        if (index.Collator is not null && index.Spec.GetValueOrDefault("collation") is BsonDocument collation) ix.Add("collation", collation.DeepClone());
        ix.Add("isMultiKey", plan.ScanKeyPattern is null ? index.IsMultiKey : plan.ScanMultiKey);
        var multiKeyPaths = new BsonDocument();
        var names = (plan.ScanKeyPattern ?? index.Key).Names.ToArray();
        for (var i = 0; i < names.Length; i++)
            multiKeyPaths.Add(names[i], index.MultiKeyFields?[i] == true || plan.ScanMultiKey && i > 0 ? new BsonArray { names[i] } : new BsonArray());
        ix.Add("multiKeyPaths", multiKeyPaths)
            .Add("isUnique", index.Unique)
            .Add("isSparse", index.Sparse)
            .Add("isPartial", index.Partial is not null)
            .Add("indexVersion", 2)
            .Add("direction", plan.Backward ? "backward" : "forward");
        var bounds = new BsonDocument();
        var allBounds = plan.Bounds ?? [[Interval.Point(plan.IdValue!)]];
        for (var i = 0; i < names.Length; i++)
        {
            // Printed in the order the scan meets them: a field read from high to low lists its intervals reversed.
            var descending = (index.Directions?[i] ?? 1) < 0 != plan.Backward;
            var intervals = descending ? Enumerable.Reverse(allBounds[i]).Select(b => new Interval(b.High, b.HighInclusive, b.Low, b.LowInclusive)) : allBounds[i];
            bounds.Add(names[i], new BsonArray(intervals.Select(b => (BsonValue)b.Format())));
        }

        ix.Add("indexBounds", bounds);
        if (stats)
        {
            ix.Add("keysExamined", plan.KeysExamined).Add("seeks", Math.Max(1, plan.Seeks))
                .Add("dupsTested", plan.DupsTested).Add("dupsDropped", plan.DupsDropped);
        }

        return Stage("IXSCAN", stats, nReturned, ix, works: plan.KeysExamined + 1);
    }

    /// <summary>The filter's top-level conditions that the index bounds do not answer.</summary>
    private static BsonDocument Residual(QueryPlan plan, BsonDocument? rawFilter)
    {
        var residual = new BsonDocument();
        if (rawFilter is null) return residual;
        foreach (var e in rawFilter)
            if (!plan.BoundPaths.Contains(e.Name) || !Exact(e.Value)) residual.Add(e);
        return residual;
    }

    // A condition the bounds answer exactly: a plain equality or comparisons/$in the planner turned into intervals.
    // A regular expression only when it is an anchored literal (/^abc/: its prefix range is exactly its matches).
    private static bool Exact(BsonValue condition) => condition switch
    {
        BsonRegularExpression re => QueryPlanner.IsExactPrefix(re.Pattern, re.Options),
        BsonDocument { ElementCount: > 0 } d when d.GetElement(0).Name.StartsWith('$') => d.All(e => e.Name switch
        {
            "$eq" or "$gt" or "$gte" or "$lt" or "$lte" or "$in" => true,
            "$regex" => QueryPlanner.IsExactPrefix(RegexPattern(e.Value), RegexOptions(d)),
            "$options" => QueryPlanner.IsExactPrefix(RegexPattern(d["$regex"]), RegexOptions(d)),
            _ => false,
        }),
        _ => true,
    };

    private static string RegexPattern(BsonValue v) => v is BsonRegularExpression re ? re.Pattern : v is BsonString s ? s.Value : "(";

    private static string RegexOptions(BsonDocument d) =>
        (d["$regex"] as BsonRegularExpression)?.Options + (d.GetValueOrDefault("$options") as BsonString)?.Value;

    private BsonDocument Wrap(string name, bool stats, string returnedKey, BsonDocument details, BsonDocument input)
    {
        var stage = Stage(name, stats, _returned.GetValueOrDefault(returnedKey), details, works: input.GetValueOrDefault("works")?.ToInt64() + 1 ?? 1);
        stage.Add("inputStage", input);
        return stage;
    }

    // mongod's statsToBSON: the stage's name, its filter, the common counters (executionStats and up), then the
    // stage's own fields; every count goes through appendNumber, so it is an int below 2^30.
    private static BsonDocument Stage(string name, bool stats, long nReturned, BsonDocument? details, long works = 1)
    {
        var stage = new BsonDocument("stage", name);
        if (details?.GetValueOrDefault("filter") is { } filter) stage.Add("filter", filter);
        if (stats)
        {
            var allWorks = Math.Max(works, nReturned + 1);
            stage.Add("nReturned", Num(nReturned))
                .Add("executionTimeMillisEstimate", 0)
                .Add("works", Num(allWorks))
                .Add("advanced", Num(nReturned))
                .Add("needTime", Num(Math.Max(0, allWorks - nReturned - 1)))
                .Add("needYield", 0)
                .Add("saveState", 0)
                .Add("restoreState", 0)
                .Add("isEOF", 1);
        }

        if (details is not null)
            foreach (var e in details)
                if (e.Name != "filter") stage.Add(e.Name, e.Value is BsonInt64 l ? Num(l.Value) : e.Value);
        return stage;
    }

    /// <summary>A count as mongod's BSONObjBuilder::appendNumber writes it: an int when it is within ±2^30, else a long.</summary>
    internal static BsonValue Num(long n) => n > -(1L << 30) && n < 1L << 30 ? new BsonInt32((int)n) : new BsonInt64(n);
}
