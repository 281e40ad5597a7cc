using Mongo.Benchmarks.Compare;
using Mongo.Bson;
using Mongo.Driver;
using Mongo.InMemory;
using O = MongoDB.Bson;
using OD = MongoDB.Driver;

namespace Mongo.Benchmarks.Driver;

/// <summary>
/// Mongo.InMemory's query planner: one find by a field's value among 100,000 documents, with an index on the field
/// (<c>inmemory_find_indexed</c>) and without (<c>inmemory_find_unindexed</c>, a collection scan). The two tasks'
/// operation rates give the index's speed-up (issue 15 asks for at least 50x); ours and the official driver each
/// run the same finds against an in-process server.
/// </summary>
internal static class InMemoryIndexTasks
{
    private const int Documents = 100_000;

    public static IEnumerable<CompareTask> Create()
    {
        using var server = InMemoryMongoServer.Start();
        var ours = new MongoClient(server.ConnectionString);
        var official = new OD.MongoClient(server.ConnectionString);
        var db = ours.GetDatabase("perftest");
        foreach (var name in new[] { "indexed", "unindexed" })
        {
            var collection = db.GetCollection("find_" + name);
            var batch = new List<BsonDocument>(Documents);
            for (int i = 0; i < Documents; i++)
            {
                batch.Add(new BsonDocument { { "_id", i }, { "k", (i * 7919) % Documents }, { "name", "user" + i }, { "score", i % 100 } });
            }

            collection.InsertMany(batch);
            if (name == "indexed")
            {
                db.RunCommand(new BsonDocument
                {
                    { "createIndexes", "find_indexed" },
                    { "indexes", new BsonArray { new BsonDocument { { "key", new BsonDocument("k", 1) }, { "name", "k_1" } } } },
                });
            }
        }

        int next = 0;
        foreach (var name in new[] { "indexed", "unindexed" })
        {
            var oursColl = db.GetCollection("find_" + name);
            var officialColl = official.GetDatabase("perftest").GetCollection<O.BsonDocument>("find_" + name);
            yield return new CompareTask("inmemory_find_" + name, 0,
                () => oursColl.Find(new BsonDocument("k", next++ % Documents)).FirstOrDefault(),
                () => OfficialOps.FindOne(officialColl, new O.BsonDocument("k", next++ % Documents)));
        }
    }
}
