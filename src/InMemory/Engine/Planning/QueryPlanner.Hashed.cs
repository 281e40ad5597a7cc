using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;
using Mongo.InMemory.Engine.Indexing;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine.Planning;

/// <summary>
/// Plans on hashed indexes: an equality (or $in) on a hashed field scans the hashes of its values, as mongod's IXSCAN
/// with the NumberLong hash bounds. A hash stands for many values (1 and 1.5 hash alike), so the predicate stays in the
/// FETCH filter; other fields of a compound hashed index are bounded as in any index.
/// </summary>
internal static partial class QueryPlanner
{
    /// <summary>The best plan a hashed or wildcard index gives the query (null: none is usable).</summary>
    private static QueryPlan? SpecialPlan(CollectionData collection, List<PathFilter> predicates, BsonDocument? rawFilter, Collator? collator)
    {
        foreach (var index in collection.Indexes)
        {
            if (index.SpecialKeys is null || index.IsHidden) continue;
            if (index.Partial is not null && !Implies(rawFilter, predicates, index)) continue;
            if (SpecialPlan(index, predicates, collator, requireUseful: true) is { } plan) return plan;
        }

        return null;
    }

    /// <summary>The plan scanning one hashed or wildcard index (null when it cannot bound the query).</summary>
    private static QueryPlan? SpecialPlan(IndexData index, List<PathFilter> predicates, Collator? collator, bool requireUseful) =>
        index.IsWildcard ? WildcardPlan(index, predicates, collator) : HashedPlan(index, predicates, collator, requireUseful);

    private static QueryPlan? HashedPlan(IndexData index, List<PathFilter> predicates, Collator? collator, bool requireUseful)
    {
        // Collated string keys and arrays in a hashed field (which mongod refuses) leave the index to a scan.
        if (!index.HashedUsable || index.Collator is not null) return null;
        var fields = index.Key.Elements.ToArray();
        var bounds = new Interval[fields.Length][];
        var boundPaths = new List<string>();
        for (var i = 0; i < fields.Length; i++)
        {
            var path = fields[i].Name;
            var hashed = fields[i].Value is BsonString { Value: "hashed" };
            Interval[]? field = null;
            foreach (var p in predicates)
            {
                if (p.Path != path) continue;
                field = hashed ? HashIntervals(p.Predicate, collator) : Intervals(p.Predicate, collator, null);
                if (field is null) continue;
                if (!hashed) boundPaths.Add(path);
                break;
            }

            bounds[i] = field ?? [Interval.All];
        }

        if (requireUseful && IsAll(bounds[0])) return null;
        return new QueryPlan { Path = AccessPath.IndexScan, Index = index, Bounds = bounds, BoundPaths = boundPaths };
    }

    /// <summary>The hashes an equality or $in looks up, ascending (null: not an equality the hashes can answer).</summary>
    private static Interval[]? HashIntervals(Predicate predicate, Collator? collator)
    {
        IEnumerable<BsonValue> values = predicate switch
        {
            EqPredicate eq => [eq.Value],
            InPredicate { HasRegexes: false } inp => inp.Values,
            _ => [],
        };
        var hashes = new SortedSet<long>();
        foreach (var value in values)
        {
            // Null also matches a missing field, and a string under a collation is not the hashed bytes.
            if (value.BsonType is BsonType.Null or BsonType.Undefined or BsonType.Array or BsonType.RegularExpression or BsonType.MinKey or BsonType.MaxKey) return null;
            if (CollationSensitive(value) && collator is not null) return null;
            if (!HashedKey.TryOf(value, out var hash)) return null;
            hashes.Add(hash);
        }

        return hashes.Count == 0 ? null : hashes.Select(h => Interval.Point(new BsonInt64(h))).ToArray();
    }
}
