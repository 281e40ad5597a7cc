using Mongo.InMemory;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>The official MongoDB.Driver 3.14.0 against the in-memory server: handshake, admin commands, errors.</summary>
public sealed class FidelityBasicsTests : IAsyncLifetime
{
    private InMemoryMongoServer _server = null!;

    public async Task InitializeAsync() => _server = await InMemoryMongoServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MongoClient Client(string extra = "")
    {
        var settings = MongoClientSettings.FromConnectionString(_server.ConnectionString + extra);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        return new MongoClient(settings);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ping_succeeds(bool async)
    {
        using var client = Client();
        var db = client.GetDatabase("admin");
        var command = new O.BsonDocument("ping", 1);
        O.BsonDocument reply = async ? await db.RunCommandAsync<O.BsonDocument>(command) : db.RunCommand<O.BsonDocument>(command);
        Assert.Equal(1.0, reply["ok"].ToDouble());
        Assert.True(_server.Statistics.OpQueryReceived >= 1, "the driver's handshake uses legacy OP_QUERY");
        Assert.True(_server.Statistics.OpMsgReceived >= 1);
    }

    [Theory]
    [InlineData("$out")]
    [InlineData("$merge")]
    public async Task A_linearizable_read_cannot_feed_a_write_stage(string stage)
    {
        using var client = Client();
        var collection = client.GetDatabase("fidelity_linearizable").GetCollection<O.BsonDocument>("source").WithReadConcern(ReadConcern.Linearizable);
        await collection.Database.GetCollection<O.BsonDocument>("source").InsertOneAsync(new O.BsonDocument("_id", 1));
        var write = stage == "$out" ? new O.BsonDocument("$out", "target") : new O.BsonDocument("$merge", new O.BsonDocument("into", "target"));
        var error = await Assert.ThrowsAsync<MongoCommandException>(() => collection.AggregateAsync<O.BsonDocument>(new[] { write }));
        Assert.Equal(72, error.Code);
        Assert.Contains(stage + " cannot be used with a 'linearizable' read concern level", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await collection.Database.GetCollection<O.BsonDocument>("target").CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));
    }

    [Fact]
    public async Task Hello_reports_an_8_0_server()
    {
        using var client = Client();
        var reply = await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("hello", 1));
        Assert.True(reply["isWritablePrimary"].AsBoolean);
        Assert.Equal(25, reply["maxWireVersion"].AsInt32);
        Assert.Equal(0, reply["minWireVersion"].AsInt32);
        Assert.Equal(16777216, reply["maxBsonObjectSize"].AsInt32);
        Assert.Equal(48000000, reply["maxMessageSizeBytes"].AsInt32);
        Assert.Equal(100000, reply["maxWriteBatchSize"].AsInt32);
        Assert.Equal(30, reply["logicalSessionTimeoutMinutes"].AsInt32);
        Assert.False(reply["readOnly"].AsBoolean);
        Assert.True(reply["connectionId"].AsInt32 > 0);
        Assert.Equal(O.BsonType.DateTime, reply["localTime"].BsonType);
        Assert.Equal(O.BsonType.ObjectId, reply["topologyVersion"]["processId"].BsonType);
        Assert.Equal(0L, reply["topologyVersion"]["counter"].AsInt64);
        Assert.False(reply.Contains("setName"));

        var isMaster = await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("isMaster", 1));
        Assert.True(isMaster["ismaster"].AsBoolean);

        var cluster = client.Cluster.Description;
        Assert.Equal(MongoDB.Driver.Core.Clusters.ClusterType.Standalone, cluster.Type);
        Assert.Equal(25, cluster.Servers[0].MaxWireVersion);
    }

    [Fact]
    public async Task BuildInfo_reports_version_8()
    {
        using var client = Client();
        var reply = await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("buildInfo", 1));
        Assert.StartsWith("8.0.", reply["version"].AsString);
        Assert.Equal(8, reply["versionArray"][0].AsInt32);
    }

    [Fact]
    public async Task Unknown_command_fails_with_CommandNotFound()
    {
        using var client = Client();
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() =>
            client.GetDatabase("test").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("frobnicate", 1)));
        Assert.Equal(59, ex.Code);
        Assert.Equal("CommandNotFound", ex.CodeName);
        Assert.Contains("no such command: 'frobnicate'", ex.Message);
    }

    [Fact]
    public async Task Admin_commands_answer()
    {
        using var client = Client();
        var admin = client.GetDatabase("admin");
        var status = await admin.RunCommandAsync<O.BsonDocument>(new O.BsonDocument("serverStatus", 1));
        Assert.True(status["connections"]["current"].AsInt32 >= 1);
        var parameter = await admin.RunCommandAsync<O.BsonDocument>(new O.BsonDocument { { "getParameter", 1 }, { "featureCompatibilityVersion", 1 } });
        Assert.Equal("8.0", parameter["featureCompatibilityVersion"]["version"].AsString);
        var me = await admin.RunCommandAsync<O.BsonDocument>(new O.BsonDocument("whatsmyuri", 1));
        Assert.Contains("127.0.0.1", me["you"].AsString);
        var commands = await admin.RunCommandAsync<O.BsonDocument>(new O.BsonDocument("listCommands", 1));
        Assert.True(commands["commands"].AsBsonDocument.Contains("ping"));
        await admin.RunCommandAsync<O.BsonDocument>(new O.BsonDocument("connectionStatus", 1));
        await admin.RunCommandAsync<O.BsonDocument>(new O.BsonDocument("hostInfo", 1));
    }
}
