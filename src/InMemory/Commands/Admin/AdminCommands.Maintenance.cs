using Mongo.Bson;
using Mongo.InMemory.Commands.Data;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Commands.Admin;

/// <summary>
/// The rest of mongod 8.0's command list: connPoolStats, logRotate, clearLog, fsyncUnlock, setFeatureCompatibilityVersion,
/// the Atlas Search index commands and query settings (refused as a community mongod refuses them), and every other
/// command mongod has that this server does not provide, each refused with NotImplemented naming it instead of
/// CommandNotFound (a client must be able to tell "not provided here" from "no such command").
/// </summary>
internal static partial class AdminCommands
{
    /// <summary>
    /// mongod 8.0 commands (community, standalone or replica set member) that Mongo.InMemory does not provide, with
    /// the reason each is missing.
    /// </summary>
    private static readonly Dictionary<string, string> s_notProvided = new(StringComparer.Ordinal)
    {
        ["mapReduce"] = "it runs JavaScript map, reduce and finalize functions, and this server executes no JavaScript (use an aggregation pipeline)",
        ["applyOps"] = "it applies raw oplog entries",
        ["appendOplogNote"] = "it writes to the oplog directly",
        ["autoCompact"] = "its storage has nothing to compact",
        ["createRole"] = "it keeps no user-defined roles (every user has root)",
        ["updateRole"] = "it keeps no user-defined roles (every user has root)",
        ["dropRole"] = "it keeps no user-defined roles (every user has root)",
        ["dropAllRolesFromDatabase"] = "it keeps no user-defined roles (every user has root)",
        ["grantPrivilegesToRole"] = "it keeps no user-defined roles (every user has root)",
        ["revokePrivilegesFromRole"] = "it keeps no user-defined roles (every user has root)",
        ["grantRolesToRole"] = "it keeps no user-defined roles (every user has root)",
        ["revokeRolesFromRole"] = "it keeps no user-defined roles (every user has root)",
        ["invalidateUserCache"] = "it keeps no user cache",
        ["dbHash"] = "it computes no collection hashes",
        ["dbCheck"] = "it keeps no replicated consistency checks",
        ["dropConnections"] = "it keeps no egress connection pools",
        ["filemd5"] = "it computes no GridFS checksums",
        ["getClusterParameter"] = "it keeps no cluster parameters",
        ["setClusterParameter"] = "it keeps no cluster parameters",
        ["getDiagnosticData"] = "it records no FTDC diagnostic data",
        ["rotateCertificates"] = "it reloads no TLS certificates at runtime",
        ["setIndexCommitQuorum"] = "its index builds finish within createIndexes",
        ["setProfilingFilterGlobally"] = "it does not profile operations",
        ["setUserWriteBlockMode"] = "it has no user write blocking",
        ["shutdown"] = "an in-process server is stopped by its host (InMemoryMongoServer.DisposeAsync)",
        ["startRecordingTraffic"] = "it records no traffic",
        ["stopRecordingTraffic"] = "it records no traffic",
        ["validateDBMetadata"] = "it keeps no API version metadata to validate",
        ["splitVector"] = "it has no chunks to split",
        ["analyzeShardKey"] = "it does not analyze shard keys",
        ["configureQueryAnalyzer"] = "it does not sample queries",
        ["getQueryableEncryptionCountInfo"] = "it does not support Queryable Encryption",
        ["cleanupStructuredEncryptionData"] = "it does not support Queryable Encryption",
        ["compactStructuredEncryptionData"] = "it does not support Queryable Encryption",
        ["replSetAbortPrimaryCatchUp"] = "its replica set members never lag behind an election",
        ["replSetMaintenance"] = "its replica set members have no maintenance mode",
        ["replSetResizeOplog"] = "its oplog is not sized",
        ["replSetSyncFrom"] = "its secondaries always replicate from the primary",
        ["analyze"] = "it keeps no statistics for a cost-based optimizer (a test-only command in 8.0)",
        ["waitForFailPoint"] = "its fail points do not count the times they were entered",
        ["sleep"] = "it holds no locks for a test to wait on",
        ["emptycapped"] = "it does not offer this test-only command (delete the documents instead)",
    };

