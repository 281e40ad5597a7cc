using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>
/// mongod 8.0's commands and stages that were missing or answered wrongly: the catalog and administration stages, the
/// Atlas Search refusals, the maintenance commands, setParameter's runtime parameters (notablescan at work), and the
/// NotImplemented answer (never CommandNotFound) for what mongod has and this server does not provide.
/// </summary>
public sealed class FidelityMongodCommandsTests : IAsyncLifetime
{
    private InMemoryMongoServer _server = null!;
    private MongoClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await InMemoryMongoServer.StartAsync();
        _client = Connect(_server);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static MongoClient Connect(InMemoryMongoServer server)
    {
        var settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        settings.DirectConnection = true;
        return new MongoClient(settings);
    }

    private static Task<O.BsonDocument> Run(MongoClient client, string db, string json) =>
        client.GetDatabase(db).RunCommandAsync<O.BsonDocument>(O.BsonDocument.Parse(json));

    private Task<O.BsonDocument> Run(string db, string json) => Run(_client, db, json);

    private static async Task<MongoCommandException> Fails(MongoClient client, string db, string json) =>
        await Assert.ThrowsAsync<MongoCommandException>(() => Run(client, db, json));

    private Task<MongoCommandException> Fails(string db, string json) => Fails(_client, db, json);

    private static O.BsonArray FirstBatch(O.BsonDocument reply) => reply["cursor"]["firstBatch"].AsBsonArray;

    [Fact]
    public async Task Collectionless_aggregate_names_its_first_stage_and_lists_the_catalog()
    {
        await Run("shop", "{create: 'orders'}");
        await Run("shop", "{create: 'recent', viewOn: 'orders', pipeline: []}");
        await Run("other", "{insert: 'c', documents: [{_id: 1}]}");

        var wrong = await Fails("admin", "{aggregate: 1, pipeline: [{$project: {a: 1}}], cursor: {}}");
        Assert.Equal(73, wrong.Code);
        Assert.Equal("{aggregate: 1} is not valid for '$project'; a collection is required.", wrong.ErrorMessage);

        var shop = FirstBatch(await Run("shop", "{aggregate: 1, pipeline: [{$listClusterCatalog: {}}], cursor: {}}"));
        Assert.Equal(["shop.orders", "shop.recent"], shop.Select(d => d["ns"].AsString));
        Assert.Equal("collection", shop[0]["type"].AsString);
        Assert.Equal("shop", shop[0]["db"].AsString);
        Assert.False(shop[0]["sharded"].AsBoolean);
        Assert.True(shop[0].AsBsonDocument.Contains("idIndex"));
        Assert.Equal("view", shop[1]["type"].AsString);
        Assert.Equal("orders", shop[1]["options"]["viewOn"].AsString);

        var all = FirstBatch(await Run("admin", "{aggregate: 1, pipeline: [{$listClusterCatalog: {}}, {$match: {db: {$in: ['shop', 'other']}}}], cursor: {}}"));
        Assert.Equal(["other.c", "shop.orders", "shop.recent"], all.Select(d => d["ns"].AsString));
        Assert.Equal(14, (await Fails("admin", "{aggregate: 1, pipeline: [{$listClusterCatalog: {shards: 1}}], cursor: {}}")).Code);
        Assert.Equal(40415, (await Fails("admin", "{aggregate: 1, pipeline: [{$listClusterCatalog: {nope: true}}], cursor: {}}")).Code);
    }

    [Fact]
    public async Task Admin_stages_answer_as_a_standalone_mongod()
    {
        Assert.Empty(FirstBatch(await Run("admin", "{aggregate: 1, pipeline: [{$querySettings: {}}], cursor: {}}")));
        Assert.Empty(FirstBatch(await Run("admin", "{aggregate: 1, pipeline: [{$queryStats: {}}], cursor: {}}")));
        Assert.Equal(7746801, (await Fails("admin", "{aggregate: 1, pipeline: [{$querySettings: 1}], cursor: {}}")).Code);
        Assert.Equal(73, (await Fails("test", "{aggregate: 1, pipeline: [{$querySettings: {}}], cursor: {}}")).Code);

        var sampled = await Fails("admin", "{aggregate: 1, pipeline: [{$listSampledQueries: {}}], cursor: {}}");
        Assert.Equal(20, sampled.Code);
        Assert.Equal("$listSampledQueries is not supported on a standalone mongod", sampled.ErrorMessage);

        var distribution = await Fails("admin", "{aggregate: 1, pipeline: [{$shardedDataDistribution: {}}], cursor: {}}");
        Assert.Equal(6789101, distribution.Code);
        Assert.Equal(6789100, (await Fails("admin", "{aggregate: 1, pipeline: [{$shardedDataDistribution: {a: 1}}], cursor: {}}")).Code);

        var split = await Fails("test", "{aggregate: 'c', pipeline: [{$changeStreamSplitLargeEvent: {}}], cursor: {}}");
        Assert.Equal(20, split.Code);
        Assert.Equal("$changeStreamSplitLargeEvent can only be used in a $changeStream pipeline", split.ErrorMessage);

        var setSettings = await Fails("admin", "{setQuerySettings: {find: 'c', filter: {a: 1}, $db: 'test'}, settings: {reject: true}}");
        Assert.Equal(20, setSettings.Code);
        Assert.Equal("setQuerySettings can only run on replica sets or sharded clusters", setSettings.ErrorMessage);
    }

