using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine.Planning;

/// <summary>$or plans: one index scan per branch, their documents merged without duplicates (mongod's OR stage).</summary>
internal static partial class QueryPlanner
{
    /// <summary>
    /// The plan of a query's $or (the filter itself, or one condition of its top-level $and) when an index answers
    /// every branch; null when one branch has none, as mongod then scans the collection. The OR only gathers candidates:
    /// the whole filter, other conditions included, is still applied to each.
    /// </summary>
    private static QueryPlan? OrPlan(CollectionData collection, Filter filter, BsonDocument? rawFilter, Collator? collator)
    {
        var or = filter switch
        {
            OrFilter o => o,
            AndFilter a => a.Children.OfType<OrFilter>().FirstOrDefault(),
            _ => null,
        };
        if (or is null || or.Children.Count < 2) return null; // a one-branch $or is its branch (see Flatten)
        var rawBranches = rawFilter?.GetValueOrDefault("$or") as BsonArray;
        var branches = new List<QueryPlan>(or.Children.Count);
        for (var i = 0; i < or.Children.Count; i++)
        {
            var raw = rawBranches is { } rb && rb.Count == or.Children.Count ? rb[i] as BsonDocument : null;
            if (BranchPlan(collection, or.Children[i], raw, collator) is not { } branch) return null;
            branches.Add(branch);
        }

        return new QueryPlan { Path = AccessPath.Or, Branches = branches, Rooted = filter is OrFilter };
    }

    /// <summary>The best index plan for one $or branch: an _id equality's lookup, or the highest scoring index scan.</summary>
    private static QueryPlan? BranchPlan(CollectionData collection, Filter branch, BsonDocument? rawBranch, Collator? collator)
    {
        var predicates = new List<PathFilter>();
        Flatten(branch, predicates);
        foreach (var p in predicates)
        {
            if (p.Path == "_id" && p.Predicate is EqPredicate eq && PointUsable(eq.Value, collator, collection.IdIndex.Collator))
            {
                return new QueryPlan
                {
                    Path = AccessPath.IdLookup, Index = collection.IdIndex, IdValue = eq.Value, BoundPaths = ["_id"], RawFilter = rawBranch,
                };
            }
        }

        QueryPlan? best = null;
        var bestScore = 0;
        foreach (var index in collection.Indexes)
        {
            if (index.Ordered is null || index.IsHidden) continue;
            if (index.Partial is not null && !Implies(rawBranch, predicates, index)) continue;
            if (IndexPlan(index, predicates, collator, null, requireUseful: true) is not { } plan) continue;
            var score = Score(plan, index);
            if (score > bestScore)
            {
                best = plan;
                bestScore = score;
            }
        }

        if (best is not null) best.RawFilter = rawBranch;
        return best;
    }
}
