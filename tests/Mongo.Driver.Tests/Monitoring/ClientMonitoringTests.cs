using Microsoft.Extensions.Logging;
using Mongo.Bson;
using Mongo.Driver.Events;
using Mongo.InMemory;
using Mongo.Testing.Monitoring;
using Xunit;

namespace Mongo.Driver.Tests.Monitoring;

/// <summary>Command, CMAP and SDAM events and log messages of a real client against Mongo.InMemory.</summary>
public sealed class ClientMonitoringTests
{
    private static MongoClientSettings Settings(InMemoryMongoServer server, EventRecorder? recorder = null, ILoggerFactory? logs = null)
    {
        MongoClientSettings settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
        settings.HeartbeatFrequency = TimeSpan.FromMilliseconds(500);
        if (recorder is not null)
        {
            settings.EventSubscribers = [recorder];
        }

        settings.LoggerFactory = logs;
        return settings;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Command_events_carry_the_sent_command_the_reply_and_matching_ids(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        var recorder = new EventRecorder(t => t.Name.StartsWith("Command", StringComparison.Ordinal));
        await using (var client = new MongoClient(Settings(server, recorder)))
        {
            MongoCollection<BsonDocument> collection = client.GetDatabase("mon").GetCollection("c");
            BsonDocument[] documents = [new BsonDocument("_id", 1), new BsonDocument("_id", 2)];
            if (async)
            {
                await collection.InsertManyAsync(documents);
            }
            else
            {
                collection.InsertMany(documents);
            }
        }

        var started = Assert.IsType<CommandStartedEvent>(recorder.Events[0]);
        var succeeded = Assert.IsType<CommandSucceededEvent>(recorder.Events[1]);
        Assert.Equal("insert", started.CommandName);
        Assert.Equal("mon", started.DatabaseName);
        Assert.Equal("mon", started.Command["$db"].AsString);
        Assert.Equal("c", started.Command["insert"].AsString);
        // The OP_MSG document sequence appears as an array named by its identifier.
        Assert.Equal(new BsonArray { new BsonDocument("_id", 1), new BsonDocument("_id", 2) }, started.Command["documents"]);
        Assert.True(started.ConnectionId > 0);
        Assert.NotNull(started.ServerConnectionId);
        Assert.Null(started.ServiceId);

        Assert.Equal(2, succeeded.Reply["n"].ToInt32());
        Assert.Equal(started.RequestId, succeeded.RequestId);
        Assert.Equal(started.OperationId, succeeded.OperationId);
        Assert.Equal(started.ConnectionId, succeeded.ConnectionId);
        Assert.True(succeeded.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_server_error_is_a_failed_event_with_the_exception_and_unacknowledged_writes_succeed_with_ok_1()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        var recorder = new EventRecorder(t => t.Name.StartsWith("Command", StringComparison.Ordinal));
        await using (var client = new MongoClient(Settings(server, recorder)))
        {
            MongoDatabase database = client.GetDatabase("mon");
            await Assert.ThrowsAsync<MongoCommandException>(() => database.RunCommandAsync(new BsonDocument("noSuchCommand", 1)));
            await database.GetCollection("c").WithWriteConcern(WriteConcern.Unacknowledged).InsertOneAsync(new BsonDocument("x", 1));
        }

        var failed = Assert.IsType<CommandFailedEvent>(recorder.Events[1]);
        Assert.Equal("noSuchCommand", failed.CommandName);
        var error = Assert.IsType<MongoCommandException>(failed.Failure);
        Assert.Equal(59, error.Code);
        Assert.Equal(((CommandStartedEvent)recorder.Events[0]).RequestId, failed.RequestId);

        var unacknowledged = Assert.IsType<CommandSucceededEvent>(recorder.Events[3]);
        Assert.Equal("insert", unacknowledged.CommandName);
        Assert.Equal(new BsonDocument("ok", 1), unacknowledged.Reply);
    }

    [Fact]
    public async Task Sdam_and_cmap_events_cover_the_client_lifetime_in_order()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        var recorder = new EventRecorder(t => !t.Name.StartsWith("Command", StringComparison.Ordinal));
        await using (var client = new MongoClient(Settings(server, recorder)))
        {
            await client.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1));
        }

        List<string> names = [.. recorder.Events.Select(EventRecorder.SpecName)];
        Assert.Equal("TopologyOpening", names[0]);
        Assert.Equal("TopologyClosed", names[^1]);
        Assert.True(names.IndexOf("ServerOpening") < names.IndexOf("ConnectionPoolCreated"));
        Assert.True(names.IndexOf("ServerHeartbeatStarted") < names.IndexOf("ServerHeartbeatSucceeded"));
        Assert.True(names.IndexOf("ConnectionPoolReady") < names.IndexOf("ConnectionCheckOutStarted"));
        Assert.True(names.IndexOf("ConnectionCheckedOut") < names.IndexOf("ConnectionCheckedIn"));
        Assert.True(names.IndexOf("ConnectionPoolClosed") < names.LastIndexOf("ServerClosed"));

