using Mongo.Bson;

namespace Mongo.InMemory.Engine.Pipeline;

/// <summary>
/// The catalog and administration stages ($listSessions, $listClusterCatalog, $querySettings, $queryStats,
/// $listSampledQueries, $shardedDataDistribution) and mongod's refusals of the stages that need what a community
/// server lacks (Atlas Search) or a context this pipeline is not in (a change stream).
/// </summary>
internal static partial class AggregationPipeline
{
    /// <summary>mongod's SearchNotEnabled (31082) text for the search index commands and $listSearchIndexes.</summary>
    public const string SearchIndexesNotEnabled =
        "Using Atlas Search Database Commands and the $listSearchIndexes aggregation stage requires additional configuration. "
        + "Please connect to Atlas or an AtlasCLI local deployment to enable. For more information on how to connect, see "
        + "https://dochub.mongodb.org/core/atlas-cli-deploy-local-reqs.";

    private const string SearchStagesNotEnabled =
        "Using $search and $vectorSearch aggregation stages requires additional configuration. Please connect to Atlas or an "
        + "AtlasCLI local deployment to enable. For more information on how to connect, see "
        + "https://dochub.mongodb.org/core/atlas-cli-deploy-local-reqs.";

    /// <summary>
    /// Whether a pipeline may start with this stage under <c>{aggregate: 1}</c>: the stages that read no collection (mongod
    /// refuses any other first stage there with 73 naming it).
    /// </summary>
    public static bool IsCollectionlessStage(string name) => name is "$documents" or "$listLocalSessions" or "$currentOp"
        or "$listClusterCatalog" or "$querySettings" or "$queryStats" or "$listSampledQueries" or "$shardedDataDistribution"
        or "$changeStream";

    /// <summary>The stages of this file; null when <paramref name="name"/> is none of them.</summary>
    private static List<BsonDocument>? RunAdminStage(string name, BsonValue spec, PipelineContext context, int index)
    {
        switch (name)
        {
            case "$listSessions":
                return ListSessions(spec, context, index);
            case "$listClusterCatalog":
                return ListClusterCatalog(spec, context, index);
            case "$querySettings":
                return QuerySettings(spec, context, index);
            case "$queryStats":
                return QueryStats(spec, context, index);
            case "$listSampledQueries":
                return ListSampledQueries(spec, context, index);
            case "$shardedDataDistribution":
                return ShardedDataDistribution(spec, context, index);
            case "$listSearchIndexes":
                throw Errors.Of(Commands.ErrorCodes.SearchNotEnabled, SearchIndexesNotEnabled);
            case "$search" or "$searchMeta" or "$vectorSearch":
                throw Errors.Of(Commands.ErrorCodes.SearchNotEnabled, SearchStagesNotEnabled);
            case "$changeStreamSplitLargeEvent":
                // Reached only outside a change stream: inside one, the $changeStream stage is refused first.
                throw Errors.IllegalOperation("$changeStreamSplitLargeEvent can only be used in a $changeStream pipeline");
            default:
                return null;
        }
    }

    private static void RequireFirst(string name, int index)
    {
        if (index != 0) throw Errors.Location(40602, name + " is only valid as the first stage in a pipeline");
    }

    /// <summary>The stage's fields, each checked against the ones it knows (IDL's 40415 for any other).</summary>
    private static BsonDocument StageObject(string name, BsonValue spec, int code, string message, params string[] known)
    {
        if (spec is not BsonDocument document) throw Errors.Location(code, message);
        foreach (var (field, _) in document)
        {
            if (Array.IndexOf(known, field) < 0) throw Errors.Location(40415, "BSON field '" + name + "." + field + "' is an unknown field.");
        }

        return document;
    }

    private static bool OptionalBoolField(BsonDocument document, string stage, string field)
    {
        if (!document.TryGetValue(field, out var value)) return false;
        if (value is not BsonBoolean b)
            throw Errors.TypeMismatch("BSON field '" + stage + "." + field + "' is the wrong type '" + BsonOrder.TypeName(value) + "', expected type 'bool'");
        return b.Value;
    }

    /// <summary>
    /// $listSessions: the sessions of config.system.sessions. mongod's logical session cache writes a session there on
    /// its periodic refresh; this server keeps no such collection, so the stage lists the sessions it knows (those
    /// $listLocalSessions lists), as the collection holds them once refreshed.
    /// </summary>
    private static List<BsonDocument> ListSessions(BsonValue spec, PipelineContext context, int index)
    {
        RequireFirst("$listSessions", index);
        if (context.Database != "config" || context.Collection != "system.sessions")
            throw Errors.InvalidNamespace("$listSessions must be run against the 'system.sessions' collection in the 'config' database.");
        var document = StageObject("$listSessions", spec, Commands.ErrorCodes.TypeMismatch, "$listSessions options must be specified in an object, but found: " + BsonOrder.TypeName(spec), "allUsers", "users");
        OptionalBoolField(document, "$listSessions", "allUsers");
        if (document.TryGetValue("users", out var users) && users is not BsonArray)
            throw Errors.TypeMismatch("BSON field '$listSessions.users' is the wrong type '" + BsonOrder.TypeName(users) + "', expected type 'array'");
        return context.Server?.Sessions.List() ?? [];
    }

