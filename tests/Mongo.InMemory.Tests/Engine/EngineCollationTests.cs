using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>Locale collations (strength, numericOrdering, caseFirst, defaults, indexes), driven by the official MongoDB.Driver 3.14.0.</summary>
public sealed class EngineCollationTests : OfficialDriverTestBase
{
    private static readonly Collation CaseInsensitive = new("en_US", strength: CollationStrength.Secondary);

    private IMongoCollection<O.BsonDocument> Coll(string name = "c") => Client.GetDatabase("test").GetCollection<O.BsonDocument>(name);

    private static O.BsonDocument D(string json) => O.BsonDocument.Parse(json);

    private IMongoCollection<O.BsonDocument> Seed(params string[] values)
    {
        var c = Coll();
        c.InsertMany(values.Select((v, i) => new O.BsonDocument { { "_id", i }, { "x", v } }));
        return c;
    }

    private static List<string> Xs(IEnumerable<O.BsonDocument> docs) => docs.Select(d => d["x"].AsString).ToList();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Strength_2_find_ignores_case_but_not_accents(bool async)
    {
        var c = Seed("ping", "PING", "Ping", "pong", "píng");
        var find = c.Find(D("{x: 'PING'}"), new FindOptions { Collation = CaseInsensitive }).Sort(D("{_id: 1}"));
        var found = async ? await find.ToListAsync() : find.ToList();
        Assert.Equal(["ping", "PING", "Ping"], Xs(found));
        Assert.Equal(["PING"], Xs(c.Find(D("{x: 'PING'}")).ToList()));
        Assert.Equal(3, async ? await c.CountDocumentsAsync(D("{x: 'ping'}"), new CountOptions { Collation = CaseInsensitive })
            : c.CountDocuments(D("{x: 'ping'}"), new CountOptions { Collation = CaseInsensitive }));
    }

    [Fact]
    public void Strength_1_ignores_accents_and_case()
    {
        var c = Seed("cafe", "café", "Café", "CAFE", "cafes");
        var primary = new Collation("fr", strength: CollationStrength.Primary);
        Assert.Equal(4, c.CountDocuments(D("{x: 'cafe'}"), new CountOptions { Collation = primary }));
        Assert.Equal(2, c.CountDocuments(D("{x: 'cafe'}"), new CountOptions { Collation = new Collation("fr", strength: CollationStrength.Secondary) }));
        Assert.Equal(1, c.CountDocuments(D("{x: 'cafe'}")));
        // Range predicates compare by the collation too.
        Assert.Equal(4, c.CountDocuments(D("{x: {$lte: 'CAFE'}}"), new CountOptions { Collation = primary }));
    }

    [Fact]
    public void NumericOrdering_sorts_digit_runs_by_value()
    {
        var c = Seed("10", "9", "100", "2", "a10", "a9");
        var numeric = new Collation("en", numericOrdering: true);
        Assert.Equal(["2", "9", "10", "100", "a9", "a10"], Xs(c.Find(D("{}"), new FindOptions { Collation = numeric }).Sort(D("{x: 1}")).ToList()));
        Assert.Equal(["10", "100", "2", "9", "a10", "a9"], Xs(c.Find(D("{}")).Sort(D("{x: 1}")).ToList()));
        Assert.Equal(["100", "10"], Xs(c.Aggregate(PipelineDefinition<O.BsonDocument, O.BsonDocument>.Create(D("{$match: {x: {$gt: '9', $lt: 'a'}}}"), D("{$sort: {x: -1}}")),
            new AggregateOptions { Collation = numeric }).ToList()));
    }

    [Fact]
    public void CaseFirst_upper_puts_capitals_first()
    {
        var c = Seed("b", "a", "B", "A");
        var upper = new Collation("en", caseFirst: CollationCaseFirst.Upper);
        Assert.Equal(["A", "a", "B", "b"], Xs(c.Find(D("{}"), new FindOptions { Collation = upper }).Sort(D("{x: 1}")).ToList()));
        Assert.Equal(["a", "A", "b", "B"], Xs(c.Find(D("{}"), new FindOptions { Collation = new Collation("en") }).Sort(D("{x: 1}")).ToList()));
    }

