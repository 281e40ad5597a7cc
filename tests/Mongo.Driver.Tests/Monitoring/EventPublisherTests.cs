using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Diagnostics;
using Mongo.Driver.Events;
using Mongo.Driver.Operations;
using Mongo.Driver.Pooling;
using Mongo.Driver.Tests.Pooling;
using Mongo.Testing.Monitoring;
using Xunit;

namespace Mongo.Driver.Tests.Monitoring;

/// <summary>Subscription, redaction, truncation and the no-subscriber path of the event publisher.</summary>
public sealed class EventPublisherTests
{
    private static readonly MongoServerAddress Address = new("fake.example", 27017);

    [Fact]
    public void Subscriber_combines_handlers_per_type_and_declines_other_types()
    {
        var calls = new List<string>();
        var subscriber = new EventSubscriber()
            .Subscribe<ConnectionCreatedEvent>(e => calls.Add("first " + e.ConnectionId))
            .Subscribe<ConnectionCreatedEvent>(e => calls.Add("second " + e.ConnectionId));

        Assert.True(subscriber.TryGetEventHandler(out Action<ConnectionCreatedEvent>? handler));
        handler!(new ConnectionCreatedEvent(Address, 7));
        Assert.Equal(["first 7", "second 7"], calls);
        Assert.False(subscriber.TryGetEventHandler(out Action<ConnectionReadyEvent>? none));
        Assert.Null(none);
    }

    [Fact]
    public void Settings_subscriptions_are_copied_on_write_so_clones_stay_independent()
    {
        var settings = new MongoClientSettings();
        MongoClientSettings before = settings.Clone();
        settings.Subscribe<CommandStartedEvent>(_ => { });
        MongoClientSettings after = settings.Clone();
        after.Subscribe<CommandSucceededEvent>(_ => { });

        Assert.Empty(before.EventSubscribers);
        Assert.Single(settings.EventSubscribers);
        Assert.Equal(2, after.EventSubscribers.Count);
    }

    [Fact]
    public void Without_subscribers_or_loggers_the_client_gets_the_shared_inert_publisher()
    {
        EventPublisher publisher = EventPublisher.Create(new MongoClientSettings());
        Assert.Same(EventPublisher.None, publisher);
        Assert.False(publisher.CommandsEnabled);
        Assert.False(publisher.HeartbeatsEnabled);
        Assert.False(publisher.SelectionLogEnabled);

        // A logger factory whose loggers are all disabled: still nothing to do per command.
        var quiet = new LogCapture(_ => Microsoft.Extensions.Logging.LogLevel.None);
        EventPublisher withQuietLogs = EventPublisher.Create(new MongoClientSettings { LoggerFactory = quiet });
        Assert.False(withQuietLogs.CommandsEnabled);
    }