    /// <summary>
    /// $listClusterCatalog (mongod 8.0.10): one document per collection and view, as listCollections describes it plus
    /// its namespace and database; on admin every database's, elsewhere the database's own. Nothing here is sharded.
    /// </summary>
    private static List<BsonDocument> ListClusterCatalog(BsonValue spec, PipelineContext context, int index)
    {
        RequireFirst("$listClusterCatalog", index);
        var document = StageObject("$listClusterCatalog", spec, Commands.ErrorCodes.FailedToParse, "$listClusterCatalog must take a nested object but found: $listClusterCatalog: " + Shell.Format(spec), "shards", "balancingConfiguration");
        OptionalBoolField(document, "$listClusterCatalog", "shards");
        OptionalBoolField(document, "$listClusterCatalog", "balancingConfiguration");
        if (context.Collection is not null)
            throw Errors.InvalidNamespace("$listClusterCatalog must be run against a database with {aggregate: 1}, not a collection");
        var databases = context.Database == "admin"
            ? context.Storage.Databases.OrderBy(d => d.Name, StringComparer.Ordinal).ToList()
            : context.Storage.GetDatabase(context.Database) is { } own ? [own] : [];
        var result = new List<BsonDocument>();
        foreach (var db in databases)
        {
            var entries = db.Collections.Select(Commands.Data.CatalogCommands.CollectionEntry).Concat(db.Views.Select(Commands.Data.CatalogCommands.ViewEntry));
            foreach (var entry in entries.OrderBy(e => e["name"].AsString, StringComparer.Ordinal))
            {
                var catalog = new BsonDocument { { "ns", db.Name + "." + entry["name"].AsString }, { "db", db.Name } };
                foreach (var element in entry)
                {
                    if (element.Name != "name") catalog.Add(element.Name, element.Value);
                }

                catalog.Add("sharded", false);
                result.Add(catalog);
            }
        }

        return result;
    }

    /// <summary>
    /// $querySettings: the query settings setQuerySettings stored. This server stores none (setQuerySettings is refused),
    /// so the stage lists nothing, as mongod's does before any is set.
    /// </summary>
    private static List<BsonDocument> QuerySettings(BsonValue spec, PipelineContext context, int index)
    {
        RequireFirst("$querySettings", index);
        StageObject("$querySettings", spec, 7746801, "$querySettings stage expects a document as argument", "showDebugQueryShape");
        OptionalBoolField((BsonDocument)spec, "$querySettings", "showDebugQueryShape");
        RequireAdminCollectionless("$querySettings", context);
        return [];
    }

    /// <summary>
    /// $queryStats: mongod's collected query shapes. A community mongod collects none unless its rate limit
    /// (internalQueryStatsRateLimit) is raised, which this server does not offer, so the stage lists nothing.
    /// </summary>
    private static List<BsonDocument> QueryStats(BsonValue spec, PipelineContext context, int index)
    {
        RequireFirst("$queryStats", index);
        var document = StageObject("$queryStats", spec, Commands.ErrorCodes.FailedToParse, "$queryStats specification must be an object, found: " + BsonOrder.TypeName(spec), "transformIdentifiers");
        if (document.TryGetValue("transformIdentifiers", out var transform) && transform is not BsonDocument)
            throw Errors.TypeMismatch("BSON field '$queryStats.transformIdentifiers' is the wrong type '" + BsonOrder.TypeName(transform) + "', expected type 'object'");
        RequireAdminCollectionless("$queryStats", context);
        return [];
    }

    /// <summary>
    /// $listSampledQueries: the queries the query analyzer sampled (config.sampledQueries). Refused on a standalone as
    /// mongod does; elsewhere empty, since configureQueryAnalyzer (which starts the sampling) is not provided.
    /// </summary>
    private static List<BsonDocument> ListSampledQueries(BsonValue spec, PipelineContext context, int index)
    {
        if (spec is not BsonDocument document)
            throw Errors.Location(6876000, "$listSampledQueries must take a nested object but found: $listSampledQueries: " + Shell.Format(spec));
        if (context.Server is { IsReplicaSet: false, IsRouter: false })
            throw Errors.IllegalOperation("$listSampledQueries is not supported on a standalone mongod");
        StageObject("$listSampledQueries", document, 0, string.Empty, "namespace");
        if (document.TryGetValue("namespace", out var ns) && ns is not BsonString)
            throw Errors.TypeMismatch("BSON field '$listSampledQueries.namespace' is the wrong type '" + BsonOrder.TypeName(ns) + "', expected type 'string'");
        RequireFirst("$listSampledQueries", index);
        RequireAdminCollectionless("$listSampledQueries", context);
        return [];
    }

    /// <summary>
    /// $shardedDataDistribution: per sharded collection, its documents per shard. Only a router runs it (mongod's 6789101
    /// elsewhere); no collection of this server's clusters is sharded, so a router lists none.
    /// </summary>
    private static List<BsonDocument> ShardedDataDistribution(BsonValue spec, PipelineContext context, int index)
    {
        if (spec is not BsonDocument { ElementCount: 0 })
            throw Errors.Location(6789100, "The $shardedDataDistribution stage specification must be an empty object");
        if (context.Server is not { IsRouter: true })
            throw Errors.Location(6789101, "The $shardedDataDistribution stage can only be run on mongoS");
        if (context.Database != "admin" || context.Collection is not null)
            throw Errors.Location(6789102, "The $shardedDataDistribution stage must be run on the admin database");
        RequireFirst("$shardedDataDistribution", index);
        return [];
    }

    private static void RequireAdminCollectionless(string name, PipelineContext context)
    {
        if (context.Database != "admin" || context.Collection is not null)
            throw Errors.InvalidNamespace(name + " must be run against the 'admin' database with {aggregate: 1}");
    }
}
