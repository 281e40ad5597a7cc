using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Operations;
using Mongo.InMemory;
using Xunit;

namespace Mongo.Driver.Tests.Connections;

/// <summary>
/// Client backpressure through the public API against Mongo.InMemory (a one-member replica set), whose failCommand fail
/// point sheds commands with the SystemOverloadedError and RetryableError labels: which commands are retried, how many
/// times, with which waits (recorded through the policy's hook, never measured), and what the settings switch off.
/// </summary>
public sealed class BackpressureRetryTests
{
    private static readonly string[] s_overloadLabels = [ConnectionErrors.SystemOverloadedError, ConnectionErrors.RetryableError];

    private sealed class Setup : IAsyncDisposable
    {
        public required InMemoryMongoServer Server { get; init; }

        public required MongoClient Client { get; init; }

        public List<TimeSpan> Waits { get; } = [];

        /// <summary>The commands sent, as the started events showed them.</summary>
        public required List<BsonDocument> Started { get; init; }

        public MongoCollection<BsonDocument> Collection => Client.GetDatabase("backpressure").GetCollection("c");

        public long Count(string command) => Server.Statistics.GetCommandCount(command);

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    private static async Task<Setup> StartAsync(string options = "")
    {
        InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        MongoClientSettings settings = MongoClientSettings.FromConnectionString(server.ConnectionString + (server.ConnectionString.Contains('?') ? "&" : "?") + "directConnection=true" + options);
        var started = new List<BsonDocument>();
        settings.Subscribe<Events.CommandStartedEvent>(e =>
        {
            lock (started)
            {
                started.Add((BsonDocument)e.Command.DeepClone());
            }
        });
        var client = new MongoClient(settings);
        var executor = (OperationExecutor)client.Executor;
        Assert.Equal(settings.MaxAdaptiveRetries, executor.Backpressure.MaxRetries);
        var setup = new Setup { Server = server, Client = client, Started = started };

        // The client's limit, with full jitter and the waits recorded instead of slept.
        executor.Backpressure = new OverloadRetryPolicy(settings.MaxAdaptiveRetries, settings.EnableOverloadRetargeting, () => 1.0, (_, delay, _) =>
        {
            lock (setup.Waits)
            {
                setup.Waits.Add(delay);
            }

            return default;
        });
        await setup.Collection.InsertOneAsync(new BsonDocument("_id", 0));
        return setup;
    }

    private static Task FailAsync(Setup setup, string command, BsonValue mode, string[]? labels = null, int code = 462) =>
        setup.Client.GetDatabase("admin").RunCommandAsync(new BsonDocument
        {
            { "configureFailPoint", "failCommand" },
            { "mode", mode },
            {
                "data", new BsonDocument
                {
                    { "failCommands", new BsonArray { command } },
                    { "errorCode", code },
                    { "errorLabels", new BsonArray((labels ?? s_overloadLabels).Select(l => (BsonValue)l)) },
                }
            },
        });

    private static BsonValue Times(int n) => new BsonDocument("times", n);

    private static Task<List<BsonDocument>> FindAsync(Setup setup, bool async) =>
        async ? setup.Collection.Find(Filter.Empty).ToListAsync() : Task.FromResult(setup.Collection.Find(Filter.Empty).ToList());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_shed_read_is_retried_maxAdaptiveRetries_times_with_growing_backoff(bool async)
    {
        await using Setup setup = await StartAsync();
        await FailAsync(setup, "find", "alwaysOn");
        long before = setup.Count("find");

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => FindAsync(setup, async));

