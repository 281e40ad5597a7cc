using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Engine.Pipeline;
using Xunit;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// $bucket, $bucketAuto, $graphLookup, $redact, $densify and $fill against the MongoDB manual's examples (results as the
/// manual prints them) and mongod's error codes for invalid specifications.
/// </summary>
public sealed class EngineStageTests
{
    private readonly Storage _storage = new();

    internal List<BsonDocument> Run(string docs, string pipeline)
    {
        var input = Json.Array(docs).Select(v => v.AsDocument).ToList();
        return AggregationPipeline.Run(Json.Array(pipeline), input, new PipelineContext { Storage = _storage, Database = "db", Collection = "c" });
    }

    private void Check(string docs, string pipeline, string expected) => Assert.Equal(Json.Array(expected), new BsonArray(Run(docs, pipeline)));

    private int Code(string docs, string pipeline) => Assert.Throws<CommandException>(() => Run(docs, pipeline)).Code;

    private void Insert(string collection, string docs)
    {
        var target = _storage.GetOrCreateCollection("db", collection, out _);
        foreach (var d in Json.Array(docs)) target.Insert(CollectionData.PrepareForInsert(d.AsDocument));
    }

    private const string Artists = """
        [{_id: 1, last_name: 'Bernard', first_name: 'Emil', year_born: 1868, year_died: 1941, nationality: 'France'},
         {_id: 2, last_name: 'Rippl-Ronai', first_name: 'Joszef', year_born: 1861, year_died: 1927, nationality: 'Hungary'},
         {_id: 3, last_name: 'Ostroumova', first_name: 'Anna', year_born: 1871, year_died: 1955, nationality: 'Russia'},
         {_id: 4, last_name: 'Van Gogh', first_name: 'Vincent', year_born: 1853, year_died: 1890, nationality: 'Holland'},
         {_id: 5, last_name: 'Maurer', first_name: 'Alfred', year_born: 1868, year_died: 1932, nationality: 'USA'},
         {_id: 6, last_name: 'Munch', first_name: 'Edvard', year_born: 1863, year_died: 1944, nationality: 'Norway'},
         {_id: 7, last_name: 'Redon', first_name: 'Odilon', year_born: 1840, year_died: 1916, nationality: 'France'},
         {_id: 8, last_name: 'Diriks', first_name: 'Edvard', year_born: 1855, year_died: 1930, nationality: 'Norway'}]
        """;

    [Fact]
    public void Bucket_manual_example_groups_sorts_and_outputs()
    {
        Check(Artists, """
            [{$bucket: {groupBy: '$year_born', boundaries: [1840, 1850, 1860, 1870, 1880], default: 'Other',
               output: {count: {$sum: 1}, artists: {$push: {name: {$concat: ['$first_name', ' ', '$last_name']}, year_born: '$year_born'}}}}},
             {$match: {count: {$gt: 3}}}]
            """, """
            [{_id: 1860, count: 4, artists: [{name: 'Emil Bernard', year_born: 1868}, {name: 'Joszef Rippl-Ronai', year_born: 1861},
                                               {name: 'Alfred Maurer', year_born: 1868}, {name: 'Edvard Munch', year_born: 1863}]}]
            """);
        // Without output each bucket counts; buckets come out sorted by their lower boundary, the default last here.
        Check(Artists, "[{$bucket: {groupBy: '$year_died', boundaries: [1900, 1930, 1950], default: 'Other'}}]",
            "[{_id: 1900, count: 2}, {_id: 1930, count: 4}, {_id: 'Other', count: 2}]");
    }

    [Fact]
    public void Bucket_without_default_fails_on_an_unmatched_value_like_switch()
    {
        Assert.Equal(40066, Code("[{x: 1}, {x: 99}]", "[{$bucket: {groupBy: '$x', boundaries: [0, 10]}}]"));
        Assert.Equal(40066, Code("[{y: 1}]", "[{$bucket: {groupBy: '$x', boundaries: [0, 10]}}]"));
    }

