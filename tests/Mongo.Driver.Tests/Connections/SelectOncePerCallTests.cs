using Mongo.Bson;
using Mongo.Driver.Diagnostics;
using Mongo.Driver.Operations;
using Mongo.InMemory;
using Mongo.Testing.Monitoring;
using Xunit;
using static Mongo.Driver.Tests.Connections.CoreTestHelpers;

namespace Mongo.Driver.Tests.Connections;

/// <summary>
/// A public call selects its server once: the later writes of the same call (a bulk write's next batches) run on the
/// server its first write selected, instead of each batch selecting (and logging a selection) again. Separate calls,
/// and reads, select for themselves.
/// </summary>
public sealed class SelectOncePerCallTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_writes_of_one_call_share_one_server_selection(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        var logs = new LogCapture();
        var events = new EventPublisher([], logs, EventPublisher.DefaultMaxDocumentLength);
        await using var executor = new OperationExecutor(Cluster(server, events: events));

        OperationContext call = OperationContext.Start(null, CancellationToken.None);
        for (int i = 0; i < 3; i++)
        {
            CommandResponse reply = await ExecuteAsync(executor, async, Insert(i) with { Context = call });
            Assert.Equal(1, reply.Body["n"].ToInt32());
        }

        Assert.Equal(1, SelectionsStarted(logs));

        // Another call selects for itself; so does a read, even one sharing the call's context.
        await ExecuteAsync(executor, async, Insert(3) with { Context = OperationContext.Start(null, CancellationToken.None) });
        await ExecuteAsync(executor, async, new ReadCommand("db", new BsonDocument("count", "c"), readPreference: null) { Context = call });
        Assert.Equal(3, SelectionsStarted(logs));
    }

    [Fact]
    public async Task A_call_whose_server_left_the_topology_selects_again()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        var logs = new LogCapture();
        var events = new EventPublisher([], logs, EventPublisher.DefaultMaxDocumentLength);
        await using var executor = new OperationExecutor(Cluster(server, events: events));
        await using var other = new OperationExecutor(Cluster(server));

        OperationContext call = OperationContext.Start(null, CancellationToken.None);
        await ExecuteAsync(executor, true, Insert(0) with { Context = call });

        // A server object of another cluster is not this topology's: the next write selects rather than use it.
        call.WriteServer = other.Cluster.GetServer(Address(server)) ?? (await other.Cluster.SelectServerAsync(true, Mongo.Driver.Topology.ServerSelector.Write, Mongo.Driver.Connections.Deadline.After(TimeSpan.FromSeconds(30)), CancellationToken.None)).Server;
        await ExecuteAsync(executor, true, Insert(1) with { Context = call });

        Assert.Equal(2, SelectionsStarted(logs));
        Assert.Same(executor.Cluster.GetServer(Address(server)), call.WriteServer);
    }

    private static WriteCommand Insert(int id) =>
        new("db", new BsonDocument { { "insert", "c" }, { "documents", new BsonArray { new BsonDocument("_id", id) } } }, retryable: true);

    private static int SelectionsStarted(LogCapture logs) => logs.Logs.Count(l => (string?)l["message"] == "Server selection started");
}
