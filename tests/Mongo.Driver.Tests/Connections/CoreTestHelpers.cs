using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Operations;
using Mongo.Driver.Pooling;
using Mongo.Driver.Topology;
using Mongo.InMemory;

namespace Mongo.Driver.Tests.Connections;

/// <summary>Builds core settings pointing at an in-memory server.</summary>
internal static class CoreTestHelpers
{
    public static MongoServerAddress Address(InMemoryMongoServer server) => new("127.0.0.1", server.Port);

    public static ClusterSettings Cluster(InMemoryMongoServer server, ConnectionSettings? connection = null, PoolSettings? pool = null, Diagnostics.EventPublisher? events = null) => new()
    {
        Seeds = [Address(server)],
        Connection = connection ?? new ConnectionSettings { ConnectTimeout = TimeSpan.FromSeconds(10) },
        Pool = pool ?? new PoolSettings(),
        ServerSelectionTimeout = TimeSpan.FromSeconds(10),
        HeartbeatFrequency = TimeSpan.FromMilliseconds(500),
        Events = events ?? Diagnostics.EventPublisher.None,
    };

    /// <summary>A plain read (retryable, primary) or a plain write (not retryable) for executor tests.</summary>
    public static CommandOperation Command(string database, BsonDocument body, bool isWrite = false) =>
        isWrite ? new WriteCommand(database, body) : new ReadCommand(database, body, readPreference: null);

    public static async Task<Connection> OpenAsync(InMemoryMongoServer server, bool async, ConnectionSettings? settings = null)
    {
        var connection = new Connection(1, Address(server), 0, settings ?? new ConnectionSettings());
        if (async)
        {
            await connection.OpenAsync(true, CancellationToken.None);
        }
        else
        {
            connection.OpenAsync(false, CancellationToken.None).GetAwaiter().GetResult();
        }

        return connection;
    }

    public static async Task<CommandReply> RunAsync(IConnection connection, bool async, string database, BsonDocument body)
    {
        var message = new WireCommand(database, body);
        ValueTask<CommandReply?> task = connection.ExecuteAsync(async, message, default, Deadline.After(TimeSpan.FromSeconds(30)), CancellationToken.None);
        var response = async ? await task : task.GetAwaiter().GetResult();
        return response!;
    }

    public static async Task<CommandResponse> ExecuteAsync(OperationExecutor executor, bool async, CommandOperation message)
    {
        ValueTask<CommandResponse> task = executor.ExecuteAsync(async, message, CancellationToken.None);
        return async ? await task : task.GetAwaiter().GetResult();
    }

    public static async Task<CommandResponse> RunAsync(OperationExecutor executor, bool async, string database, BsonDocument body, bool isWrite = false)
    {
        ValueTask<CommandResponse> task = executor.ExecuteAsync(async, Command(database, body, isWrite), CancellationToken.None);
        return async ? await task : task.GetAwaiter().GetResult();
    }
}