    [Theory]
    [InlineData("[{$bucket: 1}]", 40201)]
    [InlineData("[{$bucket: {groupBy: 'x', boundaries: [0, 1]}}]", 40202)]
    [InlineData("[{$bucket: {groupBy: '$x', boundaries: 5}}]", 40200)]
    [InlineData("[{$bucket: {groupBy: '$x', boundaries: ['$y', 1]}}]", 40191)]
    [InlineData("[{$bucket: {groupBy: '$x', boundaries: [0]}}]", 40192)]
    [InlineData("[{$bucket: {groupBy: '$x', boundaries: [0, 'a']}}]", 40193)]
    [InlineData("[{$bucket: {groupBy: '$x', boundaries: [5, 1]}}]", 40194)]
    [InlineData("[{$bucket: {groupBy: '$x', boundaries: [0, 1], default: '$y'}}]", 40195)]
    [InlineData("[{$bucket: {groupBy: '$x', boundaries: [0, 1], output: 1}}]", 40196)]
    [InlineData("[{$bucket: {groupBy: '$x', boundaries: [0, 1], foo: 1}}]", 40197)]
    [InlineData("[{$bucket: {groupBy: '$x'}}]", 40198)]
    [InlineData("[{$bucket: {groupBy: '$x', boundaries: [0, 10], default: 5}}]", 40199)]
    [InlineData("[{$bucketAuto: []}]", 40240)]
    [InlineData("[{$bucketAuto: {groupBy: 'x', buckets: 2}}]", 40239)]
    [InlineData("[{$bucketAuto: {groupBy: '$x', buckets: 'a'}}]", 40241)]
    [InlineData("[{$bucketAuto: {groupBy: '$x', buckets: 1.5}}]", 40242)]
    [InlineData("[{$bucketAuto: {groupBy: '$x', buckets: 0}}]", 40243)]
    [InlineData("[{$bucketAuto: {groupBy: '$x', buckets: 2, output: 1}}]", 40244)]
    [InlineData("[{$bucketAuto: {groupBy: '$x', buckets: 2, foo: 1}}]", 40245)]
    [InlineData("[{$bucketAuto: {groupBy: '$x'}}]", 40246)]
    [InlineData("[{$bucketAuto: {groupBy: '$x', buckets: 2, granularity: 'R7'}}]", 40257)]
    [InlineData("[{$bucketAuto: {groupBy: '$x', buckets: 2, granularity: 5}}]", 40261)]
    [InlineData("[{$bucketAuto: {groupBy: '$s', buckets: 2, granularity: 'R5'}}]", 40258)]
    [InlineData("[{$bucketAuto: {groupBy: '$n', buckets: 2, granularity: 'R5'}}]", 40260)]
    [InlineData("[{$bucketAuto: {groupBy: '$x', buckets: 2, output: {a: {$nope: 1}}}}]", 15952)]
    public void Bucket_spec_errors_carry_mongod_codes(string pipeline, int code) =>
        Assert.Equal(code, Code("[{x: 1, s: 'a', n: -1}]", pipeline));

    private const string Artwork = """
        [{_id: 1, title: 'The Pillars of Society', artist: 'Grosz', year: 1926, price: NumberDecimal('199.99')},
         {_id: 2, title: 'Melancholy III', artist: 'Munch', year: 1902, price: NumberDecimal('280.00')},
         {_id: 3, title: 'Dancer', artist: 'Miro', year: 1925, price: NumberDecimal('76.04')},
         {_id: 4, title: 'The Great Wave off Kanagawa', artist: 'Hokusai', price: NumberDecimal('167.30')},
         {_id: 5, title: 'The Persistence of Memory', artist: 'Dali', year: 1931, price: NumberDecimal('483.00')},
         {_id: 6, title: 'Composition VII', artist: 'Kandinsky', year: 1913, price: NumberDecimal('385.00')},
         {_id: 7, title: 'The Scream', artist: 'Munch', price: NumberDecimal('159.00')},
         {_id: 8, title: 'Blue Flower', artist: "O'Keefe", year: 1918, price: NumberDecimal('118.42')}]
        """;

