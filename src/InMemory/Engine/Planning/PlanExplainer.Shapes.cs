using System.Globalization;
using System.Text;
using Mongo.Bson;

namespace Mongo.InMemory.Engine.Planning;

/// <summary>Which tree explain shows for a query, past the ordinary stage tree of its plan.</summary>
internal enum ExplainShape
{
    /// <summary>The plan's stages (COLLSCAN, FETCH over IXSCAN, OR ...) under SORT/SKIP/LIMIT/PROJECTION_* and the command's stage.</summary>
    Classic,

    /// <summary>mongod 8.0's express path: one index lookup, no stage tree (EXPRESS_IXSCAN, EXPRESS_UPDATE, EXPRESS_DELETE).</summary>
    Express,

    /// <summary>A count with an empty query and no hint: the record store's count (RECORD_STORE_FAST_COUNT).</summary>
    FastCount,

    /// <summary>A count whose index bounds are one key range and need no FETCH filter: COUNT over COUNT_SCAN.</summary>
    CountScan,

    /// <summary>A distinct an index answers by skipping from one key value to the next: DISTINCT_SCAN.</summary>
    DistinctScan,
}

/// <summary>
/// The plan shapes mongod 8.0 picks before or instead of ordinary planning, checked against its source
/// (get_executor.cpp: express eligibility, isIdHackEligibleQuery, getExecutorCount's record-store count,
/// turnIxscanIntoCount, getDistinctNodeIndex/turnIxscanIntoDistinctIxscan; plan_explainer_express.cpp for the
/// express shape). They change what explain shows and counts, never the documents a command answers.
/// </summary>
internal sealed partial class PlanExplainer
{
    /// <summary>The distinct command's key (null for every other command).</summary>
    public string? DistinctKey { get; init; }

    /// <summary>Whether the write upserts when nothing matches (explained update and findAndModify).</summary>
    public bool Upsert { get; init; }

    /// <summary>Whether findAndModify returns only some fields (its "fields"): the express path does not take it.</summary>
    public bool HasReturnFields { get; init; }

    private ExplainShape? _shape;
    private IndexData? _shapeIndex;

    /// <summary>The tree explain shows (decided once, before the plan runs).</summary>
    public ExplainShape Shape
    {
        get
        {
            if (_shape is null)
            {
                (_shape, _shapeIndex) = DecideShape();
                // A count scan reads keys only: nothing is fetched, as for a covered scan.
                if (_shape == ExplainShape.CountScan) Plan!.Covered = true;
            }

            return _shape.Value;
        }
    }

    private (ExplainShape, IndexData?) DecideShape()
    {
        if (Collection is null) return (ExplainShape.Classic, null);
        if (RootStage == "COUNT" && (RawFilter is null || RawFilter.ElementCount == 0) && Hint is null) return (ExplainShape.FastCount, null);
        if (ExpressIndex() is { } express) return (ExplainShape.Express, express);
        if (RootStage == "COUNT" && CountScanEligible()) return (ExplainShape.CountScan, Plan!.Index);
        if (DistinctKey is not null && DistinctScanIndex() is { } distinct) return (ExplainShape.DistinctScan, distinct);
        return (ExplainShape.Classic, null);
    }

    /// <summary>
    /// The index mongod 8.0's express path reads, or null. Finds: an _id equality (the _id index), or an equality on one
    /// field that a unique single-field index answers (any index led by the field when the limit is 1), with no sort,
    /// skip, hint or non-simple projection. Updates and deletes: an _id equality without upsert, sort or hint.
    /// </summary>
    private IndexData? ExpressIndex()
    {
        if (Hint is not null || Sort is { ElementCount: > 0 } || Skip != 0) return null;
        var idLookup = Plan?.Path == AccessPath.IdLookup && IsSimpleIdQuery(RawFilter);
        switch (RootStage)
        {
            case "UPDATE" or "DELETE":
                return idLookup && !Upsert && !HasReturnFields ? Collection!.IdIndex : null;
            case null:
                break;
            default:
                return null;
        }

        if (Projection is { ElementCount: > 0 } && !IsSimpleProjection(Projection)) return null;
        if (idLookup) return Collection!.IdIndex;
        if (RawFilter is not { ElementCount: 1 } || RawFilter.GetElement(0).Name.StartsWith('$')) return null;
        var (path, value) = (RawFilter.GetElement(0).Name, RawFilter[0]);
        if (value is BsonDocument { ElementCount: 1 } eq && eq.GetElement(0).Name == "$eq") value = eq[0];
        if (!ExpressValue(value)) return null;
        IndexData? best = null;
        foreach (var index in Collection!.Indexes)
        {
            if (index.Ordered is null || index.IsHidden || index.Partial is not null || index.Key.GetElement(0).Name != path) continue;
            if (value.BsonType is BsonType.String or BsonType.Symbol && !Collation.Collator.Same(Collator, index.Collator)) continue;
            // At most one document must match: a unique single-field index, or any index when the limit is 1.
            if (!(index.Unique && index.Key.ElementCount == 1) && Limit != 1) continue;
            if (best is null || index.Key.ElementCount < best.Key.ElementCount) best = index;
        }

        return best;
    }

