using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine.Planning;

/// <summary>
/// Chooses how a query reaches its documents: an _id lookup, a scan of a secondary index's key ranges (equality,
/// ranges, $in, a prefix of a compound key, and a sort the index order already gives), or a collection scan. A plan
/// only narrows the candidates: the whole filter is still applied to each, so any plan returns what a collection scan
/// returns. Bounds are only derived where that is certain: values of one type bracket (a range never crosses types),
/// no null or array operands, a regular expression only through its literal prefix, strings only under the index's own
/// collation, and one predicate per multikey field (two conditions on an array may be met by different elements). An
/// $or whose every branch an index answers becomes an OR of those scans (see QueryPlanner.Or.cs).
/// </summary>
internal static partial class QueryPlanner
{
    /// <summary>The plan for a query.</summary>
    /// <param name="collection">The collection queried.</param>
    /// <param name="filter">The parsed filter.</param>
    /// <param name="rawFilter">The filter as sent.</param>
    /// <param name="collator">The query's collation (null: simple).</param>
    /// <param name="sort">The sort as sent (null: none).</param>
    /// <param name="hint">The hint as sent (null: none); already checked to name an existing index.</param>
    public static QueryPlan Plan(CollectionData collection, Filter filter, BsonDocument? rawFilter, Collator? collator,
        BsonDocument? sort = null, BsonValue? hint = null)
    {
        var scan = new QueryPlan { Path = AccessPath.CollectionScan };
        if (TextFilter.FindIn(filter) is { } text) return TextPlan(collection, text, filter, rawFilter, collator);
        if (NearFilter.FindIn(filter) is { } near) return NearPlan(collection, near);
        if (IsNatural(sort) || hint is BsonDocument { ElementCount: > 0 } h && h.GetElement(0).Name == "$natural") return scan;
        var predicates = new List<PathFilter>();
        Flatten(filter, predicates);
        var hinted = Hinted(collection, hint);
        if (hinted is not null)
        {
            if (hinted.SpecialKeys is not null) return SpecialPlan(hinted, predicates, collator, requireUseful: false) ?? scan;
            if (hinted.Ordered is null && !hinted.IsId) return scan; // a text, hashed or geo index: its order is not the planner's
            return IndexPlan(hinted, predicates, collator, sort, requireUseful: false) ?? scan;
        }

        if (IdEquality(collection, rawFilter, collator) is { } id)
            return new QueryPlan { Path = AccessPath.IdLookup, Index = collection.IdIndex, IdValue = id, BoundPaths = ["_id"] };

        QueryPlan? best = null;
        var bestScore = 0;
        foreach (var index in collection.Indexes)
        {
            if (index.Ordered is null || index.IsHidden) continue;
            if (index.Partial is not null && !Implies(rawFilter, predicates, index)) continue;
            var plan = IndexPlan(index, predicates, collator, sort, requireUseful: true);
            if (plan is null) continue;
            var score = Score(plan, index);
            if (score > bestScore)
            {
                best = plan;
                bestScore = score;
            }
        }

        if (best is null && GeoPlan(collection, filter) is { } geo) return geo;
        if ((best is null || IsAll(best.Bounds![0])) && SpecialPlan(collection, predicates, rawFilter, collator) is { } special) return special;
        // An index that only gives the order scans everything: an $or the indexes answer branch by branch reads less.
        if ((best is null || IsAll(best.Bounds![0])) && OrPlan(collection, filter, rawFilter, collator) is { } or) return or;
        return best ?? scan;
    }

