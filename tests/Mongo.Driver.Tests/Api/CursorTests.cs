using Mongo.Bson;
using Xunit;

namespace Mongo.Driver.Tests.Api;

public sealed class CursorTests
{
    private static BsonDocument[] Docs(int from, int count) => Enumerable.Range(from, count).Select(i => new BsonDocument("_id", i)).ToArray();

    private static (FakeExecutor Fake, MongoCollection<BsonDocument> Collection) Setup()
    {
        var fake = new FakeExecutor();
        return (fake, FakeExecutor.Client(fake).GetDatabase("db").GetCollection("c"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IteratesAllBatchesWithGetMore(bool async)
    {
        var (fake, collection) = Setup();
        fake.Reply(FakeExecutor.CursorReply(77, "db.c", Docs(0, 2)))
            .Reply(FakeExecutor.CursorReply(77, "db.c", Docs(2, 2), first: false))
            .Reply(FakeExecutor.CursorReply(0, "db.c", Docs(4, 1), first: false));
        var query = collection.Find(Filter.Empty).BatchSize(2).Sort(Sort.Ascending("_id"));
        var ids = new List<int>();
        if (async)
        {
            await foreach (var document in query)
            {
                ids.Add(document["_id"].AsInt32);
            }
        }
        else
        {
            foreach (var document in query.ToEnumerable())
            {
                ids.Add(document["_id"].AsInt32);
            }
        }

        Assert.Equal([0, 1, 2, 3, 4], ids);
        Assert.Equal(["find", "getMore", "getMore"], fake.Sent.Select(m => m.Body.GetElement(0).Name));
        Assert.Equal(77, fake.Sent[1].Body["getMore"].AsInt64);
        Assert.Equal("c", fake.Sent[1].Body["collection"].AsString);
        Assert.Equal(2, fake.Sent[1].Body["batchSize"].AsInt32);
        Assert.Equal(new MongoServerAddress("fake", 27017), fake.Sent[1].PinnedServer);
        Assert.All(fake.Modes, mode => Assert.Equal(async ? "async" : "sync", mode));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EarlyDisposeKillsCursorOnTheSamePath(bool async)
    {
        var (fake, collection) = Setup();
        fake.Reply(FakeExecutor.CursorReply(55, "db.c", Docs(0, 2)));
        var query = collection.Find(Filter.Empty);
        if (async)
        {
            await foreach (var document in query)
            {
                break;
            }
        }
        else
        {
            foreach (var document in query.ToEnumerable())
            {
                break;
            }
        }

        Assert.Equal(["find", "killCursors"], fake.Sent.Select(m => m.Body.GetElement(0).Name));
        Assert.Equal(55, fake.Sent[1].Body["cursors"].AsArray[0].AsInt64);
        Assert.Equal(async ? "async" : "sync", fake.Modes[1]);
    }

    [Fact]
    public void DecodingFailureStillKillsCursor()
    {
        var fake = new FakeExecutor();
        var registry = new BsonSerializerRegistry();
        registry.Register<int>(new ThrowingSerializer());
        var collection = FakeExecutor.Client(fake).GetDatabase("db").GetCollection<int>("c", new MongoCollectionSettings { SerializerRegistry = registry });
        fake.Reply(FakeExecutor.CursorReply(9, "db.c", Docs(0, 2)));
        Assert.Throws<FormatException>(() => collection.Find(Filter.Empty).ToList());
        Assert.Equal("killCursors", fake.Sent[^1].Body.GetElement(0).Name);
    }

    [Fact]
    public void LimitCapsGetMoreBatchSizeAndSendsLimitPlusOneWhenEqual()
    {
        var (fake, collection) = Setup();
        fake.Reply(FakeExecutor.CursorReply(5, "db.c", Docs(0, 2)))
            .Reply(FakeExecutor.CursorReply(5, "db.c", Docs(2, 2), first: false));
        var list = collection.Find(Filter.Empty).Limit(3).BatchSize(2).ToList();
        Assert.Equal(3, list.Count);
        Assert.Equal(1, fake.Sent[1].Body["batchSize"].AsInt32);
        Assert.Equal("killCursors", fake.Sent[2].Body.GetElement(0).Name);

        fake.Reply(FakeExecutor.CursorReply(0, "db.c", Docs(0, 4)));
        collection.Find(Filter.Empty).Limit(4).BatchSize(4).ToList();
        Assert.Equal(5, fake.Sent[3].Body["batchSize"].AsInt32);
        Assert.Equal(4, fake.Sent[3].Body["limit"].AsInt32);
    }

    [Fact]
    public void FluentOptionsRenderIntoFind()
    {
        var (fake, collection) = Setup();
        fake.Reply(FakeExecutor.CursorReply(0, "db.c", []));
        collection.Find(Filter.Eq("x", 1)).Sort(Sort.Descending("x")).Skip(1).Limit(2).Project(Projection.Include("x"))
            .Hint("x_1").Comment("hello").MaxTime(TimeSpan.FromSeconds(2)).ToList();
        var body = fake.Sent[0].Body;
        Assert.Equal("c", body["find"].AsString);
        Assert.Equal(1, body["filter"].AsDocument["x"].AsInt32);
        Assert.Equal(-1, body["sort"].AsDocument["x"].AsInt32);
        Assert.Equal(1, body["skip"].AsInt32);
        Assert.Equal(2, body["limit"].AsInt32);
        Assert.Equal(1, body["projection"].AsDocument["x"].AsInt32);
        Assert.Equal("x_1", body["hint"].AsString);
        Assert.Equal("hello", body["comment"].AsString);
        Assert.Equal(2000, body["maxTimeMS"].AsInt32);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FindOneAsksForOneDocumentInOneBatch(bool async)
    {
        var (fake, collection) = Setup();
        fake.Reply(FakeExecutor.CursorReply(0, "db.c", Docs(3, 1)));
        var document = async ? await collection.FindOneAsync(Filter.Empty) : collection.FindOne(Filter.Empty);
        Assert.Equal(3, document!["_id"].AsInt32);
        Assert.Equal(1, fake.Sent[0].Body["limit"].AsInt32);
        Assert.True(fake.Sent[0].Body["singleBatch"].AsBoolean);

        fake.Reply(FakeExecutor.CursorReply(0, "db.c", []));
        Assert.Null(async ? await collection.Find(Filter.Empty).FirstOrDefaultAsync() : collection.Find(Filter.Empty).FirstOrDefault());
    }

    [Fact]
    public void RawBatchesAreAvailableWithoutDecoding()
    {
        var (fake, collection) = Setup();
        fake.Reply(FakeExecutor.CursorReply(0, "db.c", Docs(0, 3)));
        using var cursor = collection.Find(Filter.Empty).ToCursor();
        Assert.True(cursor.MoveNextBatch());
        Assert.Equal(3, cursor.CurrentRawBatch.Count);
        Assert.Equal(new BsonDocument("_id", 1).ToBytes(), cursor.CurrentRawBatch[1].ToArray());
        Assert.False(cursor.MoveNextBatch());
    }

    [Fact]
    public void CursorNotFoundOnGetMoreIsTyped()
    {
        var (fake, collection) = Setup();
        fake.Reply(FakeExecutor.CursorReply(8, "db.c", Docs(0, 1)))
            .Reply(new BsonDocument { { "ok", 0.0 }, { "errmsg", "cursor id 8 not found" }, { "code", 43 }, { "codeName", "CursorNotFound" } });
        var ex = Assert.Throws<MongoCursorNotFoundException>(() => collection.Find(Filter.Empty).ToList());
        Assert.Equal(8, ex.CursorId);
    }

    [Fact]
    public void ListIndexesAndCollectionNames()
    {
        var (fake, collection) = Setup();
        fake.Reply(FakeExecutor.CursorReply(0, "db.$cmd.listIndexes", [new BsonDocument { { "v", 2 }, { "key", new BsonDocument("_id", 1) }, { "name", "_id_" } }]));
        Assert.Equal("_id_", Assert.Single(collection.ListIndexes())["name"].AsString);
        fake.Reply(FakeExecutor.CursorReply(0, "db.$cmd.listCollections", [new BsonDocument("name", "a"), new BsonDocument("name", "b")]));
        Assert.Equal(["a", "b"], collection.Database.ListCollectionNames());
        Assert.True(fake.Sent[1].Body["nameOnly"].AsBoolean);
    }

    [Fact]
    public async Task AsyncDisposeAwaitsKillCursorsWithoutBlockingTheCaller()
    {
        var (fake, collection) = Setup();
        fake.Reply(FakeExecutor.CursorReply(55, "db.c", Docs(0, 2)));
        var slowServer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.Delays["killCursors"] = slowServer.Task;
        var cursor = await collection.Find(Filter.Empty).ToCursorAsync();
        Assert.True(await cursor.MoveNextBatchAsync());

        // DisposeAsync hands back a pending task while the server has not answered: no thread waits on killCursors.
        ValueTask dispose = cursor.DisposeAsync();
        Assert.False(dispose.IsCompleted);
        Assert.Equal(0, cursor.Id);
        slowServer.SetResult();
        await dispose;
        Assert.Equal(["find", "killCursors"], fake.Sent.Select(m => m.Body.GetElement(0).Name));
        Assert.All(fake.Modes, mode => Assert.Equal("async", mode));

        // Disposing again sends nothing more.
        await cursor.DisposeAsync();
        cursor.Dispose();
        Assert.Equal(2, fake.Sent.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FailedGetMoreKillsTheCursor(bool async)
    {
        var (fake, collection) = Setup();
        fake.Reply(FakeExecutor.CursorReply(12, "db.c", Docs(0, 2)))
            .Reply(_ => throw new MongoConnectionException("connection reset while reading the getMore reply"));
        var seen = new List<int>();
        var query = collection.Find(Filter.Empty).BatchSize(2);
        if (async)
        {
            await Assert.ThrowsAsync<MongoConnectionException>(async () =>
            {
                await foreach (var document in query)
                {
                    seen.Add(document["_id"].AsInt32);
                }
            });
        }
        else
        {
            Assert.Throws<MongoConnectionException>(() =>
            {
                foreach (var document in query.ToEnumerable())
                {
                    seen.Add(document["_id"].AsInt32);
                }
            });
        }

        Assert.Equal([0, 1], seen);
        Assert.Equal(["find", "getMore", "killCursors"], fake.Sent.Select(m => m.Body.GetElement(0).Name));
        Assert.Equal(12, fake.Sent[2].Body["cursors"].AsArray[0].AsInt64);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CancellationMidIterationKillsTheCursor(bool async)
    {
        var (fake, collection) = Setup();
        fake.Reply(FakeExecutor.CursorReply(21, "db.c", Docs(0, 2)));
        using var cts = new CancellationTokenSource();
        var cursor = async ? await collection.Find(Filter.Empty).ToCursorAsync(cts.Token) : collection.Find(Filter.Empty).ToCursor(cts.Token);
        Assert.True(async ? await cursor.MoveNextBatchAsync(cts.Token) : cursor.MoveNextBatch(cts.Token));
        cts.Cancel();
        if (async)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cursor.ToListAsync(cts.Token));
        }
        else
        {
            Assert.ThrowsAny<OperationCanceledException>(() => cursor.ToList(cts.Token));
        }

        // The getMore never went out; the kill does, with no token, so a cancelled caller still frees the server cursor.
        Assert.Equal(["find", "killCursors"], fake.Sent.Select(m => m.Body.GetElement(0).Name));
        Assert.Equal(21, fake.Sent[1].Body["cursors"].AsArray[0].AsInt64);
        Assert.Equal(0, cursor.Id);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExceptionInTheLoopBodyKillsTheCursor(bool async)
    {
        var (fake, collection) = Setup();
        fake.Reply(FakeExecutor.CursorReply(34, "db.c", Docs(0, 2)));
        var query = collection.Find(Filter.Empty);
        if (async)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            {
                await foreach (var document in query)
                {
                    throw new InvalidOperationException("caller failed on " + document);
                }
            });
        }
        else
        {
            Assert.Throws<InvalidOperationException>(() =>
            {
                foreach (var document in query.ToEnumerable())
                {
                    throw new InvalidOperationException("caller failed on " + document);
                }
            });
        }

        Assert.Equal(["find", "killCursors"], fake.Sent.Select(m => m.Body.GetElement(0).Name));
        Assert.Equal(34, fake.Sent[1].Body["cursors"].AsArray[0].AsInt64);
    }

    [Fact]
    public void EveryFluentModifierRendersIntoFind()
    {
        var (fake, collection) = Setup();
        fake.Reply(FakeExecutor.CursorReply(0, "db.c", []));
        collection.Find(Filter.Empty).BatchSize(7).Collation(new BsonDocument("locale", "simple")).ToList();
        var body = fake.Sent[0].Body;
        Assert.Equal(7, body["batchSize"].AsInt32);
        Assert.Equal("simple", body["collation"].AsDocument["locale"].AsString);
    }

    private sealed class ThrowingSerializer : IBsonSerializer<int>
    {
        public void Serialize(BsonWriter writer, int value) => writer.WriteInt32(value);

        public int Deserialize(ref BsonReader reader) => throw new FormatException("cannot decode");
    }
}
