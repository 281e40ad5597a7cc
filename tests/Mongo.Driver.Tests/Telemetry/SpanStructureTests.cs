using System.Diagnostics;
using Mongo.Bson;
using Mongo.Driver.Diagnostics;
using Mongo.GridFS;
using Mongo.InMemory;
using Xunit;

namespace Mongo.Driver.Tests.Telemetry;

/// <summary>
/// One span per public operation, with a child span per command it sends (MongoDB OpenTelemetry specification): a
/// cursor's find, getMores and killCursors under the find's span, which stays open while the server cursor is; a bulk
/// write's batches, retries, a transaction's operations and its commit, a GridFS call's commands.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class SpanStructureTests
{
    private static readonly ActivitySource AppSource = new(SpanRecorder.AppSourceName);

    private static BsonDocument[] Documents(int count) => Enumerable.Range(0, count).Select(i => new BsonDocument("_id", i)).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cursors_getMores_are_children_of_the_find_that_opened_it(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new SpanRecorder();
        string database = "spans_cursor_" + async;
        await using (var client = new MongoClient(server.ConnectionString))
        {
            MongoCollection<BsonDocument> people = client.GetDatabase(database).GetCollection("people");
            await people.InsertManyAsync(Documents(5));
            List<BsonDocument> read = async ? await people.Find(FilterDefinition.Empty).BatchSize(2).ToListAsync() : people.Find(FilterDefinition.Empty).BatchSize(2).ToList();
            Assert.Equal(5, read.Count);
        }

        // Batches of 2 over 5 documents: find (2), getMore (2), getMore (1, exhausted) — one operation, three commands.
        Activity find = Assert.Single(spans.Operations(database), a => a.DisplayName == "find " + database + ".people");
        Assert.Null(find.Parent);
        Assert.Equal("find", find.GetTagItem("db.operation.name"));
        Assert.Equal("people", find.GetTagItem("db.collection.name"));
        Assert.Equal((long)server.Port, find.GetTagItem("server.port")); // int64, as the specification says
        List<Activity> commands = spans.ChildrenOf(find);
        Assert.Equal(["find", "getMore", "getMore"], commands.Select(c => c.DisplayName));
        foreach (Activity command in commands)
        {
            SpanRecorder.AssertCommandOf(find, command, command.DisplayName);
            Assert.Equal("tcp", command.GetTagItem("network.transport"));
            Assert.Equal("find".Equals(command.DisplayName, StringComparison.Ordinal) ? "find " + database + ".people" : "getMore " + database + ".people", command.GetTagItem("db.query.summary"));
            Assert.IsType<long>(command.GetTagItem("db.mongodb.driver_connection_id"));
            Assert.True(command.StartTimeUtc >= find.StartTimeUtc && command.StartTimeUtc + command.Duration <= find.StartTimeUtc + find.Duration);
        }

        // The find created the cursor the getMores use (MongoDB OpenTelemetry specification: db.mongodb.cursor_id on both).
        Assert.IsType<long>(commands[1].GetTagItem("db.mongodb.cursor_id"));
        Assert.Equal(commands[1].GetTagItem("db.mongodb.cursor_id"), commands[0].GetTagItem("db.mongodb.cursor_id"));

        // No operation span of its own for a getMore any more.
        Assert.DoesNotContain(spans.Operations(database), a => a.DisplayName.StartsWith("getMore", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cursors_span_stays_open_while_the_application_iterates_and_ends_with_the_killCursors_of_its_disposal(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new SpanRecorder();
        string database = "spans_open_" + async;
        await using var client = new MongoClient(server.ConnectionString);
        MongoCollection<BsonDocument> people = client.GetDatabase(database).GetCollection("people");
        await people.InsertManyAsync(Documents(6));

        using (var outer = AppSource.StartActivity("request"))
        {
            MongoCursor<BsonDocument> cursor = async ? await people.Find(FilterDefinition.Empty).BatchSize(2).ToCursorAsync() : people.Find(FilterDefinition.Empty).BatchSize(2).ToCursor();
            Assert.True(async ? await cursor.MoveNextBatchAsync() : cursor.MoveNextBatch());
            Assert.True(async ? await cursor.MoveNextBatchAsync() : cursor.MoveNextBatch());

            // The server cursor is open: the operation's span too, and the application's own activity is still the current one.
            Activity open = Assert.Single(spans.Started, a => a.DisplayName == "find " + database + ".people" && (string?)a.GetTagItem("db.namespace") == database);
            Assert.False(open.IsStopped);
            Assert.DoesNotContain(spans.Stopped, a => a == open);
            Assert.Same(outer, Activity.Current);

            if (async)
            {
                await cursor.DisposeAsync();
            }
            else
            {
                cursor.Dispose();
            }

            Assert.True(open.IsStopped);
            Assert.Same(outer, Activity.Current);
        }

        Activity find = Assert.Single(spans.Operations(database), a => a.DisplayName == "find " + database + ".people");
        Assert.Equal(["find", "getMore", "killCursors"], spans.ChildrenOf(find).Select(c => c.DisplayName));
        Assert.DoesNotContain(spans.Operations(database), a => a.DisplayName.StartsWith("killCursors", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_abandoned_cursors_span_ends_after_the_idle_limit_instead_of_never()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new SpanRecorder();
        const string database = "spans_abandoned";
        await using var client = new MongoClient(server.ConnectionString);
        MongoCollection<BsonDocument> people = client.GetDatabase(database).GetCollection("people");
        await people.InsertManyAsync(Documents(6));

        TimeSpan limit = OperationSpan.IdleLimit;
        OperationSpan.IdleLimit = TimeSpan.FromMilliseconds(200);
        try
        {
            Open(people);
            GC.Collect(); // the cursor is unreachable: the idle timer must still fire

            Activity? find = null;
            for (int i = 0; i < 300 && find is null; i++)
            {
                find = spans.Operations(database).SingleOrDefault(a => a.DisplayName == "find " + database + ".people");
                await Task.Delay(100);
            }

            Assert.NotNull(find);
            Assert.Contains(find.Events, e => e.Name == "mongodb.cursor.abandoned");
            Assert.Equal(ActivityStatusCode.Unset, find.Status);
        }
        finally
        {
            OperationSpan.IdleLimit = limit;
        }

        // Opens a cursor, reads its first batch and drops it without disposing it.
        static void Open(MongoCollection<BsonDocument> people)
        {
            MongoCursor<BsonDocument> cursor = people.Find(FilterDefinition.Empty).BatchSize(2).ToCursor();
            Assert.True(cursor.MoveNextBatch());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_mixed_bulk_write_is_one_bulkWrite_span_with_a_child_per_batch(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new SpanRecorder();
        string database = "spans_bulk_" + async;
        await using (var client = new MongoClient(server.ConnectionString))
        {
            MongoCollection<BsonDocument> people = client.GetDatabase(database).GetCollection("people");
            WriteModel<BsonDocument>[] requests =
            [
                new InsertOneModel<BsonDocument>(new BsonDocument("_id", 1)),
                new InsertOneModel<BsonDocument>(new BsonDocument("_id", 2)),
                new UpdateOneModel<BsonDocument>(new BsonDocument("_id", 1), new BsonDocument("$set", new BsonDocument("x", 1))),
                new DeleteOneModel<BsonDocument>(new BsonDocument("_id", 2)),
            ];
            BulkWriteResult result = async ? await people.BulkWriteAsync(requests) : people.BulkWrite(requests);
            Assert.Equal(2, result.InsertedCount);
        }

        Activity bulk = Assert.Single(spans.Operations(database));
        Assert.Equal("bulkWrite " + database + ".people", bulk.DisplayName);
        Assert.Equal("bulkWrite", bulk.GetTagItem("db.operation.name"));
        Assert.Equal(4, bulk.GetTagItem("db.operation.batch.size"));
        List<Activity> batches = spans.ChildrenOf(bulk);
        Assert.Equal(["insert", "update", "delete"], batches.Select(b => b.DisplayName));
        foreach (Activity batch in batches)
        {
            SpanRecorder.AssertCommandOf(bulk, batch, batch.DisplayName);
        }
    }

    [Fact]
    public async Task A_client_bulk_write_is_one_span_on_admin()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new SpanRecorder();
        await using (var client = new MongoClient(server.ConnectionString))
        {
            var ns = new CollectionNamespace("spans_client_bulk", "people");
            await client.BulkWriteAsync([new ClientInsertOneModel<BsonDocument>(ns, new BsonDocument("_id", 1)), new ClientDeleteOneModel(ns, new BsonDocument("_id", 1))]);
        }

        Activity bulk = Assert.Single(spans.Operations("admin"), a => a.DisplayName == "bulkWrite admin");
        Assert.Null(bulk.GetTagItem("db.collection.name"));
        Assert.Equal(2, bulk.GetTagItem("db.operation.batch.size"));
        SpanRecorder.AssertCommandOf(bulk, Assert.Single(spans.ChildrenOf(bulk)), "bulkWrite");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_retried_write_is_one_operation_span_with_a_child_per_attempt(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        using var spans = new SpanRecorder();
        string database = "spans_retry_" + async;
        string app = "spans-retry-" + async;
        await using (var client = new MongoClient(server.ConnectionString + (server.ConnectionString.Contains('?') ? "&" : "?") + "appName=" + app))
        {
            await client.GetDatabase("admin").RunCommandAsync(new BsonDocument
            {
                { "configureFailPoint", "failCommand" }, { "mode", new BsonDocument("times", 1) },
                { "data", new BsonDocument { { "failCommands", new BsonArray { "insert" } }, { "closeConnection", true }, { "appName", app } } },
            });
            MongoCollection<BsonDocument> people = client.GetDatabase(database).GetCollection("people");
            if (async)
            {
                await people.InsertOneAsync(new BsonDocument("_id", 1));
            }
            else
            {
                people.InsertOne(new BsonDocument("_id", 1));
            }
        }

        Activity insert = Assert.Single(spans.Operations(database));
        Assert.Equal("insert " + database + ".people", insert.DisplayName);
        Assert.Equal(ActivityStatusCode.Unset, insert.Status);
        List<Activity> attempts = spans.ChildrenOf(insert);
        Assert.Equal(2, attempts.Count);
        SpanRecorder.AssertCommandOf(insert, attempts[0], "insert");
        SpanRecorder.AssertCommandOf(insert, attempts[1], "insert");
        Assert.Equal(ActivityStatusCode.Error, attempts[0].Status);
        Assert.Equal(ActivityStatusCode.Unset, attempts[1].Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_transactions_operations_and_commit_nest_under_one_transaction_span(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        using var spans = new SpanRecorder();
        string database = "spans_txn_" + async;
        await using (var client = new MongoClient(server.ConnectionString))
        {
            MongoCollection<BsonDocument> people = client.GetDatabase(database).GetCollection("people");
            await people.InsertOneAsync(new BsonDocument("_id", 0)); // creates the collection outside the transaction
            using MongoSession session = client.StartSession();
            MongoCollection<BsonDocument> bound = people.WithSession(session);
            using Activity? request = AppSource.StartActivity("request");
            session.StartTransaction();
            Assert.Same(request, Activity.Current); // the transaction span is a parent for the driver's spans, not the application's current one
            if (async)
            {
                await bound.InsertOneAsync(new BsonDocument("_id", 1));
                Assert.Equal(2, (await bound.Find(FilterDefinition.Empty).ToListAsync()).Count);
                await bound.UpdateOneAsync(new BsonDocument("_id", 1), new BsonDocument("$set", new BsonDocument("x", 1)));
                await session.CommitTransactionAsync();
            }
            else
            {
                bound.InsertOne(new BsonDocument("_id", 1));
                Assert.Equal(2, bound.Find(FilterDefinition.Empty).ToList().Count);
                bound.UpdateOne(new BsonDocument("_id", 1), new BsonDocument("$set", new BsonDocument("x", 1)));
                session.CommitTransaction();
            }

            Assert.Same(request, Activity.Current);

            // The next transaction is a span of its own; an abort ends it like a commit.
            session.StartTransaction();
            bound.InsertOne(new BsonDocument("_id", 2));
            session.AbortTransaction();
            Assert.Same(request, Activity.Current);

            // The convenient API: its callback's operations and its commit under one transaction span.
            if (async)
            {
                await session.WithTransactionAsync(async (_, ct) => await bound.InsertOneAsync(new BsonDocument("_id", 3), cancellationToken: ct));
            }
            else
            {
                session.WithTransaction((_, ct) => bound.InsertOne(new BsonDocument("_id", 3), cancellationToken: ct));
            }
        }

        List<Activity> transactions = spans.Stopped.Where(a => a.DisplayName == "transaction" && spans.ChildrenOf(a).Any(c => (string?)c.GetTagItem("db.namespace") == database)).OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal(3, transactions.Count);
        Activity committed = transactions[0];
        Assert.Equal("request", committed.Parent?.DisplayName);
        Assert.Equal("mongodb", committed.GetTagItem("db.system.name"));
        Assert.Null(committed.GetTagItem("db.namespace"));
        List<Activity> operations = spans.ChildrenOf(committed);
        Assert.Equal(["insert " + database + ".people", "find " + database + ".people", "update " + database + ".people", "commitTransaction admin"], operations.Select(o => o.DisplayName));
        foreach (Activity operation in operations)
        {
            Activity command = Assert.Single(spans.ChildrenOf(operation));
            SpanRecorder.AssertCommandOf(operation, command, (string)operation.GetTagItem("db.operation.name")!);
        }

        Assert.Equal("admin", operations[3].GetTagItem("db.namespace"));
        Assert.Null(operations[3].GetTagItem("db.collection.name"));

        Assert.Equal(["insert " + database + ".people", "abortTransaction admin"], spans.ChildrenOf(transactions[1]).Select(o => o.DisplayName));
        Assert.Equal(["insert " + database + ".people", "commitTransaction admin"], spans.ChildrenOf(transactions[2]).Select(o => o.DisplayName));

        // The insert before the transaction (and the application's span) is not part of it.
        Assert.Single(spans.Operations(database), a => a.DisplayName == "insert " + database + ".people" && a.Parent is null);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_gridfs_upload_and_download_are_one_span_each_with_their_commands_as_children(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new SpanRecorder();
        string database = "spans_gridfs_" + async;
        byte[] data = new byte[10_000];
        new Random(7).NextBytes(data);
        await using (var client = new MongoClient(server.ConnectionString))
        {
            var bucket = new GridFSBucket(client.GetDatabase(database), new GridFSBucketOptions { ChunkSizeBytes = 1024 });
            ObjectId id = async ? await bucket.UploadFromBytesAsync("file", data) : bucket.UploadFromBytes("file", data);
            byte[] read = async ? await bucket.DownloadAsBytesAsync(id) : bucket.DownloadAsBytes(id);
            Assert.Equal(data, read);
            if (async)
            {
                await bucket.DeleteAsync(id);
            }
            else
            {
                bucket.Delete(id);
            }
        }

        Assert.Equal(["upload " + database + ".fs.files", "download " + database + ".fs.files", "delete " + database + ".fs.files"], spans.Operations(database).OrderBy(a => a.StartTimeUtc).Select(a => a.DisplayName));
        Activity upload = spans.Operations(database).Single(a => a.DisplayName == "upload " + database + ".fs.files");
        List<Activity> uploadCommands = spans.ChildrenOf(upload);
        Assert.Contains(uploadCommands, c => c.DisplayName == "insert" && (string?)c.GetTagItem("db.collection.name") == "fs.chunks");
        Assert.Contains(uploadCommands, c => c.DisplayName == "insert" && (string?)c.GetTagItem("db.collection.name") == "fs.files");
        Assert.All(uploadCommands, c => SpanRecorder.AssertCommandOf(upload, c, c.DisplayName));

        Activity download = spans.Operations(database).Single(a => a.DisplayName == "download " + database + ".fs.files");
        List<Activity> downloadCommands = spans.ChildrenOf(download);
        Assert.Contains(downloadCommands, c => c.DisplayName == "find" && (string?)c.GetTagItem("db.collection.name") == "fs.chunks");
        Assert.All(downloadCommands, c => SpanRecorder.AssertCommandOf(download, c, c.DisplayName));
    }

    [Fact]
    public void Nothing_is_allocated_for_operation_spans_while_nothing_listens()
    {
        // The telemetry calls every operation makes, with no ActivityListener or MeterListener attached (this collection
        // runs alone, and the other telemetry tests dispose theirs).
        Assert.False(DriverInstruments.Source.HasListeners());
        var body = new BsonDocument { { "createUser", "eve" }, { "pwd", "x" } }; // sensitive: its check must cost nothing either
        var error = new InvalidOperationException("failed");
        _ = OperationSpan.Start("find", "db", "c"); // warm up statics
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            OperationSpan? span = OperationSpan.Start("find", "db", "c", abandonedEvent: "mongodb.gridfs.abandoned");
            using (OperationSpan.Enter(span))
            using (OperationSpan.EnterParent(null))
            {
                _ = OperationSpan.Current;
                OperationTelemetry command = OperationTelemetry.StartOperation("insert", "db", "c", parent: null);
                command.Stop(null);
                OperationTelemetry operation = OperationTelemetry.Start("createUser", "db", body, isCommand: false, EventPublisher.None);
                OperationTelemetry sent = OperationTelemetry.Start("createUser", "db", body, isCommand: true, EventPublisher.None);
                sent.Stop(error);
                operation.Stop(error);
                operation.StopUnfinished("aborted", "stopped");
            }

            span?.KeepAlive();
            span?.EndUnfinished("aborted", "stopped");
            span?.End(error);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
