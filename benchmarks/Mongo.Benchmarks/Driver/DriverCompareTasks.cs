using Mongo.Benchmarks.Compare;
using Mongo.Benchmarks.Infrastructure;
using Mongo.Bson;
using Mongo.Driver;
using O = MongoDB.Bson;
using OD = MongoDB.Driver;
using OSer = MongoDB.Bson.Serialization;

namespace Mongo.Benchmarks.Driver;

/// <summary>
/// The benchmarking spec's single- and multi-document tasks and a hello round trip, ours and the official driver
/// against the same out-of-process Mongo.InMemory. One operation is one driver call (one find, one insertMany of
/// the whole set, ...); MB/s counts the documents' encoded bytes.
/// </summary>
internal static class DriverCompareTasks
{
    public static IEnumerable<CompareTask> Create(OutOfProcessServer server)
    {
        var ours = new MongoClient(server.ConnectionString);
        var official = new OD.MongoClient(server.ConnectionString);
        var oursDb = ours.GetDatabase("perftest");
        var officialDb = official.GetDatabase("perftest");
        var hello = new BsonDocument("hello", 1);
        var officialHello = new O.BsonDocument("hello", 1);
        yield return new CompareTask("driver_hello_roundtrip", 0,
            () => oursDb.RunCommand(hello),
            () => officialDb.RunCommand<O.BsonDocument>(officialHello));

        byte[] tweet = DriverDataSets.Load("tweet");
        byte[] small = DriverDataSets.Load("small_doc");
        byte[] large = DriverDataSets.Load("large_doc");

        // find one by _id: 10,000 tweets with integer ids; each operation finds one.
        var oursTweets = oursDb.GetCollection("tweets");
        var officialTweets = officialDb.GetCollection<O.BsonDocument>("tweets");
        oursDb.DropCollection("tweets");
        var seed = new List<BsonDocument>(10_000);
        for (int i = 0; i < 10_000; i++)
        {
            var doc = BsonDocument.FromBytes(tweet);
            doc.Remove("_id");
            doc.InsertAt(0, new BsonElement("_id", i));
            seed.Add(doc);
        }

        oursTweets.InsertMany(seed);
        int next = 0;
        yield return new CompareTask("driver_find_one_by_id", tweet.Length,
            () => oursTweets.Find(new BsonDocument("_id", next++ % 10_000)).FirstOrDefault(),
            () => OfficialOps.FindOne(officialTweets, new O.BsonDocument("_id", next++ % 10_000)));

        // find many: read the 10,000 tweets and empty the cursor.
        yield return new CompareTask("driver_find_many", tweet.Length * 10_000L,
            () =>
            {
                foreach (var _ in oursTweets.Find(FilterDefinition.Empty).ToCursor())
                {
                }
            },
            () => OfficialOps.FindAll(officialTweets));

        // The same 10,000 tweets into a typed List<Tweet> (generated context vs the official class map).
        foreach (var task in Poco.PocoDriverTasks.Create(server, tweet.Length))
        {
            yield return task;
        }

        // The same, visiting every value of every document: ours are materialised on use, the official ones at decode.
        yield return new CompareTask("driver_find_many_walk", tweet.Length * 10_000L,
            () =>
            {
                foreach (var document in oursTweets.Find(FilterDefinition.Empty).ToCursor())
                {
                    Bson.BsonCompareTasks.Walk(document);
                }
            },
            () => OfficialOps.FindAllAndWalk(officialTweets));

        foreach (var (name, bytes, count) in new[] { ("small", small, 10_000), ("large", large, 10) })
        {
            var oursColl = oursDb.GetCollection("insert_" + name);
            var officialColl = officialDb.GetCollection<O.BsonDocument>("insert_" + name);
            var oursDoc = Materialized(bytes);
            var officialDoc = OSer.BsonSerializer.Deserialize<O.BsonDocument>(bytes);
            void Reset() => oursDb.DropCollection("insert_" + name);

            // insertOne: the drivers add a generated _id to the document; remove it so the next insert is new.
            yield return new CompareTask($"driver_insert_one_{name}", bytes.Length,
                () =>
                {
                    oursColl.InsertOne(oursDoc);
                    oursDoc.Remove("_id");
                },
                () =>
                {
                    officialColl.InsertOne(officialDoc);
                    officialDoc.Remove("_id");
                },
                Reset)
            {
                // The spec's task inserts the document 10,000 (small) or 10 (large) times into a fresh collection.
                SetupEvery = count == 10 ? 10 : 10_000,
            };

            var oursMany = Enumerable.Range(0, count).Select(_ => Materialized(bytes)).ToList();
            var officialMany = Enumerable.Range(0, count).Select(_ => OSer.BsonSerializer.Deserialize<O.BsonDocument>(bytes)).ToList();
            yield return new CompareTask($"driver_insert_many_{name}", (long)bytes.Length * count,
                () =>
                {
                    oursColl.InsertMany(oursMany);
                    oursMany.ForEach(d => d.Remove("_id"));
                },
                () =>
                {
                    officialColl.InsertMany(officialMany);
                    officialMany.ForEach(d => d.Remove("_id"));
                },
                Reset)
            {
                // The spec drops the collection before each insertMany.
                SetupEvery = 1,
            };
        }

        // Bulk write: 10,000 small-document inserts as one ordered bulk.
        var oursBulk = oursDb.GetCollection("bulk");
        var officialBulk = officialDb.GetCollection<O.BsonDocument>("bulk");
        var oursSmall = Enumerable.Range(0, 10_000).Select(_ => Materialized(small)).ToList();
        var officialSmall = Enumerable.Range(0, 10_000).Select(_ => OSer.BsonSerializer.Deserialize<O.BsonDocument>(small)).ToList();
        yield return new CompareTask("driver_bulk_write_small", small.Length * 10_000L,
            () =>
            {
                oursBulk.BulkWrite(oursSmall.Select(d => (WriteModel<BsonDocument>)new InsertOneModel<BsonDocument>(d)));
                oursSmall.ForEach(d => d.Remove("_id"));
            },
            () =>
            {
                officialBulk.BulkWrite(officialSmall.Select(d => (OD.WriteModel<O.BsonDocument>)new OD.InsertOneModel<O.BsonDocument>(d)));
                officialSmall.ForEach(d => d.Remove("_id"));
            },
            () => oursDb.DropCollection("bulk"))
        {
            SetupEvery = 1,
        };
    }

    /// <summary>
    /// A decoded document with every level materialised, like one built by user code: a still-encoded one would be
    /// inserted by copying its bytes, which the official driver's eagerly decoded documents cannot do.
    /// </summary>
    private static BsonDocument Materialized(byte[] bytes)
    {
        var document = BsonDocument.FromBytes(bytes);
        Bson.BsonCompareTasks.Materialize(document);
        return document;
    }
}
