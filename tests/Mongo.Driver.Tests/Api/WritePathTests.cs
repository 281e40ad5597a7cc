using Mongo.Bson;
using Mongo.Driver.Operations;
using Mongo.Driver.Wire;
using Xunit;

namespace Mongo.Driver.Tests.Api;

/// <summary>
/// The insert/bulk write path: ids in results, caller indexes across batches, which inserts count as inserted when a
/// write stops, and what an insert costs per document (the path keeps no per-document objects besides the ids).
/// </summary>
public sealed class WritePathTests
{
    private static (FakeExecutor Fake, MongoCollection<BsonDocument> Collection) Setup(int maxWriteBatchSize = 100_000)
    {
        var fake = new FakeExecutor();
        fake.Limits = fake.Limits with { MaxWriteBatchSize = maxWriteBatchSize };
        var client = FakeExecutor.Client(fake);
        return (fake, client.GetDatabase("test").GetCollection("c"));
    }

    private static BsonDocument Ok(int n) => new() { { "n", n }, { "ok", 1.0 } };

    private static BsonDocument Errors(int n, params int[] batchIndexes)
    {
        var errors = new BsonArray();
        foreach (int index in batchIndexes)
        {
            errors.Add(new BsonDocument { { "index", index }, { "code", 11000 }, { "errmsg", "dup " + index } });
        }

        return new BsonDocument { { "n", n }, { "writeErrors", errors }, { "ok", 1.0 } };
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InsertManyReturnsEveryIdInOrderAndPutsGeneratedIdsFirst(bool async)
    {
        var (fake, collection) = Setup(maxWriteBatchSize: 2);
        fake.Reply(Ok(2)).Reply(Ok(1));
        var documents = new List<BsonDocument> { new("x", 0), new() { { "x", 1 }, { "_id", "mine" } }, new("x", 2) };
        var result = async ? await collection.InsertManyAsync(documents) : collection.InsertMany(documents);

        Assert.Equal(3, result.InsertedIds.Count);
        Assert.True(result.InsertedIds[0].IsObjectId);
        Assert.Equal(new BsonString("mine"), result.InsertedIds[1]);
        Assert.True(result.InsertedIds[2].IsObjectId);
        Assert.NotEqual(result.InsertedIds[0], result.InsertedIds[2]);
        Assert.Equal("_id", documents[0].GetElement(0).Name);
        Assert.Equal("x", documents[1].GetElement(0).Name);
        Assert.Same(result.InsertedIds[0], documents[0]["_id"]);

        // What went on the wire, across both batches, is each document with its id, in order.
        var sent = fake.Sent.SelectMany(m => FakeExecutor.Documents(m)).ToList();
        Assert.Equal([2, 1], fake.Sent.Select(m => m.Sequences[0].Documents.Count));
        Assert.Equal(result.InsertedIds, sent.Select(d => d["_id"]));
        Assert.Equal([0, 1, 2], sent.Select(d => d["x"].AsInt32));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OrderedInsertManyStopsInALaterBatchWithTheCallersIndex(bool async)
    {
        var (fake, collection) = Setup(maxWriteBatchSize: 2);
        fake.Reply(Ok(2)).Reply(Errors(0, 1));
        var documents = Enumerable.Range(0, 5).Select(i => new BsonDocument("_id", i)).ToList();
        var ex = async
            ? await Assert.ThrowsAsync<MongoBulkWriteException>(() => collection.InsertManyAsync(documents))
            : Assert.Throws<MongoBulkWriteException>(() => collection.InsertMany(documents));

        Assert.Equal(2, fake.Sent.Count);
        Assert.Equal(3, Assert.Single(ex.WriteErrors).Index);
        Assert.Equal("dup 1", ex.WriteErrors[0].Message);
        Assert.Equal(1, ex.UnprocessedCount);
        Assert.Equal(2, ex.Result.InsertedCount);

        // Inserted: the first batch and the request before the failing one; not the failing one nor anything after.
        Assert.Equal([0, 1, 2], ex.Result.InsertedIds.Keys);
        Assert.Equal(new BsonInt32(2), ex.Result.InsertedIds[2]);
        Assert.False(ex.Result.InsertedIds.ContainsKey(3));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnorderedMixedBulkMapsErrorsAndUpsertsAcrossBatchesToCallerIndexes(bool async)
    {
        var (fake, collection) = Setup(maxWriteBatchSize: 2);

        // Requests: 0 I, 1 U, 2 I, 3 D, 4 I, 5 U, 6 I. Unordered: inserts 0,2 | 4,6, then updates 1,5, then delete 3.
        fake.Reply(Ok(2)).Reply(Errors(1, 0));
        fake.Reply(new BsonDocument { { "n", 2 }, { "nModified", 1 }, { "upserted", new BsonArray { new BsonDocument { { "index", 1 }, { "_id", 50 } } } }, { "ok", 1.0 } });
        fake.Reply(Errors(0, 0));
        WriteModel<BsonDocument>[] requests =
        [
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 0)),
            new UpdateOneModel<BsonDocument>(Filter.Eq("_id", 0), Update.Set("a", 1)),
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 2)),
            new DeleteOneModel<BsonDocument>(Filter.Eq("_id", 3)),
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 4)),
            new UpdateOneModel<BsonDocument>(Filter.Eq("_id", 50), Update.Set("a", 1)) { IsUpsert = true },
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 6)),
        ];
        var options = new BulkWriteOptions { IsOrdered = false };
        var ex = async
            ? await Assert.ThrowsAsync<MongoBulkWriteException>(() => collection.BulkWriteAsync(requests, options))
            : Assert.Throws<MongoBulkWriteException>(() => collection.BulkWrite(requests, options));

        Assert.Equal(["insert", "insert", "update", "delete"], fake.Sent.Select(m => m.Body.GetElement(0).Name));
        Assert.Equal([0, 2], FakeExecutor.Documents(fake.Sent[0]).Select(d => d["_id"].AsInt32));
        Assert.Equal([4, 6], FakeExecutor.Documents(fake.Sent[1]).Select(d => d["_id"].AsInt32));
        Assert.Equal([50], FakeExecutor.Documents(fake.Sent[2]).Skip(1).Select(d => d["q"].AsDocument["_id"].AsInt32));
        Assert.Equal([4, 3], ex.WriteErrors.Select(e => e.Index));
        Assert.Equal(0, ex.UnprocessedCount);
        Assert.Equal(3, ex.Result.InsertedCount);
        Assert.Equal(5, Assert.Single(ex.Result.Upserts).Index);
        Assert.Equal(1, ex.Result.MatchedCount);
        Assert.Equal([0, 2, 6], ex.Result.InsertedIds.Keys);
        Assert.Equal([0, 2, 6], ex.Result.InsertedIds.Values.Select(v => v.AsInt32));
    }

    [Fact]
    public void OrderedMixedBulkSendsRunsInTheCallersOrder()
    {
        var (fake, collection) = Setup();
        WriteModel<BsonDocument>[] requests =
        [
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 0)),
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 1)),
            new DeleteOneModel<BsonDocument>(Filter.Eq("_id", 0)),
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 2)),
        ];
        fake.Reply(Ok(2)).Reply(Ok(1)).Reply(Ok(1));
        var result = collection.BulkWrite(requests);
        Assert.Equal(["insert", "delete", "insert"], fake.Sent.Select(m => m.Body.GetElement(0).Name));
        Assert.Equal([0, 1], FakeExecutor.Documents(fake.Sent[0]).Select(d => d["_id"].AsInt32));
        Assert.Equal([2], FakeExecutor.Documents(fake.Sent[2]).Select(d => d["_id"].AsInt32));
        Assert.Equal(3, result.InsertedCount);
        Assert.Equal(1, result.DeletedCount);
        Assert.Equal([0, 1, 3], result.InsertedIds.Keys);
    }

    [Fact]
    public void UnacknowledgedBulkReportsEveryInsertSent()
    {
        var (fake, collection) = Setup(maxWriteBatchSize: 2);
        var documents = Enumerable.Range(0, 3).Select(i => new InsertOneModel<BsonDocument>(new BsonDocument("x", i))).ToList();
        var result = collection.WithWriteConcern(WriteConcern.Unacknowledged).BulkWrite(documents);
        Assert.False(result.IsAcknowledged);
        Assert.Equal(2, fake.Sent.Count);
        Assert.All(fake.Sent, m => Assert.True(m.MoreToCome));
        Assert.Equal([0, 1, 2], result.InsertedIds.Keys);
        Assert.Equal(documents.Select(m => m.Document["_id"]), result.InsertedIds.Values);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void InsertManyAndBulkKeepNoObjectPerDocumentBesidesTheId(bool bulk)
    {
        // A server stand-in that acknowledges without looking (FakeExecutor copies what it is sent).
        var executor = new AcknowledgingExecutor();
        var collection = new MongoClient(new MongoClientSettings(), executor, null).GetDatabase("test").GetCollection("c");
        const int count = 2_000;
        var documents = Enumerable.Range(0, count).Select(i => new BsonDocument { { "a", i }, { "b", "text" }, { "c", 1.5 } }).ToList();
        var models = documents.Select(d => (WriteModel<BsonDocument>)new InsertOneModel<BsonDocument>(d)).ToList();
        void Run()
        {
            if (bulk)
            {
                Assert.Equal(count, collection.BulkWrite(models).InsertedCount);
            }
            else
            {
                Assert.Equal(count, collection.InsertMany(documents).InsertedCount);
            }

            foreach (var document in documents)
            {
                document.Remove("_id");
            }
        }

        // Warm up (JIT, pools, the documents' element lists growing by the _id), then measure one operation.
        Run();
        Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run();
        long perDocument = (GC.GetAllocatedBytesForCurrentThread() - before) / count;

        // Per document: the generated ObjectId value (32 bytes) and its slot in the result's id list (8); was ~350 (requests,
        // slices, a dictionary of ids) before the request list became a view over the encoder.
        Assert.InRange(perDocument, 0, 56);
    }

    private sealed class AcknowledgingExecutor : IOperationExecutor
    {
        public ValueTask<ServerLimits> GetWriteLimitsAsync(bool async, CancellationToken ct) => new(new ServerLimits(16 * 1024 * 1024, 48_000_000, 100_000, 25));

        public ValueTask<CommandResponse> ExecuteAsync(bool async, CommandOperation message, CancellationToken ct)
        {
            int n = 0;
            foreach (var sequence in message.Sequences)
            {
                foreach (var document in sequence.Documents)
                {
                    Assert.True(document.Length > 5);
                    n++;
                }
            }

            return new(new CommandResponse(new Mongo.Driver.Connections.CommandReply { Server = new MongoServerAddress("fake", 27017), Bytes = new BsonDocument { { "n", n }, { "ok", 1.0 } }.ToBytes() }));
        }

        public ValueTask DisposeAsync() => default;
    }
}
