using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>
/// maxTimeMS as mongod enforces it: validated like a generic argument, counted from the command's arrival (time blocked
/// by a failCommand fail point included), checked between documents of a scan, and reported as MaxTimeMSExpired (50).
/// The official driver's MaxTime options must get that error.
/// </summary>
public sealed class FidelityMaxTimeTests : IAsyncLifetime
{
    private const string Db = "maxtime";

    // Far longer than any maxTimeMS below: a command that returns in time cannot have waited for the whole block.
    private const int LongBlockMs = 3000;

    private InMemoryMongoServer _server = null!;

    public async Task InitializeAsync() => _server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { CursorTimeout = TimeSpan.FromMinutes(10) });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MongoClient Client(string? appName = null)
    {
        var settings = MongoClientSettings.FromConnectionString(_server.ConnectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(10);
        settings.RetryReads = false;
        settings.RetryWrites = false;
        settings.ApplicationName = appName;
        return new MongoClient(settings);
    }

    private static Task<O.BsonDocument> RunAsync(IMongoClient client, O.BsonDocument command, string db = Db) =>
        client.GetDatabase(db).RunCommandAsync<O.BsonDocument>(command);

    private static O.BsonDocument Block(string command, int blockMs, string? appName = null)
    {
        var data = new O.BsonDocument
        {
            { "failCommands", new O.BsonArray { command } },
            { "blockConnection", true },
            { "blockTimeMS", blockMs },
        };
        if (appName is not null)
        {
            data.Add("appName", appName);
        }

        return new O.BsonDocument { { "configureFailPoint", "failCommand" }, { "mode", "alwaysOn" }, { "data", data } };
    }

    private static O.BsonDocument Off() => new() { { "configureFailPoint", "failCommand" }, { "mode", "off" } };

    /// <summary>The server's code of a failed command, whichever exception type the driver mapped it to.</summary>
    private static int CodeOf(Exception ex) => ex switch
    {
        MongoExecutionTimeoutException timeout => timeout.Code,
        MongoCommandException command => command.Code,
        MongoWriteException write => write.WriteError.Code,
        _ => throw new Xunit.Sdk.XunitException($"not a server error: {ex.GetType().Name}: {ex.Message}"),
    };

    [Theory]
    [InlineData(1.5, 2, "BadValue", "maxTimeMS has non-integral value")]
    [InlineData(-1, 51024, "Location51024", "BSON field 'maxTimeMS' value must be >= 0, actual value '-1'")]
    [InlineData(2147483648L, 2, "BadValue", "2147483648 value for maxTimeMS is out of range")]
    [InlineData("soon", 14, "TypeMismatch", "BSON field 'count.maxTimeMS' is the wrong type 'string', expected types '[long, int, decimal, double']")]
    [InlineData(null, 2, "BadValue", "maxTimeMS must be a number")]
    public async Task Invalid_maxTimeMS_is_refused_as_mongod_does(object? value, int code, string codeName, string message)
    {
        using var client = Client();
        var command = new O.BsonDocument { { "count", "c" }, { "maxTimeMS", O.BsonValue.Create(value) } };
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => RunAsync(client, command));
        Assert.Equal(code, ex.Code);
        Assert.Equal(codeName, ex.CodeName);
        Assert.Equal(message, ex.ErrorMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2147483647)]
    [InlineData(100.0)]
    public async Task Valid_maxTimeMS_is_accepted(object value)
    {
        using var client = Client();
        var reply = await RunAsync(client, new O.BsonDocument { { "count", "c" }, { "maxTimeMS", O.BsonValue.Create(value) } });
        Assert.Equal(1.0, reply["ok"].ToDouble());
    }

    [Theory]
    [InlineData("find", "{ find: 'c', filter: {} }")]
    [InlineData("aggregate", "{ aggregate: 'c', pipeline: [], cursor: {} }")]
    [InlineData("count", "{ count: 'c' }")]
    [InlineData("distinct", "{ distinct: 'c', key: 'x' }")]
    [InlineData("insert", "{ insert: 'c', documents: [{ x: 1 }] }")]
    [InlineData("update", "{ update: 'c', updates: [{ q: {}, u: { $set: { y: 1 } } }] }")]
    [InlineData("delete", "{ delete: 'c', deletes: [{ q: { x: 99 }, limit: 0 }] }")]
    [InlineData("findAndModify", "{ findAndModify: 'c', query: {}, update: { $set: { z: 1 } } }")]
    [InlineData("ping", "{ ping: 1 }")]
    [InlineData("hello", "{ hello: 1 }")]
    public async Task Time_blocked_by_a_fail_point_counts_against_maxTimeMS(string name, string json)
    {
        using var admin = Client();
        using var victim = Client(appName: "maxtime-" + name);
        await RunAsync(victim, new O.BsonDocument("ping", 1)); // connected before hello is blocked
        await admin.GetDatabase(Db).GetCollection<O.BsonDocument>("c").InsertOneAsync(new O.BsonDocument("x", 1));
        await RunAsync(admin, Block(name, LongBlockMs, "maxtime-" + name), "admin");
        try
        {
            var command = O.BsonDocument.Parse(json);
            command.Add("maxTimeMS", 50);
            var ex = await Assert.ThrowsAnyAsync<MongoException>(() => RunAsync(victim, command));
            Assert.Equal(50, CodeOf(ex));
            Assert.IsType<MongoExecutionTimeoutException>(ex); // the driver's mapping of code 50
        }
        finally
        {
            await RunAsync(admin, Off(), "admin");
        }
    }

    [Fact]
    public async Task MaxTimeMSExpired_reply_has_mongods_shape()
    {
        using var admin = Client();
        await RunAsync(admin, Block("count", LongBlockMs), "admin");
        try
        {
            using var raw = await RawWireClient.ConnectAsync(_server.Port);
            await raw.SendAsync(RawWireClient.OpMsg(new O.BsonDocument { { "count", "c" }, { "maxTimeMS", 30 }, { "$db", Db } }));
            var reply = await raw.ReceiveAsync(timeoutMs: 30_000);
            Assert.NotNull(reply);
            var body = reply.Document;
            Assert.Equal(0.0, body["ok"].ToDouble());
            Assert.Equal(50, body["code"].ToInt32());
            Assert.Equal("MaxTimeMSExpired", body["codeName"].AsString);
            Assert.Equal("operation exceeded time limit", body["errmsg"].AsString);
        }
        finally
        {
            await RunAsync(admin, Off(), "admin");
        }
    }

    [Fact]
    public async Task Blocked_command_without_maxTimeMS_runs_after_the_block()
    {
        using var client = Client();
        await RunAsync(client, Block("count", 100), "admin");
        try
        {
            var reply = await RunAsync(client, new O.BsonDocument("count", "c"));
            Assert.Equal(1.0, reply["ok"].ToDouble());
        }
        finally
        {
            await RunAsync(client, Off(), "admin");
        }
    }

    [Fact]
    public async Task Block_shorter_than_maxTimeMS_lets_the_command_run()
    {
        using var client = Client();
        await RunAsync(client, Block("count", 50), "admin");
        try
        {
            var reply = await RunAsync(client, new O.BsonDocument { { "count", "c" }, { "maxTimeMS", 60_000 } });
            Assert.Equal(1.0, reply["ok"].ToDouble());
        }
        finally
        {
            await RunAsync(client, Off(), "admin");
        }
    }

    [Fact]
    public async Task Official_driver_MaxTime_options_get_MaxTimeMSExpired()
    {
        using var admin = Client();
        using var client = Client(appName: "maxtime-driver");
        var collection = client.GetDatabase(Db).GetCollection<O.BsonDocument>("driver");
        await collection.InsertManyAsync([new O.BsonDocument("x", 1), new O.BsonDocument("x", 2)]);
        var filter = Builders<O.BsonDocument>.Filter.Empty;
        var limit = TimeSpan.FromMilliseconds(50);
        var operations = new (string Command, Func<Task> Run)[]
        {
            ("find", () => collection.Find(filter, new FindOptions { MaxTime = limit }).ToListAsync()),
            ("aggregate", () => collection.AggregateAsync<O.BsonDocument>(PipelineDefinition<O.BsonDocument, O.BsonDocument>.Create([new O.BsonDocument("$match", new O.BsonDocument())]), new AggregateOptions { MaxTime = limit })),
            ("count", () => collection.CountDocumentsAsync(filter, new CountOptions { MaxTime = limit })),
            ("distinct", () => collection.DistinctAsync<int>("x", filter, new DistinctOptions { MaxTime = limit })),
            ("findAndModify", () => collection.FindOneAndUpdateAsync(filter, Builders<O.BsonDocument>.Update.Set("y", 1), new FindOneAndUpdateOptions<O.BsonDocument> { MaxTime = limit })),
        };
        foreach (var (command, run) in operations)
        {
            // CountDocuments runs an aggregate.
            await RunAsync(admin, Block(command == "count" ? "aggregate" : command, LongBlockMs, "maxtime-driver"), "admin");
            try
            {
                var ex = await Assert.ThrowsAsync<MongoExecutionTimeoutException>(run);
                Assert.Equal(50, ex.Code);
                Assert.Equal("MaxTimeMSExpired", ex.CodeName);
            }
            finally
            {
                await RunAsync(admin, Off(), "admin");
            }
        }
    }

    [Fact]
    public async Task Commit_with_maxCommitTime_blocked_by_a_fail_point_gets_MaxTimeMSExpired()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 1);
        using var client = new MongoClient(set.ConnectionString);
        var collection = client.GetDatabase(Db).GetCollection<O.BsonDocument>("txn");
        await collection.InsertOneAsync(new O.BsonDocument("_id", 0));
        using var session = await client.StartSessionAsync();
        session.StartTransaction(new TransactionOptions(maxCommitTime: TimeSpan.FromMilliseconds(50)));
        await collection.InsertOneAsync(session, new O.BsonDocument("_id", 1));
        await RunAsync(client, Block("commitTransaction", LongBlockMs), "admin");
        try
        {
            var ex = await Assert.ThrowsAnyAsync<MongoException>(() => session.CommitTransactionAsync());
            Assert.Equal(50, CodeOf(ex));
        }
        finally
        {
            await RunAsync(client, Off(), "admin");
        }
    }

    [Fact]
    public async Task Getmore_of_a_non_awaitData_cursor_refuses_maxTimeMS()
    {
        using var client = Client();
        var collection = client.GetDatabase(Db).GetCollection<O.BsonDocument>("gm");
        await collection.InsertManyAsync(Enumerable.Range(0, 5).Select(i => new O.BsonDocument("_id", i)));
        var first = await RunAsync(client, new O.BsonDocument { { "find", "gm" }, { "batchSize", 1 }, { "maxTimeMS", 60_000 } });
        long id = first["cursor"]["id"].ToInt64();
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => RunAsync(client, new O.BsonDocument { { "getMore", id }, { "collection", "gm" }, { "maxTimeMS", 1000 } }));
        Assert.Equal(2, ex.Code);
        Assert.Equal("cannot set maxTimeMS on getMore command for a non-awaitData cursor", ex.ErrorMessage);

        // The refusal leaves the cursor open, and its getMores run on what is left of the find's 60 s.
        var next = await RunAsync(client, new O.BsonDocument { { "getMore", id }, { "collection", "gm" } });
        Assert.Equal(4, next["cursor"]["nextBatch"].AsBsonArray.Count);
    }

    /// <summary>
    /// A filter costly enough that scanning the collection takes seconds (each document builds a 3000-element array), so
    /// a 20 ms limit can only be met by stopping the scan part way.
    /// </summary>
    private const string SlowFilter = "{ $expr: { $gt: [ { $size: { $range: [ 0, { $add: [ 3000, '$i' ] } ] } }, 0 ] } }";

    private async Task<IMongoCollection<O.BsonDocument>> BigCollectionAsync(IMongoClient client)
    {
        var collection = client.GetDatabase(Db).GetCollection<O.BsonDocument>("big");
        if (await collection.EstimatedDocumentCountAsync() == 0)
        {
            for (int batch = 0; batch < 10; batch++)
            {
                await collection.InsertManyAsync(Enumerable.Range(batch * 2000, 2000).Select(i => new O.BsonDocument { { "_id", i }, { "i", i % 7 } }));
            }
        }

        return collection;
    }

    [Theory]
    [InlineData("{ find: 'big', filter: FILTER }")]
    [InlineData("{ count: 'big', query: FILTER }")]
    [InlineData("{ distinct: 'big', key: 'i', query: FILTER }")]
    [InlineData("{ aggregate: 'big', pipeline: [{ $match: FILTER }], cursor: {} }")]
    [InlineData("{ update: 'big', updates: [{ q: FILTER, u: { $inc: { n: 1 } }, multi: true }] }")]
    [InlineData("{ delete: 'big', deletes: [{ q: { $and: [ FILTER, { i: -1 } ] }, limit: 0 }] }")]
    [InlineData("{ findAndModify: 'big', query: { $and: [ FILTER, { i: -1 } ] }, update: { $set: { n: 1 } } }")]
    public async Task A_long_scan_stops_when_maxTimeMS_runs_out(string json)
    {
        using var client = Client();
        await BigCollectionAsync(client);
        var command = O.BsonDocument.Parse(json.Replace("FILTER", SlowFilter, StringComparison.Ordinal));
        command.Add("maxTimeMS", 20);
        var ex = await Assert.ThrowsAnyAsync<MongoException>(() => RunAsync(client, command));
        Assert.Equal(50, CodeOf(ex));
    }

    [Fact]
    public async Task A_large_insert_batch_stops_between_documents_when_maxTimeMS_runs_out()
    {
        using var client = Client();
        // The time is checked between statements; storing 100000 documents (mongod's batch limit) takes far longer than 5 ms.
        var documents = new O.BsonArray(Enumerable.Range(0, 100_000).Select(i => new O.BsonDocument("_id", i)));
        var command = new O.BsonDocument { { "insert", "bulk" }, { "documents", documents }, { "ordered", true }, { "maxTimeMS", 5 } };
        var ex = await Assert.ThrowsAnyAsync<MongoException>(() => RunAsync(client, command));
        Assert.Equal(50, CodeOf(ex));
        long stored = await client.GetDatabase(Db).GetCollection<O.BsonDocument>("bulk").CountDocumentsAsync(Builders<O.BsonDocument>.Filter.Empty);
        Assert.InRange(stored, 0, 99_999); // what was stored before the time ran out stays, as on mongod
    }
}
