using Mongo.Bson;
using Xunit;

namespace Mongo.Driver.Tests.Api;

/// <summary>
/// A collection bulk write (or InsertMany) that a batch stops as a whole (a command, network or timeout error): the error
/// keeps its type and carries what the acknowledged batches applied; after earlier write errors it is wrapped so those
/// are not lost. The retryable-writes unified tests "... is never committed" run the same against Mongo.InMemory.
/// </summary>
public sealed class BulkWritePartialResultTests
{
    private static (FakeExecutor Fake, MongoCollection<BsonDocument> Collection) Setup(int maxWriteBatchSize = 100_000)
    {
        var fake = new FakeExecutor();
        fake.Limits = fake.Limits with { MaxWriteBatchSize = maxWriteBatchSize };
        var client = FakeExecutor.Client(fake);
        return (fake, client.GetDatabase("test").GetCollection("c"));
    }

    private static BsonDocument Ok(int n, int? nModified = null)
    {
        var reply = new BsonDocument("n", n);
        if (nModified is { } modified)
        {
            reply.Add("nModified", modified);
        }

        return reply.Add("ok", 1.0);
    }

    // A command error the executor does not retry (not a retryable code), labelled as a transaction error would be.
    private static BsonDocument Failure() =>
        new() { { "ok", 0.0 }, { "code", 1 }, { "codeName", "InternalError" }, { "errmsg", "batch failed" }, { "errorLabels", new BsonArray { "SomeLabel" } } };

