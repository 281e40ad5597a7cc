using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine.Planning;

/// <summary>
/// A $text under $or. mongod answers a text search only through the text index, so an $or holding one can only be an
/// OR of index plans: every other branch must be indexed too, else the query fails (NoQueryExecutionPlans). When the
/// $or is the filter or one condition of its top-level $and, the plan is an OR of the text index's term scans and the
/// other branches' index scans; deeper nestings read every document (each is still matched by the whole filter).
/// </summary>
internal static partial class QueryPlanner
{
    private const string TextUnderOrMessage =
        "planner returned error :: caused by :: Failed to produce a solution for TEXT under OR - other non-TEXT clauses under OR have to be indexed as well.";

    /// <summary>The access plan of a $text bound to <paramref name="index"/>, given where the $text sits in the filter.</summary>
    private static QueryPlan TextAccess(CollectionData collection, IndexData index, TextFilter text, Filter filter, BsonDocument? rawFilter, Collator? collator)
    {
        var ancestors = new List<Filter>();
        if (!PathTo(filter, text, ancestors)) ancestors.Clear();
        var ors = new List<(OrFilter Or, int Branch)>();
        for (var i = 0; i < ancestors.Count - 1; i++)
            if (ancestors[i] is OrFilter or) ors.Add((or, IndexOf(or, ancestors[i + 1])));

        // Every $or above the $text: its other branches must each be answerable by an index.
        foreach (var (or, branch) in ors)
        {
            for (var i = 0; i < or.Children.Count; i++)
                if (i != branch && !MayBeIndexed(collection, or.Children[i]))
                    throw new Commands.CommandException(291, "NoQueryExecutionPlans", TextUnderOrMessage);
        }

        text.Bind(index.Text!);
        var terms = text.Query!.TermsForBounds.ToList();
        var textScan = new QueryPlan { Path = AccessPath.TextScan, Index = index, TextTerms = terms };
        if (ors.Count == 0) return textScan;
        var top = ors[0].Or;
        var topLevel = ors.Count == 1 && (ReferenceEquals(top, filter) || filter is AndFilter and && and.Children.Contains(top));
        return topLevel && TextOrPlan(collection, top, ors[0].Branch, textScan, rawFilter, collator) is { } plan
            ? plan
            : new QueryPlan { Path = AccessPath.TextScan, Index = index }; // no term list: every document is a candidate
    }

    /// <summary>An OR of the text scan (at the $text's branch) and each other branch's index plan; null when one has none.</summary>
    private static QueryPlan? TextOrPlan(CollectionData collection, OrFilter or, int textBranch, QueryPlan textScan, BsonDocument? rawFilter, Collator? collator)
    {
        var rawBranches = rawFilter?.GetValueOrDefault("$or") as BsonArray;
        var branches = new List<QueryPlan>(or.Children.Count);
        for (var i = 0; i < or.Children.Count; i++)
        {
            if (i == textBranch)
            {
                branches.Add(textScan);
                continue;
            }

            var raw = rawBranches is { } rb && rb.Count == or.Children.Count ? rb[i] as BsonDocument : null;
            if (BranchPlan(collection, or.Children[i], raw, collator) is not { } branch) return null;
            branches.Add(branch);
        }

        // mongod does not plan a text query branch by branch (no SUBPLAN): the OR is one plan.
        return new QueryPlan { Path = AccessPath.Or, Branches = branches, Rooted = false };
    }

    /// <summary>
    /// Whether an index could answer the branch: a condition on a path that leads an ordered index (or _id). Broader
    /// than what <see cref="BranchPlan"/> turns into bounds, so a branch this planner cannot bound but mongod can (an
    /// equality to null, say) is read by a scan rather than refused.
    /// </summary>
    private static bool MayBeIndexed(CollectionData collection, Filter branch)
    {
        var paths = new List<PathFilter>();
        Flatten(branch, paths);
        return paths.Exists(p => p.Path == "_id" || collection.Indexes.Any(i => i.Ordered is not null && !i.IsHidden && i.Key.GetElement(0).Name == p.Path));
    }

    /// <summary>The filters from <paramref name="node"/> down to <paramref name="target"/> (both included), through $and and $or.</summary>
    private static bool PathTo(Filter node, Filter target, List<Filter> path)
    {
        path.Add(node);
        if (ReferenceEquals(node, target)) return true;
        var children = node switch
        {
            AndFilter a => a.Children,
            OrFilter o => o.Children,
            _ => [],
        };
        foreach (var child in children)
            if (PathTo(child, target, path)) return true;
        path.RemoveAt(path.Count - 1);
        return false;
    }

    private static int IndexOf(OrFilter or, Filter child)
    {
        for (var i = 0; i < or.Children.Count; i++)
            if (ReferenceEquals(or.Children[i], child)) return i;
        return -1;
    }
}
