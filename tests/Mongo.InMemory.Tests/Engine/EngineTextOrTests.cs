using MongoDB.Bson;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// A $text under $or, as mongod plans it: the other branches must be indexed (else NoQueryExecutionPlans), and the plan
/// is an OR of the text index's term scans and those branches' index scans, which finds what scoring every document
/// finds. Driven by the official MongoDB.Driver 3.14.0.
/// </summary>
public sealed class EngineTextOrTests : OfficialDriverTestBase
{
    private IMongoDatabase Db => Client.GetDatabase("textor");

    private static O.BsonDocument D(string json) => O.BsonDocument.Parse(json);

    private IMongoCollection<O.BsonDocument> Articles()
    {
        var c = Db.GetCollection<O.BsonDocument>("articles");
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{t: 'text'}")));
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{a: 1}")));
        c.InsertMany(Enumerable.Range(0, 40).Select(i => new O.BsonDocument
        {
            { "_id", i }, { "t", i % 5 == 0 ? "coffee shop" : "green tea" }, { "a", i % 8 }, { "b", i % 2 },
        }));
        return c;
    }

    private static List<int> Ids(IMongoCollection<O.BsonDocument> c, string filter) =>
        c.Find(D(filter)).ToList().Select(d => d["_id"].ToInt32()).Order().ToList();

    private O.BsonDocument Explain(string filter) => Db.RunCommand<O.BsonDocument>(new O.BsonDocument
    {
        { "explain", new O.BsonDocument { { "find", "articles" }, { "filter", D(filter) } } },
        { "verbosity", "executionStats" },
    });

    [Fact]
    public void Text_or_an_indexed_branch_is_an_or_of_the_term_scan_and_the_index_scan()
    {
        var c = Articles();
        const string filter = "{$or: [{$text: {$search: 'coffee'}}, {a: 3}]}";
        Assert.Equal([0, 3, 5, 10, 11, 15, 19, 20, 25, 27, 30, 35], Ids(c, filter));

        var explain = Explain(filter);
        var plan = explain["queryPlanner"]["winningPlan"].AsBsonDocument;
        Assert.Equal("FETCH", plan["stage"].AsString);
        var or = plan["inputStage"].AsBsonDocument;
        Assert.Equal("OR", or["stage"].AsString);
        var inputs = or["inputStages"].AsBsonArray.Select(s => s.AsBsonDocument).ToList();
        Assert.Equal("TEXT_MATCH", inputs[0]["stage"].AsString);
        Assert.Equal("t_text", inputs[0]["indexName"].AsString);
        Assert.Equal("IXSCAN", inputs[1]["stage"].AsString);
        Assert.Equal("a_1", inputs[1]["indexName"].AsString);
        // The term scan reads the 8 coffee documents and the index scan the 5 with a: 3 (one is in both), not all 40.
        var stats = explain["executionStats"].AsBsonDocument;
        Assert.Equal(12, stats["nReturned"].ToInt32());
        Assert.InRange(stats["totalDocsExamined"].ToInt32(), 12, 13);
    }

    [Fact]
    public void A_text_branch_with_other_conditions_still_gathers_the_other_branches_documents()
    {
        var c = Articles();
        // The $text shares its branch with b: 0; the a: 3 documents have no coffee term but match the other branch.
        Assert.Equal([0, 3, 10, 11, 19, 20, 27, 30, 35], Ids(c, "{$or: [{$text: {$search: 'coffee'}, b: 0}, {a: 3}]}"));
        // Beside the $or, a condition applies to every branch's documents.
        Assert.Equal([3, 5, 11, 15, 19, 25, 27, 35], Ids(c, "{b: 1, $or: [{$text: {$search: 'coffee'}}, {a: 3}]}"));
        // Nested deeper, the documents are read by a scan: the same answer.
        Assert.Equal([0, 3, 5, 10, 11, 15, 19, 20, 25, 27, 30, 35], Ids(c, "{$or: [{$or: [{$text: {$search: 'coffee'}}, {a: 3}]}, {a: 3}]}"));
    }

    [Fact]
    public void An_unindexed_branch_beside_a_text_fails_as_on_mongod()
    {
        var c = Articles();
        foreach (var filter in new[] { "{$or: [{$text: {$search: 'coffee'}}, {b: 1}]}", "{$or: [{$text: {$search: 'coffee'}, a: 1}, {b: 1}]}" })
        {
            var ex = Assert.Throws<MongoCommandException>(() => Ids(c, filter));
            Assert.Equal(291, ex.Code);
            Assert.Equal("NoQueryExecutionPlans", ex.CodeName);
            Assert.Contains("Failed to produce a solution for TEXT under OR - other non-TEXT clauses under OR have to be indexed as well.", ex.ErrorMessage);
        }

        // In an aggregate's first $match too.
        var agg = Assert.Throws<MongoCommandException>(() => c.Aggregate<O.BsonDocument>(new[] { D("{$match: {$or: [{$text: {$search: 'tea'}}, {b: 1}]}}") }).ToList());
        Assert.Equal(291, agg.Code);
    }
}