    private static async Task<TException> Throws<TException>(bool async, Func<Task> asyncCall, Action syncCall)
        where TException : Exception =>
        async ? await Assert.ThrowsAsync<TException>(asyncCall) : Assert.Throws<TException>(syncCall);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failing_first_batch_throws_the_error_itself_with_an_empty_partial_result(bool async)
    {
        var (fake, collection) = Setup();
        fake.Reply(Failure());
        WriteModel<BsonDocument>[] models =
        [
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 2)),
            new DeleteOneModel<BsonDocument>(Filter.Eq("_id", 1)),
        ];

        var ex = await Throws<MongoCommandException>(async, () => collection.BulkWriteAsync(models), () => collection.BulkWrite(models));

        Assert.Equal(1, ex.Code);
        Assert.True(ex.HasErrorLabel("SomeLabel"));
        var partial = Assert.IsType<BulkWriteResult>(ex.PartialBulkWriteResult);
        Assert.True(partial.IsAcknowledged);
        Assert.Equal(2, partial.RequestCount);
        Assert.Equal(0, partial.InsertedCount);
        Assert.Equal(0, partial.DeletedCount);
        Assert.Empty(partial.InsertedIds);
        Assert.Single(fake.Sent);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_ordered_bulk_write_stopped_in_a_later_batch_reports_the_batches_before_it(bool async)
    {
        var (fake, collection) = Setup(maxWriteBatchSize: 2);
        fake.Reply(Ok(2)).Reply(Ok(1, nModified: 1)).Reply(Failure());
        WriteModel<BsonDocument>[] models =
        [
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 1)),
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 2)),
            new UpdateOneModel<BsonDocument>(Filter.Eq("_id", 1), Update.Inc("x", 1)),
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 3)),
            new DeleteOneModel<BsonDocument>(Filter.Eq("_id", 2)),
        ];

        var ex = await Throws<MongoCommandException>(async, () => collection.BulkWriteAsync(models), () => collection.BulkWrite(models));

        // Two inserts and the update were acknowledged; the third insert's batch failed, the delete never went.
        Assert.Equal(3, fake.Sent.Count);
        var partial = ex.PartialBulkWriteResult!;
        Assert.Equal(2, partial.InsertedCount);
        Assert.Equal(1, partial.MatchedCount);
        Assert.Equal(1, partial.ModifiedCount);
        Assert.Equal(0, partial.DeletedCount);
        Assert.Equal([0, 1], partial.InsertedIds.Keys.Order());
        Assert.Equal(new BsonInt32(2), partial.InsertedIds[1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_unordered_bulk_write_stopped_after_its_inserts_lists_every_insert(bool async)
    {
        var (fake, collection) = Setup();
        fake.Reply(Ok(2)).Reply(Ok(1, nModified: 0)).Reply(Failure());
        WriteModel<BsonDocument>[] models =
        [
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 1)),
            new UpdateOneModel<BsonDocument>(Filter.Eq("_id", 1), Update.Set("x", 1)),
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 2)),
            new DeleteOneModel<BsonDocument>(Filter.Eq("_id", 2)),
        ];
        var options = new BulkWriteOptions { IsOrdered = false };

        var ex = await Throws<MongoCommandException>(async, () => collection.BulkWriteAsync(models, options), () => collection.BulkWrite(models, options));

        // Unordered: inserts, then updates, then deletes; the delete batch failed, so both inserts (caller indexes 0 and 2) stand.
        Assert.Equal(["insert", "update", "delete"], fake.Sent.Select(m => m.CommandName));
        var partial = ex.PartialBulkWriteResult!;
        Assert.Equal(2, partial.InsertedCount);
        Assert.Equal(1, partial.MatchedCount);
        Assert.Equal(0, partial.ModifiedCount);
        Assert.Equal([0, 2], partial.InsertedIds.Keys.Order());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_error_after_write_errors_is_wrapped_in_the_bulk_write_exception_so_the_write_errors_are_kept(bool async)
    {
        var (fake, collection) = Setup(maxWriteBatchSize: 2);
        var withError = new BsonDocument
        {
            { "n", 1 },
            { "writeErrors", new BsonArray { new BsonDocument { { "index", 1 }, { "code", 11000 }, { "errmsg", "dup" } } } },
            { "ok", 1.0 },
        };
        fake.Reply(withError).Reply(Failure());
        var documents = Enumerable.Range(0, 4).Select(i => new BsonDocument("_id", i)).ToList();
        var options = new InsertManyOptions { IsOrdered = false };

        var ex = await Throws<MongoBulkWriteException>(async, () => collection.InsertManyAsync(documents, options), () => collection.InsertMany(documents, options));

        var stoppedBy = Assert.IsType<MongoCommandException>(ex.Error);
        Assert.Same(stoppedBy, ex.InnerException);
        Assert.Equal(1, stoppedBy.Code);
        Assert.True(ex.HasErrorLabel("SomeLabel"));
        Assert.Contains("batch failed", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(ex.WriteErrors).Index);
        Assert.Equal(1, ex.Result.InsertedCount);
        Assert.Same(ex.Result, ex.PartialBulkWriteResult);
        Assert.Equal([0], ex.Result.InsertedIds.Keys);
        Assert.Equal(2, ex.UnprocessedCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InsertMany_stopped_in_its_second_batch_says_which_documents_are_in(bool async)
    {
        var (fake, collection) = Setup(maxWriteBatchSize: 2);
        fake.Reply(Ok(2)).Reply(Failure());
        var documents = Enumerable.Range(0, 3).Select(i => new BsonDocument("x", i)).ToList();

        var ex = await Throws<MongoCommandException>(async, () => collection.InsertManyAsync(documents), () => collection.InsertMany(documents));

        var partial = ex.PartialBulkWriteResult!;
        Assert.Equal(2, partial.InsertedCount);
        Assert.Equal([0, 1], partial.InsertedIds.Keys.Order());
        Assert.Equal(documents[1]["_id"], partial.InsertedIds[1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task No_server_to_write_to_gives_an_empty_partial_result(bool async)
    {
        var (fake, collection) = Setup();
        fake.LimitsError = new MongoTimeoutException("no writable server");
        WriteModel<BsonDocument>[] models = [new InsertOneModel<BsonDocument>(new BsonDocument("_id", 1))];

        var ex = await Throws<MongoTimeoutException>(async, () => collection.BulkWriteAsync(models), () => collection.BulkWrite(models));

        Assert.Equal(0, ex.PartialBulkWriteResult!.InsertedCount);
        Assert.Empty(ex.PartialBulkWriteResult.InsertedIds);
        Assert.Empty(fake.Sent);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Single_writes_carry_no_partial_result(bool async)
    {
        var (fake, collection) = Setup();
        fake.Reply(Failure());
        var document = new BsonDocument("_id", 1);

        var ex = await Throws<MongoCommandException>(async, () => collection.InsertOneAsync(document), () => collection.InsertOne(document));

        Assert.Null(ex.PartialBulkWriteResult);
    }
}