    [Fact]
    public void BucketAuto_manual_example_even_buckets()
    {
        Check(Artwork, "[{$bucketAuto: {groupBy: '$price', buckets: 4}}]", """
            [{_id: {min: NumberDecimal('76.04'), max: NumberDecimal('159.00')}, count: 2},
             {_id: {min: NumberDecimal('159.00'), max: NumberDecimal('199.99')}, count: 2},
             {_id: {min: NumberDecimal('199.99'), max: NumberDecimal('385.00')}, count: 2},
             {_id: {min: NumberDecimal('385.00'), max: NumberDecimal('483.00')}, count: 2}]
            """);
        // Missing keys group as null (lowest); equal keys never straddle two buckets; output accumulators see sorted order.
        Check("[{y: 3}, {y: 1}, {}, {y: 1}, {y: 2}]", "[{$bucketAuto: {groupBy: '$y', buckets: 2, output: {ys: {$push: '$y'}, n: {$sum: 1}}}}]",
            "[{_id: {min: null, max: 2}, ys: [1, 1], n: 3}, {_id: {min: 2, max: 3}, ys: [2, 3], n: 2}]");
        Check("[]", "[{$bucketAuto: {groupBy: '$y', buckets: 2}}]", "[]");
    }

    [Fact]
    public void BucketAuto_granularity_rounds_boundaries_to_the_series()
    {
        const string docs = "[{v: 12}, {v: 14}, {v: 20}, {v: 30}, {v: 45}, {v: 50}, {v: 70}, {v: 100}]";
        Check(docs, "[{$bucketAuto: {groupBy: '$v', buckets: 2, granularity: 'R5'}}]",
            "[{_id: {min: 10.0, max: 40.0}, count: 4}, {_id: {min: 40.0, max: 160.0}, count: 4}]");
        Check(docs, "[{$bucketAuto: {groupBy: '$v', buckets: 2, granularity: 'E6'}}]",
            "[{_id: {min: 10.0, max: 33.0}, count: 4}, {_id: {min: 33.0, max: 150.0}, count: 4}]");
        // Powers of two: integral keys give integral boundaries ($pow(2, n)); a rounded boundary absorbs the keys below it.
        Check("[{v: 1}, {v: 2}, {v: 3}, {v: 4}, {v: 5}, {v: 6}, {v: 7}, {v: 8}]", "[{$bucketAuto: {groupBy: '$v', buckets: 2, granularity: 'POWERSOF2'}}]",
            "[{_id: {min: 0.5, max: 8}, count: 7}, {_id: {min: 8, max: 16}, count: 1}]");
        Check("[{v: 1.5}, {v: 3.0}]", "[{$bucketAuto: {groupBy: '$v', buckets: 2, granularity: 'POWERSOF2'}}]",
            "[{_id: {min: 1, max: 2}, count: 1}, {_id: {min: 2, max: 4}, count: 1}]");
        Check("[{v: 1}, {v: 4}]", "[{$bucketAuto: {groupBy: '$v', buckets: 2, granularity: '1-2-5'}}]",
            "[{_id: {min: 0.5, max: 2.0}, count: 1}, {_id: {min: 2.0, max: 5.0}, count: 1}]");
    }

    private const string Employees = """
        [{_id: 1, name: 'Dev'}, {_id: 2, name: 'Eliot', reportsTo: 'Dev'}, {_id: 3, name: 'Ron', reportsTo: 'Eliot'},
         {_id: 4, name: 'Andrew', reportsTo: 'Eliot'}, {_id: 5, name: 'Asya', reportsTo: 'Ron'}, {_id: 6, name: 'Dan', reportsTo: 'Andrew'}]
        """;

    private List<BsonDocument> Hierarchy(string options)
    {
        var result = Run("[{_id: 5, name: 'Asya', reportsTo: 'Ron'}]",
            "[{$graphLookup: {from: 'employees', startWith: '$reportsTo', connectFromField: 'reportsTo', connectToField: 'name', as: 'h'" + options + "}}]");
        return result[0]["h"].AsArray.Select(v => v.AsDocument).OrderBy(d => d["_id"].AsInt32).ToList();
    }

