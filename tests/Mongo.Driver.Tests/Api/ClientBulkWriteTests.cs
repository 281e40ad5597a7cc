using Mongo.Bson;
using Mongo.Driver.Operations;
using Xunit;

namespace Mongo.Driver.Tests.Api;

/// <summary>
/// MongoClient.BulkWrite against a scripted executor: command shape, batch splitting by count and by message size
/// (with each command's own nsInfo), results cursor with getMore, and error indexes across commands.
/// </summary>
public sealed class ClientBulkWriteTests
{
    /// <summary>Answers a bulkWrite as a server would: one result per op; an insert whose document has <c>bad: true</c> fails (ordered stops there).</summary>
    private static BsonDocument ServerReply(CommandOperation message)
    {
        var ops = FakeExecutor.Documents(message, 0);
        bool ordered = message.Body["ordered"].ToBoolean();
        bool errorsOnly = message.Body["errorsOnly"].ToBoolean();
        var results = new List<BsonDocument>();
        int errors = 0, inserted = 0;
        for (int i = 0; i < ops.Count; i++)
        {
            if (ops[i].GetValueOrDefault("document") is BsonDocument d && d.Contains("bad"))
            {
                errors++;
                results.Add(new BsonDocument { { "ok", 0.0 }, { "idx", i }, { "code", 11000 }, { "errmsg", "E11000 at " + i }, { "n", 0 } });
                if (ordered)
                {
                    break;
                }

                continue;
            }

            inserted++;
            if (!errorsOnly)
            {
                results.Add(new BsonDocument { { "ok", 1.0 }, { "idx", i }, { "n", 1 } });
            }
        }

        var reply = FakeExecutor.CursorReply(0, "admin.$cmd.bulkWrite", results);
        reply.Add("nErrors", errors);
        reply.Add("nInserted", inserted);
        return reply;
    }

    private static FakeExecutor Scripted(int commands)
    {
        var executor = new FakeExecutor();
        for (int i = 0; i < commands; i++)
        {
            executor.Reply(ServerReply);
        }

        return executor;
    }

    private static ClientInsertOneModel<BsonDocument> Insert(string ns, int id, bool bad = false, int padding = 0)
    {
        var document = new BsonDocument("_id", id);
        if (bad)
        {
            document.Add("bad", true);
        }

        if (padding > 0)
        {
            document.Add("pad", new string('p', padding));
        }

        return new ClientInsertOneModel<BsonDocument>(ns, document);
    }

    private static async Task<ClientBulkWriteResult> Run(MongoClient client, IReadOnlyList<ClientBulkWriteModel> models, ClientBulkWriteOptions? options, bool async) =>
        async ? await client.BulkWriteAsync(models, options) : client.BulkWrite(models, options);

