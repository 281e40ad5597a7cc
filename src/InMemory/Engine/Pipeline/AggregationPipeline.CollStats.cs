using Mongo.Bson;

namespace Mongo.InMemory.Engine.Pipeline;

/// <summary>The $collStats source stage: one document with the statistics sections the stage asks for.</summary>
internal static partial class AggregationPipeline
{
    private static List<BsonDocument> CollStats(BsonValue spec, PipelineContext context, int index)
    {
        if (index != 0) throw Errors.Location(40602, "$collStats is only valid as the first stage in a pipeline");
        if (spec is not BsonDocument options) throw Errors.Location(5447000, "$collStats must take a nested object but found: " + spec);
        if (context.Collection is null) throw Errors.InvalidNamespace("$collStats must be run against a collection, not a database");
        var ns = context.Database + "." + context.Collection;
        var result = new BsonDocument
        {
            { "ns", ns },
            { "host", Environment.MachineName },
            { "localTime", new BsonDateTime(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) },
        };
        foreach (var (section, value) in options)
        {
            switch (section)
            {
                case "latencyStats":
                    var none = new BsonDocument { { "latency", 0L }, { "ops", 0L } };
                    result.Add(section, new BsonDocument { { "reads", none }, { "writes", none.DeepClone() }, { "commands", none.DeepClone() }, { "transactions", none.DeepClone() } });
                    break;
                case "storageStats":
                    var scale = value is BsonDocument sd && sd.GetValueOrDefault("scale") is { } s ? s.ToInt64() : 1;
                    if (scale < 1) throw Errors.BadValue("BSON field '$collStats.storageStats.scale' value must be >= 1, actual value '" + scale + "'");
                    result.Add(section, Collection(context, ns).StorageStats(ns, scale));
                    break;
                case "count":
                    result.Add(section, Collection(context, ns).Count);
                    break;
                case "queryExecStats":
                    result.Add(section, new BsonDocument("collectionScans", new BsonDocument { { "total", 0L }, { "nonTailable", 0L } }));
                    break;
                default:
                    throw Errors.Location(40415, "BSON field '$collStats." + section + "' is an unknown field.");
            }
        }

        return [result];
    }

    private static CollectionData Collection(PipelineContext context, string ns) =>
        context.Storage.GetCollection(context.Database, context.Collection!)
        ?? throw Errors.NamespaceNotFound("Unable to retrieve storageStats in $collStats stage :: caused by :: Collection [" + ns + "] not found.");
}
