using System.Diagnostics;
using Mongo.Bson;
using Mongo.Driver.Diagnostics;
using Mongo.InMemory;
using Xunit;

namespace Mongo.Driver.Tests.Telemetry;

/// <summary>
/// What the MongoDB OpenTelemetry specification asks of span names and attributes beyond the structure tests: names
/// "operation db.collection" with the driver's operation names, int64 ports, the session attributes, the cursor id of the
/// command that creates or uses a cursor, db.query.text from the command as sent and cut at its length, and the client
/// option and environment variables that switch tracing and query text.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class SpanSpecificationTests
{
    private static Activity Operation(SpanRecorder spans, string database, string name) =>
        Assert.Single(spans.Operations(database), a => a.DisplayName == name);

    [Fact]
    public async Task Operation_spans_are_named_after_the_driver_operation_and_its_namespace()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new SpanRecorder();
        const string database = "spec_names";
        await using (var client = new MongoClient(server.ConnectionString))
        {
            MongoDatabase db = client.GetDatabase(database);
            await db.CreateCollectionAsync("orders");
            await db.DropCollectionAsync("orders");
            await db.RunCommandAsync(new BsonDocument("ping", 1));
        }

        // createCollection sends create and dropCollection sends drop: the operation keeps the driver's name.
        Activity create = Operation(spans, database, "createCollection spec_names.orders");
        Assert.Equal("createCollection", create.GetTagItem("db.operation.name"));
        Assert.Equal("createCollection spec_names.orders", create.GetTagItem("db.operation.summary"));
        Assert.Equal("orders", create.GetTagItem("db.collection.name"));
        SpanRecorder.AssertCommandOf(create, Assert.Single(spans.ChildrenOf(create)), "create");
        Activity drop = Operation(spans, database, "dropCollection spec_names.orders");
        Activity dropCommand = Assert.Single(spans.ChildrenOf(drop));
        SpanRecorder.AssertCommandOf(drop, dropCommand, "drop");
        Assert.Equal("drop spec_names.orders", dropCommand.GetTagItem("db.query.summary"));

        // RunCommand is the operation "runCommand db", on no collection; its command span is the command's own.
        Activity run = Operation(spans, database, "runCommand spec_names");
        Assert.Equal("runCommand", run.GetTagItem("db.operation.name"));
        Assert.Null(run.GetTagItem("db.collection.name"));
        Activity ping = Assert.Single(spans.ChildrenOf(run));
        SpanRecorder.AssertCommandOf(run, ping, "ping");
        Assert.Equal("ping spec_names", ping.GetTagItem("db.query.summary"));

        // The tracer's version is formatted as the handshake's client.driver.version ("Tracer Attributes").
        Assert.Equal(MongoTelemetry.ActivitySourceName, run.Source.Name);
        Assert.Equal(Mongo.Driver.Connections.ClientMetadata.DriverVersion, run.Source.Version);

        // server.port is an int64 on operation and command spans (the specification's attribute table).
        Assert.Equal((long)server.Port, run.GetTagItem("server.port"));
        Assert.Equal((long)server.Port, ping.GetTagItem("server.port"));
    }

    [Fact]
    public async Task The_command_that_creates_or_uses_a_cursor_carries_its_id()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new SpanRecorder();
        const string database = "spec_cursor";
        await using (var client = new MongoClient(server.ConnectionString))
        {
            MongoCollection<BsonDocument> people = client.GetDatabase(database).GetCollection("people");
            await people.InsertManyAsync(Enumerable.Range(0, 5).Select(i => new BsonDocument("_id", i)));
            Assert.Equal(5, (await people.Find(FilterDefinition.Empty).BatchSize(2).ToListAsync()).Count);
            // Disposed after its first batch: the server cursor is still open, so disposing sends killCursors.
            await (await people.Find(FilterDefinition.Empty).BatchSize(2).ToCursorAsync()).DisposeAsync();

            Assert.Single(await people.Find(new BsonDocument("_id", 1)).ToListAsync());
        }

        List<Activity> finds = spans.Operations(database).Where(a => a.DisplayName == "find spec_cursor.people").OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal(3, finds.Count);

        // find (cursor created), getMore (cursor used), getMore (cursor used, exhausted): one id throughout.
        List<Activity> read = spans.ChildrenOf(finds[0]);
        Assert.Equal(["find", "getMore", "getMore"], read.Select(c => c.DisplayName));
        long id = Assert.IsType<long>(read[0].GetTagItem("db.mongodb.cursor_id"));
        Assert.NotEqual(0, id);
        Assert.All(read, c => Assert.Equal(id, c.GetTagItem("db.mongodb.cursor_id")));

        // killCursors uses the cursor it closes.
        List<Activity> closed = spans.ChildrenOf(finds[1]);
        Assert.Equal(["find", "killCursors"], closed.Select(c => c.DisplayName));
        Assert.Equal(closed[0].GetTagItem("db.mongodb.cursor_id"), closed[1].GetTagItem("db.mongodb.cursor_id"));
        Assert.NotNull(closed[1].GetTagItem("db.mongodb.cursor_id"));

        // A find answered in one batch leaves no cursor open on the server: no id.
        Assert.Null(Assert.Single(spans.ChildrenOf(finds[2])).GetTagItem("db.mongodb.cursor_id"));
    }

    [Fact]
    public async Task A_transactions_commands_carry_the_session_id_and_the_transaction_number()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        using var spans = new SpanRecorder();
        const string database = "spec_session";
        BsonDocument lsid;
        MongoClientSettings settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
        settings.TraceQueryTextMaxLength = 10_000;
        await using (var client = new MongoClient(settings))
        {
            MongoCollection<BsonDocument> people = client.GetDatabase(database).GetCollection("people");
            await client.GetDatabase(database).CreateCollectionAsync("people");
            await using MongoSession session = await client.StartSessionAsync();
            lsid = session.Id;
            session.StartTransaction();
            await people.WithSession(session).InsertOneAsync(new BsonDocument("_id", 1));
            await session.CommitTransactionAsync();
        }

        Activity transaction = Assert.Single(spans.Stopped, a => a.DisplayName == "transaction" && spans.ChildrenOf(a).Any(c => (string?)c.GetTagItem("db.namespace") == database));
        Assert.Equal([new KeyValuePair<string, object?>("db.system.name", "mongodb")], transaction.TagObjects); // its only attribute
        List<Activity> operations = spans.ChildrenOf(transaction);
        Assert.Equal(["insert spec_session.people", "commitTransaction admin"], operations.Select(o => o.DisplayName));
        foreach (Activity operation in operations)
        {
            Activity command = Assert.Single(spans.ChildrenOf(operation));
            Assert.Equal(lsid, BsonDocument.Parse(Assert.IsType<string>(command.GetTagItem("db.mongodb.lsid"))));
            Assert.Equal(1L, command.GetTagItem("db.mongodb.txn_number"));

            // db.query.text is the command as sent, with the transaction's fields but without lsid, $db and $clusterTime.
            BsonDocument text = BsonDocument.Parse(Assert.IsType<string>(command.GetTagItem("db.query.text")));
            Assert.Equal(1, text["txnNumber"].ToInt64());
            Assert.False(text["autocommit"].AsBoolean);
            Assert.False(text.Contains("lsid"));
            Assert.False(text.Contains("$db"));
            Assert.False(text.Contains("$clusterTime"));
        }

        BsonDocument insert = BsonDocument.Parse((string)spans.ChildrenOf(operations[0])[0].GetTagItem("db.query.text")!);
        Assert.True(insert["startTransaction"].AsBoolean);
        Assert.Equal(new BsonArray { new BsonDocument("_id", 1) }, insert["documents"]); // the document sequence, as command monitoring shows it

        // Outside the session: the create command ran in an implicit session, named, with no transaction number.
        Activity create = Assert.Single(spans.ChildrenOf(Operation(spans, database, "createCollection spec_session.people")));
        Assert.NotNull(create.GetTagItem("db.mongodb.lsid"));
        Assert.Null(create.GetTagItem("db.mongodb.txn_number"));
    }

    [Fact]
    public async Task Query_text_is_cut_at_the_clients_maximum_length()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new SpanRecorder();
        MongoClientSettings settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
        settings.TraceQueryTextMaxLength = 12;
        await using (var client = new MongoClient(settings))
        {
            await client.GetDatabase("spec_text_cut").GetCollection("people").Find(new BsonDocument("name", "a long enough name")).ToListAsync();
        }

        Activity find = Assert.Single(spans.ChildrenOf(Operation(spans, "spec_text_cut", "find spec_text_cut.people")));
        Assert.Equal("{\"find\":\"peo...", find.GetTagItem("db.query.text")); // 12 characters, then "..." like the logging specification
        Assert.Throws<MongoConfigurationException>(() => settings.TraceQueryTextMaxLength = -1);
    }

    [Fact]
    public async Task The_client_option_and_the_environment_switch_tracing_and_query_text()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new SpanRecorder();
        string? savedEnabled = Environment.GetEnvironmentVariable(EventPublisher.TracingEnabledVariable);
        string? savedLength = Environment.GetEnvironmentVariable(EventPublisher.QueryTextMaxLengthVariable);
        try
        {
            // Prose test 1: the variable set to false keeps a client's operations out of traces; set to true, they are traced.
            Environment.SetEnvironmentVariable(EventPublisher.TracingEnabledVariable, "false");
            await PingAsync(server.ConnectionString, "spec_env_off");
            Assert.Empty(spans.In("spec_env_off"));
            Environment.SetEnvironmentVariable(EventPublisher.TracingEnabledVariable, "true");
            await PingAsync(server.ConnectionString, "spec_env_on");
            Assert.Equal(2, spans.In("spec_env_on").Count);

            // The client option overrides the variable, both ways.
            Environment.SetEnvironmentVariable(EventPublisher.TracingEnabledVariable, "no");
            await PingAsync(server.ConnectionString, "spec_option_on", s => s.TracingEnabled = true);
            Assert.Equal(2, spans.In("spec_option_on").Count);
            Environment.SetEnvironmentVariable(EventPublisher.TracingEnabledVariable, "1");
            await PingAsync(server.ConnectionString, "spec_option_off", s => s.TracingEnabled = false);
            Assert.Empty(spans.In("spec_option_off"));

            // Prose test 2: the length variable adds db.query.text to a client that does not configure it; unset, none.
            Environment.SetEnvironmentVariable(EventPublisher.QueryTextMaxLengthVariable, "1024");
            await PingAsync(server.ConnectionString, "spec_text_env");
            Assert.Equal("{\"ping\":1}", Assert.Single(spans.In("spec_text_env"), a => a.DisplayName == "ping").GetTagItem("db.query.text"));
            await PingAsync(server.ConnectionString, "spec_text_option_off", s => s.TraceQueryTextMaxLength = 0);
            Assert.Null(Assert.Single(spans.In("spec_text_option_off"), a => a.DisplayName == "ping").GetTagItem("db.query.text"));
            Environment.SetEnvironmentVariable(EventPublisher.QueryTextMaxLengthVariable, null);
            await PingAsync(server.ConnectionString, "spec_text_unset");
            Assert.Null(Assert.Single(spans.In("spec_text_unset"), a => a.DisplayName == "ping").GetTagItem("db.query.text"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(EventPublisher.TracingEnabledVariable, savedEnabled);
            Environment.SetEnvironmentVariable(EventPublisher.QueryTextMaxLengthVariable, savedLength);
        }
    }

    private static async Task PingAsync(string connectionString, string database, Action<MongoClientSettings>? configure = null)
    {
        MongoClientSettings settings = MongoClientSettings.FromConnectionString(connectionString);
        configure?.Invoke(settings);
        await using var client = new MongoClient(settings);
        await client.GetDatabase(database).RunCommandAsync(new BsonDocument("ping", 1));
    }
}
