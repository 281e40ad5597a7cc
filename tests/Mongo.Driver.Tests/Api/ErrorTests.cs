using System.Data.Common;
using Mongo.Bson;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Api;

/// <summary>
/// The exception hierarchy as a caller meets it through the public API: server errors carry code, code name, reply
/// and labels; network failures and timeouts are transient <see cref="MongoException"/>s (never a bare
/// <see cref="OperationCanceledException"/> or <see cref="IOException"/>); misuse is reported, not ignored.
/// Fail points are scoped to each test's appName so parallel tests on a shared server are not affected.
/// </summary>
public sealed class ErrorTests(MongoServerFixture server) : IClassFixture<MongoServerFixture>
{
    private MongoClient Client(string appName, string options = "") =>
        new(server.ConnectionStringWith("appName=" + appName + "&retryReads=false&retryWrites=false" + options));

    private static async Task FailAsync(MongoClient client, string appName, BsonDocument data)
    {
        data.Set("appName", appName);
        var command = new BsonDocument { { "configureFailPoint", "failCommand" }, { "mode", new BsonDocument("times", 1) }, { "data", data } };
        await client.GetDatabase("admin").RunCommandAsync(command);
    }

    private static async Task<T> Throws<T>(bool async, Func<Task> asyncCall, Action syncCall)
        where T : Exception =>
        async ? await Assert.ThrowsAsync<T>(asyncCall) : Assert.Throws<T>(syncCall);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CommandErrorsCarryCodeCodeNameAndReply(bool async)
    {
        await using var client = Client("errors-command-" + async);
        var database = client.GetDatabase("driver_api_errors");
        var command = new BsonDocument("noSuchCommand", 1);
        var error = await Throws<MongoCommandException>(async, () => database.RunCommandAsync(command), () => database.RunCommand(command));
        Assert.Equal(59, error.Code);
        Assert.Equal("CommandNotFound", error.CodeName);
        Assert.Equal(0, error.Reply["ok"].ToInt32());
        Assert.Equal("noSuchCommand", error.CommandName);
        Assert.IsAssignableFrom<DbException>(error);
        Assert.False(error.IsTransient);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ServerErrorLabelsAreExposed(bool async)
    {
        string app = "errors-labels-" + async;
        await using var client = Client(app);
        var collection = client.GetDatabase("driver_api_errors").GetCollection("labels");
        await FailAsync(client, app, new BsonDocument
        {
            { "failCommands", new BsonArray { "find" } },
            { "errorCode", 2 },
            { "errorLabels", new BsonArray { "TransientTransactionError" } },
        });
        var error = await Throws<MongoCommandException>(async, () => collection.Find(Filter.Empty).ToListAsync(), () => collection.Find(Filter.Empty).ToList());
        Assert.Equal(2, error.Code);
        Assert.True(error.HasErrorLabel("TransientTransactionError"));
        Assert.Contains("TransientTransactionError", error.ErrorLabels);
        Assert.True(error.IsTransient);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ANetworkErrorIsATransientConnectionException(bool async)
    {
        string app = "errors-network-" + async;
        await using var client = Client(app);
        var collection = client.GetDatabase("driver_api_errors").GetCollection("network");
        await FailAsync(client, app, new BsonDocument { { "failCommands", new BsonArray { "find" } }, { "closeConnection", true } });
        var error = await Throws<MongoConnectionException>(async, () => collection.Find(Filter.Empty).ToListAsync(), () => collection.Find(Filter.Empty).ToList());
        Assert.True(error.IsTransient);

        // The client recovers on a new connection.
        Assert.Empty(async ? await collection.Find(Filter.Eq("_id", -1)).ToListAsync() : collection.Find(Filter.Eq("_id", -1)).ToList());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ASocketTimeoutIsATransientNetworkError(bool async)
    {
        // socketTimeoutMS guards one read or write: SDAM treats its expiry as a network error (the connection is
        // closed), so it is a MongoConnectionException that says it timed out, not an IOException.
        string app = "errors-socket-timeout-" + async;
        await using var client = Client(app, "&socketTimeoutMS=300");
        var collection = client.GetDatabase("driver_api_errors").GetCollection("socket_timeout");
        await FailAsync(client, app, new BsonDocument { { "failCommands", new BsonArray { "find" } }, { "blockConnection", true }, { "blockTimeMS", 3000 } });
        var error = await Throws<MongoConnectionException>(async, () => collection.Find(Filter.Empty).ToListAsync(), () => collection.Find(Filter.Empty).ToList());
        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsTransient);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnOperationTimeoutIsAMongoTimeoutException(bool async)
    {
        string app = "errors-timeout-" + async;
        await using (var admin = Client(app))
        {
            await FailAsync(admin, app, new BsonDocument { { "failCommands", new BsonArray { "find" } }, { "blockConnection", true }, { "blockTimeMS", 6000 } });
        }

        // The budget covers server selection and the handshake too: generous enough for a busy test machine.
        await using var client = Client(app, "&timeoutMS=1500");
        var collection = client.GetDatabase("driver_api_errors").GetCollection("timeout");
        // timeoutMS is set: the client-side operations timeout spec's timeout error, a MongoTimeoutException keeping its cause.
        var error = await Throws<MongoOperationTimeoutException>(async, () => collection.Find(Filter.Empty).ToListAsync(), () => collection.Find(Filter.Empty).ToList());
        Assert.IsAssignableFrom<MongoTimeoutException>(error);
        Assert.NotNull(error.InnerException);
        Assert.Contains(error.InnerException!.Message, error.Message, StringComparison.Ordinal);
        Assert.True(error.IsTransient);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ServerSelectionTimeoutIsAMongoTimeoutException(bool async)
    {
        // Port 1 on loopback: nothing listens, every connection attempt is refused.
        await using var client = new MongoClient("mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=200");
        var collection = client.GetDatabase("db").GetCollection("c");
        var error = await Throws<MongoTimeoutException>(async, () => collection.InsertOneAsync(new BsonDocument()), () => collection.InsertOne(new BsonDocument()));
        Assert.True(error.IsTransient);
        Assert.IsAssignableFrom<DbException>(error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ACursorCanBeEnumeratedOnlyOnce(bool async)
    {
        await using var client = Client("errors-cursor-" + async);
        var database = client.GetDatabase("driver_api_errors");
        await database.DropCollectionAsync("cursor_once_" + async);
        var collection = database.GetCollection("cursor_once_" + async);
        await collection.InsertOneAsync(new BsonDocument("x", 1));
        await using var cursor = async ? await collection.Find(Filter.Empty).ToCursorAsync() : collection.Find(Filter.Empty).ToCursor();
        Assert.Single(async ? await cursor.ToAsyncList() : cursor.ToList());
        if (async)
        {
            await Assert.ThrowsAsync<MongoClientException>(async () =>
            {
                await foreach (var document in cursor)
                {
                }
            });
        }
        else
        {
            Assert.Throws<MongoClientException>(() => cursor.ToList());
        }

        // The query itself can run again: each enumeration of Find(...) sends a new find.
        var query = collection.Find(Filter.Empty);
        Assert.Single(query.ToList());
        Assert.Single(query.ToList());
    }

    [Fact]
    public async Task ADisposedClientRefusesOperations()
    {
        var client = Client("errors-disposed");
        var collection = client.GetDatabase("driver_api_errors").GetCollection("disposed");
        await client.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => collection.InsertOneAsync(new BsonDocument()));
        Assert.Throws<ObjectDisposedException>(() => collection.CountDocuments(Filter.Empty));
    }
}

internal static class CursorTestExtensions
{
    public static async Task<List<T>> ToAsyncList<T>(this MongoCursor<T> cursor)
    {
        var list = new List<T>();
        await foreach (var item in cursor)
        {
            list.Add(item);
        }

        return list;
    }
}