    [Fact]
    public async Task A_throwing_handler_does_not_break_the_pool()
    {
        var settings = new PoolSettings { MaintenanceInterval = Timeout.InfiniteTimeSpan };
        var subscriber = new EventSubscriber().Subscribe<ConnectionCheckedOutEvent>(_ => throw new InvalidOperationException("handler bug"));
        using var pool = new ConnectionPool(Address, settings, (id, generation) => new FakeConnection(id, generation), new EventPublisher([subscriber], null, 1000));
        pool.Ready();
        IConnection connection = await pool.CheckOutAsync(true, Deadline.Infinite, CancellationToken.None);
        pool.CheckIn(connection);
        Assert.Equal(1, pool.Counts.Available);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Pool_checkout_and_checkin_allocate_nothing_with_or_without_subscribers(bool subscribed)
    {
        long checkedOut = 0;
        EventPublisher publisher = subscribed
            ? new EventPublisher([new EventSubscriber().Subscribe<ConnectionCheckedOutEvent>(_ => checkedOut++).Subscribe<ConnectionCheckedInEvent>(_ => { })], null, 1000)
            : EventPublisher.None;
        var settings = new PoolSettings { MaintenanceInterval = Timeout.InfiniteTimeSpan };
        using var pool = new ConnectionPool(Address, settings, (id, generation) => new FakeConnection(id, generation), publisher);
        pool.Ready();

        void Cycle()
        {
            IConnection connection = pool.CheckOutAsync(false, Deadline.Infinite, CancellationToken.None).GetAwaiter().GetResult();
            pool.CheckIn(connection);
        }

        Cycle();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Cycle();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(subscribed ? 101 : 0, checkedOut);
    }

    [Theory]
    [InlineData("saslStart", "{ \"saslStart\": 1, \"payload\": \"x\" }", true)]
    [InlineData("saslContinue", "{ \"saslContinue\": 1 }", true)]
    [InlineData("authenticate", "{ \"authenticate\": 1 }", true)]
    [InlineData("createUser", "{ \"createUser\": \"u\", \"pwd\": \"secret\" }", true)]
    [InlineData("updateUser", "{ \"updateUser\": \"u\", \"pwd\": \"secret\" }", true)]
    [InlineData("getnonce", "{ \"getnonce\": 1 }", true)]
    [InlineData("copydb", "{ \"copydb\": 1 }", true)]
    [InlineData("hello", "{ \"hello\": 1, \"speculativeAuthenticate\": { \"saslStart\": 1 } }", true)]
    [InlineData("isMaster", "{ \"isMaster\": 1, \"speculativeAuthenticate\": { \"saslStart\": 1 } }", true)]
    [InlineData("ismaster", "{ \"ismaster\": 1, \"speculativeAuthenticate\": { \"saslStart\": 1 } }", true)]
    [InlineData("hello", "{ \"hello\": 1 }", false)]
    [InlineData("find", "{ \"find\": \"c\", \"speculativeAuthenticate\": 1 }", false)]
    [InlineData("insert", "{ \"insert\": \"c\" }", false)]
    public void Sensitive_commands_follow_the_command_monitoring_list(string name, string command, bool sensitive) =>
        Assert.Equal(sensitive, EventPublisher.IsSensitive(name, BsonDocument.Parse(command)));

    [Fact]
    public void Redaction_keeps_only_code_code_name_and_labels_of_a_server_error()
    {
        var reply = BsonDocument.Parse("""{ "ok": 0, "code": 18, "codeName": "AuthenticationFailed", "errmsg": "user alice: bad password s3cret", "errorLabels": ["X"] }""");
        MongoCommandException original = ExceptionFactory.CreateCommandException("saslContinue", reply, Address);
        var redacted = Assert.IsType<MongoCommandException>(EventPublisher.Redact(original, "saslContinue", Address));

        Assert.Equal(18, redacted.Code);
        Assert.Equal("AuthenticationFailed", redacted.CodeName);
        Assert.Contains("X", redacted.ErrorLabels);
        Assert.DoesNotContain("s3cret", redacted.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", redacted.Reply.ToString(), StringComparison.Ordinal);
        Assert.False(redacted.Reply.Contains("errmsg"));

        var network = new MongoConnectionException("socket closed");
        Assert.Same(network, EventPublisher.Redact(network, "saslStart", Address));
    }

    [Theory]
    [InlineData("abcdef", 10, "abcdef")]
    [InlineData("abcdef", 6, "abcdef")]
    [InlineData("abcdef", 3, "abc...")]
    [InlineData("abcdef", 0, "...")]
    // A surrogate pair is never split: the cut moves before it.
    [InlineData("ab\U0001F600cd", 3, "ab...")]
    [InlineData("ab\U0001F600cd", 4, "ab\U0001F600...")]
    public void Truncation_cuts_at_the_limit_and_appends_an_ellipsis(string json, int max, string expected) =>
        Assert.Equal(expected, EventPublisher.Truncate(json, max));

    [Fact]
    public void Max_document_length_comes_from_the_environment_with_a_default()
    {
        string? saved = Environment.GetEnvironmentVariable("MONGODB_LOG_MAX_DOCUMENT_LENGTH");
        try
        {
            Environment.SetEnvironmentVariable("MONGODB_LOG_MAX_DOCUMENT_LENGTH", "42");
            Assert.Equal(42, EventPublisher.MaxDocumentLengthFromEnvironment());
            Environment.SetEnvironmentVariable("MONGODB_LOG_MAX_DOCUMENT_LENGTH", "not a number");
            Assert.Equal(1000, EventPublisher.MaxDocumentLengthFromEnvironment());
            Environment.SetEnvironmentVariable("MONGODB_LOG_MAX_DOCUMENT_LENGTH", null);
            Assert.Equal(1000, EventPublisher.MaxDocumentLengthFromEnvironment());
        }
        finally
        {
            Environment.SetEnvironmentVariable("MONGODB_LOG_MAX_DOCUMENT_LENGTH", saved);
        }
    }

    [Fact]
    public void Public_server_and_topology_types_mirror_the_internal_ones()
    {
        Assert.Equal(Enum.GetNames<Mongo.Driver.Topology.ServerType>(), Enum.GetNames<MongoServerType>());
        Assert.Equal(Enum.GetNames<Mongo.Driver.Topology.TopologyType>(), Enum.GetNames<MongoTopologyType>());
        foreach (Mongo.Driver.Topology.ServerType type in Enum.GetValues<Mongo.Driver.Topology.ServerType>())
        {
            Assert.Equal(type.ToString(), ((MongoServerType)type).ToString());
        }
    }
}
