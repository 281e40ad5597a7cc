using Microsoft.Extensions.Logging;
using Mongo.Bson;
using Mongo.Driver.Operations;
using Mongo.Driver.Topology;
using Mongo.InMemory;
using Xunit;

namespace Mongo.Driver.Tests.Topology;

/// <summary>
/// Retryable-writes spec: whether a write is retryable is decided on the server selected for its first attempt, as it was
/// described when selected. Between that selection and the write being sent, another operation's NotWritablePrimary may
/// mark the server Unknown; the write, which then also meets NotWritablePrimary, must still be retried on the new primary.
/// </summary>
public sealed class RetryableWriteSelectionTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_write_is_retried_although_its_primary_was_marked_Unknown_after_selection(bool async)
    {
        await using var set = await InMemoryReplicaSet.StartAsync(3);
        var hook = new SelectionHook();
        var settings = MongoClientSettings.FromConnectionString(set.ConnectionString);
        settings.LoggerFactory = hook;
        await using var client = new MongoClient(settings);
        var collection = client.GetDatabase("retry").GetCollection("selection");
        await collection.InsertOneAsync(new BsonDocument("_id", 0));
        Cluster cluster = ((OperationExecutor)client.Executor).Cluster;
        string oldPrimary = set.Primary!.Host;

        hook.OnSelected = () =>
        {
            // What a concurrent operation does to this one: the primary steps down and that operation's NotWritablePrimary
            // marks it Unknown (SDAM), after this write selected it and before the write decided whether it may retry.
            set.StepDown();
            Server server = cluster.Servers.Single(s => s.Address.ToString() == oldPrimary);
            var reply = new BsonDocument { { "ok", 0 }, { "code", 10107 }, { "codeName", "NotWritablePrimary" }, { "errmsg", "not primary" } };
            server.HandleError(new MongoNotPrimaryException("not primary", 10107, "NotWritablePrimary", "insert", reply), server.Pool.Generation, duringHandshake: false);
        };

        if (async)
        {
            await collection.InsertOneAsync(new BsonDocument("_id", 1));
        }
        else
        {
            collection.InsertOne(new BsonDocument("_id", 1));
        }

        Assert.True(hook.Fired, "the insert's server selection was not seen");
        Assert.NotEqual(oldPrimary, set.Primary!.Host);
        Assert.Equal(2, await collection.CountDocumentsAsync(FilterDefinition.Empty));
    }

    /// <summary>Runs <see cref="OnSelected"/> once, on the first "Server selection succeeded" after it is set.</summary>
    private sealed class SelectionHook : ILoggerFactory, ILogger
    {
        private Action? _onSelected;

        public Action? OnSelected { set => _onSelected = value; }

        public bool Fired { get; private set; }

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> fields
                && fields.Any(f => f.Key == "message" && (f.Value as string) == "Server selection succeeded")
                && Interlocked.Exchange(ref _onSelected, null) is { } action)
            {
                Fired = true;
                action();
            }
        }
    }
}
