using Mongo.Bson;
using Mongo.Driver.Events;
using Mongo.InMemory;
using Mongo.Testing.Monitoring;
using Xunit;
using static Mongo.Driver.Tests.Sessions.SessionTestKit;

namespace Mongo.Driver.Tests.Sessions;

/// <summary>
/// Implicit sessions and retryable writes seen through the public command-monitoring events of a real client against
/// Mongo.InMemory (standalone and single-node replica set).
/// </summary>
public sealed class ImplicitSessionTests
{
    /// <summary>
    /// For tests whose ShutdownInProgress marks the server Unknown: a streaming monitor sees it again only at its next
    /// heartbeat, so with the default 10 s the retry (or the next write) would wait that long; 500 ms is the least allowed.
    /// </summary>
    private const string HalfSecondHeartbeats = "heartbeatFrequencyMS=500";

    private static BsonValue Lsid(BsonDocument command) => command["lsid"];

    private static async Task FailOnceAsync(MongoClient client, bool async, BsonDocument data)
    {
        var command = new BsonDocument
        {
            { "configureFailPoint", "failCommand" },
            { "mode", new BsonDocument("times", 1) },
            { "data", data },
        };
        if (async)
        {
            await client.GetDatabase("admin").RunCommandAsync(command);
        }
        else
        {
            client.GetDatabase("admin").RunCommand(command);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cursor_keeps_one_lsid_for_find_getMore_and_killCursors(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: false);
        EventRecorder recorder = Recorder();
        await using (MongoClient client = Client(server, recorder))
        {
            MongoCollection<BsonDocument> collection = client.GetDatabase("s").GetCollection("c");
            for (int i = 0; i < 6; i++)
            {
                await InsertAsync(collection, async, new BsonDocument("_id", i));
            }

            FindFluent<BsonDocument> query = collection.Find(FilterDefinition.Empty).BatchSize(2);
            MongoCursor<BsonDocument> cursor = async ? await query.ToCursorAsync() : query.ToCursor();
            Assert.True(async ? await cursor.MoveNextBatchAsync() : cursor.MoveNextBatch());
            Assert.True(async ? await cursor.MoveNextBatchAsync() : cursor.MoveNextBatch());
            if (async)
            {
                await cursor.DisposeAsync();
            }
            else
            {
                cursor.Dispose();
            }
        }

        BsonDocument find = Assert.Single(Started(recorder, "find"));
        BsonDocument getMore = Assert.Single(Started(recorder, "getMore"));
        BsonDocument kill = Assert.Single(Started(recorder, "killCursors"));
        BsonValue lsid = Lsid(find);
        Assert.Equal(BsonBinarySubType.UuidStandard, Assert.IsType<BsonBinaryData>(lsid.AsDocument["id"]).SubType);
        Assert.Equal(lsid, Lsid(getMore));
        Assert.Equal(lsid, Lsid(kill));
        Assert.All(Started(recorder, "insert"), insert => Assert.True(insert.Contains("lsid")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Unacknowledged_writes_send_no_lsid(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: true);
        EventRecorder recorder = Recorder();
        await using (MongoClient client = Client(server, recorder))
        {
            MongoCollection<BsonDocument> collection = client.GetDatabase("s").GetCollection("c");
            await InsertAsync(collection, async, new BsonDocument("_id", 1), new InsertOneOptions { WriteConcern = WriteConcern.Unacknowledged });
            await InsertAsync(collection, async, new BsonDocument("_id", 2));
        }

        List<BsonDocument> inserts = Started(recorder, "insert");
        Assert.Equal(2, inserts.Count);
        Assert.False(inserts[0].Contains("lsid"));
        Assert.False(inserts[0].Contains("txnNumber"));
        Assert.True(inserts[1].Contains("lsid"));
        Assert.True(inserts[1].Contains("txnNumber"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Retryable_writes_get_an_increasing_txnNumber_in_a_replica_set_and_multi_writes_none(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: true);
        EventRecorder recorder = Recorder();
        await using (MongoClient client = Client(server, recorder))
        {
            MongoCollection<BsonDocument> collection = client.GetDatabase("s").GetCollection("c");
            FilterDefinition one = Filter.Eq("_id", 1);
            if (async)
            {
                await collection.InsertOneAsync(new BsonDocument("_id", 1));
                await collection.InsertManyAsync([new BsonDocument("_id", 2), new BsonDocument("_id", 3)]);
                await collection.UpdateOneAsync(one, Update.Set("x", 1));
                await collection.FindOneAndUpdateAsync(one, Update.Set("x", 2));
                await collection.UpdateManyAsync(FilterDefinition.Empty, Update.Set("y", 1));
                await collection.DeleteManyAsync(Filter.Eq("_id", 3));
                await collection.DeleteOneAsync(one);
            }
            else
            {
                collection.InsertOne(new BsonDocument("_id", 1));
                collection.InsertMany([new BsonDocument("_id", 2), new BsonDocument("_id", 3)]);
                collection.UpdateOne(one, Update.Set("x", 1));
                collection.FindOneAndUpdate(one, Update.Set("x", 2));
                collection.UpdateMany(FilterDefinition.Empty, Update.Set("y", 1));
                collection.DeleteMany(Filter.Eq("_id", 3));
                collection.DeleteOne(one);
            }
        }

        List<BsonDocument> writes = recorder.Events.OfType<CommandStartedEvent>()
            .Where(e => e.CommandName is "insert" or "update" or "delete" or "findAndModify").Select(e => e.Command).ToList();
        Assert.Equal(7, writes.Count);
        Assert.All(writes, w => Assert.True(w.Contains("lsid")));
        // Sequential operations reuse the pooled session, so its txnNumber keeps counting.
        Assert.All(writes, w => Assert.Equal(Lsid(writes[0]), Lsid(w)));
        long[] txnNumbers = [.. writes.Where(w => w.Contains("txnNumber")).Select(w => w["txnNumber"].AsInt64)];
        Assert.Equal([1L, 2L, 3L, 4L, 5L], txnNumbers);
        Assert.False(writes[4].Contains("txnNumber"));   // updateMany
        Assert.False(writes[5].Contains("txnNumber"));   // deleteMany
        Assert.True(writes[6].Contains("txnNumber"));    // deleteOne
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_bulk_write_uses_one_session_and_judges_each_command_for_a_txnNumber(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: true);
        EventRecorder recorder = Recorder();
        await using (MongoClient client = Client(server, recorder))
        {
            MongoCollection<BsonDocument> collection = client.GetDatabase("s").GetCollection("c");
            WriteModel<BsonDocument>[] models =
            [
                new InsertOneModel<BsonDocument>(new BsonDocument("_id", 1)),
                new UpdateManyModel<BsonDocument>(FilterDefinition.Empty, Update.Set("x", 1)),
                new DeleteOneModel<BsonDocument>(Filter.Eq("_id", 1)),
            ];
            BulkWriteResult result = async ? await collection.BulkWriteAsync(models) : collection.BulkWrite(models);
            Assert.Equal(1, result.DeletedCount);
        }

        List<BsonDocument> commands = recorder.Events.OfType<CommandStartedEvent>()
            .Where(e => e.CommandName is "insert" or "update" or "delete").Select(e => e.Command).ToList();
        Assert.Equal(["insert", "update", "delete"], commands.Select(c => c.GetElement(0).Name));
        Assert.All(commands, c => Assert.Equal(Lsid(commands[0]), Lsid(c)));
        Assert.Equal(1L, commands[0]["txnNumber"].AsInt64);
        Assert.False(commands[1].Contains("txnNumber"));   // the update command holds a multi statement
        Assert.Equal(2L, commands[2]["txnNumber"].AsInt64);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Standalone_writes_get_an_lsid_but_no_txnNumber(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: false);
        EventRecorder recorder = Recorder();
        await using (MongoClient client = Client(server, recorder))
        {
            await InsertAsync(client.GetDatabase("s").GetCollection("c"), async, new BsonDocument("_id", 1));
        }

        BsonDocument insert = Assert.Single(Started(recorder, "insert"));
        Assert.True(insert.Contains("lsid"));
        Assert.False(insert.Contains("txnNumber"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Load_balanced_writes_get_lsid_and_txnNumber_and_are_retried(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { LoadBalanced = true });
        EventRecorder recorder = Recorder();
        await using (MongoClient client = Client(server, recorder))
        {
            await FailOnceAsync(client, async, new BsonDocument { { "failCommands", new BsonArray { "insert" } }, { "closeConnection", true } });
            await InsertAsync(client.GetDatabase("s").GetCollection("c"), async, new BsonDocument("_id", 1));
        }

        List<BsonDocument> inserts = Started(recorder, "insert");
        Assert.Equal(2, inserts.Count);
        Assert.Equal(Lsid(inserts[0]), Lsid(inserts[1]));
        Assert.Equal(1L, inserts[1]["txnNumber"].AsInt64);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RetryWrites_false_sends_lsid_without_txnNumber(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: true);
        EventRecorder recorder = Recorder();
        await using (MongoClient client = Client(server, recorder, "retryWrites=false"))
        {
            await InsertAsync(client.GetDatabase("s").GetCollection("c"), async, new BsonDocument("_id", 1));
        }

        BsonDocument insert = Assert.Single(Started(recorder, "insert"));
        Assert.True(insert.Contains("lsid"));
        Assert.False(insert.Contains("txnNumber"));
    }

    [Theory]
    [InlineData(false, "errorCode")]
    [InlineData(true, "errorCode")]
    [InlineData(false, "closeConnection")]
    [InlineData(true, "closeConnection")]
    public async Task A_retryable_error_retries_the_insert_once_with_the_same_lsid_and_txnNumber(bool async, string failure)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: true);
        EventRecorder recorder = Recorder();
        await using (MongoClient client = Client(server, recorder, HalfSecondHeartbeats))
        {
            MongoCollection<BsonDocument> collection = client.GetDatabase("s").GetCollection("c");
            // ShutdownInProgress on a write with a txnNumber: the server labels it RetryableWriteError itself.
            BsonDocument data = failure == "errorCode"
                ? new BsonDocument { { "failCommands", new BsonArray { "insert" } }, { "errorCode", 91 } }
                : new BsonDocument { { "failCommands", new BsonArray { "insert" } }, { "closeConnection", true } };
            await FailOnceAsync(client, async, data);

            await InsertAsync(collection, async, new BsonDocument("_id", 1));

            long count = async ? await collection.CountDocumentsAsync(FilterDefinition.Empty) : collection.CountDocuments(FilterDefinition.Empty);
            Assert.Equal(1, count);
        }

        List<BsonDocument> inserts = Started(recorder, "insert");
        Assert.Equal(2, inserts.Count);
        Assert.Equal(Lsid(inserts[0]), Lsid(inserts[1]));
        Assert.Equal(inserts[0]["txnNumber"], inserts[1]["txnNumber"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_write_applied_whose_reply_was_lost_is_retried_and_deduplicated_by_the_server(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: true);
        EventRecorder recorder = Recorder();
        await using (MongoClient client = Client(server, recorder))
        {
            MongoCollection<BsonDocument> collection = client.GetDatabase("s").GetCollection("c");
            await InsertAsync(collection, async, new BsonDocument("_id", 0));
            // onPrimaryTransactionalWrite without an error code: the write happens, then the connection closes.
            var failPoint = new BsonDocument
            {
                { "configureFailPoint", "onPrimaryTransactionalWrite" },
                { "mode", new BsonDocument("times", 1) },
                { "data", new BsonDocument("closeConnection", true) },
            };
            if (async)
            {
                await client.GetDatabase("admin").RunCommandAsync(failPoint);
                await collection.UpdateOneAsync(Filter.Eq("_id", 0), Update.Inc("n", 1));
            }
            else
            {
                client.GetDatabase("admin").RunCommand(failPoint);
                collection.UpdateOne(Filter.Eq("_id", 0), Update.Inc("n", 1));
            }

            BsonDocument? document = async ? await collection.Find(FilterDefinition.Empty).FirstOrDefaultAsync() : collection.Find(FilterDefinition.Empty).FirstOrDefault();
            // Applied once: the retry (same lsid and txnNumber) got the remembered reply instead of incrementing again.
            Assert.Equal(1, document!["n"].ToInt32());
        }

        List<BsonDocument> updates = Started(recorder, "update");
        Assert.Equal(2, updates.Count);
        Assert.Equal(Lsid(updates[0]), Lsid(updates[1]));
        Assert.Equal(updates[0]["txnNumber"], updates[1]["txnNumber"]);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public async Task A_session_that_saw_a_network_error_is_not_reused(bool async, bool networkError)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: true);
        EventRecorder recorder = Recorder();
        await using (MongoClient client = Client(server, recorder, HalfSecondHeartbeats))
        {
            MongoCollection<BsonDocument> collection = client.GetDatabase("s").GetCollection("c");
            await FailOnceAsync(client, async, networkError
                ? new BsonDocument { { "failCommands", new BsonArray { "insert" } }, { "closeConnection", true } }
                : new BsonDocument { { "failCommands", new BsonArray { "insert" } }, { "errorCode", 91 } });
            await InsertAsync(collection, async, new BsonDocument("_id", 1));
            await InsertAsync(collection, async, new BsonDocument("_id", 2));
        }

        List<BsonDocument> inserts = Started(recorder, "insert");
        Assert.Equal(3, inserts.Count);
        Assert.Equal(Lsid(inserts[0]), Lsid(inserts[1]));   // the retry keeps the (dirty) session
        if (networkError)
        {
            Assert.NotEqual(Lsid(inserts[0]), Lsid(inserts[2]));
        }
        else
        {
            Assert.Equal(Lsid(inserts[0]), Lsid(inserts[2]));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_retryable_error_on_a_standalone_is_not_retried(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: false);
        EventRecorder recorder = Recorder();
        await using (MongoClient client = Client(server, recorder))
        {
            await FailOnceAsync(client, async, new BsonDocument { { "failCommands", new BsonArray { "insert" } }, { "closeConnection", true } });
            await Assert.ThrowsAnyAsync<MongoConnectionException>(() => InsertAsync(client.GetDatabase("s").GetCollection("c"), async, new BsonDocument("_id", 1)));
        }

        Assert.Single(Started(recorder, "insert"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UpdateMany_is_not_retried(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: true);
        EventRecorder recorder = Recorder();
        await using (MongoClient client = Client(server, recorder))
        {
            MongoCollection<BsonDocument> collection = client.GetDatabase("s").GetCollection("c");
            await FailOnceAsync(client, async, new BsonDocument { { "failCommands", new BsonArray { "update" } }, { "closeConnection", true } });
            await Assert.ThrowsAnyAsync<MongoConnectionException>(async () =>
            {
                if (async)
                {
                    await collection.UpdateManyAsync(FilterDefinition.Empty, Update.Set("x", 1));
                }
                else
                {
                    collection.UpdateMany(FilterDefinition.Empty, Update.Set("x", 1));
                }
            });
        }

        Assert.Single(Started(recorder, "update"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Transaction_numbers_refused_by_the_server_become_a_client_error_naming_retryWrites(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: true);
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder);
        await FailOnceAsync(client, async, new BsonDocument
        {
            { "failCommands", new BsonArray { "insert" } },
            { "errorCode", 20 },
            { "errmsg", "Transaction numbers are only allowed on a replica set member or mongos" },
        });

        var error = await Assert.ThrowsAsync<MongoClientException>(() => InsertAsync(client.GetDatabase("s").GetCollection("c"), async, new BsonDocument("_id", 1)));

        Assert.Contains("retryWrites=false", error.Message, StringComparison.Ordinal);
        Assert.Equal(20, Assert.IsAssignableFrom<MongoServerException>(error.InnerException).Code);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Open_cursors_hold_different_sessions_and_a_closed_ones_session_is_reused(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: false);
        EventRecorder recorder = Recorder();
        await using (MongoClient client = Client(server, recorder))
        {
            MongoCollection<BsonDocument> collection = client.GetDatabase("s").GetCollection("c");
            for (int i = 0; i < 4; i++)
            {
                await InsertAsync(collection, async, new BsonDocument("_id", i));
            }

            // Two cursors open at once: each holds its own session until it is closed.
            FindFluent<BsonDocument> find = collection.Find(FilterDefinition.Empty).BatchSize(1);
            MongoCursor<BsonDocument> first = async ? await find.ToCursorAsync() : find.ToCursor();
            MongoCursor<BsonDocument> second = async ? await find.ToCursorAsync() : find.ToCursor();
            if (async)
            {
                await first.DisposeAsync();
                await second.DisposeAsync();
            }
            else
            {
                first.Dispose();
                second.Dispose();
            }

            await InsertAsync(collection, async, new BsonDocument("_id", 10));
        }

        List<BsonDocument> finds = Started(recorder, "find");
        List<BsonDocument> inserts = Started(recorder, "insert");
        Assert.Equal(2, finds.Count);
        Assert.NotEqual(Lsid(finds[0]), Lsid(finds[1]));
        // Sequential operations share one session; the pool hands back the most recently returned one (LIFO).
        Assert.All(inserts.Take(4), insert => Assert.Equal(Lsid(inserts[0]), Lsid(insert)));
        Assert.Equal(Lsid(finds[1]), Lsid(inserts[4]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Closing_the_client_ends_its_pooled_sessions(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: false);
        EventRecorder recorder = Recorder();
        MongoClient client = Client(server, recorder);
        MongoCollection<BsonDocument> collection = client.GetDatabase("s").GetCollection("c");
        await InsertAsync(collection, async, new BsonDocument("_id", 1));
        if (async)
        {
            await client.DisposeAsync();
        }
        else
        {
            client.Dispose();
        }

        BsonDocument endSessions = Assert.Single(Started(recorder, "endSessions"));
        Assert.Equal(new BsonArray { Lsid(Assert.Single(Started(recorder, "insert"))) }, endSessions["endSessions"]);
        Assert.False(endSessions.Contains("lsid"));
        Assert.Equal("admin", endSessions["$db"].AsString);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_server_lists_the_clients_session_until_the_client_ends_it(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: false);
        EventRecorder recorder = Recorder();
        BsonDocument[] listLocalSessions = [new BsonDocument("$listLocalSessions", new BsonDocument())];
        MongoClient client = Client(server, recorder);
        await InsertAsync(client.GetDatabase("s").GetCollection("c"), async, new BsonDocument("_id", 1));
        BsonValue lsid = Lsid(Assert.Single(Started(recorder, "insert")));
        List<BsonDocument> listed = async
            ? await (await client.GetDatabase("admin").AggregateAsync(listLocalSessions)).ToListAsync()
            : client.GetDatabase("admin").Aggregate(listLocalSessions).ToList();
        Assert.Contains(listed, session => session["_id"].AsDocument["id"].Equals(lsid.AsDocument["id"]));
        if (async)
        {
            await client.DisposeAsync();
        }
        else
        {
            client.Dispose();
        }

        await using MongoClient other = Client(server, Recorder());
        List<BsonDocument> after = await (await other.GetDatabase("admin").AggregateAsync(listLocalSessions)).ToListAsync();
        Assert.DoesNotContain(after, session => session["_id"].AsDocument["id"].Equals(lsid.AsDocument["id"]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Handshakes_and_monitoring_hellos_send_no_lsid(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: true);
        BsonDocument[] listLocalSessions = [new BsonDocument("$listLocalSessions", new BsonDocument())];
        EventRecorder recorder = Recorder();
        await using MongoClient idle = Client(server, Recorder());
        await using MongoClient client = Client(server, recorder);
        // Let both clients' monitors and the second client's pooled connection handshake (hello, no lsid) first.
        await Task.Delay(300);

        List<BsonDocument> listed = async
            ? await (await client.GetDatabase("admin").AggregateAsync(listLocalSessions)).ToListAsync()
            : client.GetDatabase("admin").Aggregate(listLocalSessions).ToList();

        // The server has seen exactly one session: the one this aggregate carried.
        BsonDocument only = Assert.Single(listed);
        Assert.Equal(Lsid(Assert.Single(Started(recorder, "aggregate"))).AsDocument["id"], only["_id"].AsDocument["id"]);
    }

    [Fact]
    public async Task Cursor_find_of_an_exhausted_cursor_returns_its_session_at_once()
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: false);
        EventRecorder recorder = Recorder();
        await using (MongoClient client = Client(server, recorder))
        {
            MongoCollection<BsonDocument> collection = client.GetDatabase("s").GetCollection("c");
            await collection.InsertOneAsync(new BsonDocument("_id", 1));
            // Left undisposed on purpose: the first batch exhausted it, so its session is already back in the pool.
            MongoCursor<BsonDocument> cursor = collection.Find(FilterDefinition.Empty).ToCursor();
            Assert.Equal(0, cursor.Id);
            await collection.InsertOneAsync(new BsonDocument("_id", 2));
        }

        List<BsonDocument> inserts = Started(recorder, "insert");
        Assert.Equal(Lsid(inserts[0]), Lsid(Assert.Single(Started(recorder, "find"))));
        Assert.Equal(Lsid(inserts[0]), Lsid(inserts[1]));
    }
}