    [Fact]
    public void GraphLookup_manual_example_depth_maxDepth_and_restrict()
    {
        Insert("employees", Employees);
        Assert.Equal(Json.Array("[{_id: 1, name: 'Dev'}, {_id: 2, name: 'Eliot', reportsTo: 'Dev'}, {_id: 3, name: 'Ron', reportsTo: 'Eliot'}]"),
            new BsonArray(Hierarchy("")));
        Assert.Equal(Json.Array("[{_id: 1, name: 'Dev', d: NumberLong(2)}, {_id: 2, name: 'Eliot', reportsTo: 'Dev', d: NumberLong(1)}, {_id: 3, name: 'Ron', reportsTo: 'Eliot', d: NumberLong(0)}]"),
            new BsonArray(Hierarchy(", depthField: 'd'")));
        Assert.Equal([2, 3], Hierarchy(", maxDepth: 1").Select(d => d["_id"].AsInt32));
        Assert.Equal([3], Hierarchy(", maxDepth: 0").Select(d => d["_id"].AsInt32));
        Assert.Equal([3], Hierarchy(", restrictSearchWithMatch: {name: {$ne: 'Eliot'}}").Select(d => d["_id"].AsInt32));
        // Dev reports to no one: an empty array, and a missing start value matches nothing (not documents lacking the field).
        var dev = Run("[{_id: 1, name: 'Dev'}]", "[{$graphLookup: {from: 'employees', startWith: '$reportsTo', connectFromField: 'reportsTo', connectToField: 'reportsTo', as: 'h'}}]");
        Assert.Empty(dev[0]["h"].AsArray);
    }

    [Fact]
    public void GraphLookup_terminates_on_cycles_and_follows_arrays()
    {
        Insert("g", "[{_id: 1, name: 'a', next: 'b'}, {_id: 2, name: 'b', next: ['a', 'c']}, {_id: 3, name: 'c', next: 'a'}, {_id: 4, name: 'd'}]");
        var result = Run("[{start: 'a'}]", "[{$graphLookup: {from: 'g', startWith: '$start', connectFromField: 'next', connectToField: 'name', as: 'r', depthField: 'depth'}}]");
        var found = result[0]["r"].AsArray.Select(v => (v.AsDocument["name"].AsString, v.AsDocument["depth"].ToInt64())).OrderBy(x => x.Item1).ToList();
        Assert.Equal([("a", 0L), ("b", 1L), ("c", 2L)], found);
    }

    [Theory]
    [InlineData("[{$graphLookup: 1}]", 9)]
    [InlineData("[{$graphLookup: {as: 'x'}}]", 9)]
    [InlineData("[{$graphLookup: {from: 'g', startWith: 1, connectFromField: 'a', connectToField: 'b', as: 'x', maxDepth: 'a'}}]", 40100)]
    [InlineData("[{$graphLookup: {from: 'g', startWith: 1, connectFromField: 'a', connectToField: 'b', as: 'x', maxDepth: -1}}]", 40101)]
    [InlineData("[{$graphLookup: {from: 'g', startWith: 1, connectFromField: 'a', connectToField: 'b', as: 'x', maxDepth: 1.5}}]", 40102)]
    [InlineData("[{$graphLookup: {from: 'g', startWith: 1, connectFromField: 1, connectToField: 'b', as: 'x'}}]", 40103)]
    [InlineData("[{$graphLookup: {from: 'g', startWith: 1, connectFromField: 'a', connectToField: 'b', as: 'x', bad: 1}}]", 40104)]
    [InlineData("[{$graphLookup: {from: 'g', startWith: 1, connectFromField: 'a', as: 'x'}}]", 40105)]
    [InlineData("[{$graphLookup: {from: 'g', startWith: 1, connectFromField: 'a', connectToField: 'b', as: 'x', restrictSearchWithMatch: 1}}]", 40185)]
    public void GraphLookup_spec_errors_carry_mongod_codes(string pipeline, int code) => Assert.Equal(code, Code("[{}]", pipeline));

