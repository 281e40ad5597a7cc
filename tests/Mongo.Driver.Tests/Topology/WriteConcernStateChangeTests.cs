using System.Collections.Concurrent;
using Mongo.Bson;
using Mongo.Driver.Events;
using Mongo.Driver.Topology;
using Mongo.InMemory;
using Xunit;

namespace Mongo.Driver.Tests.Topology;

/// <summary>
/// SDAM "not writable primary" and "node is recovering": the code (or, without one, the message) of an ok:1 reply's
/// writeConcernError is checked like a command error's — the server is marked Unknown unless the error's
/// topologyVersion is stale, and its pool is cleared only for the shutdown codes.
/// </summary>
public sealed class WriteConcernStateChangeTests
{
    private static readonly ObjectId ProcessId = ObjectId.GenerateNewId();

    private static BsonDocument TopologyVersion(long counter) => new() { { "processId", ProcessId }, { "counter", new BsonInt64(counter) } };

    /// <summary>A cluster without monitors whose one server is a known primary at topologyVersion counter 1.</summary>
    private static (Cluster Cluster, Server Server) KnownPrimary()
    {
        ClusterSettings settings = ClusterSettings.From(MongoClientSettings.FromConnectionString("mongodb://a:27017/?replicaSet=rs"));
        settings.StartMonitors = false;
        var cluster = new Cluster(settings);
        Server server = cluster.Servers[0];
        server.Update(ServerDescription.FromHello(server.Address, new BsonDocument
        {
            { "isWritablePrimary", true }, { "setName", "rs" }, { "hosts", new BsonArray { "a:27017" } }, { "me", "a:27017" },
            { "topologyVersion", TopologyVersion(1) }, { "minWireVersion", 0 }, { "maxWireVersion", 25 }, { "ok", 1.0 },
        }, TimeSpan.FromMilliseconds(1)));
        return (cluster, server);
    }

    public static TheoryData<BsonDocument, bool, bool> Replies() => new()
    {
        // A newer topologyVersion: the server changed state since the client looked.
        { new BsonDocument { { "ok", 1 }, { "writeConcernError", new BsonDocument { { "code", 10107 }, { "errmsg", "not primary" } } }, { "topologyVersion", TopologyVersion(2) } }, true, false },
        { new BsonDocument { { "ok", 1 }, { "writeConcernError", new BsonDocument { { "code", 91 }, { "errmsg", "shutting down" } } }, { "topologyVersion", TopologyVersion(2) } }, true, true },
        { new BsonDocument { { "ok", 1 }, { "writeConcernError", new BsonDocument { { "code", 11602 }, { "errmsg", "interrupted" } } } }, true, false },

        // No code: the message decides ("not master" is "not writable primary").
        { new BsonDocument { { "ok", 1 }, { "writeConcernError", new BsonDocument("errmsg", "not master") } }, true, false },

        // A topologyVersion the client already has: stale, ignored.
        { new BsonDocument { { "ok", 1 }, { "writeConcernError", new BsonDocument { { "code", 10107 }, { "errmsg", "not primary" } } }, { "topologyVersion", TopologyVersion(1) } }, false, false },

        // Not a state change.
        { new BsonDocument { { "ok", 1 }, { "writeConcernError", new BsonDocument { { "code", 64 }, { "errmsg", "waiting for replication timed out" } } } }, false, false },
        { new BsonDocument { { "ok", 1 }, { "n", 1 } }, false, false },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void A_writeConcernError_is_checked_like_a_command_error(BsonDocument reply, bool marksUnknown, bool clearsPool)
    {
        (Cluster cluster, Server server) = KnownPrimary();
        using (cluster)
        {
            int generation = server.Pool.Generation;

            server.HandleWriteConcernError(reply, generation);

            Assert.Equal(marksUnknown ? ServerType.Unknown : ServerType.RSPrimary, server.Description.Type);
            Assert.Equal(clearsPool ? generation + 1 : generation, server.Pool.Generation);
            if (marksUnknown && reply.GetValueOrDefault("topologyVersion") is BsonDocument tv)
            {
                Assert.Equal(tv, server.Description.TopologyVersion); // kept, so older errors count as stale
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_shutdown_writeConcernError_from_the_server_marks_it_unknown_and_clears_its_pool(bool async)
    {
        await using var server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        await using var admin = new MongoClient(server.ConnectionString);
        var unknown = new ConcurrentQueue<MongoServerDescription>();
        var cleared = new ConcurrentQueue<ConnectionPoolClearedEvent>();
        string appName = "wce-" + async;
        var settings = MongoClientSettings.FromConnectionString(server.ConnectionString + (server.ConnectionString.Contains('?', StringComparison.Ordinal) ? "&" : "/?") + "retryWrites=false&heartbeatFrequencyMS=500&appName=" + appName);
        settings.Subscribe<ServerDescriptionChangedEvent>(e =>
        {
            if (e.NewDescription.Type == MongoServerType.Unknown)
            {
                unknown.Enqueue(e.NewDescription);
            }
        });
        settings.Subscribe<ConnectionPoolClearedEvent>(cleared.Enqueue);
        await using var client = new MongoClient(settings);
        var collection = client.GetDatabase("sdam").GetCollection("wce");
        await collection.InsertOneAsync(new BsonDocument("_id", 0));
        await admin.GetDatabase("admin").RunCommandAsync(new BsonDocument
        {
            { "configureFailPoint", "failCommand" }, { "mode", new BsonDocument("times", 1) },
            { "data", new BsonDocument { { "failCommands", new BsonArray { "insert" } }, { "appName", appName }, { "writeConcernError", new BsonDocument { { "code", 91 }, { "errmsg", "injected shutdown" } } } } },
        });

        var document = new BsonDocument("_id", 1);
        var ex = await Assert.ThrowsAnyAsync<MongoException>(async () =>
        {
            if (async)
            {
                await collection.InsertOneAsync(document);
            }
            else
            {
                collection.InsertOne(document);
            }
        });

        Assert.Contains("injected shutdown", ex.Message, StringComparison.Ordinal);
        MongoServerDescription marked = Assert.Single(unknown);
        Assert.Contains("injected shutdown", marked.Error!.Message, StringComparison.Ordinal);
        Assert.Single(cleared);
        // The requested check is answered when the streaming hello in progress returns: an injected error changed nothing
        // on the server, so that is after heartbeatFrequencyMS (a real state change would end the wait at once).
        await collection.InsertOneAsync(new BsonDocument("_id", 2));
    }
}
