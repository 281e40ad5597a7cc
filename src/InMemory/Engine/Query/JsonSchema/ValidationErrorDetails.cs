using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;
using Mongo.InMemory.Engine.Expressions;

namespace Mongo.InMemory.Engine.Query.JsonSchema;

/// <summary>
/// The <c>errInfo.details</c> of a DocumentValidationFailure (121), as mongod 5.0+ builds it (doc_validation_error.cpp):
/// one clause is explained directly; several (the implicit top-level $and) as <c>{operatorName: "$and",
/// clausesNotSatisfied: [{index, details}]}</c>. Leaves name their operator, the clause as specified, a reason and
/// the value considered. Operators without a dedicated explanation report <c>reason: "expression did not match"</c>.
/// </summary>
internal static class ValidationErrorDetails
{
    public static BsonDocument Build(BsonDocument validator, BsonDocument document, Collator? collator)
    {
        var clauses = Clauses(validator);
        if (clauses.Count == 1) return Explain(clauses[0], document, collator, inverted: false);
        return Group("$and", clauses, document, collator, inverted: false);
    }

    // A validator's implicit $and, flattened as mongod's parser does: {a: {$gt: 1, $lt: 9}} is two clauses.
    private static List<BsonDocument> Clauses(BsonDocument filter)
    {
        var clauses = new List<BsonDocument>();
        foreach (var (name, value) in filter)
        {
            if (name == "$comment") continue;
            if (!name.StartsWith('$') && value is BsonDocument ops && ops.ElementCount > 1 && IsOperators(ops)
                && !ops.Contains("$regex") && !ops.Contains("$options") && !ops.Contains("$near") && !ops.Contains("$nearSphere") && !ops.Contains("$geoNear"))
            {
                foreach (var (op, operand) in ops) clauses.Add(new BsonDocument(name, new BsonDocument(op, operand)));
            }
            else clauses.Add(new BsonDocument(name, value));
        }
        return clauses;
    }

    private static bool IsOperators(BsonDocument d) => d.ElementCount > 0 && d.GetElement(0).Name.StartsWith('$') && !FilterParser.IsDbRefField(d.GetElement(0).Name);

    private static bool Holds(BsonDocument clause, BsonDocument document, Collator? collator) =>
        FilterParser.Parse(clause, null, collator).Matches(document);

    private static BsonDocument Group(string op, IReadOnlyList<BsonDocument> clauses, BsonDocument document, Collator? collator, bool inverted)
    {
        // $and and $or report the clauses that failed, $nor those that held; under a $nor the roles swap.
        var listName = op == "$nor" != inverted ? "clausesSatisfied" : "clausesNotSatisfied";
        var reportMatching = op == "$nor" != inverted;
        var list = new BsonArray();
        for (var i = 0; i < clauses.Count; i++)
        {
            var holds = Holds(clauses[i], document, collator);
            if (holds != reportMatching) continue;
            list.Add(new BsonDocument { { "index", i }, { "details", Explain(clauses[i], document, collator, inverted: holds) } });
        }
        return new BsonDocument { { "operatorName", op }, { listName, list } };
    }

    private static BsonDocument Explain(BsonDocument clause, BsonDocument document, Collator? collator, bool inverted)
    {
        var parts = Clauses(clause);
        if (parts.Count != 1) return Group("$and", parts, document, collator, inverted);
        clause = parts[0];
        var (name, value) = clause.GetElement(0);
        switch (name)
        {
            case "$and":
            case "$or":
            case "$nor":
                {
                    var children = new List<BsonDocument>();
                    foreach (var item in (BsonArray)value) children.Add((BsonDocument)item);
                    return Group(name, children, document, collator, inverted);
                }
            case "$jsonSchema":
                return new JsonSchemaFilter(value).Explain(document, inverted);
            case "$expr":
                {
                    var result = ExpressionEvaluator.Evaluate(value, new ExprScope(document, null, collator));
                    return new BsonDocument
                    {
                        { "operatorName", "$expr" },
                        { "specifiedAs", clause },
                        { "reason", inverted ? "expression matched" : "expression did not match" },
                        { "expressionResult", BsonBoolean.Create(result is not null && result.ToBoolean()) },
                    };
                }
        }
        if (name.StartsWith('$'))
            return new BsonDocument { { "operatorName", name }, { "specifiedAs", clause }, { "reason", inverted ? "expression matched" : "expression did not match" } };
        return ExplainField(name, value, clause, document, collator, inverted);
    }

