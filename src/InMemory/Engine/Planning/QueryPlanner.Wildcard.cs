using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine.Planning;

/// <summary>
/// Plans on single-field wildcard indexes ({"$**": 1}, {"a.$**": 1}, with a wildcardProjection): mongod answers one
/// path's predicate from the index, an IXSCAN over the keys {$_path: path, path: value} with the path pinned and the
/// predicate's intervals on the value. Only values the index keys as themselves are bounded: not documents, arrays or
/// null (those are compared whole or also match missing fields), and no path with a positional component.
/// </summary>
internal static partial class QueryPlanner
{
    private static QueryPlan? WildcardPlan(IndexData index, List<PathFilter> predicates, Collator? collator)
    {
        if (index.Collator is not null) return null;
        // An equality narrows most: mongod's ranking prefers it over a range on another path.
        foreach (var equalities in new[] { true, false })
        {
            foreach (var p in predicates)
            {
                if (p.Predicate is EqPredicate or InPredicate != equalities) continue;
                if (!WildcardPath(index, p.Path) || !WildcardValues(p.Predicate)) continue;
                if (Intervals(p.Predicate, collator, null) is not { } intervals) continue;
                return new QueryPlan
                {
                    Path = AccessPath.IndexScan,
                    Index = index,
                    Bounds = [[Interval.Point(new BsonString(p.Path))], intervals],
                    BoundPaths = [p.Path],
                    ScanKeyPattern = new BsonDocument { { "$_path", 1 }, { p.Path, 1 } },
                    ScanMultiKey = index.WildcardMultiKey(p.Path),
                };
            }
        }

        return null;
    }

    private static bool WildcardPath(IndexData index, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (part.Length == 0 || part.StartsWith('$') || FieldPath.TryParseIndex(part, out _)) return false;
        }

        return index.WildcardIncludes(path);
    }

    // The index keys a document's sub-documents by their leaves and an empty array as undefined: an equality or range on
    // a document or an array is not one key.
    private static bool WildcardValues(Predicate predicate) => predicate switch
    {
        EqPredicate eq => eq.Value is not (BsonDocument or BsonArray),
        InPredicate inp => inp.Values.All(v => v is not (BsonDocument or BsonArray)),
        ComparePredicate cmp => cmp.Operand is not (BsonDocument or BsonArray),
        RegexPredicate => true,
        _ => false,
    };
}