    /// <summary>
    /// The plan of a $text query: it binds the search to the collection's text index (mongod's 27 without one, 291
    /// without equalities on a compound text index's prefix fields) and reads the documents the index's term map holds
    /// under the query's terms (each still scored and matched: phrases, negations, prefix fields); under $or see QueryPlanner.TextOr.cs.
    /// </summary>
    private static QueryPlan TextPlan(CollectionData collection, TextFilter text, Filter filter, BsonDocument? rawFilter, Collator? collator)
    {
        var index = collection.Indexes.FirstOrDefault(i => i.Text is not null && !i.IsHidden)
            ?? throw Errors.IndexNotFound("text index required for $text query");
        var predicates = new List<PathFilter>();
        Flatten(filter, predicates);
        foreach (var field in index.Text!.ExtraBefore)
        {
            if (!predicates.Exists(p => p.Path == field && p.Predicate is EqPredicate))
                throw new Commands.CommandException(291, "NoQueryExecutionPlans", "planner returned error :: caused by :: failed to use text index to satisfy $text query (if text index is compound, are equality predicates given for all prefix fields?)");
        }
        return TextAccess(collection, index, text, filter, rawFilter, collator);
    }

    /// <summary>The hinted index, or null when there is no hint (or it names $natural).</summary>
    private static IndexData? Hinted(CollectionData collection, BsonValue? hint) => hint switch
    {
        BsonString { Value.Length: > 0 } s => collection.FindIndexByName(s.Value),
        BsonDocument { ElementCount: > 0 } d => collection.FindIndexByKey(d),
        _ => null,
    };

    private static bool IsNatural(BsonDocument? sort) => sort is { ElementCount: > 0 } && sort.GetElement(0).Name == "$natural";

    /// <summary>The _id value of an _id equality the _id index can answer (same conditions as before there was a planner).</summary>
    private static BsonValue? IdEquality(CollectionData collection, BsonDocument? filter, Collator? collator)
    {
        if (filter is null || !filter.TryGetValue("_id", out var id)) return null;
        if (id is BsonDocument { ElementCount: 1 } eq && eq.GetElement(0).Name == "$eq") id = eq[0]; // {_id: {$eq: v}} is the same lookup
        if (id is BsonDocument or BsonArray or BsonRegularExpression) return null;
        if (id.BsonType is BsonType.Null or BsonType.MinKey or BsonType.MaxKey or BsonType.Undefined) return null;
        if (id.BsonType is BsonType.String or BsonType.Symbol && !Collator.Same(collator, collection.IdIndex.Collator)) return null;
        return id;
    }

    // Equal prefixes weigh most, then a range on the next field, then a sort the index gives; a multikey index a little
    // less (duplicates to drop). The server runs candidate plans against each other; these rules pick what it would
    // pick in the usual cases.
    private static int Score(QueryPlan plan, IndexData index)
    {
        var points = 0;
        var bounds = plan.Bounds!;
        while (points < bounds.Length && bounds[points].Length > 0 && bounds[points].All(b => b.IsPoint(index.Collator))) points++;
        var range = points < bounds.Length && !IsAll(bounds[points]) ? 1 : 0;
        var empty = bounds.Any(b => b.Length == 0) ? 1 : 0;
        return 1 + (empty * 1000) + (points * 16) + (range * 8) + (plan.ProvidesSort ? 4 : 0) + (index.IsMultiKey ? 0 : 1);
    }

    private static bool IsAll(Interval[] intervals) => intervals.Length == 1 && intervals[0] == Interval.All;

    private static void Flatten(Filter filter, List<PathFilter> into)
    {
        switch (filter)
        {
            case AndFilter and:
                foreach (var c in and.Children) Flatten(c, into);
                break;
            case OrFilter { Children.Count: 1 } single:
                Flatten(single.Children[0], into);
                break;
            case OrFilter equalities when SamePathEqualities(equalities) is { } path:
                // mongod rewrites an $or of equalities on one path to an $in: one scan of the path's index.
                var values = new BsonArray(equalities.Children.Select(c => ((EqPredicate)((PathFilter)c).Predicate).Value));
                into.Add(new PathFilter(path, new InPredicate(values)));
                break;
            case PathFilter p when p.Expands && p.Path.Length > 0 && p.Predicate is EqPredicate or ComparePredicate or InPredicate or RegexPredicate:
                into.Add(p);
                break;
        }
    }