    [Fact]
    public void Collection_default_collation_applies_when_the_operation_names_none()
    {
        var db = Client.GetDatabase("test");
        db.CreateCollection("c", new CreateCollectionOptions { Collation = CaseInsensitive });
        var c = Coll();
        c.InsertMany([D("{_id: 'abc', x: 'ping'}"), D("{_id: 'x1', x: 'PING'}"), D("{_id: 'x2', x: 'pong'}")]);

        Assert.Equal(2, c.CountDocuments(D("{x: 'Ping'}")));
        Assert.Equal(1, c.CountDocuments(D("{x: 'PING'}"), new CountOptions { Collation = Collation.Simple }));
        // A string _id equality goes through the _id index, which has the collection's collation.
        Assert.Equal(1, c.CountDocuments(D("{_id: 'ABC'}")));
        Assert.Equal(0, c.CountDocuments(D("{_id: 'ABC'}"), new CountOptions { Collation = Collation.Simple }));
        Assert.Equal(2, c.DeleteMany(D("{x: 'ping'}")).DeletedCount);

        var info = db.ListCollections(new ListCollectionsOptions { Filter = D("{name: 'c'}") }).Single();
        var collation = info["options"]["collation"].AsBsonDocument;
        Assert.Equal("en_US", collation["locale"].AsString);
        Assert.Equal(2, collation["strength"].AsInt32);
        Assert.Equal("off", collation["caseFirst"].AsString);
        Assert.Equal("57.1", collation["version"].AsString);

        // Indexes inherit the default collation.
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{x: 1}")));
        var index = c.Indexes.List().ToList().Single(i => i["name"] == "x_1");
        Assert.Equal(2, index["collation"]["strength"].AsInt32);
    }

