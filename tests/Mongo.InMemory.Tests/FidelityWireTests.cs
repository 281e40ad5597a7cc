using System.Diagnostics;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>The official driver exercising compression, fail points, cursors and concurrency against the server.</summary>
public sealed class FidelityWireTests : IAsyncLifetime
{
    private InMemoryMongoServer _server = null!;

    public async Task InitializeAsync() => _server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { CursorTimeout = TimeSpan.FromMinutes(10) });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MongoClient Client(string query = "", string? appName = null)
    {
        var settings = MongoClientSettings.FromConnectionString(_server.ConnectionString + query);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        if (appName is not null)
        {
            settings.ApplicationName = appName;
        }

        return new MongoClient(settings);
    }

    private static Task<O.BsonDocument> RunAsync(IMongoClient client, O.BsonDocument command, string db = "admin") =>
        client.GetDatabase(db).RunCommandAsync<O.BsonDocument>(command);

    [Theory]
    [InlineData("snappy")]
    [InlineData("zlib")]
    [InlineData("zstd")]
    public async Task Driver_compresses_with_each_compressor(string compressor)
    {
        using var client = Client("?compressors=" + compressor);
        for (int i = 0; i < 3; i++)
        {
            var reply = await RunAsync(client, new O.BsonDocument { { "ping", 1 }, { "comment", new string('x', 4096) } });
            Assert.Equal(1.0, reply["ok"].ToDouble());
        }

        Assert.True(_server.Statistics.GetCompressedMessagesReceived(compressor) >= 3, $"expected OP_COMPRESSED with {compressor}");
        Assert.True(_server.Statistics.GetCompressedRepliesSent(compressor) >= 3);
        foreach (string other in new[] { "snappy", "zlib", "zstd" }.Where(c => c != compressor))
        {
            Assert.Equal(0, _server.Statistics.GetCompressedMessagesReceived(other));
        }
    }

    [Fact]
    public async Task Server_refusing_a_compressor_makes_the_driver_send_plain_messages()
    {
        var options = new InMemoryMongoServerOptions();
        options.Compressors.Clear();
        options.Compressors.Add("zlib");
        await using var server = await InMemoryMongoServer.StartAsync(options);
        using var client = new MongoClient(server.ConnectionString + "?compressors=snappy");
        await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("ping", 1));
        Assert.Equal(0, server.Statistics.OpCompressedReceived);
    }

    private static O.BsonDocument FailPoint(O.BsonValue mode, O.BsonDocument data) =>
        new() { { "configureFailPoint", "failCommand" }, { "mode", mode }, { "data", data } };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FailPoint_errorCode_fails_the_given_number_of_times(bool async)
    {
        using var client = Client();
        await RunAsync(client, FailPoint(new O.BsonDocument("times", 2), new O.BsonDocument
        {
            { "failCommands", new O.BsonArray { "ping" } },
            { "errorCode", 2 },
            { "errorLabels", new O.BsonArray { "SomeLabel" } },
        }));

        var db = client.GetDatabase("admin");
        var ping = new O.BsonDocument("ping", 1);
        for (int i = 0; i < 2; i++)
        {
            var ex = async
                ? await Assert.ThrowsAsync<MongoCommandException>(() => db.RunCommandAsync<O.BsonDocument>(ping))
                : Assert.Throws<MongoCommandException>(() => db.RunCommand<O.BsonDocument>(ping));
            Assert.Equal(2, ex.Code);
            Assert.Equal("BadValue", ex.CodeName);
            Assert.True(ex.HasErrorLabel("SomeLabel"));
        }

        var ok = async ? await db.RunCommandAsync<O.BsonDocument>(ping) : db.RunCommand<O.BsonDocument>(ping);
        Assert.Equal(1.0, ok["ok"].ToDouble());
    }

    [Fact]
    public async Task FailPoint_skip_lets_the_first_commands_through()
    {
        using var client = Client();
        await RunAsync(client, FailPoint(new O.BsonDocument("skip", 1), new O.BsonDocument
        {
            { "failCommands", new O.BsonArray { "ping" } },
            { "errorCode", 8 },
        }));
        await RunAsync(client, new O.BsonDocument("ping", 1));
        await Assert.ThrowsAsync<MongoCommandException>(() => RunAsync(client, new O.BsonDocument("ping", 1)));
        await Assert.ThrowsAsync<MongoCommandException>(() => RunAsync(client, new O.BsonDocument("ping", 1)));
        await RunAsync(client, FailPoint("off", new O.BsonDocument()));
        await RunAsync(client, new O.BsonDocument("ping", 1));
    }

    [Fact]
    public async Task FailPoint_closeConnection_breaks_the_connection_once()
    {
        using var client = Client();
        await RunAsync(client, FailPoint(new O.BsonDocument("times", 1), new O.BsonDocument
        {
            { "failCommands", new O.BsonArray { "ping" } },
            { "closeConnection", true },
        }));
        var ex = await Assert.ThrowsAnyAsync<MongoException>(() => RunAsync(client, new O.BsonDocument("ping", 1)));
        Assert.IsAssignableFrom<MongoConnectionException>(ex);
        var reply = await RunAsync(client, new O.BsonDocument("ping", 1));
        Assert.Equal(1.0, reply["ok"].ToDouble());
    }

    [Fact]
    public async Task FailPoint_blockConnection_delays_the_reply()
    {
        using var client = Client();
        await RunAsync(client, new O.BsonDocument("ping", 1));
        await RunAsync(client, FailPoint(new O.BsonDocument("times", 1), new O.BsonDocument
        {
            { "failCommands", new O.BsonArray { "ping" } },
            { "blockConnection", true },
            { "blockTimeMS", 300 },
        }));
        var watch = Stopwatch.StartNew();
        var reply = await RunAsync(client, new O.BsonDocument("ping", 1));
        Assert.Equal(1.0, reply["ok"].ToDouble());
        Assert.True(watch.ElapsedMilliseconds >= 250, $"ping returned after {watch.ElapsedMilliseconds} ms despite a 300 ms block");
    }

    [Fact]
    public async Task FailPoint_appName_filter_only_hits_that_application()
    {
        using var target = Client(appName: "victim");
        using var bystander = Client(appName: "bystander");
        await RunAsync(bystander, FailPoint("alwaysOn", new O.BsonDocument
        {
            { "failCommands", new O.BsonArray { "ping" } },
            { "errorCode", 8 },
            { "appName", "victim" },
        }));
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => RunAsync(target, new O.BsonDocument("ping", 1)));
        Assert.Equal(8, ex.Code);
        Assert.Contains("failCommand", ex.Message);
        await RunAsync(bystander, new O.BsonDocument("ping", 1));
        await RunAsync(bystander, FailPoint("off", new O.BsonDocument()));
        await RunAsync(target, new O.BsonDocument("ping", 1));
    }

    [Fact]
    public async Task FailPoint_writeConcernError_is_added_to_a_successful_reply()
    {
        using var client = Client();
        await RunAsync(client, FailPoint(new O.BsonDocument("times", 1), new O.BsonDocument
        {
            { "failCommands", new O.BsonArray { "ping" } },
            { "writeConcernError", new O.BsonDocument { { "code", 64 }, { "errmsg", "waiting for replication timed out" } } },
        }));
        // RunCommand reports a writeConcernError as an exception carrying the reply.
        var ex = await Assert.ThrowsAnyAsync<MongoException>(() => RunAsync(client, new O.BsonDocument("ping", 1)));
        Assert.Contains("waiting for replication timed out", ex.Message);
    }

    [Fact]
    public async Task Cursor_is_drained_with_getMore_in_batches_and_then_closed()
    {
        var docs = Enumerable.Range(0, 250).Select(i => new Mongo.Bson.BsonDocument { { "_id", i }, { "x", "value " + i } }).ToList();
        var first = _server.State.Cursors.CreateCursorReply("test.items", docs, batchSize: 100);
        long id = first["cursor"].AsDocument["id"].AsInt64;
        Assert.NotEqual(0, id);
        Assert.Equal(100, first["cursor"].AsDocument["firstBatch"].AsArray.Count);

        using var client = Client();
        var seen = first["cursor"].AsDocument["firstBatch"].AsArray.Count;
        int rounds = 0;
        while (id != 0)
        {
            var reply = await RunAsync(client, new O.BsonDocument { { "getMore", id }, { "collection", "items" }, { "batchSize", 60 } }, "test");
            var cursor = reply["cursor"].AsBsonDocument;
            Assert.Equal("test.items", cursor["ns"].AsString);
            var batch = cursor["nextBatch"].AsBsonArray;
            Assert.True(batch.Count <= 60);
            Assert.Equal(seen, batch[0]["_id"].AsInt32);
            seen += batch.Count;
            id = cursor["id"].AsInt64;
            rounds++;
        }

        Assert.Equal(250, seen);
        Assert.Equal(3, rounds); // 60 + 60 + 30
        Assert.Equal(0, _server.State.Cursors.Count);
    }

    [Fact]
    public async Task GetMore_errors_match_the_server()
    {
        var docs = Enumerable.Range(0, 10).Select(i => new Mongo.Bson.BsonDocument("_id", i)).ToList();
        long id = _server.State.Cursors.CreateCursorReply("test.items", docs, batchSize: 2)["cursor"].AsDocument["id"].AsInt64;
        using var client = Client();

        var wrongNs = await Assert.ThrowsAsync<MongoCommandException>(() =>
            RunAsync(client, new O.BsonDocument { { "getMore", id }, { "collection", "other" } }, "test"));
        Assert.Equal(13, wrongNs.Code);
        Assert.Contains("Requested getMore on namespace 'test.other', but cursor belongs to a different namespace test.items", wrongNs.Message);

        var notFound = await Assert.ThrowsAsync<MongoCommandException>(() =>
            RunAsync(client, new O.BsonDocument { { "getMore", id + 1 }, { "collection", "items" } }, "test"));
        Assert.Equal(43, notFound.Code);
        Assert.Equal("CursorNotFound", notFound.CodeName);

        var killed = await RunAsync(client, new O.BsonDocument { { "killCursors", "items" }, { "cursors", new O.BsonArray { id, 12345L } } }, "test");
        Assert.Equal(new O.BsonArray { id }, killed["cursorsKilled"].AsBsonArray);
        Assert.Equal(new O.BsonArray { 12345L }, killed["cursorsNotFound"].AsBsonArray);
        Assert.Empty(killed["cursorsAlive"].AsBsonArray);
        Assert.Empty(killed["cursorsUnknown"].AsBsonArray);

        var afterKill = await Assert.ThrowsAsync<MongoCommandException>(() =>
            RunAsync(client, new O.BsonDocument { { "getMore", id }, { "collection", "items" } }, "test"));
        Assert.Equal(43, afterKill.Code);
    }

    [Fact]
    public void Batches_stop_at_16_MiB_but_always_hold_one_document()
    {
        var big = new byte[5_000_000];
        var docs = Enumerable.Range(0, 5).Select(i => new Mongo.Bson.BsonDocument { { "_id", i }, { "blob", new Mongo.Bson.BsonBinaryData(big) } }).ToList();
        var reply = _server.State.Cursors.CreateCursorReply("test.big", docs, batchSize: null);
        var cursor = reply["cursor"].AsDocument;
        Assert.Equal(3, cursor["firstBatch"].AsArray.Count); // 4 x 5 MB would pass 16 MiB
        long id = cursor["id"].AsInt64;
        var next = _server.State.Cursors.GetMore("test.big", id, null)["cursor"].AsDocument;
        Assert.Equal(2, next["nextBatch"].AsArray.Count);
        Assert.Equal(0, next["id"].AsInt64);

        var huge = new[] { new Mongo.Bson.BsonDocument("blob", new Mongo.Bson.BsonBinaryData(new byte[16_700_000])), new Mongo.Bson.BsonDocument("blob", new Mongo.Bson.BsonBinaryData(new byte[16_700_000])) };
        var single = _server.State.Cursors.CreateCursorReply("test.big", huge, batchSize: null)["cursor"].AsDocument;
        Assert.Single(single["firstBatch"].AsArray);
        _server.State.Cursors.Kill("test.big", [single["id"].AsInt64]);
    }

    [Fact]
    public async Task Idle_cursors_time_out()
    {
        await using var server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { CursorTimeout = TimeSpan.FromMilliseconds(200) });
        var docs = Enumerable.Range(0, 10).Select(i => new Mongo.Bson.BsonDocument("_id", i)).ToList();
        long id = server.State.Cursors.CreateCursorReply("test.items", docs, batchSize: 1)["cursor"].AsDocument["id"].AsInt64;
        Assert.Equal(1, server.State.Cursors.Count);
        for (int i = 0; i < 100 && server.State.Cursors.Count > 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, server.State.Cursors.Count);
        Assert.Equal(1, server.State.Cursors.TimedOut);
        var ex = Assert.Throws<Mongo.InMemory.Commands.CommandException>(() => server.State.Cursors.GetMore("test.items", id, null));
        Assert.Equal(43, ex.Code);
    }

    [Fact]
    public async Task Many_concurrent_tasks_share_the_server()
    {
        using var client = Client("?maxPoolSize=64");
        const int Tasks = 32;
        const int PingsPerTask = 25;
        var tasks = Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            for (int i = 0; i < PingsPerTask; i++)
            {
                var reply = await RunAsync(client, new O.BsonDocument { { "ping", 1 }, { "comment", t * 1000 + i } });
                Assert.Equal(1.0, reply["ok"].ToDouble());
            }
        }));
        await Task.WhenAll(tasks);
        Assert.Equal(Tasks * PingsPerTask, _server.Statistics.GetCommandCount("ping"));
        Assert.True(_server.Statistics.ConnectionsAccepted > 1, "a concurrent load opens several pooled connections");
    }

    [Fact]
    public async Task Replica_set_mode_is_discovered_by_the_driver()
    {
        await using var server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        Assert.EndsWith("?replicaSet=rs0", server.ConnectionString);
        using var client = new MongoClient(server.ConnectionString);
        var reply = await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("hello", 1));
        Assert.Equal("rs0", reply["setName"].AsString);
        Assert.Equal("127.0.0.1:" + server.Port, reply["primary"].AsString);
        Assert.Equal(reply["me"], reply["hosts"][0]);
        Assert.Equal(O.BsonType.ObjectId, reply["electionId"].BsonType);
        Assert.True(reply.Contains("$clusterTime"));
        Assert.Equal(O.BsonType.Timestamp, reply["operationTime"].BsonType);
        Assert.Equal(MongoDB.Driver.Core.Clusters.ClusterType.ReplicaSet, client.Cluster.Description.Type);
        Assert.Equal(MongoDB.Driver.Core.Servers.ServerType.ReplicaSetPrimary, client.Cluster.Description.Servers[0].Type);
    }

    [Fact]
    public async Task Sharded_mode_is_seen_as_a_mongos()
    {
        await using var server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { Sharded = true });
        using var client = new MongoClient(server.ConnectionString);
        var reply = await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("hello", 1));
        Assert.Equal("isdbgrid", reply["msg"].AsString);
        Assert.True(reply.Contains("$clusterTime"));
        Assert.Equal(MongoDB.Driver.Core.Clusters.ClusterType.Sharded, client.Cluster.Description.Type);
    }

    [Fact]
    public async Task Load_balanced_mode_gives_a_serviceId_to_a_load_balanced_driver()
    {
        await using var server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { LoadBalanced = true });
        Assert.EndsWith("?loadBalanced=true", server.ConnectionString);
        using var client = new MongoClient(server.ConnectionString);
        var reply = await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("ping", 1));
        Assert.Equal(1.0, reply["ok"].ToDouble());
        Assert.Equal(MongoDB.Driver.Core.Clusters.ClusterType.LoadBalanced, client.Cluster.Description.Type);
        Assert.True(server.Statistics.OpMsgReceived >= 2, "a load-balanced driver handshakes with OP_MSG hello");
        Assert.Equal(0, server.Statistics.OpQueryReceived);
    }

    [Fact]
    public async Task Dispose_stops_the_server_and_frees_the_port()
    {
        var server = await InMemoryMongoServer.StartAsync();
        int port = server.Port;
        using (var client = new MongoClient(server.ConnectionString))
        {
            await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("ping", 1));
            await server.DisposeAsync();
        }

        // The port can be bound again: the listener is gone.
        await using var again = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { Port = port });
        Assert.Equal(port, again.Port);
    }
}
