using Mongo.InMemory.Engine;
using Mongo.InMemory.Server;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Transactions;

/// <summary>
/// Snapshot reads at an earlier atClusterTime (readConcern level snapshot outside transactions) see the documents as they
/// were then, as mongod does within minSnapshotHistoryWindowInSeconds, with history kept from server start; times the
/// history no longer reaches (before the start, past the window or the bounds) are SnapshotTooOld.
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
    public async Task The_history_is_kept_from_server_start_without_any_snapshot_reader()
    {
        // No snapshot read before the writes: the history is kept from the start anyway, as mongod keeps it.
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument { { "_id", 1 }, { "v", 1 } }, new O.BsonDocument { { "_id", 2 }, { "v", 1 } }, new O.BsonDocument { { "_id", 3 }, { "v", 1 } })));
        var before = (await RunAsync(new O.BsonDocument { { "ping", 1 }, { "$db", "admin" } }))["operationTime"];
        AssertOk(await RunAsync(UpdateOne("c", new O.BsonDocument("_id", 1), new O.BsonDocument("$set", new O.BsonDocument("v", 2)))));
        AssertOk(await RunAsync(new O.BsonDocument { { "delete", "c" }, { "deletes", new O.BsonArray { new O.BsonDocument { { "q", new O.BsonDocument("_id", 2) }, { "limit", 1 } } } }, { "$db", Db } }));
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument { { "_id", 4 }, { "v", 1 } })));

        // In natural order, with the values of then.
        var old = Batch(await RunAsync(Snapshot(Find("c"), before)));
        Assert.Equal(["{ \"_id\" : 1, \"v\" : 1 }", "{ \"_id\" : 2, \"v\" : 1 }", "{ \"_id\" : 3, \"v\" : 1 }"], old.Select(d => d.ToString()));

        // An index lookup at that time finds the version of then too.
        Assert.Equal(1, Batch(await RunAsync(Snapshot(Find("c", new O.BsonDocument("_id", 1)), before)))[0]["v"].AsInt32);
        Assert.Single(Batch(await RunAsync(Snapshot(Find("c", new O.BsonDocument("_id", 2)), before))));
        Assert.Equal(new[] { 1, 3, 4 }, Batch(await RunAsync(Snapshot(Find("c"), null))).Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task A_read_before_any_write_sees_nothing_and_a_time_before_the_server_started_is_SnapshotTooOld()
    {
        var start = (await RunAsync(new O.BsonDocument { { "ping", 1 }, { "$db", "admin" } }))["operationTime"];
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument("_id", 1))));
        Assert.Empty(Batch(await RunAsync(Snapshot(Find("c"), start))));

        var reply = await RunAsync(Snapshot(Find("c"), new O.BsonTimestamp(1, 1)));
        AssertError(reply, 239, "SnapshotTooOld", "Read timestamp Timestamp(1, 1) is older than the oldest available timestamp.");
    }

    [Fact]
    public async Task Catalog_changes_after_the_time_do_not_change_what_a_read_then_sees()
    {
        AssertOk(await RunAsync(Insert("a", new O.BsonDocument { { "_id", 1 }, { "x", 1 } }, new O.BsonDocument { { "_id", 2 }, { "x", 2 } })));
        AssertOk(await RunAsync(Insert("gone", new O.BsonDocument("_id", 1))));
        var at = (await RunAsync(new O.BsonDocument { { "ping", 1 }, { "$db", "admin" } }))["operationTime"];

        // After that time: a.x changes, a is renamed to b and written to, gone is dropped, an index and a view appear.
        AssertOk(await RunAsync(UpdateOne("a", new O.BsonDocument("_id", 1), new O.BsonDocument("$set", new O.BsonDocument("x", 10)))));
        AssertOk(await RunAsync(new O.BsonDocument { { "renameCollection", Db + ".a" }, { "to", Db + ".b" }, { "$db", "admin" } }));
        AssertOk(await RunAsync(Insert("b", new O.BsonDocument { { "_id", 3 }, { "x", 3 } })));
        AssertOk(await RunAsync(new O.BsonDocument { { "drop", "gone" }, { "$db", Db } }));
        AssertOk(await RunAsync(new O.BsonDocument { { "createIndexes", "b" }, { "indexes", new O.BsonArray { new O.BsonDocument { { "key", new O.BsonDocument("x", 1) }, { "name", "x_1" } } } }, { "$db", Db } }));
        AssertOk(await RunAsync(new O.BsonDocument { { "create", "v" }, { "viewOn", "b" }, { "pipeline", new O.BsonArray() }, { "$db", Db } }));
        AssertOk(await RunAsync(UpdateOne("b", new O.BsonDocument("_id", 2), new O.BsonDocument("$set", new O.BsonDocument("x", 20)))));

        Assert.Equal(new[] { 1, 2 }, Batch(await RunAsync(Snapshot(Find("a"), at))).Select(d => d["x"].AsInt32));
        Assert.Empty(Batch(await RunAsync(Snapshot(Find("b"), at))));
        Assert.Single(Batch(await RunAsync(Snapshot(Find("gone"), at))));
        Assert.Empty(Batch(await RunAsync(Snapshot(Find("v"), at))));

        // And now: b has everything, with the later values.
        Assert.Equal(new[] { 10, 20, 3 }, Batch(await RunAsync(Snapshot(Find("b"), null))).Select(d => d["x"].AsInt32));
        Assert.Empty(Batch(await RunAsync(Snapshot(Find("a"), null))));
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
    public void The_history_keeps_at_most_its_record_limit_and_older_reads_are_then_SnapshotTooOld()
    {
        var clock = new ClusterClock();
        var storage = new Storage();
        clock.History.Attach(storage);
        clock.History.RecordLimit = 100;
        var times = new List<Mongo.Bson.BsonTimestamp>();
        lock (storage.Sync)
        {
            var collection = storage.GetOrCreateCollection("db", "c", out _);
            for (int i = 0; i < 150; i++)
            {
                collection.Insert(new Mongo.Bson.BsonDocument("_id", i));
                times.Add(clock.Next()); // the insert's time
            }
        }

        Assert.Equal(100, clock.History.Count);

        // The records of the last 100 inserts are kept: the time of the 50th insert is the oldest still covered.
        var oldest = clock.History.At(times[49])!;
        Assert.Equal(50, oldest.GetDatabase("db")!.Get("c")!.Count);
        Assert.Equal(149, clock.History.At(times[148])!.GetDatabase("db")!.Get("c")!.Count);
        Assert.Null(clock.History.At(times[149])); // nothing changed since
        Assert.Equal(239, Assert.Throws<Mongo.InMemory.Commands.CommandException>(() => clock.History.At(times[48])).Code);
    }

    [Fact]
    public void The_history_keeps_at_most_its_byte_limit_of_superseded_documents()
    {
        var clock = new ClusterClock();
        var storage = new Storage();
        clock.History.Attach(storage);
        clock.History.ByteLimit = 64 * 1024;
        CollectionData collection;
        lock (storage.Sync)
        {
            collection = storage.GetOrCreateCollection("db", "c", out _);
            collection.Insert(new Mongo.Bson.BsonDocument { { "_id", 1 }, { "s", new string('a', 4000) } });
        }

        var afterInsert = clock.Next();
        for (int i = 0; i < 100; i++)
        {
            lock (storage.Sync)
            {
                var stored = collection.Documents[0];
                collection.Replace(stored, new Mongo.Bson.BsonDocument { { "_id", 1 }, { "s", new string((char)('a' + (i % 26)), 4000) } });
            }

            clock.Next();
        }

        Assert.InRange(clock.History.RetainedBytes, 1, 64 * 1024);
        Assert.Equal(239, Assert.Throws<Mongo.InMemory.Commands.CommandException>(() => clock.History.At(afterInsert)).Code);
    }

    [Fact]
    public void A_dropped_collection_counts_its_documents_towards_the_byte_limit()
    {
        var clock = new ClusterClock();
        var storage = new Storage();
        clock.History.Attach(storage);
        lock (storage.Sync)
        {
            var collection = storage.GetOrCreateCollection("db", "c", out _);
            for (int i = 0; i < 10; i++)
            {
                collection.Insert(new Mongo.Bson.BsonDocument { { "_id", i }, { "s", new string('a', 4000) } });
            }
        }

        var before = clock.Next();
        Assert.True(clock.History.RetainedBytes < 4000, "inserts keep nothing that is not current");
        lock (storage.Sync)
        {
            storage.GetDatabase("db")!.Drop("c");
        }

        clock.Next();
        Assert.True(clock.History.RetainedBytes >= 40_000, $"the dropped documents count: {clock.History.RetainedBytes}");
        Assert.Equal(10, clock.History.At(before)!.GetDatabase("db")!.Get("c")!.Count);
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