    [Fact]
    public async Task Admin_stages_on_a_replica_set_member_and_a_router()
    {
        await using var member = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        using var memberClient = Connect(member);
        Assert.Empty(FirstBatch(await Run(memberClient, "admin", "{aggregate: 1, pipeline: [{$listSampledQueries: {}}], cursor: {}}")));
        Assert.Equal(6789101, (await Fails(memberClient, "admin", "{aggregate: 1, pipeline: [{$shardedDataDistribution: {}}], cursor: {}}")).Code);
        Assert.Equal(20, (await Fails(memberClient, "test", "{reIndex: 'c'}")).Code);
        Assert.Equal(238, (await Fails(memberClient, "admin", "{setQuerySettings: {find: 'c', filter: {a: 1}, $db: 'test'}, settings: {reject: true}}")).Code);

        await using var router = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { Sharded = true });
        using var routerClient = Connect(router);
        Assert.Empty(FirstBatch(await Run(routerClient, "admin", "{aggregate: 1, pipeline: [{$shardedDataDistribution: {}}], cursor: {}}")));
        Assert.Equal(6789102, (await Fails(routerClient, "test", "{aggregate: 1, pipeline: [{$shardedDataDistribution: {}}], cursor: {}}")).Code);
    }

    [Fact]
    public async Task ListSessions_reads_config_system_sessions()
    {
        using var session = await _client.StartSessionAsync();
        await _client.GetDatabase("test").RunCommandAsync<O.BsonDocument>(session, O.BsonDocument.Parse("{ping: 1}"));
        var sessions = FirstBatch(await Run("config", "{aggregate: 'system.sessions', pipeline: [{$listSessions: {allUsers: true}}], cursor: {}}"));
        Assert.Contains(sessions, s => s["_id"]["id"].Equals(session.ServerSession.Id["id"]));

        var elsewhere = await Fails("test", "{aggregate: 'c', pipeline: [{$listSessions: {}}], cursor: {}}");
        Assert.Equal(73, elsewhere.Code);
        Assert.Equal("$listSessions must be run against the 'system.sessions' collection in the 'config' database.", elsewhere.ErrorMessage);
    }

    [Fact]
    public async Task Atlas_search_is_refused_with_SearchNotEnabled()
    {
        await Run("test", "{insert: 'c', documents: [{_id: 1}]}");
        foreach (var json in new[]
        {
            "{aggregate: 'c', pipeline: [{$listSearchIndexes: {}}], cursor: {}}",
            "{createSearchIndexes: 'c', indexes: [{name: 's', definition: {mappings: {dynamic: true}}}]}",
            "{updateSearchIndex: 'c', name: 's', definition: {mappings: {dynamic: true}}}",
            "{dropSearchIndex: 'c', name: 's'}",
        })
        {
            var refused = await Fails("test", json);
            Assert.Equal(31082, refused.Code);
            Assert.Equal("SearchNotEnabled", refused.CodeName);
            Assert.StartsWith("Using Atlas Search Database Commands and the $listSearchIndexes aggregation stage requires additional configuration.", refused.ErrorMessage);
        }

        var search = await Fails("test", "{aggregate: 'c', pipeline: [{$search: {text: {query: 'a', path: 'b'}}}], cursor: {}}");
        Assert.Equal(31082, search.Code);
        Assert.StartsWith("Using $search and $vectorSearch aggregation stages requires additional configuration.", search.ErrorMessage);
    }

    [Fact]
    public async Task Maintenance_commands_answer_with_mongods_fields()
    {
        await Run("test", "{insert: 'c', documents: [{_id: 1, s: 'a'}, {_id: 2, s: 'b'}, {_id: 3, s: 'c'}]}");
        await Run("test", "{createIndexes: 'c', indexes: [{key: {s: 1}, name: 's_1'}]}");

        Assert.Equal(0, (await Run("test", "{compact: 'c'}"))["bytesFreed"].ToInt32());
        Assert.Equal(26, (await Fails("test", "{compact: 'none'}")).Code);
        var reIndex = await Run("test", "{reIndex: 'c'}");
        Assert.Equal(2, reIndex["nIndexesWas"].ToInt32());
        Assert.Equal(["_id_", "s_1"], reIndex["indexes"].AsBsonArray.Select(i => i["name"].AsString));

        await Run("test", "{cloneCollectionAsCapped: 'c', toCollection: 'capped', size: 100000, max: 2}");
        var capped = await Run("test", "{listCollections: 1, filter: {name: 'capped'}}");
        Assert.True(FirstBatch(capped)[0]["options"]["capped"].AsBoolean);
        var kept = FirstBatch(await Run("test", "{find: 'capped'}"));
        Assert.Equal([2, 3], kept.Select(d => d["_id"].ToInt32())); // max 2: the oldest is evicted
        Assert.Equal(48, (await Fails("test", "{cloneCollectionAsCapped: 'c', toCollection: 'capped', size: 100000}")).Code);

        await Run("test", "{convertToCapped: 'c', size: 4096}");
        var converted = FirstBatch(await Run("test", "{listCollections: 1, filter: {name: 'c'}}"))[0];
        Assert.True(converted["options"]["capped"].AsBoolean);
        Assert.Equal(3, FirstBatch(await Run("test", "{find: 'c'}")).Count);
        Assert.Single(FirstBatch(await Run("test", "{listIndexes: 'c'}"))); // only _id survives, as on mongod

        await Run("test", "{planCacheClear: 'c'}");
        await Run("test", "{planCacheClearFilters: 'c'}");
        Assert.Empty((await Run("test", "{planCacheListFilters: 'c'}"))["filters"].AsBsonArray);
        Assert.Equal(238, (await Fails("test", "{planCacheSetFilter: 'c', query: {s: 'a'}, indexes: [{s: 1}]}")).Code);

        Assert.Equal(0, (await Run("admin", "{connPoolStats: 1}"))["totalInUse"].ToInt32());
        await Run("admin", "{logRotate: 1}");
        await Run("admin", "{clearLog: 'global'}");
        Assert.Equal(20, (await Fails("admin", "{fsyncUnlock: 1}")).Code);
        await Run("admin", "{setFeatureCompatibilityVersion: '8.0', confirm: true}");
        Assert.Equal(238, (await Fails("admin", "{setFeatureCompatibilityVersion: '7.0', confirm: true}")).Code);
        Assert.Equal(51300, (await Fails("admin", "{setDefaultRWConcern: 1, defaultWriteConcern: {w: 1}}")).Code);
    }

    [Fact]
    public async Task Commands_mongod_has_are_NotImplemented_never_CommandNotFound()
    {
        var mapReduce = await Fails("test", "{mapReduce: 'c', map: 'function() {}', reduce: 'function() {}', out: {inline: 1}}");
        Assert.Equal(238, mapReduce.Code);
        Assert.Contains("JavaScript", mapReduce.ErrorMessage, StringComparison.Ordinal);
        foreach (var name in new[] { "createRole", "dbHash", "shutdown", "applyOps", "getClusterParameter", "replSetResizeOplog", "filemd5" })
        {
            var refused = await Fails("admin", "{" + name + ": 1}");
            Assert.Equal(238, refused.Code);
            Assert.StartsWith(name + " is not supported by Mongo.InMemory: ", refused.ErrorMessage, StringComparison.Ordinal);
        }

        Assert.Equal(59, (await Fails("admin", "{noSuchCommandAtAll: 1}")).Code);
        var listed = (await Run("admin", "{listCommands: 1}"))["commands"].AsBsonDocument;
        foreach (var name in new[] { "compact", "reIndex", "convertToCapped", "cloneCollectionAsCapped", "connPoolStats", "logRotate", "planCacheClear" })
        {
            Assert.True(listed.Contains(name), name);
        }
    }

    [Fact]
    public async Task CreateCollection_with_encryptedFields_is_refused_as_on_mongod()
    {
        var standalone = await Fails("test", "{create: 'secret', encryptedFields: {fields: []}}");
        Assert.Equal(6346402, standalone.Code);
        Assert.Equal("Encrypted collections are not supported on standalone", standalone.ErrorMessage);

        var state = await Fails("test", "{create: 'enxcol_.secret.esc', clusteredIndex: {key: {_id: 1}, unique: true}}");
        Assert.Equal(238, state.Code);
        Assert.Contains("Queryable Encryption", state.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetParameter_sets_the_log_and_runtime_parameters_getParameter_reports()
    {
        Assert.Equal(0, (await Run("admin", "{setParameter: 1, logLevel: 2}"))["was"].ToInt32());
        Assert.Equal(2, (await Run("admin", "{getParameter: 1, logLevel: 1}"))["logLevel"].ToInt32());
        await Run("admin", "{setParameter: 1, logComponentVerbosity: {command: {verbosity: 1}}}");
        var verbosity = (await Run("admin", "{getParameter: 1, logComponentVerbosity: 1}"))["logComponentVerbosity"];
        Assert.Equal(1, verbosity["command"]["verbosity"].ToInt32());
        Assert.Equal(2, verbosity["verbosity"].ToInt32());
        Assert.Equal(2, (await Fails("admin", "{setParameter: 1, logLevel: 9}")).Code);

        await Run("admin", "{setParameter: 1, cursorTimeoutMillis: 120000}");
        Assert.Equal(120000, (await Run("admin", "{getParameter: 1, cursorTimeoutMillis: 1}"))["cursorTimeoutMillis"].ToInt64());
        await Run("admin", "{setParameter: 1, ttlMonitorEnabled: false}");
        Assert.False((await Run("admin", "{getParameter: 1, ttlMonitorEnabled: 1}"))["ttlMonitorEnabled"].AsBoolean);
        await Run("admin", "{setParameter: 1, quiet: true}");
        Assert.True((await Run("admin", "{getParameter: 1, quiet: 1}"))["quiet"].AsBoolean);

        Assert.Equal(20, (await Fails("admin", "{setParameter: 1, authenticationMechanisms: 'SCRAM-SHA-256'}")).Code);
        Assert.Equal(72, (await Fails("admin", "{setParameter: 1, noSuchParameter: 1}")).Code);
    }

    [Fact]
    public async Task TtlMonitor_disabled_keeps_expired_documents()
    {
        await Run("admin", "{setParameter: 1, ttlMonitorEnabled: false}");
        await Run("test", "{createIndexes: 't', indexes: [{key: {at: 1}, name: 'at_1', expireAfterSeconds: 0}]}");
        await Run("test", "{insert: 't', documents: [{_id: 1, at: {$date: '2000-01-01T00:00:00Z'}}]}");
        Assert.Single(FirstBatch(await Run("test", "{find: 't'}")));
    }

    [Fact]
    public async Task Notablescan_refuses_collection_scans_but_not_index_scans()
    {
        await Run("test", "{insert: 'c', documents: [{_id: 1, a: 1, b: 1}, {_id: 2, a: 2, b: 2}]}");
        await Run("test", "{createIndexes: 'c', indexes: [{key: {a: 1}, name: 'a_1'}]}");
        Assert.False((await Run("admin", "{setParameter: 1, notablescan: true}"))["was"].AsBoolean);

        var refused = await Fails("test", "{find: 'c', filter: {b: 1}}");
        Assert.Equal(291, refused.Code);
        Assert.Equal("NoQueryExecutionPlans", refused.CodeName);
        Assert.Contains("No indexed plans available, and running with 'notablescan'", refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Single(FirstBatch(await Run("test", "{find: 'c', filter: {a: 2}}")));
        Assert.Equal(291, (await Fails("test", "{count: 'c', query: {b: 1}}")).Code);
        var delete = await Run("test", "{delete: 'c', deletes: [{q: {b: 1}, limit: 0}]}");
        Assert.Equal(291, delete["writeErrors"][0]["code"].ToInt32()); // a write statement's error, as on mongod
        Assert.Equal(2, (await Run("test", "{count: 'c'}"))["n"].ToInt32()); // a count without a query reads no plan
        Assert.Single(FirstBatch(await Run("test", "{find: 'c', filter: {_id: 1}}")));
        await Run("admin", "{insert: 'settings', documents: [{_id: 1, b: 1}]}");
        Assert.Single(FirstBatch(await Run("admin", "{find: 'settings', filter: {b: 1}}"))); // internal databases are exempt

        await Run("admin", "{setParameter: 1, notablescan: false}");
        Assert.Single(FirstBatch(await Run("test", "{find: 'c', filter: {b: 1}}")));
    }
}
