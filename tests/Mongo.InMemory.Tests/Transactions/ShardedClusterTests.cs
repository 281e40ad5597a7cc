using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Transactions;

/// <summary>
/// <see cref="InMemoryShardedCluster"/>: several mongos routers sharing one data set, each with its own cursors, fail
/// points and knowledge of transactions, as a sharded cluster's routers are.
/// </summary>
public sealed class ShardedClusterTests : IAsyncLifetime
{
    private const string Db = "cluster";
    private InMemoryShardedCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await InMemoryShardedCluster.StartAsync(routers: 2);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Every_router_answers_hello_as_mongos_and_the_connection_string_names_them_all()
    {
        Assert.Equal(2, _cluster.Routers.Count);
        Assert.NotEqual(_cluster.Routers[0].Port, _cluster.Routers[1].Port);
        Assert.Equal($"mongodb://127.0.0.1:{_cluster.Routers[0].Port},127.0.0.1:{_cluster.Routers[1].Port}/", _cluster.ConnectionString);
        foreach (InMemoryMongoServer router in _cluster.Routers)
        {
            O.BsonDocument hello = await RunAsync(router, new O.BsonDocument { { "hello", 1 }, { "$db", "admin" } });
            Assert.Equal("isdbgrid", hello["msg"].AsString);
            Assert.False(hello.Contains("setName"));
        }
    }

    [Fact]
    public async Task The_routers_share_the_data()
    {
        AssertOk(await RunAsync(_cluster.Routers[0], Insert(new O.BsonDocument("_id", 1))));
        O.BsonDocument found = await RunAsync(_cluster.Routers[1], Find());
        Assert.Equal(1, found["cursor"]["firstBatch"][0]["_id"].AsInt32);
    }

    [Fact]
    public async Task Every_router_reads_the_same_data_at_an_earlier_time_in_and_outside_transactions()
    {
        AssertOk(await RunAsync(_cluster.Routers[0], Insert(new O.BsonDocument { { "_id", 1 }, { "v", 1 } })));
        O.BsonValue at = (await RunAsync(_cluster.Routers[0], new O.BsonDocument { { "ping", 1 }, { "$db", "admin" } }))["operationTime"];
        AssertOk(await RunAsync(_cluster.Routers[1], new O.BsonDocument
        {
            { "update", "c" },
            { "updates", new O.BsonArray { new O.BsonDocument { { "q", new O.BsonDocument("_id", 1) }, { "u", new O.BsonDocument("$set", new O.BsonDocument("v", 2)) } } } },
            { "$db", Db },
        }));
        AssertOk(await RunAsync(_cluster.Routers[1], Insert(new O.BsonDocument { { "_id", 2 }, { "v", 1 } })));

        var readConcern = new O.BsonDocument { { "level", "snapshot" }, { "atClusterTime", at } };
        foreach (InMemoryMongoServer router in _cluster.Routers)
        {
            O.BsonDocument find = Find();
            find.Add("readConcern", readConcern.DeepClone());
            O.BsonDocument reply = await RunAsync(router, find);
            Assert.Equal("[{ \"_id\" : 1, \"v\" : 1 }]", reply["cursor"]["firstBatch"].ToString());
        }

        // A transaction at that time through the other router reads the same, and its write of the document changed
        // since is a WriteConflict.
        var lsid = NewLsid();
        O.BsonDocument first = InTxn(Find(), lsid, 1, start: true);
        first.Add("readConcern", readConcern.DeepClone());
        Assert.Equal("[{ \"_id\" : 1, \"v\" : 1 }]", (await RunAsync(_cluster.Routers[1], first))["cursor"]["firstBatch"].ToString());
        O.BsonDocument conflict = await RunAsync(_cluster.Routers[1], InTxn(new O.BsonDocument
        {
            { "delete", "c" },
            { "deletes", new O.BsonArray { new O.BsonDocument { { "q", new O.BsonDocument("_id", 1) }, { "limit", 1 } } } },
            { "$db", Db },
        }, lsid, 1));
        Assert.Equal(112, conflict["code"].AsInt32);
    }

    [Fact]
    public async Task A_fail_point_fails_commands_on_its_own_router_only()
    {
        AssertOk(await RunAsync(_cluster.Routers[0], new O.BsonDocument
        {
            { "configureFailPoint", "failCommand" },
            { "mode", "alwaysOn" },
            { "data", new O.BsonDocument { { "failCommands", new O.BsonArray { "insert" } }, { "errorCode", 91 } } },
            { "$db", "admin" },
        }));
        Assert.Equal(91, (await RunAsync(_cluster.Routers[0], Insert(new O.BsonDocument("_id", 1))))["code"].AsInt32);
        AssertOk(await RunAsync(_cluster.Routers[1], Insert(new O.BsonDocument("_id", 1))));
    }