    /// <summary>The path every branch of <paramref name="or"/> is an equality on, or null.</summary>
    private static string? SamePathEqualities(OrFilter or)
    {
        string? path = null;
        foreach (var child in or.Children)
        {
            if (child is not PathFilter { Expands: true, Predicate: EqPredicate eq } p || p.Path.Length == 0 || path is not null && p.Path != path) return null;
            if (eq.Value is BsonRegularExpression) return null;
            if (eq.Value is BsonDocument { ElementCount: > 0 } d && d.GetElement(0).Name.StartsWith('$')) return null;
            path = p.Path;
        }

        return path;
    }

    /// <summary>
    /// A plan scanning <paramref name="index"/>; with <paramref name="requireUseful"/>, null unless its bounds narrow
    /// the leading field or its order gives the sort (an unhinted full scan that does neither is never chosen).
    /// </summary>
    private static QueryPlan? IndexPlan(IndexData index, List<PathFilter> predicates, Collator? collator, BsonDocument? sort, bool requireUseful)
    {
        var paths = index.Key.Names.ToArray();
        var bounds = new Interval[paths.Length][];
        var boundPaths = new List<string>();
        for (var i = 0; i < paths.Length; i++)
        {
            Interval[]? field = null;
            var multikey = index.MultiKeyFields?[i] ?? false;
            if (!paths[i].Split('.').Any(p => FieldPath.TryParseIndex(p, out _)))
            {
                foreach (var p in predicates)
                {
                    if (p.Path != paths[i]) continue;
                    var intervals = Intervals(p.Predicate, collator, index.Collator);
                    if (intervals is null) continue;
                    field = field is null ? intervals : Intersect(field, intervals, index.Collator);
                    if (!boundPaths.Contains(paths[i])) boundPaths.Add(paths[i]);
                    if (multikey) break; // conditions on an array may hold on different elements: one bounds the scan
                }
            }

            bounds[i] = field ?? [Interval.All];
        }

        var (providesSort, backward) = SortOrder(index, bounds, sort, collator);
        if (requireUseful)
        {
            var useful = !IsAll(bounds[0]);
            // A full scan for order alone must see every document: sparse and partial indexes do not hold them all.
            if (!useful && !(providesSort && !index.Sparse && index.Partial is null)) return null;
        }

        return new QueryPlan
        {
            Path = AccessPath.IndexScan,
            Index = index,
            Bounds = bounds,
            ProvidesSort = providesSort,
            Backward = backward,
            BoundPaths = boundPaths,
        };
    }

    /// <summary>Whether scanning the index (forward or backward) yields the sort's order, and in which direction.</summary>
    private static (bool Provides, bool Backward) SortOrder(IndexData index, Interval[][] bounds, BsonDocument? sort, Collator? collator)
    {
        if (sort is null || sort.ElementCount == 0 || !Collator.Same(index.Collator, collator)) return (false, false);
        var names = index.Key.Names.ToArray();
        var dirs = index.Directions ?? [1]; // a hinted _id index: {_id: 1}
        var j = 0;
        var relative = 0;
        foreach (var (path, value) in sort)
        {
            if (!value.IsNumeric) return (false, false);
            var dir = value.ToDouble() > 0 ? 1 : -1;
            // Fields pinned to one value by the filter are constant in the scan, so the order continues past them.
            while (j < names.Length && names[j] != path && bounds[j].Length == 1 && bounds[j][0].IsPoint(index.Collator)) j++;
            if (j >= names.Length || names[j] != path || index.MultiKeyFields?[j] == true) return (false, false);
            var r = dir * dirs[j];
            if (relative != 0 && r != relative) return (false, false);
            relative = r;
            j++;
        }

        return (true, relative < 0);
    }

