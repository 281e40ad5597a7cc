using Mongo.Bson;

namespace Mongo.InMemory.Engine.Planning;

/// <summary>
/// The parsed query as mongod prints it (queryPlanner.parsedQuery and each stage's filter): the canonical form of the
/// filter, not its text. mongod parses the filter into a tree, flattens nested $and, and sorts every $and/$or's
/// children by (match type, path) before serializing (canonical_query.cpp's sortTree with matchExpressionComparator);
/// each leaf is printed as {path: {$op: value}}.
/// </summary>
internal sealed partial class PlanExplainer
{
    /// <summary>The parsed query as the server prints it: each condition as {path: {$op: value}}, several under $and, sorted.</summary>
    public static BsonDocument ParsedQuery(BsonDocument? filter)
    {
        if (filter is null || filter.ElementCount == 0) return new BsonDocument();
        var parts = Conjuncts(filter);
        return parts.Count == 1 ? parts[0] : new BsonDocument("$and", new BsonArray(parts));
    }

    // The filter's top-level conditions in canonical order: explicit $and flattened into them (as mongod's optimizer does).
    private static List<BsonDocument> Conjuncts(BsonDocument filter)
    {
        var parts = new List<BsonDocument>();
        foreach (var (name, value) in filter) AddCondition(parts, name, value);
        return Sorted(parts);
    }

    private static void AddCondition(List<BsonDocument> parts, string name, BsonValue value)
    {
        switch (name)
        {
            case "$and" when value is BsonArray and:
                foreach (var clause in and)
                    if (clause is BsonDocument d) parts.AddRange(Conjuncts(d));
                return;
            case "$or" or "$nor" when value is BsonArray branches:
                {
                    var normal = new List<BsonDocument>();
                    foreach (var branch in branches)
                        if (branch is BsonDocument d) normal.Add(ParsedQuery(d));
                    // An $or of equalities on one path is an $in (the optimizer's OR-to-IN rewrite).
                    if (name == "$or" && normal.Count > 1 && SamePathEqualities(normal) is { } path)
                    {
                        parts.Add(new BsonDocument(path, Operator("$in", new BsonArray(normal.Select(n => n[0].AsDocument["$eq"])))));
                        return;
                    }

                    // A one-branch $or is its branch (the optimizer removes the $or).
                    if (name == "$or" && normal.Count == 1)
                    {
                        var only = normal[0];
                        if (only.ElementCount == 1 && only.GetElement(0).Name == "$and" && only[0] is BsonArray inner) parts.AddRange(inner.Select(v => v.AsDocument));
                        else parts.Add(only);
                        return;
                    }

                    parts.Add(new BsonDocument(name, new BsonArray(Sorted(normal))));
                    return;
                }
        }

        if (name.StartsWith('$'))
        {
            parts.Add(new BsonDocument(name, value.DeepClone()));
        }
        else if (value is BsonDocument ops && ops.ElementCount > 0 && ops.GetElement(0).Name.StartsWith('$'))
        {
            if (ops.Contains("$regex"))
            {
                parts.Add(new BsonDocument(name, RegexSpec(ops["$regex"], ops.GetValueOrDefault("$options"))));
            }

            foreach (var (op, operand) in ops)
            {
                if (op is "$regex" or "$options") continue;
                if (op == "$all" && operand is BsonArray all && all.Count > 0 && all.All(v => v is not BsonDocument d || !d.Contains("$elemMatch")))
                {
                    // $all is parsed as an $and of its equalities.
                    foreach (var v in all) parts.Add(new BsonDocument(name, v is BsonRegularExpression re ? RegexSpec(re, null) : new BsonDocument("$eq", v.DeepClone())));
                    continue;
                }

                parts.Add(new BsonDocument(name, Operator(op, operand)));
            }
        }
        else if (value is BsonRegularExpression re)
        {
            parts.Add(new BsonDocument(name, RegexSpec(re, null)));
        }
        else
        {
            parts.Add(new BsonDocument(name, new BsonDocument("$eq", value.DeepClone())));
        }
    }

    // $ne and $nin are parsed as a NOT of $eq/$in, $exists: false as NOT of $exists: true; $in prints its values
    // sorted without duplicates (its equality set); the rest print as sent.
    private static BsonDocument Operator(string op, BsonValue operand) => op switch
    {
        "$ne" => new BsonDocument("$not", new BsonDocument("$eq", operand.DeepClone())),
        "$nin" => new BsonDocument("$not", new BsonDocument("$in", InValues(operand))),
        "$in" => In(operand),
        "$exists" when operand.BsonType == BsonType.Boolean && !operand.AsBoolean || operand.IsNumeric && operand.ToDouble() == 0 =>
            new BsonDocument("$not", new BsonDocument("$exists", true)),
        "$exists" => new BsonDocument("$exists", true),
        _ => new BsonDocument(op, operand.DeepClone()),
    };

