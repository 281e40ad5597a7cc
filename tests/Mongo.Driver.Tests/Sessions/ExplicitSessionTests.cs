using Mongo.Bson;
using Mongo.Driver.Events;
using Mongo.Driver.Operations;
using Mongo.InMemory;
using Mongo.Testing.Monitoring;
using Xunit;
using static Mongo.Driver.Tests.Sessions.SessionTestKit;

namespace Mongo.Driver.Tests.Sessions;

/// <summary>Explicit sessions (StartSession + WithSession) seen through command-monitoring events against Mongo.InMemory.</summary>
public sealed class ExplicitSessionTests
{
    private static async Task<MongoSession> StartSessionAsync(MongoClient client, bool async, SessionOptions? options = null) =>
        async ? await client.StartSessionAsync(options) : client.StartSession(options);

    private static async Task<List<BsonDocument>> FindAsync(MongoCollection<BsonDocument> collection, bool async) =>
        async ? await collection.Find(FilterDefinition.Empty).ToListAsync() : collection.Find(FilterDefinition.Empty).ToList();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_command_of_a_bound_handle_carries_the_session_lsid_and_the_session_is_pooled_after_dispose(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: false);
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder);
        BsonDocument lsid;
        await using (MongoSession session = await StartSessionAsync(client, async))
        {
            MongoCollection<BsonDocument> collection = client.GetDatabase("s").GetCollection("c").WithSession(session);
            for (int i = 0; i < 5; i++)
            {
                await InsertAsync(collection, async, new BsonDocument("_id", i));
            }

            FindFluent<BsonDocument> query = collection.Find(FilterDefinition.Empty).BatchSize(2);
            MongoCursor<BsonDocument> cursor = async ? await query.ToCursorAsync() : query.ToCursor();
            Assert.True(async ? await cursor.MoveNextBatchAsync() : cursor.MoveNextBatch());
            Assert.True(async ? await cursor.MoveNextBatchAsync() : cursor.MoveNextBatch());
            await cursor.DisposeAsync();
            lsid = session.Id;
            Assert.Equal(0, ((OperationExecutor)client.Executor).Sessions.Count);
        }

        Assert.All(Started(recorder, "insert").Concat(Started(recorder, "find")).Concat(Started(recorder, "getMore")).Concat(Started(recorder, "killCursors")),
            command => Assert.Equal(lsid, command["lsid"]));
        Assert.Single(Started(recorder, "getMore"));
        Assert.Single(Started(recorder, "killCursors"));

        // Disposed: back in the pool, so the next implicit session is the same server session.
        Assert.Equal(1, ((OperationExecutor)client.Executor).Sessions.Count);
        await FindAsync(client.GetDatabase("s").GetCollection("c"), async);
        Assert.Equal(lsid, Started(recorder, "find")[^1]["lsid"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Causally_consistent_reads_and_writes_send_afterClusterTime_from_the_second_operation(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: true);
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder);
        await using MongoSession session = await StartSessionAsync(client, async);
        Assert.True(session.IsCausallyConsistent);
        MongoCollection<BsonDocument> collection = client.GetDatabase("s").GetCollection("c").WithSession(session);
        await FindAsync(collection, async);
        Assert.False(Started(recorder, "find")[0].Contains("readConcern"));
        BsonTimestamp afterFirst = Assert.IsType<BsonTimestamp>(session.OperationTime);
        Assert.NotNull(session.ClusterTime);

        // Causal consistency spec: writes (insert, update, delete, findAndModify) wait for the session's last operation too,
        // with no level; commands run as given do not.
        await InsertAsync(collection, async, new BsonDocument("_id", 1));
        Assert.Equal(new BsonDocument("afterClusterTime", afterFirst), Started(recorder, "insert")[0]["readConcern"]);
        BsonTimestamp afterWrite = session.OperationTime!;
        Assert.True(afterWrite.Value > afterFirst.Value);

        await FindAsync(collection.WithReadConcern(ReadConcern.Majority), async);
        BsonDocument readConcern = Started(recorder, "find")[1]["readConcern"].AsDocument;
        Assert.Equal(afterWrite, readConcern["afterClusterTime"]);
        Assert.Equal("majority", readConcern["level"].AsString);

        await collection.Database.RunCommandAsync(new BsonDocument { { "insert", "c" }, { "documents", new BsonArray { new BsonDocument("_id", 2) } } });
        Assert.False(Started(recorder, "insert")[1].Contains("readConcern"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Snapshot_reads_send_the_snapshot_level_first_then_atClusterTime(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: true);
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder);
        await InsertAsync(client.GetDatabase("s").GetCollection("c"), async, new BsonDocument("_id", 1));
        await using MongoSession session = await StartSessionAsync(client, async, new SessionOptions { Snapshot = true });
        Assert.False(session.IsCausallyConsistent);
        MongoCollection<BsonDocument> collection = client.GetDatabase("s").GetCollection("c").WithSession(session);
        await FindAsync(collection, async);
        await FindAsync(collection, async);
        List<BsonDocument> finds = Started(recorder, "find");
        Assert.Equal(new BsonDocument("level", "snapshot"), finds[0]["readConcern"]);
        Assert.Equal("snapshot", finds[1]["readConcern"].AsDocument["level"].AsString);
        Assert.IsType<BsonTimestamp>(finds[1]["readConcern"].AsDocument["atClusterTime"]);

        // Writes name the snapshot too, and the server refuses them (snapshot-sessions spec: a server error, not a client one).
        var error = await Assert.ThrowsAsync<MongoCommandException>(() => InsertAsync(collection, async, new BsonDocument("_id", 2)));
        Assert.Equal(72, error.Code);
    }

    [Fact]
    public async Task Misuse_is_refused_by_the_client()
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: true);
        await using MongoClient client = Client(server, Recorder());
        await using MongoClient other = Client(server, Recorder());
        MongoCollection<BsonDocument> collection = client.GetDatabase("s").GetCollection("c");

        Assert.Throws<MongoClientException>(() => client.StartSession(new SessionOptions { Snapshot = true, CausalConsistency = true }));

        using MongoSession foreign = other.StartSession();
        Assert.Throws<MongoClientException>(() => collection.WithSession(foreign));

        MongoSession ended = client.StartSession();
        MongoCollection<BsonDocument> bound = collection.WithSession(ended);
        ended.Dispose();
        Assert.Throws<ObjectDisposedException>(() => collection.WithSession(ended));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => bound.InsertOneAsync(new BsonDocument("_id", 1)));

        using MongoSession session = client.StartSession();
        MongoCollection<BsonDocument> unacknowledged = collection.WithWriteConcern(new WriteConcern(WriteConcernW.FromNumber(0))).WithSession(session);
        await Assert.ThrowsAsync<MongoClientException>(() => unacknowledged.InsertOneAsync(new BsonDocument("_id", 1)));
    }
}
