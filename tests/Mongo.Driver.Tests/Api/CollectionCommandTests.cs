using Xunit;
using Mongo.Bson;

namespace Mongo.Driver.Tests.Api;

/// <summary>Command building and reply parsing against a scripted executor.</summary>
public sealed class CollectionCommandTests
{
    private static (FakeExecutor Fake, MongoCollection<BsonDocument> Collection) Setup()
    {
        var fake = new FakeExecutor();
        var client = FakeExecutor.Client(fake);
        return (fake, client.GetDatabase("test").GetCollection("my_collection"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InsertOneGeneratesIdFirstAndSendsDocumentSequence(bool async)
    {
        var (fake, collection) = Setup();
        fake.Reply(new BsonDocument { { "n", 1 }, { "ok", 1.0 } });
        var document = new BsonDocument("x", 10);
        var result = async ? await collection.InsertOneAsync(document) : collection.InsertOne(document);

        Assert.True(result.InsertedId.IsObjectId);
        Assert.Equal("_id", document.GetElement(0).Name);
        var message = Assert.Single(fake.Sent);
        Assert.Equal(async ? "async" : "sync", fake.Modes[0]);
        Assert.Equal("test", message.Database);
        Assert.Equal("insert", message.Body.GetElement(0).Name);
        Assert.Equal("my_collection", message.Body["insert"].AsString);
        Assert.True(message.IsWrite);
        Assert.Equal("documents", message.Sequences[0].Identifier);
        var sent = Assert.Single(FakeExecutor.Documents(message));
        Assert.Equal(result.InsertedId, sent["_id"]);
        Assert.Equal(10, sent["x"].AsInt32);
    }

    [Fact]
    public void InsertOneKeepsExistingId()
    {
        var (fake, collection) = Setup();
        var result = collection.InsertOne(new BsonDocument { { "a", 1 }, { "_id", 7 } });
        Assert.Equal(new BsonInt32(7), result.InsertedId);
        Assert.Equal("a", FakeExecutor.Documents(fake.Sent[0])[0].GetElement(0).Name);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InsertManySplitsBatchesByMaxWriteBatchSize(bool async)
    {
        var (fake, collection) = Setup();
        fake.Limits = fake.Limits with { MaxWriteBatchSize = 2 };
        fake.Reply(new BsonDocument { { "n", 2 }, { "ok", 1.0 } }).Reply(new BsonDocument { { "n", 2 }, { "ok", 1.0 } }).Reply(new BsonDocument { { "n", 1 }, { "ok", 1.0 } });
        var documents = Enumerable.Range(0, 5).Select(i => new BsonDocument("_id", i)).ToList();
        var result = async ? await collection.InsertManyAsync(documents) : collection.InsertMany(documents);
        Assert.Equal(5, result.InsertedCount);
        Assert.Equal([2, 2, 1], fake.Sent.Select(m => m.Sequences[0].Documents.Count));
        Assert.All(fake.Sent, m => Assert.True(m.Body["ordered"].AsBoolean));
    }

    [Fact]
    public void InsertManySplitsBatchesByMessageSize()
    {
        var (fake, collection) = Setup();
        fake.Limits = fake.Limits with { MaxBsonObjectSize = 4096, MaxMessageSize = 8192 };
        var documents = Enumerable.Range(0, 6).Select(i => new BsonDocument { { "_id", i }, { "pad", new string('x', 3000) } }).ToList();
        collection.InsertMany(documents);
        Assert.True(fake.Sent.Count >= 3);
        Assert.Equal(6, fake.Sent.Sum(m => m.Sequences[0].Documents.Count));
        Assert.All(fake.Sent, m => Assert.True(m.Sequences[0].Documents.Sum(d => d.Length) < 8192));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DuplicateKeyWriteErrorBecomesDuplicateKeyException(bool async)
    {
        var (fake, collection) = Setup();
        fake.Reply(new BsonDocument
        {
            { "n", 0 },
            { "writeErrors", new BsonArray { new BsonDocument { { "index", 0 }, { "code", 11000 }, { "codeName", "DuplicateKey" }, { "errmsg", "E11000 duplicate key error" }, { "keyPattern", new BsonDocument("_id", 1) }, { "keyValue", new BsonDocument("_id", 1) } } } },
            { "ok", 1.0 },
        });
        var document = new BsonDocument("_id", 1);
        var ex = async
            ? await Assert.ThrowsAsync<MongoDuplicateKeyException>(() => collection.InsertOneAsync(document))
            : Assert.Throws<MongoDuplicateKeyException>(() => collection.InsertOne(document));
        Assert.Equal(11000, ex.Code);
        Assert.Equal(new BsonDocument("_id", 1), ex.KeyPattern);
        Assert.Equal(new BsonDocument("_id", 1), ex.KeyValue);
        Assert.Equal(ServerErrorCategory.DuplicateKey, ex.WriteError.Category);
        Assert.IsAssignableFrom<System.Data.Common.DbException>(ex);
    }

    [Fact]
    public void OtherWriteErrorIsMongoWriteException()
    {
        var (fake, collection) = Setup();
        fake.Reply(new BsonDocument
        {
            { "n", 0 },
            { "writeErrors", new BsonArray { new BsonDocument { { "index", 0 }, { "code", 121 }, { "errmsg", "Document failed validation" }, { "errInfo", new BsonDocument("details", 1) } } } },
            { "ok", 1.0 },
        });
        var ex = Assert.Throws<MongoWriteException>(() => collection.UpdateOne(Filter.Eq("a", 1), Update.Set("b", 2)));
        Assert.IsNotType<MongoDuplicateKeyException>(ex);
        Assert.Equal(121, ex.WriteError.Code);
        Assert.Equal(new BsonDocument("details", 1), ex.WriteError.Details);
    }

    [Fact]
    public void WriteConcernErrorBecomesWriteConcernException()
    {
        var (fake, collection) = Setup();
        fake.Reply(new BsonDocument
        {
            { "n", 1 },
            { "writeConcernError", new BsonDocument { { "code", 64 }, { "codeName", "WriteConcernFailed" }, { "errmsg", "waiting for replication timed out" }, { "errorLabels", new BsonArray { "RetryableWriteError" } } } },
            { "ok", 1.0 },
        });
        var ex = Assert.Throws<MongoWriteConcernException>(() => collection.DeleteOne(Filter.Eq("a", 1)));
        Assert.Equal(64, ex.Code);
        Assert.True(ex.HasErrorLabel("RetryableWriteError"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnorderedBulkWriteReportsEveryErrorWithCallerIndexes(bool async)
    {
        var (fake, collection) = Setup();
        // Unordered: inserts (requests 0, 2) go first, then updates (1), then deletes (3).
        fake.Reply(new BsonDocument { { "n", 1 }, { "writeErrors", new BsonArray { new BsonDocument { { "index", 1 }, { "code", 11000 }, { "errmsg", "dup" } } } }, { "ok", 1.0 } });
        fake.Reply(new BsonDocument { { "n", 1 }, { "nModified", 0 }, { "upserted", new BsonArray { new BsonDocument { { "index", 0 }, { "_id", 99 } } } }, { "ok", 1.0 } });
        fake.Reply(new BsonDocument { { "n", 0 }, { "writeErrors", new BsonArray { new BsonDocument { { "index", 0 }, { "code", 2 }, { "errmsg", "bad" } } } }, { "ok", 1.0 } });
        WriteModel<BsonDocument>[] requests =
        [
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 1)),
            new UpdateOneModel<BsonDocument>(Filter.Eq("_id", 99), Update.Set("a", 1)) { IsUpsert = true },
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 1)),
            new DeleteManyModel<BsonDocument>(Filter.Eq("x", 1)),
        ];
        var options = new BulkWriteOptions { IsOrdered = false };
        var ex = async
            ? await Assert.ThrowsAsync<MongoBulkWriteException>(() => collection.BulkWriteAsync(requests, options))
            : Assert.Throws<MongoBulkWriteException>(() => collection.BulkWrite(requests, options));
        Assert.Equal([2, 3], ex.WriteErrors.Select(e => e.Index));
        Assert.Equal(1, ex.Result.InsertedCount);
        Assert.Equal(1, ex.Result.UpsertedCount);
        Assert.Equal(1, ex.Result.Upserts[0].Index);
        Assert.Equal(0, ex.Result.MatchedCount);
        Assert.Equal(["insert", "update", "delete"], fake.Sent.Select(m => m.Body.GetElement(0).Name));
        Assert.False(fake.Sent[0].Body["ordered"].AsBoolean);
    }

    [Fact]
    public void OrderedBulkWriteStopsAtFirstError()
    {
        var (fake, collection) = Setup();
        fake.Reply(new BsonDocument { { "n", 1 }, { "writeErrors", new BsonArray { new BsonDocument { { "index", 1 }, { "code", 11000 }, { "errmsg", "dup" } } } }, { "ok", 1.0 } });
        WriteModel<BsonDocument>[] requests =
        [
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 1)),
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 1)),
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 2)),
            new DeleteOneModel<BsonDocument>(Filter.Eq("_id", 2)),
        ];
        var ex = Assert.Throws<MongoBulkWriteException>(() => collection.BulkWrite(requests));
        Assert.Single(fake.Sent);
        Assert.Equal(1, Assert.Single(ex.WriteErrors).Index);
        Assert.Equal(2, ex.UnprocessedCount);
        Assert.Equal([0], ex.Result.InsertedIds.Keys);
    }

    [Fact]
    public void UnacknowledgedWritesUseMoreToCome()
    {
        var (fake, collection) = Setup();
        var result = collection.WithWriteConcern(WriteConcern.Unacknowledged).InsertOne(new BsonDocument("a", 1));
        Assert.False(result.IsAcknowledged);
        Assert.True(fake.Sent[0].MoreToCome);
        Assert.Equal(0, fake.Sent[0].Body["writeConcern"].AsDocument["w"].AsInt32);
    }

    [Fact]
    public void UpdateAndReplaceStatementsCarryOptions()
    {
        var (fake, collection) = Setup();
        fake.Reply(new BsonDocument { { "n", 2 }, { "nModified", 1 }, { "ok", 1.0 } });
        var result = collection.UpdateMany(Filter.Gt("x", 1), Update.Set("y", 1), new UpdateOptions
        {
            IsUpsert = true,
            Hint = "x_1",
            Collation = new BsonDocument("locale", "en"),
            ArrayFilters = [new BsonDocument("i", 1)],
            Comment = "c",
            Let = new BsonDocument("v", 1),
        });
        Assert.Equal(2, result.MatchedCount);
        Assert.Equal(1, result.ModifiedCount);
        var statement = FakeExecutor.Documents(fake.Sent[0])[0];
        Assert.True(statement["multi"].AsBoolean);
        Assert.True(statement["upsert"].AsBoolean);
        Assert.Equal("x_1", statement["hint"].AsString);
        Assert.Equal("updates", fake.Sent[0].Sequences[0].Identifier);
        Assert.Equal("c", fake.Sent[0].Body["comment"].AsString);
        Assert.Equal(1, fake.Sent[0].Body["let"].AsDocument["v"].AsInt32);

        Assert.Throws<ArgumentException>(() => collection.UpdateOne(Filter.Empty, new BsonDocument("a", 1)));
        Assert.Throws<ArgumentException>(() => collection.ReplaceOne(Filter.Empty, new BsonDocument("$set", new BsonDocument("a", 1))));
        Assert.Single(fake.Sent);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FindAndModifyReturnsDocumentAndSetsNew(bool async)
    {
        var (fake, collection) = Setup();
        fake.Reply(new BsonDocument { { "lastErrorObject", new BsonDocument("n", 1) }, { "value", new BsonDocument { { "_id", 1 }, { "x", 2 } } }, { "ok", 1.0 } });
        var options = new FindOneAndModifyOptions { ReturnDocument = ReturnDocument.After, IsUpsert = true, Sort = Sort.Descending("x"), Projection = Projection.Exclude("y") };
        var document = async
            ? await collection.FindOneAndUpdateAsync(Filter.Eq("_id", 1), Update.Inc("x", 1), options)
            : collection.FindOneAndUpdate(Filter.Eq("_id", 1), Update.Inc("x", 1), options);
        Assert.Equal(2, document!["x"].AsInt32);
        var body = fake.Sent[0].Body;
        Assert.Equal("findAndModify", body.GetElement(0).Name);
        Assert.True(body["new"].AsBoolean);
        Assert.True(body["upsert"].AsBoolean);
        Assert.Equal(-1, body["sort"].AsDocument["x"].AsInt32);
        Assert.Equal(0, body["fields"].AsDocument["y"].AsInt32);

        fake.Reply(new BsonDocument { { "lastErrorObject", new BsonDocument("n", 0) }, { "value", BsonNull.Value }, { "ok", 1.0 } });
        Assert.Null(collection.FindOneAndDelete(Filter.Eq("_id", 5)));
        Assert.True(fake.Sent[1].Body["remove"].AsBoolean);
    }

    [Fact]
    public void CreateIndexReturnsDefaultNameAndRendersOptions()
    {
        var (fake, collection) = Setup();
        Assert.Equal("x_1", collection.CreateIndex("x"));
        var index = fake.Sent[0].Body["indexes"].AsArray[0].AsBsonDocument();
        Assert.Equal(new BsonDocument("x", 1), index["key"]);
        Assert.Equal("x_1", index["name"].AsString);

        var name = collection.CreateIndex(IndexKeys.Descending("d"), new CreateIndexOptions
        {
            Unique = true,
            Sparse = true,
            ExpireAfter = TimeSpan.FromHours(1),
            PartialFilterExpression = Filter.Gt("d", 0),
            Name = "ttl",
        });
        Assert.Equal("ttl", name);
        index = fake.Sent[1].Body["indexes"].AsArray[0].AsBsonDocument();
        Assert.True(index["unique"].AsBoolean);
        Assert.True(index["sparse"].AsBoolean);
        Assert.Equal(3600, index["expireAfterSeconds"].ToInt64());
        Assert.Equal(new BsonDocument("d", new BsonDocument("$gt", 0)), index["partialFilterExpression"]);
    }

    [Fact]
    public void CountsAndDistinctParseReplies()
    {
        var (fake, collection) = Setup();
        fake.Reply(FakeExecutor.CursorReply(0, "test.my_collection", [new BsonDocument { { "_id", 1 }, { "n", 3 } }]));
        Assert.Equal(3, collection.CountDocuments(Filter.Gt("x", 1), new CountOptions { Skip = 1, Limit = 5 }));
        var pipeline = fake.Sent[0].Body["pipeline"].AsArray;
        Assert.Equal(["$match", "$skip", "$limit", "$group"], pipeline.Select(s => ((BsonDocument)s).GetElement(0).Name).ToArray());

        fake.Reply(FakeExecutor.CursorReply(0, "test.my_collection", []));
        Assert.Equal(0, collection.CountDocuments(Filter.Empty));

        fake.Reply(new BsonDocument { { "n", 42 }, { "ok", 1.0 } });
        Assert.Equal(42, collection.EstimatedDocumentCount());
        Assert.Equal("count", fake.Sent[2].Body.GetElement(0).Name);

        fake.Reply(new BsonDocument { { "values", new BsonArray { 1, "a" } }, { "ok", 1.0 } });
        Assert.Equal([new BsonInt32(1), new BsonString("a")], collection.Distinct("x"));
        Assert.Equal("x", fake.Sent[3].Body["key"].AsString);
    }

    [Fact]
    public void ConcernsFlowFromClientToOperation()
    {
        var fake = new FakeExecutor();
        var client = FakeExecutor.Client(fake, new MongoClientSettings { ReadConcern = ReadConcern.Majority, WriteConcern = WriteConcern.WMajority });
        var collection = client.GetDatabase("db").GetCollection("c");
        fake.Reply(FakeExecutor.CursorReply(0, "db.c", []));
        collection.Find(Filter.Empty).ToList();
        Assert.Equal("majority", fake.Sent[0].Body["readConcern"].AsDocument["level"].AsString);
        fake.Reply(FakeExecutor.CursorReply(0, "db.c", []));
        collection.WithReadConcern(ReadConcern.Local).WithReadPreference(ReadPreference.Secondary).Find(Filter.Empty).ToList();
        Assert.Equal("local", fake.Sent[1].Body["readConcern"].AsDocument["level"].AsString);
        Assert.Equal(ReadPreferenceMode.Secondary, fake.Sent[1].ReadPreference!.Mode);
        collection.DeleteMany(Filter.Empty);
        Assert.Equal("majority", fake.Sent[2].Body["writeConcern"].AsDocument["w"].AsString);
        collection.DeleteMany(Filter.Empty, new DeleteOptions { WriteConcern = new WriteConcern(2) });
        Assert.Equal(2, fake.Sent[3].Body["writeConcern"].AsDocument["w"].AsInt32);

        fake.Reply(new BsonDocument { { "n", 1 }, { "ok", 1.0 } });
        collection.EstimatedDocumentCount();
        Assert.Equal("majority", fake.Sent[4].Body["readConcern"].AsDocument["level"].AsString);
        fake.Reply(new BsonDocument { { "n", 1 }, { "ok", 1.0 } });
        collection.EstimatedDocumentCount(new EstimatedDocumentCountOptions { ReadConcern = ReadConcern.Local, ReadPreference = ReadPreference.Secondary });
        Assert.Equal("local", fake.Sent[5].Body["readConcern"].AsDocument["level"].AsString);
        Assert.Equal(ReadPreferenceMode.Secondary, fake.Sent[5].ReadPreference!.Mode);
    }
}

internal static class BsonValueTestExtensions
{
    public static BsonArray AsBsonArray(this BsonValue value) => (BsonArray)value;
}

public sealed class CommandErrorTests
{
    [Fact]
    public void FindAndModifyDuplicateKeyIsTyped()
    {
        var fake = new FakeExecutor();
        var collection = FakeExecutor.Client(fake).GetDatabase("db").GetCollection("c");
        fake.Reply(new BsonDocument { { "ok", 0.0 }, { "errmsg", "E11000 duplicate key" }, { "code", 11000 }, { "codeName", "DuplicateKey" }, { "keyPattern", new BsonDocument("k", 1) }, { "keyValue", new BsonDocument("k", 5) } });
        var ex = Assert.Throws<MongoDuplicateKeyException>(() => collection.FindOneAndUpdate(Filter.Eq("a", 1), Update.Set("k", 5)));
        Assert.Equal(new BsonDocument("k", 5), ex.KeyValue);
        Assert.IsType<MongoCommandException>(ex.InnerException);
    }
}