    /// <summary>Each op's nsInfo index must name the namespace of the model it came from, in that command's own nsInfo.</summary>
    private static void AssertNamespaces(IReadOnlyList<CommandOperation> sent, IReadOnlyList<ClientBulkWriteModel> models)
    {
        int global = 0;
        foreach (var message in sent)
        {
            var ops = FakeExecutor.Documents(message, 0);
            var nsInfo = FakeExecutor.Documents(message, 1).Select(d => d["ns"].AsString).ToList();
            Assert.Equal(nsInfo.Count, nsInfo.Distinct().Count());
            foreach (var op in ops)
            {
                Assert.Equal(models[global].Namespace.FullName, nsInfo[op.GetElement(0).Value.ToInt32()]);
                global++;
            }

            // Only the namespaces this command uses.
            Assert.Equal(nsInfo.Order(), ops.Select(o => nsInfo[o.GetElement(0).Value.ToInt32()]).Distinct().Order());
        }

        Assert.Equal(models.Count, global);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sends_one_admin_command_with_ops_and_nsInfo_sequences(bool async)
    {
        var executor = Scripted(1);
        await using var client = FakeExecutor.Client(executor);
        var models = new ClientBulkWriteModel[]
        {
            Insert("db.a", 1),
            new ClientUpdateOneModel("db.b", new BsonDocument("_id", 1), new BsonDocument("$set", new BsonDocument("x", 1))) { IsUpsert = true, Sort = new BsonDocument("x", 1) },
            new ClientDeleteManyModel("other.c", new BsonDocument("x", 2)) { Hint = "x_1" },
            new ClientReplaceOneModel<BsonDocument>("db.a", new BsonDocument("_id", 2), new BsonDocument("y", 2)),
        };

        await Run(client, models, new ClientBulkWriteOptions { Comment = "c", Let = new BsonDocument("v", 1), BypassDocumentValidation = false }, async);

        var message = Assert.Single(executor.Sent);
        Assert.Equal("admin", message.Database);
        Assert.True(message.IsWrite);
        Assert.Equal(new BsonDocument { { "bulkWrite", 1 }, { "errorsOnly", true }, { "ordered", true }, { "bypassDocumentValidation", false }, { "comment", "c" }, { "let", new BsonDocument("v", 1) } }, message.Body);
        Assert.Equal(["ops", "nsInfo"], message.Sequences.Select(s => s.Identifier));
        var ops = FakeExecutor.Documents(message, 0);
        Assert.Equal(new BsonDocument { { "insert", 0 }, { "document", new BsonDocument("_id", 1) } }, ops[0]);
        Assert.Equal(new BsonDocument { { "update", 1 }, { "filter", new BsonDocument("_id", 1) }, { "updateMods", new BsonDocument("$set", new BsonDocument("x", 1)) }, { "multi", false }, { "upsert", true }, { "sort", new BsonDocument("x", 1) } }, ops[1]);
        Assert.Equal(new BsonDocument { { "delete", 2 }, { "filter", new BsonDocument("x", 2) }, { "multi", true }, { "hint", "x_1" } }, ops[2]);
        Assert.Equal(new BsonDocument { { "update", 0 }, { "filter", new BsonDocument("_id", 2) }, { "updateMods", new BsonDocument("y", 2) }, { "multi", false } }, ops[3]);
        Assert.Equal(["db.a", "db.b", "other.c"], FakeExecutor.Documents(message, 1).Select(d => d["ns"].AsString));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Splits_by_maxWriteBatchSize_with_each_commands_own_nsInfo(bool async)
    {
        var executor = Scripted(3);
        executor.Limits = executor.Limits with { MaxWriteBatchSize = 3 };
        await using var client = FakeExecutor.Client(executor);
        var models = Enumerable.Range(0, 7).Select(i => (ClientBulkWriteModel)Insert(i % 3 == 0 ? "db.x" : i % 3 == 1 ? "db.y" : "db2.z", i)).ToList();

        var result = await Run(client, models, new ClientBulkWriteOptions { VerboseResults = true }, async);

        Assert.Equal([3, 3, 1], executor.Sent.Select(m => m.Sequences[0].Documents.Count));
        AssertNamespaces(executor.Sent, models);
        Assert.Equal(7, result.InsertedCount);
        Assert.Equal(Enumerable.Range(0, 7), result.InsertResults.Keys.Order());
        Assert.Equal(new BsonInt32(6), result.InsertResults[6].InsertedId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Splits_by_message_size_leaving_the_spec_allowance(bool async)
    {
        var executor = Scripted(20);
        await using var client = FakeExecutor.Client(executor);
        var models = Enumerable.Range(0, 40).Select(i => (ClientBulkWriteModel)Insert("db.c" + (i % 4), i, padding: 100 + i * 7)).ToList();
        int bodyLength = new BsonDocument { { "bulkWrite", 1 }, { "errorsOnly", true }, { "ordered", true } }.ToBytes().Length;
        int room = 2500;
        executor.Limits = executor.Limits with { MaxMessageSize = ClientBulkWriteOperation.MessageOverheadBytes + bodyLength + room };

        var result = await Run(client, models, null, async);

        Assert.Equal(40, result.InsertedCount);
        Assert.True(executor.Sent.Count > 1);
        AssertNamespaces(executor.Sent, models);
        int next = 0;
        foreach (var message in executor.Sent)
        {
            long used = message.Sequences.Sum(s => s.Documents.Sum(d => (long)d.Length));
            Assert.True(used <= room, $"{used} bytes of ops and nsInfo exceed {room}");
            next += message.Sequences[0].Documents.Count;
            if (next < models.Count)
            {
                // The next op (and its namespace if new) would not have fit: batches are as full as allowed.
                var nextOp = new BsonDocument { { "insert", 0 }, { "document", ((ClientInsertOneModel<BsonDocument>)models[next]).Document } }.ToBytes().Length;
                var names = FakeExecutor.Documents(message, 1).Select(d => d["ns"].AsString).ToHashSet();
                long nsBytes = names.Contains(models[next].Namespace.FullName) ? 0 : new BsonDocument("ns", models[next].Namespace.FullName).ToBytes().Length;
                Assert.True(used + nextOp + nsBytes > room);
            }
        }
    }

    [Fact]
    public async Task An_op_that_cannot_fit_any_command_is_a_client_error_before_sending()
    {
        var executor = Scripted(1);
        executor.Limits = executor.Limits with { MaxMessageSize = 1500 };
        await using var client = FakeExecutor.Client(executor);

        var error = await Assert.ThrowsAsync<MongoClientException>(() => client.BulkWriteAsync([Insert("db.c", 1, padding: 1000)]));

        Assert.Contains("index 0", error.Message, StringComparison.Ordinal);
        Assert.Empty(executor.Sent);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Write_error_indexes_are_model_indexes_across_commands(bool ordered)
    {
        var executor = Scripted(4);
        executor.Limits = executor.Limits with { MaxWriteBatchSize = 3 };
        await using var client = FakeExecutor.Client(executor);
        var models = Enumerable.Range(0, 10).Select(i => (ClientBulkWriteModel)Insert("db.c", i, bad: i is 4 or 8)).ToList();

        var error = await Assert.ThrowsAsync<ClientBulkWriteException>(() => client.BulkWriteAsync(models, new ClientBulkWriteOptions { IsOrdered = ordered, VerboseResults = true }));

        Assert.Null(error.Error);
        Assert.Equal(ordered ? [4] : [4, 8], error.WriteErrors.Keys.Order());
        Assert.Equal(4, error.WriteErrors[4].Index);
        Assert.Equal("E11000 at 1", error.WriteErrors[4].Message); // the server's own (per-command) index was 1
        Assert.Equal(ordered ? 2 : 4, executor.Sent.Count); // ordered stops after the failing command
        var partial = Assert.IsType<ClientBulkWriteResult>(error.PartialResult);
        Assert.Equal(ordered ? 4 : 8, partial.InsertedCount);
        Assert.Equal(ordered ? [0, 1, 2, 3] : [0, 1, 2, 3, 5, 6, 7, 9], partial.InsertResults.Keys.Order());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reads_the_results_cursor_to_its_end_with_getMore_on_the_same_server(bool async)
    {
        var executor = new FakeExecutor();
        executor.Reply(_ =>
        {
            var reply = FakeExecutor.CursorReply(77, "admin.$cmd.bulkWrite", [new BsonDocument { { "ok", 1.0 }, { "idx", 0 }, { "n", 1 } }]);
            reply.Add("nErrors", 1);
            reply.Add("nInserted", 1);
            reply.Add("nMatched", 1);
            reply.Add("nModified", 1);
            return reply;
        });
        executor.Reply(FakeExecutor.CursorReply(77, "admin.$cmd.bulkWrite", [new BsonDocument { { "ok", 1.0 }, { "idx", 1 }, { "n", 1 }, { "nModified", 1 } }], first: false));
        executor.Reply(FakeExecutor.CursorReply(0, "admin.$cmd.bulkWrite", [new BsonDocument { { "ok", 0.0 }, { "idx", 2 }, { "code", 2 }, { "errmsg", "bad" } }], first: false));
        await using var client = FakeExecutor.Client(executor);
        var models = new ClientBulkWriteModel[]
        {
            Insert("db.c", 1),
            new ClientUpdateOneModel("db.c", new BsonDocument("_id", 1), new BsonDocument("$inc", new BsonDocument("n", 1))),
            new ClientDeleteOneModel("db.c", new BsonDocument("_id", 1)),
        };

        var error = await Assert.ThrowsAsync<ClientBulkWriteException>(async () => await Run(client, models, new ClientBulkWriteOptions { IsOrdered = false, VerboseResults = true }, async));

        Assert.Equal(3, executor.Sent.Count);
        foreach (var getMore in executor.Sent.Skip(1))
        {
            Assert.Equal(new BsonDocument { { "getMore", 77L }, { "collection", "$cmd.bulkWrite" } }, getMore.Body);
            Assert.Equal("admin", getMore.Database);
            Assert.Equal(new MongoServerAddress("fake", 27017), getMore.PinnedServer);
        }

        Assert.Equal(2, Assert.Single(error.WriteErrors).Key);
        var partial = error.PartialResult!;
        Assert.Equal(new ClientBulkWriteUpdateResult(1, 1, null), partial.UpdateResults[1]);
        Assert.Equal(new BsonInt32(1), partial.InsertResults[0].InsertedId);
        Assert.Empty(partial.DeleteResults);
    }

    [Fact]
    public async Task A_top_level_error_after_results_is_wrapped_with_the_partial_result()
    {
        var executor = Scripted(1).Reply(new BsonDocument { { "ok", 0.0 }, { "errmsg", "boom" }, { "code", 8 } });
        executor.Limits = executor.Limits with { MaxWriteBatchSize = 2 };
        await using var client = FakeExecutor.Client(executor);

        var error = await Assert.ThrowsAsync<ClientBulkWriteException>(() => client.BulkWriteAsync([Insert("db.c", 1), Insert("db.c", 2), Insert("db.c", 3)]));

        var inner = Assert.IsType<MongoCommandException>(error.Error);
        Assert.Equal(8, inner.Code);
        Assert.Same(inner, error.InnerException);
        Assert.Equal(2, error.PartialResult!.InsertedCount);
    }

    [Fact]
    public async Task A_top_level_error_before_any_result_is_thrown_as_is()
    {
        var executor = new FakeExecutor().Reply(new BsonDocument { { "ok", 0.0 }, { "errmsg", "boom" }, { "code", 8 } });
        await using var client = FakeExecutor.Client(executor);

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => client.BulkWriteAsync([Insert("db.c", 1)]));

        Assert.Equal(8, error.Code);
    }

    [Fact]
    public async Task Write_concern_errors_do_not_stop_later_commands_and_are_all_reported()
    {
        var executor = new FakeExecutor();
        for (int i = 0; i < 2; i++)
        {
            executor.Reply(m =>
            {
                var reply = ServerReply(m);
                reply.Add("writeConcernError", new BsonDocument { { "code", 64 }, { "errmsg", "waiting" } });
                return reply;
            });
        }

        executor.Limits = executor.Limits with { MaxWriteBatchSize = 1 };
        await using var client = FakeExecutor.Client(executor);

        var error = await Assert.ThrowsAsync<ClientBulkWriteException>(() => client.BulkWriteAsync([Insert("db.c", 1), Insert("db.c", 2)]));

        Assert.Equal(2, error.WriteConcernErrors.Count);
        Assert.Equal(64, error.WriteConcernErrors[1].Code);
        Assert.Equal(2, error.PartialResult!.InsertedCount);
        Assert.False(error.PartialResult.HasVerboseResults);
    }

    [Fact]
    public async Task Unacknowledged_writes_send_moreToCome_and_report_no_counts()
    {
        var executor = new FakeExecutor();
        await using var client = FakeExecutor.Client(executor);

        var result = await client.BulkWriteAsync([Insert("db.c", 1)], new ClientBulkWriteOptions { IsOrdered = false, WriteConcern = WriteConcern.Unacknowledged });

        Assert.False(result.IsAcknowledged);
        Assert.Equal(0, result.InsertedCount);
        var message = Assert.Single(executor.Sent);
        Assert.True(message.MoreToCome);
        Assert.Equal(0, message.Body["writeConcern"].AsDocument["w"].ToInt32());
    }

    [Fact]
    public async Task Invalid_requests_fail_before_sending()
    {
        var executor = new FakeExecutor();
        await using var client = FakeExecutor.Client(executor);

        await Assert.ThrowsAsync<ArgumentException>(() => client.BulkWriteAsync([]));
        await Assert.ThrowsAsync<ArgumentException>(() => client.BulkWriteAsync([new ClientUpdateOneModel("db.c", new BsonDocument(), new BsonDocument("x", 1))]));
        await Assert.ThrowsAsync<ArgumentException>(() => client.BulkWriteAsync([new ClientReplaceOneModel<BsonDocument>("db.c", new BsonDocument(), new BsonDocument("$set", 1))]));
        Assert.Throws<ArgumentException>(() => CollectionNamespace.Parse("nodot"));
        Assert.Empty(executor.Sent);
    }

    [Fact]
    public async Task A_generated_id_goes_first_and_is_reported()
    {
        var executor = Scripted(1);
        await using var client = FakeExecutor.Client(executor);
        var document = new BsonDocument("x", 1);

        var result = await client.BulkWriteAsync([new ClientInsertOneModel<BsonDocument>("db.c", document)], new ClientBulkWriteOptions { VerboseResults = true });

        var sent = FakeExecutor.Documents(executor.Sent[0])[0]["document"].AsDocument;
        Assert.Equal("_id", sent.GetElement(0).Name);
        Assert.Equal(sent["_id"], result.InsertResults[0].InsertedId);
        Assert.IsType<BsonObjectId>(result.InsertResults[0].InsertedId);
    }
}
