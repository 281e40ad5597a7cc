using Mongo.Bson;

namespace Mongo.InMemory.Engine.Pipeline;

/// <summary>$indexStats and $planCacheStats, the source stages that describe a collection's indexes and cached plans.</summary>
internal static partial class AggregationPipeline
{
    private static List<BsonDocument> IndexStats(BsonValue spec, PipelineContext context, int index)
    {
        if (spec is not BsonDocument { ElementCount: 0 }) throw Errors.Location(28803, "The $indexStats stage specification must be an empty object");
        if (index != 0) throw Errors.Location(40602, "$indexStats is only valid as the first stage in a pipeline");
        if (context.Collection is null) throw Errors.InvalidNamespace("$indexStats must be run against a collection, not a database");
        var collection = context.Storage.GetCollection(context.Database, context.Collection);
        if (collection is null) return [];
        var result = new List<BsonDocument>();
        foreach (var ix in collection.Indexes)
        {
            var usage = ix.Usage;
            result.Add(new BsonDocument
            {
                { "name", ix.Name },
                { "key", ix.Key.DeepClone() },
                { "host", context.Host ?? Environment.MachineName },
                { "accesses", new BsonDocument { { "ops", new BsonInt64(usage.Ops) }, { "since", new BsonDateTime(usage.SinceMilliseconds) } } },
                { "spec", ix.Spec.DeepClone() },
            });
        }
        return result;
    }

    /// <summary>Mongo.InMemory plans every query afresh (no plan cache), so the cache this stage lists is always empty.</summary>
    private static List<BsonDocument> PlanCacheStats(BsonValue spec, PipelineContext context, int index)
    {
        if (spec is not BsonDocument options) throw Errors.FailedToParse("$planCacheStats value must be an object. Found: " + BsonOrder.TypeName(spec));
        if (options.ElementCount != 0)
        {
            // allHosts is a mongos option; a standalone refuses it like any other field.
            var name = options.GetElement(0).Name;
            throw Errors.Location(40415, "BSON field '$planCacheStats." + name + "' is an unknown field.");
        }
        if (index != 0) throw Errors.Location(40602, "$planCacheStats is only valid as the first stage in a pipeline");
        if (context.Collection is null) throw Errors.InvalidNamespace("$planCacheStats must be run against a collection, not a database");
        return [];
    }
}