    // {$in: [v]} is {$eq: v} after the optimizer (a one-value $in without a regular expression).
    private static BsonDocument In(BsonValue operand) =>
        operand is BsonArray { Count: 1 } one && one[0] is not BsonRegularExpression ? new BsonDocument("$eq", one[0].DeepClone()) : new BsonDocument("$in", InValues(operand));

    /// <summary>The path every normalized branch is a plain equality on, or null.</summary>
    private static string? SamePathEqualities(List<BsonDocument> branches)
    {
        string? path = null;
        foreach (var b in branches)
        {
            if (b.ElementCount != 1 || b.GetElement(0).Name.StartsWith('$') || b[0] is not BsonDocument { ElementCount: 1 } op || op.GetElement(0).Name != "$eq") return null;
            // Arrays, null and embedded documents are not $in values the rewrite takes.
            if (op[0].BsonType is BsonType.Array or BsonType.Null or BsonType.Document or BsonType.RegularExpression) return null;
            if (path is not null && path != b.GetElement(0).Name) return null;
            path = b.GetElement(0).Name;
        }

        return path;
    }

    private static BsonValue InValues(BsonValue operand)
    {
        if (operand is not BsonArray values) return operand.DeepClone();
        var equalities = values.Where(v => v is not BsonRegularExpression).ToList();
        equalities.Sort((a, b) => BsonOrder.Compare(a, b));
        var result = new BsonArray();
        foreach (var v in equalities)
            if (result.Count == 0 || BsonOrder.Compare(result[^1], v) != 0) result.Add(v.DeepClone());
        foreach (var v in values)
            if (v is BsonRegularExpression) result.Add(v.DeepClone());
        return result;
    }

    // mongod prints a regular expression as its pattern string, with $options only when there are flags.
    private static BsonDocument RegexSpec(BsonValue regex, BsonValue? options)
    {
        var (pattern, flags) = regex is BsonRegularExpression re ? (re.Pattern, re.Options) : (regex is BsonString s ? s.Value : "", "");
        if (options is BsonString o) flags = o.Value;
        var spec = new BsonDocument("$regex", pattern);
        if (flags.Length > 0) spec.Add("$options", flags);
        return spec;
    }

    private static List<BsonDocument> Sorted(List<BsonDocument> parts)
    {
        // A stable sort by (match type, path): List.Sort is not stable, so the original position breaks ties.
        return parts.Select((p, i) => (p, i))
            .OrderBy(x => MatchTypeRank(x.p))
            .ThenBy(x => PathOf(x.p), StringComparer.Ordinal)
            .ThenBy(x => x.i)
            .Select(x => x.p)
            .ToList();
    }

    private static string PathOf(BsonDocument condition)
    {
        var name = condition.GetElement(0).Name;
        // Tree nodes ($or, $nor, $not) have no path of their own.
        if (name.StartsWith('$')) return "";
        return condition[0] is BsonDocument { ElementCount: > 0 } d && d.GetElement(0).Name == "$not" ? "" : name;
    }

    // The order of mongod's MatchExpression::MatchType enum (matcher/expression.h), which the canonical sort uses first.
    private static int MatchTypeRank(BsonDocument condition)
    {
        var name = condition.GetElement(0).Name;
        if (name.StartsWith('$'))
        {
            return name switch
            {
                "$and" => 0,
                "$or" => 1,
                "$nor" => 20,
                "$where" => 23,
                "$expr" => 24,
                "$alwaysFalse" => 25,
                "$alwaysTrue" => 26,
                "$text" => 28,
                _ => 30,
            };
        }

        var op = condition[0] is BsonDocument { ElementCount: > 0 } d ? d.GetElement(0).Name : "$eq";
        return op switch
        {
            "$elemMatch" => ElemMatchIsValue(condition[0].AsDocument["$elemMatch"]) ? 3 : 2,
            "$size" => 4,
            "$eq" => 5,
            "$lte" => 6,
            "$lt" => 7,
            "$gt" => 8,
            "$gte" => 9,
            "$regex" => 10,
            "$mod" => 11,
            "$exists" => 12,
            "$in" => 13,
            "$bitsAllSet" => 14,
            "$bitsAllClear" => 15,
            "$bitsAnySet" => 16,
            "$bitsAnyClear" => 17,
            "$not" => 19,
            "$type" => 21,
            "$geoWithin" or "$geoIntersects" => 22,
            "$near" or "$nearSphere" or "$geoNear" => 27,
            _ => 30,
        };
    }

    private static bool ElemMatchIsValue(BsonValue spec) =>
        spec is BsonDocument { ElementCount: > 0 } d && d.GetElement(0).Name.StartsWith('$') && d.GetElement(0).Name is not ("$and" or "$or" or "$nor" or "$where" or "$expr");
}