    [Fact]
    public void An_id_string_lookup_with_a_collation_does_not_stop_at_the_simple_index()
    {
        var c = Coll();
        c.InsertOne(D("{_id: 'abc'}"));
        Assert.Equal(1, c.CountDocuments(D("{_id: 'ABC'}"), new CountOptions { Collation = CaseInsensitive }));
        Assert.Equal(0, c.CountDocuments(D("{_id: 'ABC'}")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Distinct_folds_values_equal_under_the_collation(bool async)
    {
        var c = Seed("a", "A", "b", "B", "c");
        var options = new DistinctOptions { Collation = CaseInsensitive };
        var values = async ? await (await c.DistinctAsync<string>("x", D("{}"), options)).ToListAsync() : c.Distinct<string>("x", D("{}"), options).ToList();
        Assert.Equal(3, values.Count);
        Assert.Equal(["a", "b", "c"], values.Select(v => v.ToLowerInvariant()));
        Assert.Equal(5, c.Distinct<string>("x", D("{}")).ToList().Count);
    }

    [Fact]
    public void Group_keys_and_updates_use_the_collation()
    {
        var c = Seed("x", "X", "y");
        var groups = c.Aggregate(PipelineDefinition<O.BsonDocument, O.BsonDocument>.Create(D("{$group: {_id: '$x', n: {$sum: 1}}}"), D("{$sort: {n: -1}}")),
            new AggregateOptions { Collation = CaseInsensitive }).ToList();
        Assert.Equal([2, 1], groups.Select(g => g["n"].AsInt32));

        var updated = c.UpdateMany(D("{x: 'x'}"), D("{$set: {seen: true}}"), new UpdateOptions { Collation = CaseInsensitive });
        Assert.Equal(2, updated.ModifiedCount);
        var before = c.FindOneAndDelete(D("{x: 'Y'}"), new FindOneAndDeleteOptions<O.BsonDocument> { Collation = CaseInsensitive });
        Assert.Equal("y", before["x"].AsString);
    }

    [Fact]
    public void Unique_index_with_strength_2_rejects_a_case_variant()
    {
        var c = Coll();
        c.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{x: 1}"), new CreateIndexOptions { Unique = true, Collation = CaseInsensitive }));
        c.InsertOne(D("{x: 'a'}"));
        var e = Assert.Throws<MongoWriteException>(() => c.InsertOne(D("{x: 'A'}")));
        Assert.Equal(ServerErrorCategory.DuplicateKey, e.WriteError.Category);
        c.InsertOne(D("{x: 'b'}"));
        Assert.Equal(2, c.CountDocuments(D("{}")));

        var index = c.Indexes.List().ToList().Single(i => i["name"] == "x_1");
        Assert.Equal("en_US", index["collation"]["locale"].AsString);
        // A simple-collation unique index keeps case variants apart.
        var d = Coll("d");
        d.Indexes.CreateOne(new CreateIndexModel<O.BsonDocument>(D("{x: 1}"), new CreateIndexOptions { Unique = true }));
        d.InsertMany([D("{x: 'a'}"), D("{x: 'A'}")]);
    }

    [Theory]
    [InlineData("{locale: 'xx'}", 2, "Field 'locale' is invalid in: { locale: \"xx\" }")]
    [InlineData("{locale: ''}", 2, "Field 'locale' cannot be the empty string")]
    [InlineData("{strength: 2}", 40414, "BSON field 'collation.locale' is missing but a required field")]
    [InlineData("{locale: 'en', foo: 1}", 40415, "BSON field 'collation.foo' is an unknown field.")]
    [InlineData("{locale: 'en', strength: 6}", 2, "Enumeration value '6' for field 'collation.strength' is not a valid value.")]
    [InlineData("{locale: 'en', caseFirst: 'first'}", 2, "Enumeration value 'first' for field 'collation.caseFirst' is not a valid value.")]
    [InlineData("{locale: 'en', alternate: 'ignore'}", 2, "Enumeration value 'ignore' for field 'collation.alternate' is not a valid value.")]
    [InlineData("{locale: 'en', caseLevel: 'yes'}", 14, "BSON field 'collation.caseLevel' is the wrong type 'string', expected type 'bool'")]
    [InlineData("{locale: 'en', strength: 1, backwards: true}", 2, "'backwards' is invalid with 'strength' of 1")]
    [InlineData("{locale: 'en', strength: 2, caseFirst: 'upper'}", 2, "'caseFirst' is invalid unless 'caseLevel' is on or 'strength' is greater than 2")]
    public void Invalid_collations_fail_like_the_server(string collation, int code, string message)
    {
        Seed("a");
        var e = Assert.Throws<MongoCommandException>(() =>
            Client.GetDatabase("test").RunCommand<O.BsonDocument>(new O.BsonDocument { { "find", "c" }, { "collation", D(collation) } }));
        Assert.Equal(code, e.Code);
        Assert.StartsWith(message, e.ErrorMessage, StringComparison.Ordinal);
        Assert.Throws<MongoCommandException>(() =>
            Client.GetDatabase("test").RunCommand<O.BsonDocument>(new O.BsonDocument { { "create", "other" }, { "collation", D(collation) } }));
    }

    [Fact]
    public void Simple_locale_means_binary_comparison_and_variants_are_accepted()
    {
        var c = Seed("a", "A");
        Assert.Equal(1, c.CountDocuments(D("{x: 'a'}"), new CountOptions { Collation = Collation.Simple }));
        var reply = Client.GetDatabase("test").RunCommand<O.BsonDocument>(D("{count: 'c', query: {x: 'a'}, collation: {locale: 'de@collation=phonebook', strength: 2}}"));
        Assert.Equal(2, reply["n"].ToInt32());
    }
}
