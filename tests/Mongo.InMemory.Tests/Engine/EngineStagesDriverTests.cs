using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>The new aggregation stages through the wire, as the official MongoDB.Driver 3.14 sends and reads them.</summary>
public sealed class EngineStagesDriverTests : OfficialDriverTestBase
{
    private IMongoCollection<O.BsonDocument> _employees = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _employees = Client.GetDatabase("t").GetCollection<O.BsonDocument>("employees");
        await _employees.InsertManyAsync(new[]
        {
            "{_id: 1, name: 'Dev', born: 1960}", "{_id: 2, name: 'Eliot', reportsTo: 'Dev', born: 1975}", "{_id: 3, name: 'Ron', reportsTo: 'Eliot', born: 1981}",
            "{_id: 4, name: 'Andrew', reportsTo: 'Eliot', born: 1979}", "{_id: 5, name: 'Asya', reportsTo: 'Ron', born: 1985}", "{_id: 6, name: 'Dan', reportsTo: 'Andrew', born: 1990}",
        }.Select(O.BsonDocument.Parse));
    }

    private Task<List<O.BsonDocument>> Aggregate(string pipeline) =>
        _employees.Aggregate(PipelineDefinition<O.BsonDocument, O.BsonDocument>.Create(O.Serialization.BsonSerializer.Deserialize<O.BsonArray>(pipeline).Select(v => v.AsBsonDocument))).ToListAsync();

    [Fact]
    public async Task GraphLookup_bucket_and_window_fields_answer_the_official_driver()
    {
        var chains = await Aggregate("""
            [{$graphLookup: {from: 'employees', startWith: '$reportsTo', connectFromField: 'reportsTo', connectToField: 'name', as: 'chain', depthField: 'level'}},
             {$project: {n: {$size: '$chain'}, top: {$max: '$chain.level'}}}, {$sort: {_id: 1}}]
            """);
        Assert.Equal(new[] { 0, 1, 2, 2, 3, 3 }, chains.Select(d => d["n"].AsInt32));
        Assert.Equal(2L, chains[4]["top"].AsInt64);

        var decades = await Aggregate("[{$bucket: {groupBy: '$born', boundaries: [1960, 1970, 1980, 1990], default: 'later', output: {names: {$push: '$name'}}}}]");
        Assert.Equal(O.BsonDocument.Parse("{_id: 1970, names: ['Eliot', 'Andrew']}"), decades[1]);
        Assert.Equal("later", decades[^1]["_id"].AsString);

        var auto = await Aggregate("[{$bucketAuto: {groupBy: '$born', buckets: 3}}]");
        Assert.Equal(3, auto.Count);
        Assert.All(auto, b => Assert.Equal(2, b["count"].AsInt32));

        var ranked = await Aggregate("[{$setWindowFields: {sortBy: {born: 1}, output: {rank: {$rank: {}}, running: {$sum: 1, window: {documents: ['unbounded', 'current']}}}}}]");
        Assert.Equal(Enumerable.Range(1, 6), ranked.Select(d => d["rank"].AsInt32));
        Assert.Equal(Enumerable.Range(1, 6), ranked.Select(d => d["running"].AsInt32));
    }

    [Fact]
    public async Task IndexStats_counts_the_queries_an_index_answers()
    {
        await _employees.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{name: 1}")));
        await _employees.Find(O.BsonDocument.Parse("{name: 'Ron'}")).ToListAsync();
        await _employees.Find(O.BsonDocument.Parse("{name: 'Dev'}")).ToListAsync();
        var stats = await Aggregate("[{$indexStats: {}}, {$sort: {name: 1}}]");
        Assert.Equal(new[] { "_id_", "name_1" }, stats.Select(s => s["name"].AsString));
        Assert.Equal(2L, stats[1]["accesses"]["ops"].AsInt64);
        Assert.IsType<O.BsonDateTime>(stats[1]["accesses"]["since"]);
        Assert.Equal(O.BsonDocument.Parse("{name: 1}"), stats[1]["key"].AsBsonDocument);
        Assert.EndsWith(":" + Server.Port, stats[1]["host"].AsString, StringComparison.Ordinal);
        Assert.Empty(await Aggregate("[{$planCacheStats: {}}]"));
    }

    [Fact]
    public async Task Invalid_stage_specs_fail_with_mongod_codes()
    {
        var bucket = await Assert.ThrowsAsync<MongoCommandException>(() => Aggregate("[{$bucket: {groupBy: '$born', boundaries: [1]}}]"));
        Assert.Equal(40192, bucket.Code);
        Assert.Equal("The $bucket 'boundaries' field must have at least 2 values, but found 1 value(s).", bucket.ErrorMessage);
        var window = await Assert.ThrowsAsync<MongoCommandException>(() => Aggregate("[{$setWindowFields: {output: {r: {$rank: {}}}}}]"));
        Assert.Equal(5371602, window.Code);
    }
}
