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
        var (name, value) = clause.GetElement(0);
        switch (name)
        {
            case "$and":
            case "$or":
            case "$nor":
                {
                    var children = new List<BsonDocument>();
                    foreach (var item in (BsonArray)value)
                    {
                        var sub = Clauses((BsonDocument)item);
                        children.Add(sub.Count == 1 ? sub[0] : (BsonDocument)item);
                    }
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
        return ExplainField(name, value, clause, document, inverted);
    }

    private static BsonDocument ExplainField(string path, BsonValue spec, BsonDocument clause, BsonDocument document, bool inverted)
    {
        string op;
        BsonValue operand;
        if (spec is BsonDocument ops && IsOperators(ops)) (op, operand) = ops.GetElement(0);
        else (op, operand) = (spec is BsonRegularExpression ? "$regex" : "$eq", spec);
        var entry = new BsonDocument { { "operatorName", op }, { "specifiedAs", clause } };
        var considered = ValueAt(document, path);
        if (op == "$not" && operand is BsonDocument inner)
            return entry.Add("details", ExplainField(path, inner, new BsonDocument(path, inner), document, !inverted));
        if (op == "$exists")
        {
            var wantsPresence = operand.ToBoolean() != inverted;
            entry.Add("reason", wantsPresence ? "path does not exist" : "path does exist");
            if (considered is not null) entry.Add("consideredValue", considered);
            return entry;
        }
        if (considered is null && op is not ("$ne" or "$nin"))
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
        if (considered is not null)
        {
            entry.Add("consideredValue", considered);
            if (op == "$type") entry.Add("consideredType", BsonOrder.TypeName(considered));
        }
        return entry;
    }

    // The value a dotted path names, without array traversal (what mongod shows for a scalar path).
    private static BsonValue? ValueAt(BsonDocument document, string path)
    {
        BsonValue? current = document;
        foreach (var part in path.Split('.'))
        {
            current = current switch
            {
                BsonDocument d => d.TryGetValue(part, out var v) ? v : null,
                BsonArray a when int.TryParse(part, out var i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
            if (current is null) return null;
        }
        return current;
    }
}
