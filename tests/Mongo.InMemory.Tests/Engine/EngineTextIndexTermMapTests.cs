using Mongo.InMemory;
using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// The text index's term map: $text reads only the documents holding its terms, and finds (with the same scores) what
/// scoring every document finds. A $text under an $or nested in another $or is read by scoring every document (the
/// planner only builds an OR of the term scans for a top-level $or): the two are compared on random text, through
/// inserts, updates, replacements and deletes. Driven by the official MongoDB.Driver 3.14.0.
/// </summary>
public sealed class EngineTextIndexTermMapTests : OfficialDriverTestBase
{
    private static readonly string[] Vocabulary =
    [
        "coffee", "Coffee", "coffees", "shop", "shopping", "shops", "cake", "baking", "bake", "the", "and", "café", "CAFE",
        "running", "runs", "tea", "green", "greener", "leche", "ñandú",
    ];

    private IMongoDatabase Db => Client.GetDatabase("termmap");

    private static O.BsonDocument D(string json) => O.BsonDocument.Parse(json);

    private static string Sentence(Random rng) =>
        string.Join(' ', Enumerable.Range(0, rng.Next(0, 6)).Select(_ => Vocabulary[rng.Next(Vocabulary.Length)]));

    private static O.BsonDocument RandomDoc(Random rng, int id)
    {
        var doc = new O.BsonDocument { { "_id", id }, { "title", Sentence(rng) } };
        if (rng.Next(3) == 0) doc["body"] = new O.BsonArray { Sentence(rng), Sentence(rng) };
        if (rng.Next(6) == 0) doc["language"] = "none"; // read without stemming or stop words
        if (rng.Next(8) == 0) doc["title"] = rng.Next(10); // not a string: no terms
        return doc;
    }

    private static string RandomSearch(Random rng) => rng.Next(6) switch
    {
        0 => Vocabulary[rng.Next(Vocabulary.Length)] + " -" + Vocabulary[rng.Next(Vocabulary.Length)],
        1 => "\"" + Vocabulary[rng.Next(Vocabulary.Length)] + " " + Vocabulary[rng.Next(Vocabulary.Length)] + "\"",
        _ => Sentence(rng) + " " + Vocabulary[rng.Next(Vocabulary.Length)],
    };

    private static List<string> Run(IMongoCollection<O.BsonDocument> c, O.BsonDocument filter) =>
        c.Find(filter).Project(D("{score: {$meta: 'textScore'}}")).ToList().ConvertAll(d => d.ToJson()).Order().ToList();

    [Fact]
    public void Term_map_finds_what_scoring_every_document_finds_through_writes()
    {
        var rng = new Random(1518);
        var c = Db.GetCollection<O.BsonDocument>("docs");
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{title: 'text', body: 'text'}"), new CreateIndexOptions { Weights = D("{title: 3}") }));
        c.InsertMany(Enumerable.Range(0, 200).Select(i => RandomDoc(rng, i)));
        var termScans = 0;
        for (var round = 0; round < 4; round++)
        {
            for (var q = 0; q < 40; q++)
            {
                var text = new O.BsonDocument("$search", RandomSearch(rng));
                if (rng.Next(4) == 0) text["$caseSensitive"] = true;
                if (rng.Next(4) == 0) text["$diacriticSensitive"] = true;
                if (rng.Next(5) == 0) text["$language"] = "none";
                var viaTerms = new O.BsonDocument("$text", text);
                // The _id branches match nothing; an $or nested in an $or takes the term map away from the planner.
                var viaScan = new O.BsonDocument("$or", new O.BsonArray { new O.BsonDocument("$or", new O.BsonArray { viaTerms, D("{_id: 'none'}") }), D("{_id: 'none2'}") });
                Assert.Equal(Run(c, viaScan), Run(c, viaTerms));
                var explain = Db.RunCommand<O.BsonDocument>(new O.BsonDocument
                {
                    { "explain", new O.BsonDocument { { "find", "docs" }, { "filter", viaTerms } } },
                    { "verbosity", "executionStats" },
                });
                var stats = explain["executionStats"].AsBsonDocument;
                if (stats["executionStages"]["inputStage"]["stage"] == "FETCH") termScans++;
                // Only documents holding a term are read; the ones the match rejects are the difference.
                Assert.True(stats["totalDocsExamined"].ToInt32() >= stats["nReturned"].ToInt32());
                Assert.True(stats["totalDocsExamined"].ToInt32() < 200 || stats["nReturned"].ToInt32() > 150, text.ToJson());
            }

            for (var w = 0; w < 40; w++)
            {
                var id = rng.Next(220);
                switch (rng.Next(4))
                {
                    case 0:
                        c.ReplaceOne(D("{_id: " + id + "}"), RandomDoc(rng, id), new ReplaceOptions { IsUpsert = true });
                        break;
                    case 1:
                        c.UpdateOne(D("{_id: " + id + "}"), new O.BsonDocument("$set", new O.BsonDocument("title", Sentence(rng))));
                        break;
                    case 2:
                        c.UpdateOne(D("{_id: " + id + "}"), D("{$set: {other: 1}}")); // no indexed string changes
                        break;
                    default:
                        c.DeleteOne(D("{_id: " + id + "}"));
                        break;
                }
            }
        }

        Assert.Equal(160, termScans);
    }

