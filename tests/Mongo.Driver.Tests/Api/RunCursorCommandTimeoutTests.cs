using Mongo.Bson;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Api;

/// <summary>
/// RunCursorCommand under timeoutMS in iteration mode (client-side operations timeout spec, runCursorCommand): each getMore
/// gets timeoutMS anew, so getMores that each fit in it succeed even when together they exceed it, and one blocked for
/// longer than it is the timeout error. The spec's own "- failure" tests block for less than timeoutMS (DRIVERS-2965), so
/// they cannot show it; these use a block above the timeout. Generous margins (1.2 s each way), and the tests run in the
/// timeout suite's serial collection so that other test classes' load does not eat them.
/// </summary>
[Collection(nameof(Unified.CsotCollection))]
public sealed class RunCursorCommandTimeoutTests(MongoServerFixture server) : IClassFixture<MongoServerFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMilliseconds(2500);

    private async Task<(MongoClient Client, MongoDatabase Database, BsonDocument Find)> SeedAsync(string appName)
    {
        var client = new MongoClient(server.ConnectionStringWith("appName=" + appName));
        var database = client.GetDatabase("driver_api_runcursor_timeout");
        var collection = database.GetCollection(appName);
        await collection.DeleteManyAsync(Filter.Empty);
        await collection.InsertManyAsync(Enumerable.Range(1, 5).Select(i => new BsonDocument("_id", i)));
        return (client, database.WithTimeout(s_timeout), new BsonDocument { { "find", appName }, { "batchSize", 2 } });
    }

    private static Task BlockGetMoresAsync(MongoClient client, string appName, int times, int blockMilliseconds) =>
        client.GetDatabase("admin").RunCommandAsync(new BsonDocument
        {
            { "configureFailPoint", "failCommand" },
            { "mode", new BsonDocument("times", times) },
            {
                "data", new BsonDocument
                {
                    { "failCommands", new BsonArray { "getMore" } }, { "blockConnection", true }, { "blockTimeMS", blockMilliseconds }, { "appName", appName },
                }
            },
        });

    private static async Task<List<BsonDocument>> ReadAllAsync(MongoDatabase database, BsonDocument find, bool async)
    {
        var options = new RunCursorCommandOptions { TimeoutMode = CursorTimeoutMode.Iteration, BatchSize = 2 };
        return async
            ? await (await database.RunCursorCommandAsync(find, options)).ToListAsync()
            : database.RunCursorCommand(find, options).ToList();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Each_getMore_gets_timeoutMS_anew(bool async)
    {
        string app = "runcursor-refresh-" + async;
        var (client, database, find) = await SeedAsync(app);
        await using var _ = client;

        // Two getMores blocked 1.3 s each: 2.6 s in all, more than timeoutMS (2.5 s), but each one fits.
        await BlockGetMoresAsync(client, app, times: 2, blockMilliseconds: 1300);
        Assert.Equal(5, (await ReadAllAsync(database, find, async)).Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_getMore_blocked_beyond_timeoutMS_is_the_timeout_error(bool async)
    {
        string app = "runcursor-expire-" + async;
        var (client, database, find) = await SeedAsync(app);
        await using var _ = client;

        await BlockGetMoresAsync(client, app, times: 1, blockMilliseconds: 3700);
        // ReadAllAsync iterates with the sync API when async is false: the exception type is the same either way.
        var error = await Assert.ThrowsAsync<MongoOperationTimeoutException>(() => ReadAllAsync(database, find, async));
        Assert.Contains("timeout", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
