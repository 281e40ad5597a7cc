using Mongo.Bson;
using Mongo.InMemory;
using Mongo.Testing.Monitoring;
using Xunit;
using static Mongo.Driver.Tests.Sessions.SessionTestKit;

namespace Mongo.Driver.Tests.Sessions;

/// <summary>
/// A snapshot session's snapshot time (MongoSession.SnapshotTime) and the SessionOptions.SnapshotTime that starts a
/// snapshot session at a chosen time, seen through the commands the driver sends.
/// </summary>
public sealed class SnapshotTimeTests
{
    private static async Task<MongoSession> StartSessionAsync(MongoClient client, bool async, SessionOptions options) =>
        async ? await client.StartSessionAsync(options) : client.StartSession(options);

    private static async Task<List<BsonDocument>> FindAsync(MongoCollection<BsonDocument> collection, bool async) =>
        async ? await collection.Find(FilterDefinition.Empty).ToListAsync() : collection.Find(FilterDefinition.Empty).ToList();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SnapshotTime_is_the_first_reads_atClusterTime_and_is_unknown_before_it(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: true);
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder);
        await InsertAsync(client.GetDatabase("s").GetCollection("c"), async, new BsonDocument("_id", 1));
        await using MongoSession session = await StartSessionAsync(client, async, new SessionOptions { Snapshot = true });
        var unknown = Assert.Throws<MongoClientException>(() => session.SnapshotTime);
        Assert.Contains("no snapshot time yet", unknown.Message, StringComparison.Ordinal);

        MongoCollection<BsonDocument> collection = client.GetDatabase("s").GetCollection("c").WithSession(session);
        await FindAsync(collection, async);
        await FindAsync(collection, async);

        // The time the driver reports is the one it sends with the session's later reads (the server's choice).
        Assert.Equal(Started(recorder, "find")[1]["readConcern"].AsDocument["atClusterTime"], session.SnapshotTime);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_session_started_at_a_snapshot_time_sends_it_with_its_first_read_and_every_one_after(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: true);
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder);
        await InsertAsync(client.GetDatabase("s").GetCollection("c"), async, new BsonDocument { { "_id", 1 }, { "x", 11 } });
        await using MongoSession first = await StartSessionAsync(client, async, new SessionOptions { Snapshot = true });
        await FindAsync(client.GetDatabase("s").GetCollection("c").WithSession(first), async);
        BsonTimestamp time = first.SnapshotTime;

        await using MongoSession second = await StartSessionAsync(client, async, new SessionOptions { Snapshot = true, SnapshotTime = time });
        Assert.Equal(time, second.SnapshotTime); // known from the start, before any read
        MongoCollection<BsonDocument> collection = client.GetDatabase("s").GetCollection("c").WithSession(second);
        Assert.Equal([new BsonDocument { { "_id", 1 }, { "x", 11 } }], await FindAsync(collection, async));
        BsonDocument[] pipeline = [new BsonDocument("$match", new BsonDocument("_id", 1))];
        List<BsonDocument> aggregated = async ? await (await collection.AggregateAsync(pipeline)).ToListAsync() : collection.Aggregate(pipeline).ToList();
        Assert.Single(aggregated);
        List<BsonValue> distinct = async ? await collection.DistinctAsync("x") : collection.Distinct("x");
        Assert.Equal([new BsonInt32(11)], distinct);

        var expected = new BsonDocument { { "level", "snapshot" }, { "atClusterTime", time } };
        Assert.Equal(expected, Started(recorder, "find")[1]["readConcern"]); // [0] is the first session's read
        Assert.Equal(expected, Started(recorder, "aggregate")[0]["readConcern"]);
        Assert.Equal(expected, Started(recorder, "distinct")[0]["readConcern"]);
        Assert.Equal(time, second.SnapshotTime); // the replies' atClusterTime does not replace the given time
    }

    [Fact]
    public async Task Misuse_of_snapshot_time_is_refused_by_the_client()
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: true);
        await using MongoClient client = Client(server, Recorder());

        var notSnapshot = Assert.Throws<MongoClientException>(() => client.StartSession(new SessionOptions { SnapshotTime = new BsonTimestamp(1, 1) }));
        Assert.Contains("SnapshotTime", notSnapshot.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MongoClientException>(() => client.StartSessionAsync(new SessionOptions { SnapshotTime = new BsonTimestamp(1, 1) }));

        using MongoSession plain = client.StartSession();
        var noTime = Assert.Throws<MongoClientException>(() => plain.SnapshotTime);
        Assert.Contains("Only snapshot sessions", noTime.Message, StringComparison.Ordinal);
    }
}