    [Fact]
    public void Several_terms_merge_by_or_and_deletes_leave_the_term_map()
    {
        var c = Db.GetCollection<O.BsonDocument>("or");
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{t: 'text'}")));
        c.InsertMany([D("{_id: 1, t: 'coffee cake'}"), D("{_id: 2, t: 'coffee'}"), D("{_id: 3, t: 'tea'}"), D("{_id: 4, t: 'cake'}")]);
        var explain = Db.RunCommand<O.BsonDocument>(D("{explain: {find: 'or', filter: {$text: {$search: 'cake coffee'}}, projection: {s: {$meta: 'textScore'}}}, verbosity: 'executionStats'}"));
        var projected = explain["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal("TEXT_MATCH", projected["inputStage"]["stage"].AsString);
        // The score is asked for: TEXT_OR merges the terms and fetches the documents itself (no FETCH, as mongod shows it).
        var textOr = projected["inputStage"]["inputStage"].AsBsonDocument;
        Assert.Equal("TEXT_OR", textOr["stage"].AsString);
        Assert.Equal(2, textOr["inputStages"].AsBsonArray.Count);
        Assert.Equal(3, explain["executionStats"]["executionStages"]["inputStage"]["inputStage"]["docsExamined"].ToInt32());
        var stats = explain["executionStats"].AsBsonDocument;
        Assert.Equal(3, stats["nReturned"].ToInt32());
        Assert.Equal(4, stats["totalKeysExamined"].ToInt32()); // cake: 1, 4; coffee: 1, 2
        Assert.Equal(3, stats["totalDocsExamined"].ToInt32()); // the tea is never read
        var plain = Db.RunCommand<O.BsonDocument>(D("{explain: {find: 'or', filter: {$text: {$search: 'cake coffee'}}}, verbosity: 'queryPlanner'}"));
        Assert.Equal("OR", plain["queryPlanner"]["winningPlan"]["inputStage"]["inputStage"]["stage"].AsString);

        c.DeleteMany(D("{$text: {$search: 'tea'}}"));
        Assert.Empty(c.Find(D("{$text: {$search: 'tea'}}")).ToList());
        Assert.Equal([1, 2, 4], c.Find(D("{$text: {$search: 'cake coffee'}}")).ToList().Select(d => d["_id"].ToInt32()).Order());
    }

    [Fact]
    public async Task A_transaction_reads_its_snapshots_term_map()
    {
        await using var server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        var settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        using var client = new MongoClient(settings);
        var c = client.GetDatabase("termmap").GetCollection<O.BsonDocument>("txn");
        await c.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(D("{t: 'text'}")));
        await c.InsertManyAsync([D("{_id: 1, t: 'tea'}"), D("{_id: 2, t: 'coffee'}")]);
        using var session = await client.StartSessionAsync();
        session.StartTransaction();
        await c.InsertOneAsync(session, D("{_id: 3, t: 'green tea'}"));
        await c.UpdateOneAsync(session, D("{_id: 2}"), D("{$set: {t: 'iced tea'}}"));
        await c.InsertOneAsync(D("{_id: 4, t: 'tea time'}")); // outside: not in the transaction's snapshot
        Assert.Equal([1, 2, 3], (await c.Find(session, D("{$text: {$search: 'tea'}}")).ToListAsync()).Select(d => d["_id"].ToInt32()).Order());
        Assert.Equal([1, 4], (await c.Find(D("{$text: {$search: 'tea'}}")).ToListAsync()).Select(d => d["_id"].ToInt32()).Order());
        await session.CommitTransactionAsync();
        Assert.Equal([1, 2, 3, 4], (await c.Find(D("{$text: {$search: 'tea'}}")).ToListAsync()).Select(d => d["_id"].ToInt32()).Order());
        Assert.Empty(await c.Find(D("{$text: {$search: 'coffee'}}")).ToListAsync());
    }
}