        Assert.Equal(462, error.Code);
        Assert.True(error.HasErrorLabel(ConnectionErrors.SystemOverloadedError) && error.HasErrorLabel(ConnectionErrors.RetryableError), error.ToString());
        Assert.Equal(before + 3, setup.Count("find"));
        Assert.Equal([TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)], setup.Waits);
    }

    [Theory]
    [InlineData("&maxAdaptiveRetries=1", 2)]
    [InlineData("&maxAdaptiveRetries=0", 1)]
    [InlineData("&maxAdaptiveRetries=4", 5)]
    public async Task maxAdaptiveRetries_from_the_connection_string_sets_the_limit(string option, int attempts)
    {
        await using Setup setup = await StartAsync(option);
        await FailAsync(setup, "find", "alwaysOn");
        long before = setup.Count("find");

        await Assert.ThrowsAsync<MongoCommandException>(() => FindAsync(setup, async: true));

        Assert.Equal(before + attempts, setup.Count("find"));
        Assert.Equal(attempts - 1, setup.Waits.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_write_no_retry_policy_covers_is_retried_when_shed(bool async)
    {
        await using Setup setup = await StartAsync();
        await FailAsync(setup, "update", Times(1));
        long before = setup.Count("update");

        // updateMany is not a retryable write; a shed one is retried anyway, the server having done nothing.
        UpdateResult result = async
            ? await setup.Collection.UpdateManyAsync(Filter.Empty, Update.Set("x", 1))
            : setup.Collection.UpdateMany(Filter.Empty, Update.Set("x", 1));

        Assert.Equal(1, result.ModifiedCount);
        Assert.Equal(before + 2, setup.Count("update"));
        Assert.Single(setup.Waits);
    }

    [Theory]
    [InlineData("SystemOverloadedError")]
    [InlineData("RetryableError")]
    public async Task An_error_with_only_one_of_the_labels_is_not_retried_by_this_rule(string label)
    {
        await using Setup setup = await StartAsync();

        // Code 2 (BadValue) is not retryable by the retryable-reads rules either.
        await FailAsync(setup, "find", Times(1), [label], code: 2);
        long before = setup.Count("find");

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => FindAsync(setup, async: true));

        Assert.Equal(2, error.Code);
        Assert.Equal(before + 1, setup.Count("find"));
        Assert.Empty(setup.Waits);
    }

    [Fact]
    public async Task An_ordinary_retryable_read_error_is_retried_once_without_backoff()
    {
        // InterruptedAtShutdown marks the server Unknown; a streaming monitor sees it again only at its next heartbeat, so
        // with the default 10 s the retry would wait that long (500 ms is the least allowed).
        await using Setup setup = await StartAsync("&heartbeatFrequencyMS=500");
        await FailAsync(setup, "find", Times(2), labels: [], code: 11600);
        long before = setup.Count("find");

        await Assert.ThrowsAsync<MongoNodeIsRecoveringException>(() => FindAsync(setup, async: true));

        Assert.Equal(before + 2, setup.Count("find"));
        Assert.Empty(setup.Waits);
    }

    [Fact]
    public async Task retryWrites_false_turns_overload_retries_of_writes_off()
    {
        await using Setup setup = await StartAsync("&retryWrites=false");
        await FailAsync(setup, "insert", Times(1));
        long before = setup.Count("insert");

        await Assert.ThrowsAsync<MongoCommandException>(() => setup.Collection.InsertOneAsync(new BsonDocument("_id", 1)));

        Assert.Equal(before + 1, setup.Count("insert"));
        Assert.Empty(setup.Waits);
    }

    [Fact]
    public async Task retryReads_false_turns_overload_retries_of_reads_off()
    {
        await using Setup setup = await StartAsync("&retryReads=false");
        await FailAsync(setup, "find", Times(1));
        long before = setup.Count("find");

        await Assert.ThrowsAsync<MongoCommandException>(() => FindAsync(setup, async: true));

        Assert.Equal(before + 1, setup.Count("find"));
    }

    [Theory]
    [InlineData("", 2)]
    [InlineData("&retryReads=false", 1)]
    [InlineData("&retryWrites=false", 1)]
    public async Task RunCommand_is_retried_when_shed_only_with_both_retryReads_and_retryWrites(string option, int attempts)
    {
        await using Setup setup = await StartAsync(option);
        await FailAsync(setup, "count", Times(1));
        long before = setup.Count("count");
        var count = new BsonDocument("count", "c");

        if (attempts == 2)
        {
            BsonDocument reply = await setup.Client.GetDatabase("backpressure").RunCommandAsync(count);
            Assert.Equal(1, reply["n"].ToInt32());
        }
        else
        {
            await Assert.ThrowsAsync<MongoCommandException>(() => setup.Client.GetDatabase("backpressure").RunCommandAsync(count));
        }

        Assert.Equal(before + attempts, setup.Count("count"));
    }

    [Fact]
    public async Task A_shed_commit_is_retried_with_the_same_write_concern()
    {
        await using Setup setup = await StartAsync();
        using MongoSession session = setup.Client.StartSession();
        session.StartTransaction(new TransactionOptions { WriteConcern = WriteConcern.Acknowledged });
        await setup.Collection.WithSession(session).InsertOneAsync(new BsonDocument("_id", 7));
        await FailAsync(setup, "commitTransaction", Times(2));
        long before = setup.Count("commitTransaction");

        await session.CommitTransactionAsync();

        Assert.Equal(before + 3, setup.Count("commitTransaction"));
        Assert.Equal([TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)], setup.Waits);

        // Transactions spec: only overload errors so far, so no retry switched to w:majority (the server did no work).
        List<BsonDocument> commits = [.. setup.Started.Where(c => c.ElementCount > 0 && c.GetElement(0).Name == "commitTransaction")];
        Assert.Equal(3, commits.Count);
        Assert.All(commits, c => Assert.Equal(new BsonDocument("w", 1), c["writeConcern"]));
        Assert.Equal(2, await setup.Collection.CountDocumentsAsync(Filter.Empty));
    }
}
