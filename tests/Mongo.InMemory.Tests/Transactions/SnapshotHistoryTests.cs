using Mongo.InMemory.Engine;
using Mongo.InMemory.Server;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Transactions;

/// <summary>
/// Snapshot reads at an earlier atClusterTime (readConcern level snapshot outside transactions) see the documents as they
/// were then, as mongod does within minSnapshotHistoryWindowInSeconds; times no kept version covers are SnapshotTooOld.
/// </summary>
public sealed class SnapshotHistoryTests : TransactionTestBase
{
    [Fact]
    public async Task A_snapshot_read_at_an_earlier_time_sees_the_documents_as_they_were_then()
    {
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument { { "_id", 1 }, { "v", 1 } })));
        var first = await RunAsync(Snapshot(Find("c"), null));
        O.BsonValue at = first["cursor"]["atClusterTime"];
        Assert.Equal(new[] { 1 }, Batch(first).Select(d => d["v"].AsInt32));

        AssertOk(await RunAsync(UpdateOne("c", new O.BsonDocument("_id", 1), new O.BsonDocument("$set", new O.BsonDocument("v", 2)))));
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument { { "_id", 2 }, { "v", 3 } })));
        AssertOk(await RunAsync(new O.BsonDocument { { "create", "later" }, { "$db", Db } }));

        var old = await RunAsync(Snapshot(Find("c"), at));
        Assert.Equal(new[] { 1 }, Batch(old).Select(d => d["v"].AsInt32));
        Assert.Equal(at, old["cursor"]["atClusterTime"]);

        var distinct = await RunAsync(Snapshot(new O.BsonDocument { { "distinct", "c" }, { "key", "v" }, { "$db", Db } }, at));
        Assert.Equal(new O.BsonArray { 1 }, distinct["values"]);
        Assert.Equal(at, distinct["atClusterTime"]);

        var aggregate = Snapshot(new O.BsonDocument
        {
            { "aggregate", "c" },
            { "pipeline", new O.BsonArray { new O.BsonDocument("$count", "n") } },
            { "cursor", new O.BsonDocument() },
            { "$db", Db },
        }, at);
        Assert.Equal(1, Batch(await RunAsync(aggregate))[0]["n"].AsInt32);

        // The collection created later does not exist at that time; the current data are unchanged by the old reads.
        Assert.Empty(Batch(await RunAsync(Snapshot(Find("later"), at))));
        Assert.Equal(new[] { 2, 3 }, Batch(await RunAsync(Snapshot(Find("c"), null))).Select(d => d["v"].AsInt32));
    }

    [Fact]
    public async Task Each_earlier_time_reads_its_own_version()
    {
        var times = new List<O.BsonValue>();
        AssertOk(await RunAsync(Snapshot(Find("c"), null))); // a snapshot reader: versions are kept from now on
        for (int i = 1; i <= 3; i++)
        {
            AssertOk(await RunAsync(Insert("c", new O.BsonDocument("_id", i))));
            times.Add((await RunAsync(Snapshot(Find("c"), null)))["cursor"]["atClusterTime"]);
        }

        AssertOk(await RunAsync(new O.BsonDocument { { "delete", "c" }, { "deletes", new O.BsonArray { new O.BsonDocument { { "q", new O.BsonDocument() }, { "limit", 0 } } } }, { "$db", Db } }));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(i + 1, Batch(await RunAsync(Snapshot(Find("c"), times[i]))).Count);
        }

        Assert.Empty(Batch(await RunAsync(Snapshot(Find("c"), null))));
    }

    [Fact]
    public async Task A_time_no_kept_version_covers_is_SnapshotTooOld()
    {
        // No snapshot reader yet: the server kept no version of the data before this insert.
        var before = (await RunAsync(new O.BsonDocument { { "ping", 1 }, { "$db", "admin" } }))["operationTime"];
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument("_id", 1))));
        var reply = await RunAsync(Snapshot(Find("c"), before));
        AssertError(reply, 239, "SnapshotTooOld", $"Read timestamp Timestamp({before.AsBsonTimestamp.Timestamp}, {before.AsBsonTimestamp.Increment}) is older than the oldest available timestamp.");
    }

    [Fact]
    public async Task The_history_window_is_a_parameter()
    {
        var get = new O.BsonDocument { { "getParameter", 1 }, { "minSnapshotHistoryWindowInSeconds", 1 }, { "$db", "admin" } };
        Assert.Equal(300, (await RunAsync(get))["minSnapshotHistoryWindowInSeconds"].AsInt32);

        var set = await RunAsync(new O.BsonDocument { { "setParameter", 1 }, { "minSnapshotHistoryWindowInSeconds", 0 }, { "$db", "admin" } });
        AssertOk(set);
        Assert.Equal(300, set["was"].AsInt32);
        Assert.Equal(0, (await RunAsync(get))["minSnapshotHistoryWindowInSeconds"].AsInt32);

        var negative = await RunAsync(new O.BsonDocument { { "setParameter", 1 }, { "minSnapshotHistoryWindowInSeconds", -1 }, { "$db", "admin" } });
        AssertError(negative, 2, "BadValue", "Invalid value for parameter minSnapshotHistoryWindowInSeconds: -1 is not greater than or equal to 0");
    }

    [Fact]
    public async Task Versions_older_than_the_window_are_dropped()
    {
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument("_id", 1))));
        var at = (await RunAsync(Snapshot(Find("c"), null)))["cursor"]["atClusterTime"];
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument("_id", 2))));
        Assert.Single(Batch(await RunAsync(Snapshot(Find("c"), at))));

        // With a one-second window, once it has passed (polled, with a generous bound) the version is gone.
        AssertOk(await RunAsync(new O.BsonDocument { { "setParameter", 1 }, { "minSnapshotHistoryWindowInSeconds", 1 }, { "$db", "admin" } }));
        O.BsonDocument reply;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(250);
            reply = await RunAsync(Snapshot(Find("c"), at));
        }
        while (reply["ok"].ToDouble() == 1 && DateTime.UtcNow < deadline);

        AssertError(reply, 239, "SnapshotTooOld");
    }

    [Fact]
    public void History_keeps_at_most_MaxVersions_and_none_without_a_snapshot_reader()
    {
        var history = new SnapshotHistory();
        var storage = new Storage();
        history.BeforeWrite(storage);
        history.Wrote(new Mongo.Bson.BsonTimestamp(Now(), 1));
        Assert.Equal(0, history.Count);

        history.SnapshotReadServed();
        for (uint i = 2; i <= SnapshotHistory.MaxVersions + 10; i++)
        {
            history.BeforeWrite(storage);
            history.Wrote(new Mongo.Bson.BsonTimestamp(Now(), i));
        }

        Assert.Equal(SnapshotHistory.MaxVersions, history.Count);
    }

    private static uint Now() => (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static O.BsonDocument Snapshot(O.BsonDocument command, O.BsonValue? atClusterTime)
    {
        var readConcern = new O.BsonDocument("level", "snapshot");
        if (atClusterTime is not null)
        {
            readConcern.Add("atClusterTime", atClusterTime);
        }

        command.Add("readConcern", readConcern);
        return command;
    }
}