    // {_id: v} or {_id: {$eq: v}} and nothing else (CanonicalQuery::isSimpleIdQuery).
    private static bool IsSimpleIdQuery(BsonDocument? filter) =>
        filter is { ElementCount: 1 } && filter.GetElement(0).Name == "_id" &&
        (filter[0] is not BsonDocument d || d.ElementCount == 1 && d.GetElement(0).Name == "$eq");

    // A value an index key compares to exactly: not null (also matches missing), an array, a regular expression or an
    // embedded document (collation-dependent and compared whole).
    private static bool ExpressValue(BsonValue value) =>
        value.BsonType is not (BsonType.Null or BsonType.Undefined or BsonType.Array or BsonType.RegularExpression or BsonType.Document
            or BsonType.MinKey or BsonType.MaxKey) && !(value is BsonDouble d && double.IsNaN(d.Value));

    // An inclusion or exclusion of top-level fields, nothing computed (ProjectionStageSimple's kind).
    private static bool IsSimpleProjection(BsonDocument projection) =>
        projection.All(e => !e.Name.Contains('.', StringComparison.Ordinal) && !e.Name.StartsWith('$') && (e.Value.IsNumeric || e.Value.BsonType == BsonType.Boolean));

    /// <summary>
    /// Whether a count's plan becomes a COUNT_SCAN (turnIxscanIntoCount): one index scan with no condition left for a
    /// FETCH, whose bounds are a single key range (leading fields pinned to one value, then at most one interval, then
    /// fields left unbounded).
    /// </summary>
    private bool CountScanEligible()
    {
        if (Plan is not { Path: AccessPath.IndexScan, Index.Ordered: not null } plan || Residual(plan, RawFilter).ElementCount > 0) return false;
        if (RawFilter is { } raw && raw.Any(e => e.Name.StartsWith('$'))) return false;
        // On a multikey index only one condition per field bounds the scan: a second one would need the FETCH.
        if (plan.Index!.IsMultiKey && RawFilter is { } f && f.Any(e => e.Value is BsonDocument { ElementCount: > 1 })) return false;
        var bounds = plan.Bounds!;
        var i = 0;
        while (i < bounds.Length && bounds[i].Length == 1 && bounds[i][0].IsPoint(plan.Index.Collator)) i++;
        if (i < bounds.Length && bounds[i].Length != 1) return false;
        for (i++; i < bounds.Length; i++)
            if (!IsAll(bounds[i])) return false;
        return true;
    }

    private static bool IsAll(Interval[] intervals) => intervals.Length == 1 && intervals[0] == Interval.All;

    /// <summary>
    /// The index a distinct scans key value by key value, or null. Without a query (getDistinctNodeIndex): the index
    /// with the fewest fields whose first field is the key, not partial, of the query's collation. With a query
    /// (turnIxscanIntoDistinctIxscan): the planned index scan, when its index holds the key, the key is not multikey
    /// and no condition is left for a FETCH.
    /// </summary>
    private IndexData? DistinctScanIndex()
    {
        var key = DistinctKey!;
        if (RawFilter is null || RawFilter.ElementCount == 0)
        {
            var hinted = Hint is null ? null : Collection!.Indexes.FirstOrDefault(i => Hint is BsonString s ? i.Name == s.Value : Hint is BsonDocument d && BsonOrder.Compare(i.Key, d) == 0);
            IndexData? best = null;
            foreach (var index in Collection!.Indexes)
            {
                if (hinted is not null && index != hinted) continue;
                if (index.IsHidden || index.Partial is not null || index.Key.GetElement(0).Name != key || !index.Key[0].IsNumeric) continue;
                if (index.Ordered is null && !index.IsId) continue; // text, geo and hashed keys are not the values
                if (!Collation.Collator.Same(Collator, index.Collator)) continue;
                // A multikey index cannot give a dotted key's values (its projection cannot be covered).
                if (index.IsMultiKey && key.Contains('.', StringComparison.Ordinal)) continue;
                if (best is null || index.Key.ElementCount < best.Key.ElementCount) best = index;
            }

            return best;
        }

        if (Plan is not { Path: AccessPath.IndexScan, Index: { Ordered: not null } planned } plan || Residual(plan, RawFilter).ElementCount > 0) return null;
        var at = Array.IndexOf(planned.Key.Names.ToArray(), key);
        if (at < 0 || planned.MultiKeyFields?[at] == true) return null;
        return planned;
    }

    /// <summary>The key pattern as mongod's express explain prints it: BSONObj::toString (e.g. "{ _id: 1 }").</summary>
    internal static string KeyPatternString(BsonDocument key)
    {
        var sb = new StringBuilder("{ ");
        var first = true;
        foreach (var (name, value) in key)
        {
            if (!first) sb.Append(", ");
            first = false;
            sb.Append(name).Append(": ");
            sb.Append(value switch
            {
                BsonInt32 i => i.Value.ToString(CultureInfo.InvariantCulture),
                BsonInt64 l => l.Value.ToString(CultureInfo.InvariantCulture),
                BsonDouble d when Math.Abs(d.Value) < 1e15 && d.Value == Math.Floor(d.Value) => d.Value.ToString("0.0", CultureInfo.InvariantCulture),
                BsonDouble d => d.Value.ToString("R", CultureInfo.InvariantCulture),
                BsonString s => "\"" + s.Value + "\"",
                _ => value.ToString(),
            });
        }

        return sb.Append(" }").ToString();
    }
}
