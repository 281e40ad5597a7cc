using Mongo.Bson;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Api;

/// <summary>
/// RunCommand and RunCursorCommand (run-command spec): the command goes out as given, a cursor command's getMores follow
/// on the same server, and neither is retried even with retryReads on, since the driver cannot know the command is
/// safe to repeat. Fail points are scoped to each test's appName.
/// </summary>
public sealed class RunCommandTests(MongoServerFixture server) : IClassFixture<MongoServerFixture>
{
    // heartbeatFrequencyMS=500 (the least allowed): ShutdownInProgress marks the server Unknown, and a streaming monitor
    // sees it again only at its next heartbeat, which by default would make the next operation wait up to 10 s.
    private MongoClient Client(string appName) => new(server.ConnectionStringWith("appName=" + appName + "&retryReads=true&heartbeatFrequencyMS=500"));

    private static async Task<MongoCollection<BsonDocument>> SeedAsync(MongoClient client, string name)
    {
        var collection = client.GetDatabase("driver_api_runcommand").GetCollection(name);
        await collection.DeleteManyAsync(Filter.Empty);
        await collection.InsertManyAsync(Enumerable.Range(1, 5).Select(i => new BsonDocument { { "_id", i }, { "x", i * 11 } }));
        return collection;
    }

    private static Task FailOnceAsync(MongoClient client, string appName, string command) =>
        client.GetDatabase("admin").RunCommandAsync(new BsonDocument
        {
            { "configureFailPoint", "failCommand" },
            { "mode", new BsonDocument("times", 1) },
            { "data", new BsonDocument { { "failCommands", new BsonArray { command } }, { "errorCode", 91 }, { "appName", appName } } },
        });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunCursorCommandIteratesEveryBatch(bool async)
    {
        await using var client = Client("runcursor-batches-" + async);
        var collection = await SeedAsync(client, "batches_" + async);
        var command = new BsonDocument { { "find", collection.CollectionName }, { "filter", new BsonDocument() }, { "batchSize", 2 } };
        var options = new RunCursorCommandOptions { BatchSize = 2 };
        var cursor = async ? await collection.Database.RunCursorCommandAsync(command, options) : collection.Database.RunCursorCommand(command, options);
        var documents = async ? await cursor.ToListAsync() : cursor.ToList();
        Assert.Equal([1, 2, 3, 4, 5], documents.Select(d => d["_id"].ToInt32()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunCursorCommandRefusesACommandWithoutACursor(bool async)
    {
        await using var client = Client("runcursor-nocursor-" + async);
        var database = client.GetDatabase("driver_api_runcommand");
        var ping = new BsonDocument("ping", 1);
        var error = async
            ? await Assert.ThrowsAsync<MongoClientException>(() => database.RunCursorCommandAsync(ping))
            : Assert.Throws<MongoClientException>(() => database.RunCursorCommand(ping));
        Assert.Contains("no cursor", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunCommandAndRunCursorCommandAreNotRetried(bool async)
    {
        string app = "runcommand-noretry-" + async;
        await using var client = Client(app);
        var collection = await SeedAsync(client, "noretry_" + async);
        var find = new BsonDocument { { "find", collection.CollectionName }, { "filter", new BsonDocument() } };
        var database = collection.Database;

        // The same error on a find helper is retried (ShutdownInProgress is a retryable read error)...
        await FailOnceAsync(client, app, "find");
        Assert.Equal(5, (async ? await collection.Find(Filter.Empty).ToListAsync() : collection.Find(Filter.Empty).ToList()).Count);

        // ...but not when the caller runs the command itself, with or without a read preference.
        await FailOnceAsync(client, app, "find");
        var error = async
            ? await Assert.ThrowsAnyAsync<MongoCommandException>(() => database.RunCommandAsync(find, ReadPreference.Primary))
            : Assert.ThrowsAny<MongoCommandException>(() => database.RunCommand(find, ReadPreference.Primary));
        Assert.Equal(91, error.Code);

        await FailOnceAsync(client, app, "find");
        error = async
            ? await Assert.ThrowsAnyAsync<MongoCommandException>(() => database.RunCursorCommandAsync(find))
            : Assert.ThrowsAny<MongoCommandException>(() => database.RunCursorCommand(find));
        Assert.Equal(91, error.Code);
    }
}
