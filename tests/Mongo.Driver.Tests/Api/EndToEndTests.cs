using Mongo.Bson;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Api;

/// <summary>The public API against a real server protocol (Mongo.InMemory, or MONGODB_URI).</summary>
public sealed class EndToEndTests : ServerClientTestBase
{
    public EndToEndTests(MongoServerFixture server)
        : base(server)
    {
    }

    private MongoCollection<BsonDocument> Fresh(string name)
    {
        var database = Client.GetDatabase("driver_api_e2e");
        database.DropCollection(name);
        return database.GetCollection(name);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CrudRoundTrip(bool async)
    {
        var collection = Fresh("crud_" + async);
        var first = new BsonDocument { { "x", 1 }, { "tags", new BsonArray { "a", "b" } } };
        var inserted = async ? await collection.InsertOneAsync(first) : collection.InsertOne(first);
        var many = Enumerable.Range(2, 9).Select(i => new BsonDocument("x", i)).ToList();
        var insertedMany = async ? await collection.InsertManyAsync(many) : collection.InsertMany(many);
        Assert.Equal(9, insertedMany.InsertedCount);

        var found = async ? await collection.FindOneAsync(Filter.Eq("_id", inserted.InsertedId)) : collection.FindOne(Filter.Eq("_id", inserted.InsertedId));
        Assert.Equal(first, found);

        var query = collection.Find(Filter.Gt("x", 3) & Filter.Lte("x", 9)).Sort(Sort.Descending("x")).Project(Projection.Include("x").Exclude("_id")).BatchSize(2);
        var xs = (async ? await query.ToListAsync() : query.ToList()).Select(d => d["x"].AsInt32).ToList();
        Assert.Equal([9, 8, 7, 6, 5, 4], xs);

        var update = async
            ? await collection.UpdateManyAsync(Filter.Lt("x", 4), Update.Inc("x", 100).Set("small", true))
            : collection.UpdateMany(Filter.Lt("x", 4), Update.Inc("x", 100).Set("small", true));
        Assert.Equal(3, update.MatchedCount);
        Assert.Equal(3, update.ModifiedCount);

        var upsert = collection.UpdateOne(Filter.Eq("x", 500), Update.Set("y", 1), new UpdateOptions { IsUpsert = true });
        Assert.NotNull(upsert.UpsertedId);
        Assert.Equal(11, async ? await collection.CountDocumentsAsync(Filter.Empty) : collection.CountDocuments(Filter.Empty));
        Assert.Equal(3, collection.CountDocuments(Filter.Eq("small", true)));
        Assert.Equal(11, collection.EstimatedDocumentCount());

        var replaced = collection.ReplaceOne(Filter.Eq("x", 500), new BsonDocument("x", 501));
        Assert.Equal(1, replaced.ModifiedCount);

        var before = collection.FindOneAndUpdate(Filter.Eq("x", 501), Update.Set("z", 1));
        Assert.False(before!.Contains("z"));
        var after = collection.FindOneAndUpdate(Filter.Eq("x", 501), Update.Set("z", 2), new FindOneAndModifyOptions { ReturnDocument = ReturnDocument.After });
        Assert.Equal(2, after!["z"].AsInt32);
        var deleted = async ? await collection.FindOneAndDeleteAsync(Filter.Eq("x", 501)) : collection.FindOneAndDelete(Filter.Eq("x", 501));
        Assert.Equal(501, deleted!["x"].AsInt32);

        var distinct = collection.Distinct("small");
        Assert.Contains(BsonBoolean.True, distinct);

        var deletedMany = async ? await collection.DeleteManyAsync(Filter.Eq("small", true)) : collection.DeleteMany(Filter.Eq("small", true));
        Assert.Equal(3, deletedMany.DeletedCount);
        Assert.Equal(1, collection.DeleteOne(Filter.Eq("x", 4)).DeletedCount);
        Assert.Equal(6, collection.CountDocuments(Filter.Empty));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DuplicateKeyCarriesKeyPatternAndValue(bool async)
    {
        var collection = Fresh("dup_" + async);
        Assert.Equal("email_1", collection.CreateIndex(IndexKeys.Ascending("email"), new CreateIndexOptions { Unique = true }));
        collection.InsertOne(new BsonDocument("email", "a@example.com"));
        var document = new BsonDocument("email", "a@example.com");
        var ex = async
            ? await Assert.ThrowsAsync<MongoDuplicateKeyException>(() => collection.InsertOneAsync(document))
            : Assert.Throws<MongoDuplicateKeyException>(() => collection.InsertOne(document));
        Assert.Equal(11000, ex.Code);
        Assert.Equal(new BsonDocument("email", 1), ex.KeyPattern);
        Assert.Equal(new BsonDocument("email", "a@example.com"), ex.KeyValue);
    }

    [Fact]
    public void BulkWriteReportsPerItemErrors()
    {
        var collection = Fresh("bulk");
        collection.InsertOne(new BsonDocument("_id", 1));
        WriteModel<BsonDocument>[] requests =
        [
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 2)),
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 1)),
            new UpdateOneModel<BsonDocument>(Filter.Eq("_id", 2), Update.Set("a", 1)),
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 2)),
            new DeleteOneModel<BsonDocument>(Filter.Eq("_id", 1)),
        ];
        var ex = Assert.Throws<MongoBulkWriteException>(() => collection.BulkWrite(requests, new BulkWriteOptions { IsOrdered = false }));
        Assert.Equal([1, 3], ex.WriteErrors.Select(e => e.Index).Order());
        Assert.Equal(1, ex.Result.InsertedCount);
        Assert.Equal(1, ex.Result.ModifiedCount);
        Assert.Equal(1, ex.Result.DeletedCount);

        var ordered = Assert.Throws<MongoBulkWriteException>(() => collection.BulkWrite(
        [
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 3)),
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 3)),
            new InsertOneModel<BsonDocument>(new BsonDocument("_id", 4)),
        ]));
        Assert.Equal(1, Assert.Single(ordered.WriteErrors).Index);
        Assert.Equal(1, ordered.UnprocessedCount);
        Assert.Null(collection.FindOne(Filter.Eq("_id", 4)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CursorsFetchBatchesAndKillEarly(bool async)
    {
        var collection = Fresh("cursor_" + async);
        collection.InsertMany(Enumerable.Range(0, 25).Select(i => new BsonDocument { { "_id", i } }));
        int seen = 0;
        if (async)
        {
            await foreach (var _ in collection.Find(Filter.Empty).BatchSize(3))
            {
                seen++;
            }
        }
        else
        {
            foreach (var _ in collection.Find(Filter.Empty).BatchSize(3).ToEnumerable())
            {
                seen++;
            }
        }

        Assert.Equal(25, seen);

        var cursor = async ? await collection.Find(Filter.Empty).BatchSize(2).ToCursorAsync() : collection.Find(Filter.Empty).BatchSize(2).ToCursor();
        Assert.NotEqual(0, cursor.Id);
        long id = cursor.Id;
        if (async)
        {
            await cursor.DisposeAsync();
        }
        else
        {
            cursor.Dispose();
        }

        // The server no longer knows the cursor once it was killed.
        var ex = Assert.Throws<MongoCommandException>(() => collection.Database.RunCommand(new BsonDocument { { "getMore", id }, { "collection", collection.CollectionName } }));
        Assert.Equal(43, ex.Code);
    }

    [Fact]
    public void LimitSkipAggregateAndIndexes()
    {
        var collection = Fresh("agg");
        collection.InsertMany([new BsonDocument("x", 10), new BsonDocument("x", 8), new BsonDocument("x", 11)]);
        Assert.Equal([8, 11], collection.Find(Filter.Empty).Limit(2).Skip(1).ToList().Select(d => d["x"].AsInt32));
        Assert.Equal([10, 11], collection.Find(Filter.Empty).Sort(Sort.Ascending("x")).Skip(1).Limit(5).ToList().Select(d => d["x"].AsInt32));
        var sum = collection.Aggregate([new BsonDocument("$group", new BsonDocument { { "_id", BsonNull.Value }, { "total", new BsonDocument("$sum", "$x") } })]).ToList();
        Assert.Equal(29, sum[0]["total"].ToInt32());

        Assert.Equal(["x_1", "y_-1"], collection.CreateIndexes([new CreateIndexModel("x"), new CreateIndexModel(IndexKeys.Descending("y"), new CreateIndexOptions { Sparse = true })]));
        Assert.Equal(["_id_", "x_1", "y_-1"], collection.ListIndexes().Select(i => i["name"].AsString).Order());
        collection.DropIndex("x_1");
        Assert.Equal(["_id_", "y_-1"], collection.ListIndexes().Select(i => i["name"].AsString).Order());
        collection.DropIndexes();
        Assert.Equal(["_id_"], collection.ListIndexes().Select(i => i["name"].AsString));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DatabasesAndCollections(bool async)
    {
        var name = "driver_api_dbs_" + async;
        var database = Client.GetDatabase(name);
        if (async)
        {
            await database.CreateCollectionAsync("one");
        }
        else
        {
            database.CreateCollection("one");
        }

        database.GetCollection("two").InsertOne(new BsonDocument("a", 1));
        Assert.Equal(["one", "two"], (async ? await database.ListCollectionNamesAsync() : database.ListCollectionNames()).Order());
        Assert.Contains(name, async ? await Client.ListDatabaseNamesAsync() : Client.ListDatabaseNames());
        database.DropCollection("two");
        database.DropCollection("two");
        Assert.Equal(["one"], database.ListCollectionNames());
        if (async)
        {
            await Client.DropDatabaseAsync(name);
        }
        else
        {
            Client.DropDatabase(name);
        }

        Assert.DoesNotContain(name, Client.ListDatabaseNames());
        var ping = database.RunCommand(new BsonDocument("ping", 1));
        Assert.Equal(1, ping["ok"].ToInt32());
    }

    [Fact]
    public void UnacknowledgedInsertIsFireAndForget()
    {
        var collection = Fresh("w0");
        var result = collection.WithWriteConcern(WriteConcern.Unacknowledged).InsertOne(new BsonDocument("a", 1));
        Assert.False(result.IsAcknowledged);
        // A later acknowledged command on the same client sees it (same connection order or eventually).
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (collection.CountDocuments(Filter.Empty) == 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        Assert.Equal(1, collection.CountDocuments(Filter.Empty));
    }
}
