using Mongo.Bson;
using Mongo.Driver.Events;
using Mongo.InMemory;
using Mongo.Testing.Monitoring;
using Xunit;
using static Mongo.Driver.Tests.Transactions.TransactionTestKit;

namespace Mongo.Driver.Tests.Transactions;

/// <summary>
/// Transactions against Mongo.InMemory (a single-member replica set, or a router for the sharded cases), seen through
/// command monitoring: what goes on the wire, what the server keeps after commit and abort, the retries, and pinning.
/// </summary>
public sealed class TransactionWireTests
{
    private static async Task<InMemoryMongoServer> StartAsync(bool sharded = false) =>
        await InMemoryMongoServer.StartAsync(sharded ? new InMemoryMongoServerOptions { Sharded = true } : new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });

    private static MongoClient Client(InMemoryMongoServer server, EventRecorder recorder, string options = "")
    {
        var settings = MongoClientSettings.FromConnectionString(server.ConnectionString + (options.Length == 0 ? "" : (server.ConnectionString.Contains('?', StringComparison.Ordinal) ? "&" : "?") + options));
        settings.EventSubscribers = [recorder];
        return new MongoClient(settings);
    }

    private static EventRecorder Recorder() => new(t => t == typeof(CommandStartedEvent));

    private static List<BsonDocument> Started(EventRecorder recorder, string name) =>
        recorder.Events.OfType<CommandStartedEvent>().Where(e => e.CommandName == name).Select(e => e.Command).ToList();

    private static async Task<long> CountAsync(MongoClient client, string collection = "c") =>
        await client.GetDatabase("db").GetCollection(collection).CountDocumentsAsync(FilterDefinition.Empty);

    private static async Task FailCommandAsync(MongoClient client, int times, BsonDocument data) =>
        await client.GetDatabase("admin").RunCommandAsync(new BsonDocument { { "configureFailPoint", "failCommand" }, { "mode", new BsonDocument("times", times) }, { "data", data } });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Commands_on_the_wire_carry_the_transaction_fields_and_commit_makes_the_writes_visible(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync();
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder);
        await client.GetDatabase("db").GetCollection("c").InsertManyAsync([new BsonDocument("_id", 100), new BsonDocument("_id", 101), new BsonDocument("_id", 102)]);
        await using MongoSession session = client.StartSession();
        var collection = Collection(client, session).WithWriteConcern(WriteConcern.Unacknowledged); // ignored inside the transaction
        await FindAsync(collection, async); // gives the session an operationTime

        session.StartTransaction(new TransactionOptions { ReadConcern = ReadConcern.Snapshot, WriteConcern = WriteConcern.WMajority });
        // The pooled server session keeps its txnNumber (the setup's retryable insert used it): the transaction takes the next one.
        var txnNumber = new BsonInt64(session.ServerSession.TxnNumber);
        await InsertAsync(collection, async, new BsonDocument("_id", 1));
        List<BsonDocument> found = await FindAsync(collection, async, new FindOptions { BatchSize = 2 });
        Assert.Equal(4, found.Count); // its own write and the three committed before
        Assert.Equal(3, await CountAsync(client)); // nothing visible outside yet
        await CommitAsync(session, async);
        Assert.Equal(4, await CountAsync(client));

        BsonDocument insert = Started(recorder, "insert")[1];
        Assert.Equal(session.Id, insert["lsid"]);
        Assert.Equal(txnNumber, insert["txnNumber"]);
        Assert.True(insert["startTransaction"].AsBoolean);
        Assert.False(insert["autocommit"].AsBoolean);
        Assert.False(insert.Contains("writeConcern"));
        BsonDocument readConcern = insert["readConcern"].AsDocument;
        Assert.Equal("snapshot", readConcern["level"].AsString);
        Assert.IsType<BsonTimestamp>(readConcern["afterClusterTime"]);

        var later = new[] { Started(recorder, "find")[1], Started(recorder, "getMore")[0], Started(recorder, "commitTransaction")[0] };
        Assert.All(later, c =>
        {
            Assert.Equal(txnNumber, c["txnNumber"]);
            Assert.False(c["autocommit"].AsBoolean);
            Assert.False(c.Contains("startTransaction"));
            Assert.False(c.Contains("readConcern"));
            Assert.Equal(session.Id, c["lsid"]);
        });
        BsonDocument commit = Started(recorder, "commitTransaction")[0];
        Assert.Equal("admin", commit["$db"].AsString);
        Assert.Equal(new BsonDocument("w", "majority"), commit["writeConcern"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Abort_and_ending_the_session_leave_nothing_behind(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync();
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder);
        await using (MongoSession session = client.StartSession())
        {
            session.StartTransaction();
            await InsertAsync(Collection(client, session), async, new BsonDocument("_id", 1));
            await AbortAsync(session, async);
            Assert.Equal(0, await CountAsync(client));

            session.StartTransaction();
            await InsertAsync(Collection(client, session), async, new BsonDocument("_id", 1));
        } // ends the session: the open transaction is aborted

        Assert.Equal(2, Started(recorder, "abortTransaction").Count);
        Assert.Equal(0, await CountAsync(client));
        await client.GetDatabase("db").GetCollection("c").InsertOneAsync(new BsonDocument("_id", 1)); // no lock left behind
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_write_or_read_inside_a_transaction_is_not_retried_and_its_network_error_is_transient(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync();
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder, "retryWrites=true&retryReads=true");
        await using MongoSession session = client.StartSession();
        var collection = Collection(client, session);
        session.StartTransaction();
        await InsertAsync(collection, async, new BsonDocument("_id", 1));
        await FailCommandAsync(client, 1, new BsonDocument { { "failCommands", new BsonArray { "insert", "find" } }, { "closeConnection", true } });

        var write = await Assert.ThrowsAsync<MongoConnectionException>(() => InsertAsync(collection, async, new BsonDocument("_id", 2)));
        Assert.True(write.HasErrorLabel("TransientTransactionError"));
        Assert.False(write.HasErrorLabel("RetryableWriteError"));
        Assert.Equal(2, Started(recorder, "insert").Count);
        Assert.Equal(TransactionState.InProgress, session.TransactionState);
        await AbortAsync(session, async);

        session.StartTransaction();
        await InsertAsync(collection, async, new BsonDocument("_id", 3));
        await FailCommandAsync(client, 1, new BsonDocument { { "failCommands", new BsonArray { "find" } }, { "closeConnection", true } });
        var read = await Assert.ThrowsAsync<MongoConnectionException>(() => FindAsync(collection, async));
        Assert.True(read.HasErrorLabel("TransientTransactionError"));
        Assert.Single(Started(recorder, "find"));
        await AbortAsync(session, async);
        Assert.Equal(0, await CountAsync(client));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_commit_cut_by_a_network_error_is_sent_again_with_majority_and_commits_once(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync();
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder, "retryWrites=false"); // commit is retried whatever retryWrites says
        await using MongoSession session = client.StartSession();
        session.StartTransaction();
        await InsertAsync(Collection(client, session), async, new BsonDocument("_id", 1));
        await FailCommandAsync(client, 1, new BsonDocument { { "failCommands", new BsonArray { "commitTransaction" } }, { "closeConnection", true } });

        await CommitAsync(session, async);

        List<BsonDocument> commits = Started(recorder, "commitTransaction");
        Assert.Equal(2, commits.Count);
        Assert.False(commits[0].Contains("writeConcern"));
        Assert.Equal(new BsonDocument { { "w", "majority" }, { "wtimeout", 10000L } }, commits[1]["writeConcern"]);
        Assert.Equal(1, await CountAsync(client));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Commit_errors_from_the_server_carry_the_labels_and_the_spec_states_errors(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync();
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder);
        await using MongoSession session = client.StartSession();
        session.StartTransaction();
        await InsertAsync(Collection(client, session), async, new BsonDocument("_id", 1));
        await FailCommandAsync(client, 2, new BsonDocument { { "failCommands", new BsonArray { "commitTransaction" } }, { "closeConnection", true } });

        var error = await Assert.ThrowsAsync<MongoConnectionException>(() => CommitAsync(session, async));
        Assert.True(error.HasErrorLabel("UnknownTransactionCommitResult"));
        Assert.True(error.HasErrorLabel("RetryableWriteError"));
        Assert.False(error.HasErrorLabel("TransientTransactionError"));
        Assert.Contains("Cannot call abortTransaction after calling commitTransaction", (await Assert.ThrowsAsync<MongoClientException>(() => AbortAsync(session, async))).Message);

        // The outcome is unknown: committing again is safe and succeeds.
        await CommitAsync(session, async);
        Assert.Equal(3, Started(recorder, "commitTransaction").Count);
        Assert.Equal(1, await CountAsync(client));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithTransaction_retries_write_conflicts_until_every_increment_is_committed_once(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync();
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder);
        var counters = client.GetDatabase("db").GetCollection("counters");
        await counters.InsertOneAsync(new BsonDocument { { "_id", "n" }, { "value", 0 } });
        const int Workers = 4, Increments = 10;
        int callbackRuns = 0;

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            await using MongoSession session = client.StartSession();
            for (int i = 0; i < Increments; i++)
            {
                if (async)
                {
                    await session.WithTransactionAsync(async (s, ct) =>
                    {
                        Interlocked.Increment(ref callbackRuns);
                        await counters.WithSession(s).UpdateOneAsync(new BsonDocument("_id", "n"), new BsonDocument("$inc", new BsonDocument("value", 1)), cancellationToken: ct);
                    });
                }
                else
                {
                    session.WithTransaction((s, ct) =>
                    {
                        Interlocked.Increment(ref callbackRuns);
                        counters.WithSession(s).UpdateOne(new BsonDocument("_id", "n"), new BsonDocument("$inc", new BsonDocument("value", 1)), cancellationToken: ct);
                    });
                }
            }
        })));

        BsonDocument counter = (await counters.Find(new BsonDocument("_id", "n")).ToListAsync())[0];
        Assert.Equal(Workers * Increments, counter["value"].ToInt32());
        Assert.Equal(Workers * Increments, Started(recorder, "commitTransaction").Count);
        Assert.True(callbackRuns >= Workers * Increments);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_sharded_transaction_is_pinned_to_its_mongos_and_unpinned_as_the_spec_says(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(sharded: true);
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder);
        await using MongoSession session = client.StartSession();
        var collection = Collection(client, session);

        session.StartTransaction();
        await InsertAsync(collection, async, new BsonDocument("_id", 1));
        Assert.Equal(server.Port, session.PinnedServer!.Port);
        await CommitAsync(session, async);
        Assert.NotNull(session.PinnedServer); // commit may be repeated on the same mongos
        Assert.Equal(1, await CountAsync(client));

        await FindAsync(collection, async); // outside any transaction
        Assert.Null(session.PinnedServer);

        session.StartTransaction();
        await InsertAsync(collection, async, new BsonDocument("_id", 2));
        Assert.NotNull(session.PinnedServer);
        await AbortAsync(session, async);
        Assert.Null(session.PinnedServer);
        Assert.Equal(1, await CountAsync(client));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task In_load_balanced_mode_a_transaction_keeps_the_connection_of_its_first_command(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { LoadBalanced = true });
        var recorder = new EventRecorder(t => t == typeof(CommandStartedEvent) || t == typeof(ConnectionCheckedOutEvent) || t == typeof(ConnectionCheckedInEvent));
        await using MongoClient client = Client(server, recorder, "loadBalanced=true");
        await client.GetDatabase("db").CreateCollectionAsync("c"); // two transactions creating it would conflict
        await using MongoSession first = client.StartSession();
        await using MongoSession second = client.StartSession();
        var one = Collection(client, first);
        var two = Collection(client, second);

        // Two transactions interleaved: each keeps its own connection, which is never checked in between commands.
        int setupCheckIns = recorder.Events.OfType<ConnectionCheckedInEvent>().Count();
        first.StartTransaction();
        second.StartTransaction();
        await InsertAsync(one, async, new BsonDocument("_id", 1));
        await InsertAsync(two, async, new BsonDocument("_id", 2));
        await FindAsync(one, async);
        await FindAsync(two, async);
        int checkedInBeforeCommit = recorder.Events.OfType<ConnectionCheckedInEvent>().Count() - setupCheckIns;
        await CommitAsync(first, async);
        await AbortAsync(second, async);

        List<CommandStartedEvent> started = recorder.Events.OfType<CommandStartedEvent>().Where(e => e.CommandName is "insert" or "find" or "commitTransaction" or "abortTransaction").ToList();
        long firstConnection = started.Single(e => e.CommandName == "commitTransaction").ConnectionId;
        long secondConnection = started.Single(e => e.CommandName == "abortTransaction").ConnectionId;
        Assert.NotEqual(firstConnection, secondConnection);
        Assert.All(started.Where(e => e.Command["lsid"].Equals(first.Id)), e => Assert.Equal(firstConnection, e.ConnectionId));
        Assert.All(started.Where(e => e.Command["lsid"].Equals(second.Id)), e => Assert.Equal(secondConnection, e.ConnectionId));
        Assert.Equal(0, checkedInBeforeCommit);

        // The aborted transaction gave its connection back; the committed one keeps it (commit may be repeated) until the session moves on.
        List<ConnectionCheckedInEvent> checkedIn = recorder.Events.OfType<ConnectionCheckedInEvent>().Skip(setupCheckIns).ToList();
        Assert.Equal([secondConnection], checkedIn.Select(e => e.ConnectionId));
        Assert.NotNull(first.PinnedConnection);
        await FindAsync(one, async); // outside any transaction
        Assert.Null(first.PinnedConnection);
        Assert.Contains(recorder.Events.OfType<ConnectionCheckedInEvent>(), e => e.ConnectionId == firstConnection);
        Assert.Equal(1, await CountAsync(client));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task In_load_balanced_mode_a_network_error_unpins_and_gives_the_broken_connection_back(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { LoadBalanced = true });
        var recorder = new EventRecorder(t => t == typeof(ConnectionCheckedInEvent) || t == typeof(ConnectionClosedEvent));
        await using MongoClient client = Client(server, recorder, "loadBalanced=true");
        await using MongoSession session = client.StartSession();
        var collection = Collection(client, session);
        session.StartTransaction();
        await InsertAsync(collection, async, new BsonDocument("_id", 1));
        long pinned = session.PinnedConnection!.Connection.Id;
        await FailCommandAsync(client, 1, new BsonDocument { { "failCommands", new BsonArray { "insert" } }, { "closeConnection", true } });

        var error = await Assert.ThrowsAsync<MongoConnectionException>(() => InsertAsync(collection, async, new BsonDocument("_id", 2)));

        Assert.True(error.HasErrorLabel("TransientTransactionError"));
        Assert.Null(session.PinnedConnection);
        Assert.Null(session.PinnedServer);
        Assert.Contains(recorder.Events.OfType<ConnectionCheckedInEvent>(), e => e.ConnectionId == pinned);
        Assert.Contains(recorder.Events.OfType<ConnectionClosedEvent>(), e => e.ConnectionId == pinned);
        await AbortAsync(session, async); // on a fresh connection; the server aborts the transaction
        Assert.Equal(0, await CountAsync(client));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_client_bulk_write_and_a_database_command_run_in_the_transaction(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync();
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder);
        await using MongoSession session = client.StartSession();
        var models = new ClientBulkWriteModel[]
        {
            new ClientInsertOneModel<BsonDocument>(new CollectionNamespace("db", "c"), new BsonDocument("_id", 1)),
            new ClientInsertOneModel<BsonDocument>(new CollectionNamespace("db", "other"), new BsonDocument("_id", 1)),
        };

        session.StartTransaction();
        ClientBulkWriteResult result = async ? await client.BulkWriteAsync(session, models) : client.BulkWrite(session, models);
        BsonDocument count = await client.GetDatabase("db").WithSession(session).RunCommandAsync(new BsonDocument { { "find", "c" }, { "filter", new BsonDocument() } });
        Assert.Single(count["cursor"].AsDocument["firstBatch"].AsArray); // the transaction sees its own write
        await AbortAsync(session, async);

        Assert.Equal(2, result.InsertedCount);
        Assert.True(Started(recorder, "bulkWrite")[0]["startTransaction"].AsBoolean);
        Assert.False(Started(recorder, "find")[0]["autocommit"].AsBoolean);
        Assert.Equal(0, await CountAsync(client));
        Assert.Equal(0, await CountAsync(client, "other"));
    }
}
