using Mongo.Bson;
using Mongo.InMemory;
using Xunit;

namespace Mongo.Driver.Tests.Sessions;

/// <summary>
/// Per-call timeoutMS where no handle carries one (client-side operations timeout spec): CommitTransactionOptions,
/// AbortTransactionOptions, TransactionOptions.Timeout, ListDatabasesOptions, ClientBulkWriteOptions and a cursor's
/// Close(timeout). A fail point blocks the command ten times
/// longer than the call's timeout, so the call times out however slow the machine is; nothing measures time.
/// </summary>
public sealed class CallTimeoutTests
{
    private static readonly TimeSpan s_short = TimeSpan.FromMilliseconds(100);

    private static async Task<(InMemoryMongoServer Server, MongoClient Client)> StartAsync()
    {
        InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        var client = new MongoClient(server.ConnectionString + (server.ConnectionString.Contains('?') ? "&" : "?") + "directConnection=true");
        return (server, client);
    }

    private static Task BlockAsync(MongoClient client, string command) =>
        client.GetDatabase("admin").RunCommandAsync(new BsonDocument
        {
            { "configureFailPoint", "failCommand" },
            { "mode", new BsonDocument("times", 1) },
            {
                "data", new BsonDocument
                {
                    { "failCommands", new BsonArray { command } },
                    { "blockConnection", true },
                    { "blockTimeMS", 1000 },
                }
            },
        });

    [Fact]
    public void Negative_timeouts_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommitTransactionOptions { Timeout = TimeSpan.FromMilliseconds(-5) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new AbortTransactionOptions { Timeout = TimeSpan.FromMilliseconds(-5) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TransactionOptions { Timeout = TimeSpan.FromMilliseconds(-5) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ListDatabasesOptions { Timeout = TimeSpan.FromMilliseconds(-5) });
        Assert.Equal(Timeout.InfiniteTimeSpan, new CommitTransactionOptions { Timeout = TimeSpan.Zero }.Timeout);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_commit_times_out_under_its_own_timeout(bool async)
    {
        var (server, client) = await StartAsync();
        await using (server)
        await using (client)
        {
            var collection = client.GetDatabase("calltimeout").GetCollection("c");
            await collection.InsertOneAsync(new BsonDocument("_id", 0));
            using MongoSession session = client.StartSession();
            session.StartTransaction();
            await collection.WithSession(session).InsertOneAsync(new BsonDocument("_id", 1));
            await BlockAsync(client, "commitTransaction");
            var options = new CommitTransactionOptions { Timeout = s_short };

            if (async)
            {
                await Assert.ThrowsAnyAsync<MongoOperationTimeoutException>(() => session.CommitTransactionAsync(options));
            }
            else
            {
                Assert.ThrowsAny<MongoOperationTimeoutException>(() => session.CommitTransaction(options));
            }
        }
    }

    [Fact]
    public async Task The_transaction_timeout_applies_to_its_commit()
    {
        var (server, client) = await StartAsync();
        await using (server)
        await using (client)
        {
            var collection = client.GetDatabase("calltimeout").GetCollection("c");
            await collection.InsertOneAsync(new BsonDocument("_id", 0));
            using MongoSession session = client.StartSession();
            session.StartTransaction(new TransactionOptions { Timeout = s_short });
            Assert.Equal(s_short, session.TransactionOptions!.Timeout);
            await collection.WithSession(session).InsertOneAsync(new BsonDocument("_id", 1));
            await BlockAsync(client, "commitTransaction");

            await Assert.ThrowsAnyAsync<MongoOperationTimeoutException>(() => session.CommitTransactionAsync());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ListDatabases_times_out_under_its_own_timeout(bool async)
    {
        var (server, client) = await StartAsync();
        await using (server)
        await using (client)
        {
            await client.GetDatabase("calltimeout").GetCollection("c").InsertOneAsync(new BsonDocument("_id", 0));
            await BlockAsync(client, "listDatabases");
            var options = new ListDatabasesOptions { Timeout = s_short };

            if (async)
            {
                await Assert.ThrowsAnyAsync<MongoOperationTimeoutException>(() => client.ListDatabaseNamesAsync(options));
            }
            else
            {
                Assert.ThrowsAny<MongoOperationTimeoutException>(() => client.ListDatabases(null, options));
            }

            // Without the fail point (it fired once) and without a call timeout, the same call succeeds.
            Assert.Contains("calltimeout", await client.ListDatabaseNamesAsync());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_client_bulk_write_times_out_under_its_own_timeout(bool async)
    {
        var (server, client) = await StartAsync();
        await using (server)
        await using (client)
        {
            var models = new ClientBulkWriteModel[] { new ClientInsertOneModel<BsonDocument>("calltimeout.bulk", new BsonDocument("_id", 1)) };
            await BlockAsync(client, "bulkWrite");
            var options = new ClientBulkWriteOptions { Timeout = s_short };

            if (async)
            {
                await Assert.ThrowsAnyAsync<MongoOperationTimeoutException>(() => client.BulkWriteAsync(models, options));
            }
            else
            {
                Assert.ThrowsAny<MongoOperationTimeoutException>(() => client.BulkWrite(models, options));
            }

            // The fail point fired once: without a call timeout (the client sets none) the same write succeeds.
            Assert.Equal(1, (await client.BulkWriteAsync([new ClientInsertOneModel<BsonDocument>("calltimeout.bulk", new BsonDocument("_id", 2))])).InsertedCount);
            Assert.Throws<ArgumentOutOfRangeException>(() => new ClientBulkWriteOptions { Timeout = TimeSpan.FromMilliseconds(-5) });
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cursors_close_runs_killCursors_under_its_own_timeout(bool async)
    {
        InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        var killCursors = new List<BsonDocument>();
        var settings = MongoClientSettings.FromConnectionString(server.ConnectionString + (server.ConnectionString.Contains('?') ? "&" : "?") + "directConnection=true")
            .Subscribe<Events.CommandStartedEvent>(e =>
            {
                if (e.CommandName == "killCursors")
                {
                    lock (killCursors)
                    {
                        killCursors.Add(e.Command);
                    }
                }
            });
        var client = new MongoClient(settings);
        await using (server)
        await using (client)
        {
            var database = client.GetDatabase("calltimeout");
            await database.GetCollection("cursor").InsertManyAsync(Enumerable.Range(1, 5).Select(i => new BsonDocument("_id", i)));
            var find = new BsonDocument { { "find", "cursor" }, { "batchSize", 2 } };

            // No timeoutMS anywhere: a plain close sends killCursors without maxTimeMS, a close with its own timeout with one.
            using (var plain = database.RunCursorCommand(find))
            {
                Assert.True(plain.MoveNextBatch());
            }

            var cursor = database.RunCursorCommand(find);
            Assert.True(cursor.MoveNextBatch());
            if (async)
            {
                await cursor.CloseAsync(TimeSpan.FromMinutes(1));
            }
            else
            {
                cursor.Close(TimeSpan.FromMinutes(1));
            }

            lock (killCursors)
            {
                Assert.Equal(2, killCursors.Count);
                Assert.False(killCursors[0].Contains("maxTimeMS"));
                Assert.InRange(killCursors[1]["maxTimeMS"].ToInt64(), 1, 60_000);
            }

            var leftover = database.RunCursorCommand(find);
            Assert.Throws<ArgumentOutOfRangeException>(() => leftover.Close(TimeSpan.FromMilliseconds(-5)));
            leftover.Dispose();
        }
    }
}