        var heartbeat = recorder.Events.OfType<ServerHeartbeatSucceededEvent>().First();
        Assert.True(heartbeat.ConnectionId < 0, "monitoring connections have negative ids");
        Assert.False(heartbeat.Awaited);
        Assert.Equal(1.0, heartbeat.Reply["ok"].ToDouble());

        var changed = recorder.Events.OfType<ServerDescriptionChangedEvent>().First();
        Assert.Equal(MongoServerType.Unknown, changed.PreviousDescription.Type);
        Assert.Equal(MongoServerType.Standalone, changed.NewDescription.Type);
        var closing = recorder.Events.OfType<TopologyDescriptionChangedEvent>().Last();
        Assert.Equal(MongoTopologyType.Unknown, closing.NewDescription.Type);
        Assert.Empty(closing.NewDescription.Servers);

        var closed = recorder.Events.OfType<ConnectionClosedEvent>().Single();
        Assert.Equal(ConnectionClosedReason.PoolClosed, closed.Reason);
    }

    [Fact]
    public async Task A_failing_heartbeat_is_reported_with_its_error()
    {
        var recorder = new EventRecorder(t => t.Name.StartsWith("ServerHeartbeat", StringComparison.Ordinal));
        MongoClientSettings settings = MongoClientSettings.FromConnectionString("mongodb://127.0.0.1:1/?connectTimeoutMS=2000&serverSelectionTimeoutMS=3000");
        settings.EventSubscribers = [recorder];
        await using (var client = new MongoClient(settings))
        {
            await Assert.ThrowsAsync<MongoTimeoutException>(() => client.GetDatabase("admin").RunCommandAsync(new BsonDocument("ping", 1)));
        }

        Assert.IsType<ServerHeartbeatStartedEvent>(recorder.Events[0]);
        var failed = Assert.IsType<ServerHeartbeatFailedEvent>(recorder.Events[1]);
        Assert.IsAssignableFrom<MongoException>(failed.Failure);
    }

    [Fact]
    public async Task Command_logs_are_structured_truncated_and_never_show_a_password()
    {
        var options = new InMemoryMongoServerOptions();
        options.Users.Add(new InMemoryMongoUser("alice", "s3cr3t-pässword"));
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(options);
        var logs = new LogCapture();
        MongoClientSettings settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
        settings.Credential = MongoCredential.Create(null, "alice", "s3cr3t-pässword", "admin", null, null);
        settings.LoggerFactory = logs;
        settings.MaxLoggedDocumentLength = 40;
        await using (var client = new MongoClient(settings))
        {
            MongoDatabase database = client.GetDatabase("mon");
            await database.GetCollection("c").InsertOneAsync(new BsonDocument("text", new string('x', 200)));
            try
            {
                await database.RunCommandAsync(new BsonDocument { { "createUser", "bob" }, { "pwd", "other-s3cret" }, { "roles", new BsonArray() } });
            }
            catch (MongoCommandException)
            {
                // Whether the server supports user management does not matter here: only what is logged.
            }
        }

        IReadOnlyList<CapturedLog> all = logs.Logs;
        CapturedLog started = all.First(l => l.Category == "Mongo.Driver.Command" && (string?)l["message"] == "Command started" && (string?)l["commandName"] == "insert");
        Assert.Equal(LogLevel.Debug, started.Level);
        Assert.Equal("mon", started["databaseName"]);
        Assert.Equal("127.0.0.1", started["serverHost"]);
        Assert.Equal(server.Port, started["serverPort"]);
        Assert.NotNull(started["driverConnectionId"]);
        Assert.NotNull(started["requestId"]);
        var command = (string)started["command"]!;
        Assert.Equal(43, command.Length);
        Assert.EndsWith("...", command, StringComparison.Ordinal);
        Assert.Contains("Command \"insert\" started on database \"mon\"", started.Text, StringComparison.Ordinal);

        CapturedLog createUser = all.First(l => (string?)l["message"] == "Command started" && (string?)l["commandName"] == "createUser");
        Assert.Equal("{}", createUser["command"]);

        // The handshake and authentication are never logged as commands.
        Assert.DoesNotContain(all, l => l.Category == "Mongo.Driver.Command" && (string?)l["commandName"] is "saslStart" or "saslContinue" or "hello");
        Assert.Contains(all, l => l.Category == "Mongo.Driver.Connection" && (string?)l["message"] == "Connection checked out");
        Assert.Contains(all, l => l.Category == "Mongo.Driver.Topology" && (string?)l["message"] == "Server heartbeat succeeded");
        Assert.Contains(all, l => l.Category == "Mongo.Driver.ServerSelection" && (string?)l["message"] == "Server selection succeeded");
        foreach (CapturedLog log in all)
        {
            Assert.DoesNotContain("s3cr3t", log.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(log.Fields, f => f.Value?.ToString()?.Contains("s3cr3t", StringComparison.Ordinal) == true);
        }
    }
}