    private static IEnumerable<ICommandHandler> MaintenanceCommands() =>
    [
        new DelegateCommand(["connPoolStats"], ConnPoolStats),
        new DelegateCommand(["logRotate"], static c => AdminOnly(c, new BsonDocument()) ?? new BsonDocument()),
        new DelegateCommand(["clearLog"], ClearLog),
        new DelegateCommand(["fsyncUnlock"], static c => AdminOnly(c, null) ?? throw Errors.IllegalOperation("fsyncUnlock called when not locked")),
        new DelegateCommand(["setFeatureCompatibilityVersion"], SetFeatureCompatibilityVersion),
        new DelegateCommand(["createSearchIndexes", "updateSearchIndex", "dropSearchIndex"],
            static _ => throw Errors.Of(ErrorCodes.SearchNotEnabled, Engine.Pipeline.AggregationPipeline.SearchIndexesNotEnabled)),
        new DelegateCommand(["setQuerySettings", "removeQuerySettings"], QuerySettingsCommand),
        new DelegateCommand(["setDefaultRWConcern"], SetDefaultRwConcern),
        // The sessions $listSessions lists are already the server's own: there is no cache to flush into a collection.
        new DelegateCommand(["refreshLogicalSessionCacheNow"], static _ => new BsonDocument()),
        new DelegateCommand([.. s_notProvided.Keys], static c => throw Errors.NotImplemented(
            c.CommandName + " is not supported by Mongo.InMemory: " + s_notProvided[c.CommandName])),
    ];

    /// <summary>The reply, once the command is known to run on admin (mongod's Unauthorized otherwise).</summary>
    private static BsonDocument? AdminOnly(CommandContext context, BsonDocument? reply)
    {
        DataCommand.RequireAdmin(context);
        return reply;
    }

    /// <summary>connPoolStats: the egress pools to other servers; a lone in-memory server opens none.</summary>
    private static BsonDocument ConnPoolStats(CommandContext context) => new()
    {
        { "numClientConnections", 0 },
        { "numAScopedConnections", 0 },
        { "totalInUse", 0 },
        { "totalAvailable", 0 },
        { "totalLeased", 0 },
        { "totalCreated", 0 },
        { "totalRefreshing", 0 },
        { "totalRefreshed", 0 },
        { "totalWasNeverUsed", 0 },
        { "totalWasUsedOnce", 0 },
        { "totalConnUsageTimeMillis", 0 },
        { "replicaSetMatchingStrategy", "disabled" },
        { "acquisitionWaitTimes", new BsonDocument() },
        { "pools", new BsonDocument() },
        { "hosts", new BsonDocument() },
        { "replicaSets", new BsonDocument() },
    };

    private static BsonDocument ClearLog(CommandContext context)
    {
        DataCommand.RequireAdmin(context);
        BsonValue which = context.Command[0];
        if (which is not BsonString { Value: "global" or "startupWarnings" })
        {
            throw Errors.Of(ErrorCodes.InvalidOptions, "Only the 'global' log can be cleared");
        }

        // getLog keeps no lines: there is nothing to clear.
        return new BsonDocument();
    }

    /// <summary>setFeatureCompatibilityVersion: this server is 8.0 and stays so; the upgrade to 8.0 it is already at succeeds.</summary>
    private static BsonDocument SetFeatureCompatibilityVersion(CommandContext context)
    {
        DataCommand.RequireAdmin(context);
        BsonValue version = context.Command[0];
        if (version is not BsonString text)
        {
            throw Errors.TypeMismatch("BSON field 'setFeatureCompatibilityVersion.setFeatureCompatibilityVersion' is the wrong type '" + BsonOrder.TypeName(version) + "', expected type 'string'");
        }

        if (text.Value != "8.0")
        {
            throw Errors.NotImplemented("setFeatureCompatibilityVersion to " + text.Value + " is not supported by Mongo.InMemory: it only has featureCompatibilityVersion 8.0");
        }

        return new BsonDocument();
    }

    /// <summary>setQuerySettings/removeQuerySettings: mongod refuses them on a standalone; elsewhere they are not provided.</summary>
    private static BsonDocument QuerySettingsCommand(CommandContext context)
    {
        DataCommand.RequireAdmin(context);
        if (!context.Server.IsReplicaSet && !context.Server.IsRouter)
        {
            throw Errors.IllegalOperation(context.CommandName + " can only run on replica sets or sharded clusters");
        }

        throw Errors.NotImplemented(context.CommandName + " is not supported by Mongo.InMemory: its query planner takes no query settings");
    }

    private static BsonDocument SetDefaultRwConcern(CommandContext context)
    {
        DataCommand.RequireAdmin(context);
        if (!context.Server.IsReplicaSet && !context.Server.IsRouter)
        {
            throw Errors.Of(51300, "'setDefaultRWConcern' is not supported on standalone nodes.");
        }

        throw Errors.NotImplemented("setDefaultRWConcern is not supported by Mongo.InMemory: the cluster-wide defaults stay the implicit ones");
    }
}