    [Fact]
    public void Redact_manual_examples_descend_prune_keep()
    {
        const string forecast = """
            [{_id: 1, title: '123 Department Report', tags: ['G', 'STLW'], year: 2014,
              subsections: [{subtitle: 'Section 1: Overview', tags: ['SI', 'G'], content: 'Section 1: This is the content of section 1.'},
                            {subtitle: 'Section 2: Analysis', tags: ['STLW'], content: 'Section 2: This is the content of section 2.'},
                            {subtitle: 'Section 3: Budgeting', tags: ['TK'], content: {text: 'Section 3: This is the content of section 3.', tags: ['HCS']}}]}]
            """;
        Check(forecast,
            "[{$match: {year: 2014}}, {$redact: {$cond: {if: {$gt: [{$size: {$setIntersection: ['$tags', ['STLW', 'G']]}}, 0]}, then: '$$DESCEND', else: '$$PRUNE'}}}]",
            """
            [{_id: 1, title: '123 Department Report', tags: ['G', 'STLW'], year: 2014,
              subsections: [{subtitle: 'Section 1: Overview', tags: ['SI', 'G'], content: 'Section 1: This is the content of section 1.'},
                            {subtitle: 'Section 2: Analysis', tags: ['STLW'], content: 'Section 2: This is the content of section 2.'}]}]
            """);
        const string accounts = "[{_id: 1, level: 1, acct_id: 'xyz', cc: {level: 5, num: 1, billing: {level: 5}}, ship: [{level: 3, city: 'x'}, {level: 5}], status: 'A'}, {_id: 2, level: 5}]";
        Check(accounts, "[{$redact: {$cond: {if: {$eq: ['$level', 5]}, then: '$$PRUNE', else: '$$DESCEND'}}}]",
            "[{_id: 1, level: 1, acct_id: 'xyz', ship: [{level: 3, city: 'x'}], status: 'A'}]");
        // $$KEEP returns the (sub)document whole, even parts the expression would have pruned further down.
        Check(accounts, "[{$redact: {$cond: [{$eq: ['$level', 1]}, '$$KEEP', '$$PRUNE']}}]", "[" + accounts[1..accounts.IndexOf(", {_id: 2", StringComparison.Ordinal)] + "]");
        Assert.Equal(17053, Code(accounts, "[{$redact: 1}]"));
    }