    /// <summary>The intervals a predicate confines a field's index keys to, or null when it cannot bound them.</summary>
    private static Interval[]? Intervals(Predicate predicate, Collator? queryCollator, Collator? indexCollator)
    {
        switch (predicate)
        {
            case EqPredicate eq:
                return PointUsable(eq.Value, queryCollator, indexCollator) ? [Interval.Point(eq.Value)] : null;
            case InPredicate inp:
                {
                    if (inp.HasRegexes || !inp.Values.All(v => PointUsable(v, queryCollator, indexCollator))) return null;
                    var sorted = inp.Values.ToList();
                    sorted.Sort((a, b) => BsonOrder.Compare(a, b, indexCollator));
                    var result = new List<Interval>();
                    foreach (var v in sorted)
                        if (result.Count == 0 || BsonOrder.Compare(result[^1].Low, v, indexCollator) != 0) result.Add(Interval.Point(v));
                    return result.ToArray();
                }

            case ComparePredicate cmp:
                {
                    var v = cmp.Operand;
                    if (v.IsNumeric && double.IsNaN(v.ToDouble())) return null;
                    if (Interval.Bracket(v) is not { } bracket) return null;
                    if (CollationSensitive(v) && !Collator.Same(queryCollator, indexCollator)) return null;
                    return cmp.Op switch
                    {
                        CompareOp.Gt => [new Interval(v, false, bracket.Last, bracket.LastInclusive)],
                        CompareOp.Gte => [new Interval(v, true, bracket.Last, bracket.LastInclusive)],
                        CompareOp.Lt => [new Interval(bracket.First, bracket.FirstInclusive, v, false)],
                        _ => [new Interval(bracket.First, bracket.FirstInclusive, v, true)],
                    };
                }

            case RegexPredicate re:
                return RegexIntervals(re, indexCollator);

            default:
                return null;
        }
    }

    /// <summary>Whether an equality to <paramref name="v"/> may be looked up as one key.</summary>
    private static bool PointUsable(BsonValue v, Collator? queryCollator, Collator? indexCollator)
    {
        // Null also matches missing fields and arrays are also compared whole: neither is one key of the index.
        if (v.BsonType is BsonType.Null or BsonType.Undefined or BsonType.Array or BsonType.RegularExpression or BsonType.MinKey or BsonType.MaxKey) return false;
        if (v is BsonDouble d && double.IsNaN(d.Value)) return false;
        return !CollationSensitive(v) || Collator.Same(queryCollator, indexCollator);
    }

    private static bool CollationSensitive(BsonValue v) => v.BsonType is BsonType.String or BsonType.Symbol or BsonType.Document or BsonType.Array;

    private static Interval[] Intersect(Interval[] a, Interval[] b, Collator? collator)
    {
        var result = new List<Interval>();
        foreach (var x in a)
            foreach (var y in b)
                if (x.Intersect(y, collator) is { } z) result.Add(z);
        result.Sort((p, q) => BsonOrder.Compare(p.Low, q.Low, collator));
        return result.ToArray();
    }

    /// <summary>
    /// Whether every document the filter matches is in the partial index: each top-level condition of the index's
    /// filter appears as is in the query, or holds for the value a query equality pins its field to.
    /// </summary>
    private static bool Implies(BsonDocument? rawFilter, List<PathFilter> predicates, IndexData index)
    {
        if (rawFilter is null || index.Spec["partialFilterExpression"] is not BsonDocument partial) return false;
        foreach (var (name, condition) in partial)
        {
            if (rawFilter.TryGetValue(name, out var same) && BsonOrder.Compare(same, condition) == 0) continue;
            if (name.StartsWith('$') || name.Contains('.', StringComparison.Ordinal)) return false;
            var pinned = predicates.FirstOrDefault(p => p.Path == name && p.Predicate is EqPredicate eq && eq.Value.BsonType is not (BsonType.Null or BsonType.Array));
            if (pinned is null) return false;
            var probe = new BsonDocument(name, ((EqPredicate)pinned.Predicate).Value);
            if (!FilterParser.Parse(new BsonDocument(name, condition)).Matches(probe)) return false;
        }

        return true;
    }
}
