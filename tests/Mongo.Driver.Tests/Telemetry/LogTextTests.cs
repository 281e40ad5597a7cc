using Mongo.Bson;
using Mongo.Driver.Diagnostics;
using Mongo.Driver.Topology;
using Mongo.InMemory;
using Mongo.Testing.Monitoring;
using Xunit;

namespace Mongo.Driver.Tests.Telemetry;

/// <summary>The unstructured text of log messages never shows an empty value where the structured fields leave one out.</summary>
public sealed class LogTextTests
{
    [Fact]
    public async Task The_pool_created_message_shows_every_effective_option()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        var logs = new LogCapture();
        MongoClientSettings settings = MongoClientSettings.FromConnectionString(server.ConnectionString + "?maxPoolSize=9");
        settings.LoggerFactory = logs;
        await using (var client = new MongoClient(settings))
        {
            await client.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1));
        }

        CapturedLog created = Assert.Single(logs.Logs, l => (string?)l["message"] == "Connection pool created");
        Assert.Equal("Connection pool created for 127.0.0.1:" + server.Port
            + " using options maxIdleTimeMS=none, minPoolSize=0, maxPoolSize=9, maxConnecting=2, waitQueueTimeoutMS=120000", created.Text);
        Assert.Equal(9, created["maxPoolSize"]);
        Assert.Null(created["minPoolSize"]); // structured: only what the user set
    }

    [Fact]
    public void A_selection_without_an_operation_says_so_instead_of_leaving_blanks()
    {
        var logs = new LogCapture();
        var events = new EventPublisher([], logs, EventPublisher.DefaultMaxDocumentLength);
        var address = new MongoServerAddress("a", 27017);
        var topology = new TopologyDescription(TopologyType.Unknown, new Dictionary<MongoServerAddress, ServerDescription> { [address] = new ServerDescription(address) });

        events.SelectionStarted("Write", operation: null, operationId: null, topology);
        events.SelectionStarted("Write", "find", 7, topology);

        Assert.StartsWith("Server selection started for an operation. Selector: Write", logs.Logs[0].Text, StringComparison.Ordinal);
        Assert.StartsWith("Server selection started for operation find with ID 7. Selector: Write", logs.Logs[1].Text, StringComparison.Ordinal);
    }
}