    [Fact]
    public async Task A_cursor_belongs_to_the_router_that_opened_it()
    {
        AssertOk(await RunAsync(_cluster.Routers[0], Insert(new O.BsonDocument("_id", 1), new O.BsonDocument("_id", 2), new O.BsonDocument("_id", 3))));
        using RawWireClient first = await RawWireClient.ConnectAsync(_cluster.Routers[0].Port);
        O.BsonDocument find = await SendAsync(first, new O.BsonDocument { { "find", "c" }, { "batchSize", 1 }, { "$db", Db } });
        long cursorId = find["cursor"]["id"].AsInt64;
        Assert.NotEqual(0, cursorId);

        O.BsonDocument elsewhere = await RunAsync(_cluster.Routers[1], new O.BsonDocument { { "getMore", cursorId }, { "collection", "c" }, { "$db", Db } });
        Assert.Equal(43, elsewhere["code"].AsInt32); // CursorNotFound, as on another mongos
        O.BsonDocument home = await SendAsync(first, new O.BsonDocument { { "getMore", cursorId }, { "collection", "c" }, { "$db", Db } });
        AssertOk(home);
        Assert.Equal(2, home["cursor"]["nextBatch"][0]["_id"].AsInt32);
    }

    [Fact]
    public async Task A_router_that_never_saw_a_transaction_cannot_continue_or_abort_it()
    {
        O.BsonDocument lsid = NewLsid();
        AssertOk(await RunAsync(_cluster.Routers[0], InTxn(Insert(new O.BsonDocument("_id", 1)), lsid, 1, start: true)));

        O.BsonDocument next = await RunAsync(_cluster.Routers[1], InTxn(Insert(new O.BsonDocument("_id", 2)), lsid, 1));
        Assert.Equal(251, next["code"].AsInt32);
        Assert.Contains("cannot continue txnId -1", next["errmsg"].AsString, StringComparison.Ordinal);
        Assert.Equal(new O.BsonArray { "TransientTransactionError" }, next["errorLabels"].AsBsonArray);

        O.BsonDocument abort = await RunAsync(_cluster.Routers[1], InTxn(new O.BsonDocument { { "abortTransaction", 1 }, { "$db", "admin" } }, lsid, 1));
        Assert.Equal(251, abort["code"].AsInt32);
        Assert.Contains("no known command has been sent by this router", abort["errmsg"].AsString, StringComparison.Ordinal);

        O.BsonDocument commit = await RunAsync(_cluster.Routers[1], InTxn(new O.BsonDocument { { "commitTransaction", 1 }, { "$db", "admin" } }, lsid, 1));
        Assert.Equal(50940, commit["code"].AsInt32); // no participants and no recoveryToken

        // None of that touched the transaction: its own router still commits it.
        AssertOk(await RunAsync(_cluster.Routers[0], InTxn(Insert(new O.BsonDocument("_id", 3)), lsid, 1)));
        AssertOk(await RunAsync(_cluster.Routers[0], InTxn(new O.BsonDocument { { "commitTransaction", 1 }, { "$db", "admin" } }, lsid, 1)));
        Assert.Equal([1, 3], (await RunAsync(_cluster.Routers[1], Find()))["cursor"]["firstBatch"].AsBsonArray.Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task A_commit_retried_on_another_router_with_the_recovery_token_learns_the_outcome()
    {
        O.BsonDocument lsid = NewLsid();
        O.BsonDocument insert = await RunAsync(_cluster.Routers[0], InTxn(Insert(new O.BsonDocument("_id", 1)), lsid, 1, start: true));
        O.BsonDocument token = insert["recoveryToken"].AsBsonDocument;
        AssertOk(await RunAsync(_cluster.Routers[0], InTxn(new O.BsonDocument { { "commitTransaction", 1 }, { "$db", "admin" } }, lsid, 1)));

        O.BsonDocument recovered = await RunAsync(_cluster.Routers[1], InTxn(new O.BsonDocument { { "commitTransaction", 1 }, { "recoveryToken", token }, { "$db", "admin" } }, lsid, 1));
        AssertOk(recovered);
        Assert.True(recovered.Contains("recoveryToken"));
    }

    [Fact]
    public async Task Recovering_the_commit_of_a_transaction_still_in_progress_aborts_it()
    {
        O.BsonDocument lsid = NewLsid();
        O.BsonDocument insert = await RunAsync(_cluster.Routers[0], InTxn(Insert(new O.BsonDocument("_id", 1)), lsid, 1, start: true));
        O.BsonDocument token = insert["recoveryToken"].AsBsonDocument;

        O.BsonDocument recovered = await RunAsync(_cluster.Routers[1], InTxn(new O.BsonDocument { { "commitTransaction", 1 }, { "recoveryToken", token }, { "$db", "admin" } }, lsid, 1));
        Assert.Equal(251, recovered["code"].AsInt32);
        Assert.Equal(new O.BsonArray { "TransientTransactionError" }, recovered["errorLabels"].AsBsonArray);

        // Its own router finds it aborted too, and nothing of it is visible.
        O.BsonDocument commit = await RunAsync(_cluster.Routers[0], InTxn(new O.BsonDocument { { "commitTransaction", 1 }, { "$db", "admin" } }, lsid, 1));
        Assert.Equal(251, commit["code"].AsInt32);
        Assert.Empty((await RunAsync(_cluster.Routers[1], Find()))["cursor"]["firstBatch"].AsBsonArray);
    }

    [Fact]
    public async Task A_retryable_write_retried_through_another_router_is_not_applied_twice()
    {
        O.BsonDocument lsid = NewLsid();
        O.BsonDocument Update() => new()
        {
            { "update", "c" },
            { "updates", new O.BsonArray { new O.BsonDocument { { "q", new O.BsonDocument("_id", 1) }, { "u", new O.BsonDocument("$inc", new O.BsonDocument("n", 1)) }, { "upsert", true } } } },
            { "lsid", lsid },
            { "txnNumber", 5L },
            { "$db", Db },
        };
        AssertOk(await RunAsync(_cluster.Routers[0], Update()));
        AssertOk(await RunAsync(_cluster.Routers[1], Update()));
        Assert.Equal(1, (await RunAsync(_cluster.Routers[1], Find()))["cursor"]["firstBatch"][0]["n"].AsInt32);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_official_driver_runs_transactions_across_both_routers(bool async)
    {
        var settings = MongoClientSettings.FromConnectionString(_cluster.ConnectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(10);
        using var client = new MongoClient(settings);
        var collection = client.GetDatabase(Db).GetCollection<O.BsonDocument>("c");
        for (int i = 0; i < 10; i++)
        {
            using IClientSessionHandle session = async ? await client.StartSessionAsync() : client.StartSession();
            if (async)
            {
                await session.WithTransactionAsync(async (s, ct) =>
                {
                    await collection.InsertOneAsync(s, new O.BsonDocument("_id", i), cancellationToken: ct);
                    return 0;
                });
            }
            else
            {
                session.WithTransaction((s, ct) =>
                {
                    collection.InsertOne(s, new O.BsonDocument("_id", i), cancellationToken: ct);
                    return 0;
                });
            }
        }

        Assert.Equal(10, await collection.CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));
        Assert.Equal(2, client.Cluster.Description.Servers.Count(s => s.Type == MongoDB.Driver.Core.Servers.ServerType.ShardRouter));
    }

    [Fact]
    public void Options_that_cannot_apply_to_a_cluster_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InMemoryShardedCluster.Start(routers: 0));
        Assert.Throws<ArgumentException>(() => InMemoryShardedCluster.Start(2, new InMemoryMongoServerOptions { ReplicaSetName = "rs0" }));
        Assert.Throws<ArgumentException>(() => InMemoryShardedCluster.Start(2, new InMemoryMongoServerOptions { LoadBalanced = true }));
    }

    [Fact]
    public async Task The_process_mode_runs_a_cluster_of_routers()
    {
        using var process = ExternalProcesses.StartTool("--port", "0", "--sharded", "--routers", "3");
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            string? url = await process.StandardOutput.ReadLineAsync(cts.Token);
            Assert.NotNull(url);
            Assert.Matches(@"^mongodb://127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+/$", url);
            using var client = new MongoClient(url);
            O.BsonDocument hello = await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("hello", 1));
            Assert.Equal("isdbgrid", hello["msg"].AsString);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static O.BsonDocument Insert(params O.BsonDocument[] documents) =>
        new() { { "insert", "c" }, { "documents", new O.BsonArray(documents) }, { "$db", Db } };

    private static O.BsonDocument Find() => new() { { "find", "c" }, { "sort", new O.BsonDocument("_id", 1) }, { "$db", Db } };

    private static O.BsonDocument NewLsid() => new("id", new O.BsonBinaryData(Guid.NewGuid(), O.GuidRepresentation.Standard));

    private static O.BsonDocument InTxn(O.BsonDocument command, O.BsonDocument lsid, long txnNumber, bool start = false)
    {
        command.Set("lsid", lsid);
        command.Set("txnNumber", new O.BsonInt64(txnNumber));
        if (start)
        {
            command.Set("startTransaction", true);
        }

        command.Set("autocommit", false);
        return command;
    }

    private static void AssertOk(O.BsonDocument reply) => Assert.True(reply["ok"].ToDouble() == 1.0, reply.ToString());

    private static async Task<O.BsonDocument> RunAsync(InMemoryMongoServer router, O.BsonDocument command)
    {
        using RawWireClient client = await RawWireClient.ConnectAsync(router.Port);
        return await SendAsync(client, command);
    }

    private static async Task<O.BsonDocument> SendAsync(RawWireClient client, O.BsonDocument command)
    {
        await client.SendAsync(RawWireClient.OpMsg(command));
        RawWireClient.Reply? reply = await client.ReceiveAsync(30_000);
        Assert.NotNull(reply);
        return reply.Document;
    }
}