    private static BsonDocument ExplainField(string path, BsonValue spec, BsonDocument clause, BsonDocument document, Collator? collator, bool inverted)
    {
        string op;
        BsonValue operand;
        if (spec is BsonDocument ops && IsOperators(ops)) (op, operand) = ops.GetElement(0);
        else (op, operand) = (spec is BsonRegularExpression ? "$regex" : "$eq", spec);
        // $not has no specifiedAs of its own: it explains its operand, inverted.
        if (op == "$not" && operand is BsonDocument inner)
            return new BsonDocument { { "operatorName", "$not" }, { "details", Explain(new BsonDocument(path, inner), document, collator, !inverted) } };
        var entry = new BsonDocument { { "operatorName", op }, { "specifiedAs", clause } };
        if (op == "$exists")
            return entry.Add("reason", operand.ToBoolean() != inverted ? "path does not exist" : "path does exist");
        var (values, many) = Considered(document, path);
        if (values.Count == 0 && !many && op is not ("$ne" or "$nin"))
            return entry.Add("reason", inverted ? "field was present" : "field was missing");
        var reason = op switch
        {
            "$eq" or "$gt" or "$gte" or "$lt" or "$lte" => inverted ? "comparison succeeded" : "comparison failed",
            "$ne" => inverted ? "comparison failed" : "comparison succeeded",
            "$in" => inverted ? "matching value found in array" : "no matching value found in array",
            "$nin" => inverted ? "no matching value found in array" : "matching value found in array",
            "$type" => inverted ? "type did match" : "type did not match",
            "$regex" => inverted ? "regular expression did match" : "regular expression did not match",
            _ => inverted ? "expression matched" : "expression did not match",
        };
        entry.Add("reason", reason);
        if (many) entry.Add("consideredValues", new BsonArray(values));
        else if (values.Count == 1)
        {
            entry.Add("consideredValue", values[0]);
            if (op == "$type") entry.Add("consideredType", BsonOrder.TypeName(values[0]));
        }
        return entry;
    }

    /// <summary>
    /// The values a path reaches with implicit array traversal, as mongod lists them: one value reached without
    /// meeting an array is its consideredValue; otherwise every value (the elements of arrays) is a consideredValue.
    /// </summary>
    private static (List<BsonValue> Values, bool Many) Considered(BsonDocument document, string path)
    {
        var values = new List<BsonValue>();
        var many = false;
        Collect(document, path.Split('.'), 0, values, ref many);
        return (values, many || values.Count > 1);
    }

    private static void Collect(BsonValue current, string[] parts, int i, List<BsonValue> into, ref bool many)
    {
        if (i == parts.Length)
        {
            if (current is BsonArray leaf)
            {
                many = true;
                into.AddRange(leaf);
            }
            else into.Add(current);
            return;
        }
        switch (current)
        {
            case BsonDocument d:
                if (d.TryGetValue(parts[i], out var v)) Collect(v, parts, i + 1, into, ref many);
                break;
            case BsonArray a:
                if (int.TryParse(parts[i], out var index) && index >= 0 && index < a.Count)
                {
                    Collect(a[index], parts, i + 1, into, ref many);
                    break;
                }
                foreach (var element in a)
                    if (element is BsonDocument) Collect(element, parts, i, into, ref many);
                break;
        }
    }
}
