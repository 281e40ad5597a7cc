using System.Diagnostics;
using Mongo.Bson;
using Mongo.InMemory;
using Xunit;

namespace Mongo.Driver.Tests.Telemetry;

/// <summary>
/// Failed spans record the exception per the OpenTelemetry exception conventions (an <c>exception</c> event), and
/// sensitive commands (command monitoring's list) get no command span and never show their text or error details.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class SpanErrorTests
{
    private static ActivityEvent ExceptionEvent(Activity span) => Assert.Single(span.Events, e => e.Name == "exception");

    private static object? Tag(ActivityEvent e, string name) => e.Tags.FirstOrDefault(t => t.Key == name).Value;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failed_operation_and_its_command_record_the_exception_event_and_the_servers_code(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new SpanRecorder();
        string database = "spans_exception_" + async;
        MongoCommandException thrown;
        await using (var client = new MongoClient(server.ConnectionString))
        {
            MongoCollection<BsonDocument> people = client.GetDatabase(database).GetCollection("people");
            var badFilter = new BsonDocument("x", new BsonDocument("$noSuchOperator", 1));
            thrown = async
                ? await Assert.ThrowsAsync<MongoCommandException>(() => people.Find(badFilter).ToListAsync())
                : Assert.Throws<MongoCommandException>(() => people.Find(badFilter).ToList());
        }

        Activity find = Assert.Single(spans.Operations(database), a => a.DisplayName == "find " + database + ".people");
        Activity command = Assert.Single(spans.ChildrenOf(find));
        Assert.Equal("find " + database + ".people", find.GetTagItem("db.operation.summary")); // MongoDB OpenTelemetry specification
        Assert.Null(command.GetTagItem("db.operation.summary")); // a command span has db.query.summary instead
        string code = thrown.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (Activity span in new[] { find, command })
        {
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal(code, span.GetTagItem("db.response.status_code"));
            Assert.Equal(thrown.CodeName, span.GetTagItem("error.type"));
            ActivityEvent exception = ExceptionEvent(span);
            Assert.Equal(typeof(MongoCommandException).FullName, Tag(exception, "exception.type"));
            Assert.Equal(thrown.Message, Tag(exception, "exception.message"));
            string stack = Assert.IsType<string>(Tag(exception, "exception.stacktrace"));
            Assert.Contains(typeof(MongoCommandException).FullName!, stack, StringComparison.Ordinal);
            Assert.Contains(" at ", stack, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_successful_operation_records_no_exception_event()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new SpanRecorder();
        await using (var client = new MongoClient(server.ConnectionString))
        {
            await client.GetDatabase("spans_no_exception").RunCommandAsync(new BsonDocument("ping", 1));
        }

        List<Activity> all = spans.In("spans_no_exception");
        Assert.Equal(2, all.Count); // the operation and its command
        Assert.All(all, s => Assert.DoesNotContain(s.Events, e => e.Name == "exception"));
        Assert.All(all, s => Assert.Equal(ActivityStatusCode.Unset, s.Status));
    }

    [Fact]
    public async Task A_sensitive_command_has_an_operation_span_but_no_command_span_and_its_error_is_redacted()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new SpanRecorder();
        const string database = "spans_sensitive";
        const string secret = "hunter2-secret";
        var failures = new List<MongoException>();
        MongoClientSettings settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
        settings.TraceQueryText = true;
        await using (var client = new MongoClient(settings))
        {
            MongoDatabase db = client.GetDatabase(database);
            var createUser = new BsonDocument { { "createUser", "eve" }, { "pwd", secret }, { "roles", new BsonArray() } };
            for (int i = 0; i < 2; i++)
            {
                // The second one fails (the user exists), or both do where the server lacks user management: an error either way.
                try
                {
                    await db.RunCommandAsync(createUser);
                }
                catch (MongoException ex)
                {
                    failures.Add(ex);
                }
            }

            // hello with speculativeAuthenticate is sensitive too; a plain hello is not.
            await db.RunCommandAsync(new BsonDocument { { "hello", 1 }, { "speculativeAuthenticate", new BsonDocument { { "saslStart", 1 }, { "mechanism", "SCRAM-SHA-256" }, { "payload", new BsonBinaryData([1, 2, 3]) }, { "db", database } } } });
            await db.RunCommandAsync(new BsonDocument("hello", 1));
        }

        Assert.NotEmpty(failures);
        List<Activity> operations = spans.Operations(database);
        // MongoDB OpenTelemetry specification: what RunCommand sends is the operation "runCommand db", whatever the command.
        List<Activity> runCommands = operations.Where(a => a.DisplayName == "runCommand " + database).ToList();
        Assert.Equal(4, runCommands.Count);
        List<Activity> createUsers = runCommands.Take(2).ToList();

        // MongoDB OpenTelemetry specification: a span for every command "except for sensitive commands".
        List<Activity> commands = spans.In(database).Where(a => a.GetTagItem("db.command.name") is not null).ToList();
        Assert.DoesNotContain(commands, c => c.DisplayName == "createUser");
        Activity plainHello = Assert.Single(commands, c => c.DisplayName == "hello");
        Assert.NotNull(plainHello.GetTagItem("db.query.text")); // query text is on, and shows for what is not sensitive
        Assert.DoesNotContain(((string)plainHello.GetTagItem("db.query.text")!), "speculativeAuthenticate", StringComparison.Ordinal);

        List<Activity> failed = createUsers.Where(a => a.Status == ActivityStatusCode.Error).ToList();
        Assert.Equal(failures.Count, failed.Count);
        for (int i = 0; i < failed.Count; i++)
        {
            Activity span = failed[i];
            MongoServerException error = Assert.IsAssignableFrom<MongoServerException>(failures[i]);
            Assert.Equal(error.Code.ToString(System.Globalization.CultureInfo.InvariantCulture), span.GetTagItem("db.response.status_code"));
            ActivityEvent exception = ExceptionEvent(span);
            string message = Assert.IsType<string>(Tag(exception, "exception.message"));
            Assert.Contains("redacted", message, StringComparison.Ordinal);
            Assert.Equal(message, span.StatusDescription);
            Assert.Null(Tag(exception, "exception.stacktrace")); // the exception's text quotes the server's message
            Assert.DoesNotContain(error.Message, message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(spans.Stopped, s => s.TagObjects.Any(t => t.Value?.ToString()?.Contains(secret, StringComparison.Ordinal) == true)
            || s.Events.Any(e => e.Tags.Any(t => t.Value?.ToString()?.Contains(secret, StringComparison.Ordinal) == true)));
    }

    [Fact]
    public async Task Authentication_sends_no_spans()
    {
        var options = new InMemoryMongoServerOptions();
        options.Users.Add(new InMemoryMongoUser("ann", "pw-of-ann"));
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(options);
        using var spans = new SpanRecorder();
        string connectionString = server.ConnectionString.Replace("mongodb://", "mongodb://ann:pw-of-ann@", StringComparison.Ordinal);
        await using (var client = new MongoClient(connectionString))
        {
            await client.GetDatabase("spans_auth").RunCommandAsync(new BsonDocument("ping", 1));
        }

        // The handshake (hello with speculativeAuthenticate) and saslStart/saslContinue are the connection's, not an operation's.
        List<string> names = spans.Stopped.Where(s => s.Source.Name == Diagnostics.MongoTelemetry.ActivitySourceName).Select(s => s.DisplayName).ToList();
        Assert.Contains("runCommand spans_auth", names);
        Assert.Contains("ping", names);
        Assert.DoesNotContain(names, n => n.StartsWith("hello", StringComparison.Ordinal) || n.StartsWith("isMaster", StringComparison.Ordinal)
            || n.StartsWith("sasl", StringComparison.Ordinal) || n.StartsWith("authenticate", StringComparison.Ordinal));
    }
}