    [Fact]
    public void Densify_manual_examples_explicit_dates_and_full_partitions()
    {
        const string weather = """
            [{metadata: {sensorId: 5578, type: 'temperature'}, timestamp: ISODate('2021-05-18T00:00:00Z'), temp: 12},
             {metadata: {sensorId: 5578, type: 'temperature'}, timestamp: ISODate('2021-05-18T04:00:00Z'), temp: 11},
             {metadata: {sensorId: 5578, type: 'temperature'}, timestamp: ISODate('2021-05-18T08:00:00Z'), temp: 11},
             {metadata: {sensorId: 5578, type: 'temperature'}, timestamp: ISODate('2021-05-18T12:00:00Z'), temp: 12}]
            """;
        var result = Run(weather, "[{$densify: {field: 'timestamp', range: {step: 1, unit: 'hour', bounds: [ISODate('2021-05-18T00:00:00Z'), ISODate('2021-05-18T08:00:00Z')]}}}]");
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 12], result.Select(d => ((BsonDateTime)d["timestamp"]).ToUniversalTime().Hour));
        Assert.Equal(Json.Doc("{timestamp: ISODate('2021-05-18T01:00:00Z')}"), result[1]);
        Assert.True(result[4].Contains("temp"));

        const string coffee = """
            [{altitude: 600, variety: 'Arabica Typica', score: 68.3}, {altitude: 750, variety: 'Arabica Typica', score: 69.5},
             {altitude: 950, variety: 'Arabica Typica', score: 70.5}, {altitude: 1250, variety: 'Gesha', score: 88.15},
             {altitude: 1700, variety: 'Gesha', score: 85.5}, {altitude: 1600, variety: 'SL28', score: 66.5}]
            """;
        var full = Run(coffee, "[{$densify: {field: 'altitude', partitionByFields: ['variety'], range: {bounds: 'full', step: 200}}}]");
        string Show(BsonDocument d) => d["variety"].AsString + ":" + d["altitude"].AsInt32 + (d.Contains("score") ? "*" : "");
        Assert.Equal(
            ["Arabica Typica:600*", "Arabica Typica:750*", "Arabica Typica:800", "Arabica Typica:950*", "Arabica Typica:1000", "Arabica Typica:1200",
             "Arabica Typica:1400", "Arabica Typica:1600", "Gesha:600", "Gesha:800", "Gesha:1000", "Gesha:1200", "Gesha:1250*", "Gesha:1400",
             "Gesha:1600", "Gesha:1700*", "SL28:600", "SL28:800", "SL28:1000", "SL28:1200", "SL28:1400", "SL28:1600*"],
            full.Select(Show).OrderBy(s => s.Split(':')[0], StringComparer.Ordinal).ThenBy(s => int.Parse(s.Split(':')[1].TrimEnd('*'), System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(Json.Doc("{variety: 'Gesha', altitude: 600}"), full.First(d => d["variety"] == "Gesha"));

        var partition = Run(coffee, "[{$densify: {field: 'altitude', partitionByFields: ['variety'], range: {bounds: 'partition', step: 200}}}]");
        Assert.Equal(
            ["Arabica Typica:600*", "Arabica Typica:750*", "Arabica Typica:800", "Arabica Typica:950*", "Gesha:1250*", "Gesha:1450", "Gesha:1650", "Gesha:1700*", "SL28:1600*"],
            partition.Select(Show));
    }

    [Fact]
    public void Densify_numeric_explicit_bounds_nulls_and_empty_input()
    {
        Check("[{x: 1}, {x: null}, {x: 7}]", "[{$densify: {field: 'x', range: {step: 2, bounds: [0, 6]}}}]",
            "[{x: null}, {x: 0}, {x: 1}, {x: 2}, {x: 4}, {x: 7}]");
        Check("[]", "[{$densify: {field: 'x', range: {step: 2, bounds: [0, 6]}}}]", "[{x: 0}, {x: 2}, {x: 4}]");
        Check("[{x: 2}, {x: 5}]", "[{$densify: {field: 'x', range: {step: 1, bounds: 'full'}}}]", "[{x: 2}, {x: 3}, {x: 4}, {x: 5}]");
    }

    [Theory]
    [InlineData("[{$densify: 1}]", 9)]
    [InlineData("[{$densify: {range: {step: 1, bounds: 'full'}}}]", 40414)]
    [InlineData("[{$densify: {field: 'x', range: {step: 1, bounds: 'full'}, foo: 1}}]", 40415)]
    [InlineData("[{$densify: {field: 'x', range: {step: 0, bounds: 'full'}}}]", 5733401)]
    [InlineData("[{$densify: {field: 'x', range: {step: 1, bounds: [1]}}}]", 5733403)]
    [InlineData("[{$densify: {field: 'x', range: {step: 1, bounds: [5, 1]}}}]", 5733402)]
    [InlineData("[{$densify: {field: 'x', range: {step: 1, bounds: 'part'}}}]", 5946802)]
    [InlineData("[{$densify: {field: 'x', range: {step: 1, bounds: 3}}}]", 5733404)]
    [InlineData("[{$densify: {field: 'x', range: {step: 1, bounds: [1, 2.5]}}}]", 5876900)]
    [InlineData("[{$densify: {field: 'x', range: {step: 1, unit: 'day', bounds: [1, 2]}}}]", 5733409)]
    [InlineData("[{$densify: {field: 'x', range: {step: 1, bounds: 'partition'}}}]", 5733408)]
    [InlineData("[{$densify: {field: 's', range: {step: 1, bounds: 'full'}}}]", 5733201)]
    [InlineData("[{$densify: {field: 'x', range: {step: 1, unit: 'day', bounds: 'full'}}}]", 6053600)]
    public void Densify_spec_errors_carry_mongod_codes(string pipeline, int code) => Assert.Equal(code, Code("[{x: 1, s: 'a'}]", pipeline));

    [Fact]
    public void Fill_manual_examples_value_locf_linear()
    {
        Check("""
            [{date: ISODate('2022-02-02'), bootsSold: 10, sandalsSold: 20, sneakersSold: 12},
             {date: ISODate('2022-02-03'), bootsSold: 7, sneakersSold: 18},
             {date: ISODate('2022-02-04'), sneakersSold: 5}]
            """, "[{$fill: {output: {bootsSold: {value: 0}, sandalsSold: {value: 0}, sneakersSold: {value: 0}}}}]", """
            [{date: ISODate('2022-02-02'), bootsSold: 10, sandalsSold: 20, sneakersSold: 12},
             {date: ISODate('2022-02-03'), bootsSold: 7, sneakersSold: 18, sandalsSold: 0},
             {date: ISODate('2022-02-04'), sneakersSold: 5, bootsSold: 0, sandalsSold: 0}]
            """);
        const string stock = """
            [{time: ISODate('2021-03-08T09:00:00Z'), price: 500}, {time: ISODate('2021-03-08T10:00:00Z')},
             {time: ISODate('2021-03-08T11:00:00Z'), price: 515}, {time: ISODate('2021-03-08T12:00:00Z')},
             {time: ISODate('2021-03-08T13:00:00Z')}, {time: ISODate('2021-03-08T14:00:00Z'), price: 485}]
            """;
        Assert.Equal([500, 500, 515, 515, 515, 485], Run(stock, "[{$fill: {sortBy: {time: 1}, output: {price: {method: 'locf'}}}}]").Select(d => d["price"].ToDouble()));
        var linear = Run(stock, "[{$fill: {sortBy: {time: 1}, output: {price: {method: 'linear'}}}}]").Select(d => d["price"].ToDouble()).ToList();
        Assert.Equal([500, 507.5, 515, 505, 495, 485], linear, (a, b) => Math.Abs(a - b) < 1e-9);
        // Partitioned locf never carries a value across partitions.
        Check("[{g: 1, t: 1, v: 5}, {g: 2, t: 2}, {g: 1, t: 3}]", "[{$fill: {partitionByFields: ['g'], sortBy: {t: 1}, output: {v: {method: 'locf'}}}}]",
            "[{g: 1, t: 1, v: 5}, {g: 1, t: 3, v: 5}, {g: 2, t: 2, v: null}]");
    }

    [Theory]
    [InlineData("[{$fill: 1}]", 9)]
    [InlineData("[{$fill: {output: {}}}]", 6050203)]
    [InlineData("[{$fill: {output: {a: 1}}}]", 6050200)]
    [InlineData("[{$fill: {output: {a: {method: 'locf', value: 1}}}}]", 6050201)]
    [InlineData("[{$fill: {output: {a: {method: 'nearest'}}}}]", 6050202)]
    [InlineData("[{$fill: {partitionBy: '$a', partitionByFields: ['a'], output: {a: {value: 1}}}}]", 6050204)]
    [InlineData("[{$fill: {output: {a: {method: 'linear'}}}}]", 605001)]
    [InlineData("[{$fill: {sortBy: {a: 1}}}]", 40414)]
    public void Fill_spec_errors_carry_mongod_codes(string pipeline, int code) => Assert.Equal(code, Code("[{a: 1}]", pipeline));

    [Fact]
    public void IndexStats_and_planCacheStats_are_first_stage_sources()
    {
        Insert("c", "[{_id: 1}]");
        var stats = Run("[]", "[{$indexStats: {}}]");
        var id = Assert.Single(stats);
        Assert.Equal("_id_", id["name"].AsString);
        Assert.Equal(Json.Doc("{_id: 1}"), id["key"]);
        Assert.Equal(BsonType.Int64, id["accesses"].AsDocument["ops"].BsonType);
        Assert.Equal("_id_", id["spec"].AsDocument["name"].AsString);
        Assert.Equal(28803, Code("[]", "[{$indexStats: {a: 1}}]"));
        Assert.Equal(40602, Code("[]", "[{$match: {}}, {$indexStats: {}}]"));
        Assert.Empty(Run("[]", "[{$planCacheStats: {}}]"));
        Assert.Equal(9, Code("[]", "[{$planCacheStats: 1}]"));
        Assert.Equal(40602, Code("[]", "[{$match: {}}, {$planCacheStats: {}}]"));
    }
}
