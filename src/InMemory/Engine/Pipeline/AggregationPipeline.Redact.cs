using Mongo.Bson;
using Mongo.InMemory.Engine.Expressions;

namespace Mongo.InMemory.Engine.Pipeline;

/// <summary>$redact: the expression decides per (sub)document whether to keep it whole, prune it or descend into it.</summary>
internal static partial class AggregationPipeline
{
    // As in mongod, $$DESCEND, $$PRUNE and $$KEEP are variables holding these strings.
    private static readonly BsonString s_descend = new("descend");
    private static readonly BsonString s_prune = new("prune");
    private static readonly BsonString s_keep = new("keep");

    private static List<BsonDocument> Redact(BsonValue spec, List<BsonDocument> docs, PipelineContext context)
    {
        ExpressionEvaluator.Validate(spec);
        var variables = new Dictionary<string, BsonValue>(StringComparer.Ordinal);
        if (context.Variables is not null)
            foreach (var kv in context.Variables) variables[kv.Key] = kv.Value;
        variables["DESCEND"] = s_descend;
        variables["PRUNE"] = s_prune;
        variables["KEEP"] = s_keep;
        var result = new List<BsonDocument>(docs.Count);
        foreach (var doc in docs)
        {
            Commands.OperationDeadline.Check();
            var root = new ExprScope(doc, variables, context.Collator);
            if (RedactObject(doc, root, spec) is { } kept) result.Add(kept);
        }
        return result;
    }

    /// <summary>The redacted copy of one (sub)document, or null when the expression prunes it.</summary>
    private static BsonDocument? RedactObject(BsonDocument current, ExprScope root, BsonValue spec)
    {
        var decision = ExpressionEvaluator.Evaluate(spec, root.With("CURRENT", current));
        if (decision is BsonString s)
        {
            if (s.Value == s_keep.Value) return (BsonDocument)current.DeepClone();
            if (s.Value == s_prune.Value) return null;
            if (s.Value == s_descend.Value)
            {
                var copy = new BsonDocument();
                foreach (var (name, value) in current)
                {
                    var redacted = RedactValue(value, root, spec);
                    if (redacted is not null) copy.Add(name, redacted);
                }
                return copy;
            }
        }
        throw Errors.Location(17053, "$redact's expression should not return anything aside from the variables $$KEEP, $$DESCEND, and $$PRUNE, but returned " +
            (decision is null ? "MISSING" : Shell.Format(decision)));
    }

    private static BsonValue? RedactValue(BsonValue value, ExprScope root, BsonValue spec)
    {
        switch (value)
        {
            case BsonDocument d:
                return RedactObject(d, root, spec);
            case BsonArray a:
                {
                    // Sub-documents in arrays are redacted one by one; pruned ones leave the array, other values stay.
                    var copy = new BsonArray();
                    foreach (var element in a)
                    {
                        var redacted = element is BsonDocument or BsonArray ? RedactValue(element, root, spec) : element.DeepClone();
                        if (redacted is not null) copy.Add(redacted);
                    }
                    return copy;
                }
            default:
                return value.DeepClone();
        }
    }
}
