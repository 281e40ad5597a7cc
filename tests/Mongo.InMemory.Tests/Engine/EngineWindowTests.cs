using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Engine.Pipeline;
using Xunit;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>$setWindowFields: the MongoDB manual's cakeSales/stock examples, every window function, bounds and mongod's error codes.</summary>
public sealed class EngineWindowTests
{
    private readonly Storage _storage = new();

    private List<BsonDocument> Run(string docs, string pipeline)
    {
        var input = Json.Array(docs).Select(v => v.AsDocument).ToList();
        return AggregationPipeline.Run(Json.Array(pipeline), input, new PipelineContext { Storage = _storage, Database = "db", Collection = "c" });
    }

    private List<BsonValue?> Output(string docs, string output, string sortBy = "{t: 1}", string field = "o") =>
        Run(docs, "[{$setWindowFields: {sortBy: " + sortBy + ", output: {" + field + ": " + output + "}}}]")
            .Select(d => d.TryGetValue(field, out var v) ? v : null).ToList();

    private int Code(string docs, string pipeline) => Assert.Throws<CommandException>(() => Run(docs, pipeline)).Code;

    private const string CakeSales = """
        [{_id: 0, type: 'chocolate', orderDate: ISODate('2020-05-18T14:10:30Z'), state: 'CA', price: 13, quantity: 120},
         {_id: 1, type: 'chocolate', orderDate: ISODate('2021-03-20T11:30:05Z'), state: 'WA', price: 14, quantity: 140},
         {_id: 2, type: 'vanilla', orderDate: ISODate('2021-01-11T06:31:15Z'), state: 'CA', price: 12, quantity: 145},
         {_id: 3, type: 'vanilla', orderDate: ISODate('2020-02-08T13:13:23Z'), state: 'WA', price: 13, quantity: 104},
         {_id: 4, type: 'strawberry', orderDate: ISODate('2019-05-18T16:09:01Z'), state: 'CA', price: 41, quantity: 162},
         {_id: 5, type: 'strawberry', orderDate: ISODate('2019-01-08T06:12:03Z'), state: 'WA', price: 43, quantity: 134}]
        """;

    [Fact]
    public void Manual_cumulative_quantity_per_state()
    {
        var result = Run(CakeSales, """
            [{$setWindowFields: {partitionBy: '$state', sortBy: {orderDate: 1},
               output: {cumulativeQuantityForState: {$sum: '$quantity', window: {documents: ['unbounded', 'current']}}}}}]
            """);
        Assert.Equal([4, 0, 2, 5, 3, 1], result.Select(d => d["_id"].AsInt32));
        Assert.Equal([162, 282, 427, 134, 238, 378], result.Select(d => d["cumulativeQuantityForState"].AsInt32));
        Assert.Equal(Json.Doc("{_id: 4, type: 'strawberry', orderDate: ISODate('2019-05-18T16:09:01Z'), state: 'CA', price: 41, quantity: 162, cumulativeQuantityForState: 162}"), result[0]);
    }

    [Fact]
    public void Manual_partition_by_expression_and_moving_average()
    {
        var byYear = Run(CakeSales, """
            [{$setWindowFields: {partitionBy: {$year: '$orderDate'}, sortBy: {orderDate: 1},
               output: {cumulativeQuantityForYear: {$sum: '$quantity', window: {documents: ['unbounded', 'current']}}}}}]
            """);
        Assert.Equal([5, 4, 3, 0, 2, 1], byYear.Select(d => d["_id"].AsInt32));
        Assert.Equal([134, 296, 104, 224, 145, 285], byYear.Select(d => d["cumulativeQuantityForYear"].AsInt32));
        Assert.DoesNotContain(byYear, d => d.Names.Any(n => n.StartsWith("__", StringComparison.Ordinal)));

        var moving = Run(CakeSales, """
            [{$setWindowFields: {partitionBy: '$state', sortBy: {orderDate: 1},
               output: {averageQuantity: {$avg: '$quantity', window: {documents: [-1, 0]}}}}}]
            """);
        Assert.Equal([162.0, 141.0, 132.5, 134.0, 119.0, 122.0], moving.Select(d => d["averageQuantity"].AsDouble));
        var total = Run(CakeSales, "[{$setWindowFields: {partitionBy: '$state', output: {n: {$count: {}}, s: {$sum: '$quantity'}, all: {$push: '$_id'}}}}]");
        Assert.All(total, d => Assert.Equal(3, d["n"].AsInt32));
        Assert.Equal([427, 427, 427, 378, 378, 378], total.Select(d => d["s"].AsInt32));
    }

    [Fact]
    public void Rank_denseRank_documentNumber_share_ties_as_mongod()
    {
        const string docs = "[{s: 20}, {s: 30}, {s: 20}, {s: 10}]";
        Assert.Equal([1, 2, 2, 4], Output(docs, "{$rank: {}}", "{s: -1}").Select(v => v!.AsInt32));
        Assert.Equal([1, 2, 2, 3], Output(docs, "{$denseRank: {}}", "{s: -1}").Select(v => v!.AsInt32));
        Assert.Equal([1, 2, 3, 4], Output(docs, "{$documentNumber: {}}", "{s: -1}").Select(v => v!.AsInt32));
        // null and missing rank together.
        Assert.Equal([1, 1, 3], Output("[{s: null}, {}, {s: 1}]", "{$rank: {}}", "{s: 1}").Select(v => v!.AsInt32));
    }

    [Fact]
    public void Range_windows_numeric_and_time_units()
    {
        Assert.Equal([3, 6, 5, 5, 8], Output("[{t: 1}, {t: 2}, {t: 3}, {t: 5}, {t: 8}]", "{$sum: '$t', window: {range: [-1, 1]}}").Select(v => v!.AsInt32));
        Assert.Equal([1, 3, 6, 11, 19], Output("[{t: 1}, {t: 2}, {t: 3}, {t: 5}, {t: 8}]", "{$sum: '$t', window: {range: ['unbounded', 'current']}}").Select(v => v!.AsInt32));
        const string days = "[{t: ISODate('2021-01-01')}, {t: ISODate('2021-01-02')}, {t: ISODate('2021-01-04')}, {t: ISODate('2021-02-03')}]";
        Assert.Equal([1, 2, 1, 1], Output(days, "{$count: {}, window: {range: [-1, 0], unit: 'day'}}").Select(v => v!.AsInt32));
        Assert.Equal([1, 2, 3, 2], Output(days, "{$count: {}, window: {range: [-1, 'current'], unit: 'month'}}").Select(v => v!.AsInt32));
    }

    [Fact]
    public void Accumulators_over_bounded_and_empty_windows()
    {
        const string docs = "[{t: 1, v: 'a'}, {t: 2}, {t: 3, v: 'c'}]";
        Assert.Equal(["a", null, "c"], Output(docs, "{$first: '$v', window: {documents: [0, 1]}}").Select(v => v?.AsString));
        Assert.Equal([null, "c", "c"], Output(docs, "{$last: '$v', window: {documents: ['unbounded', 1]}}").Select(v => v?.AsString));
        Assert.Equal(Json.Array("[['a'], ['a'], ['c']]"), new BsonArray(Output(docs, "{$push: '$v', window: {documents: [-1, 0]}}")!));
        Assert.Equal(Json.Array("[['a'], ['a'], ['a', 'c']]"), new BsonArray(Output(docs, "{$addToSet: '$v', window: {documents: ['unbounded', 'current']}}")!));
        // Windows past the partition's end are empty: each function's empty value.
        Assert.Equal(0, Output(docs, "{$sum: '$t', window: {documents: [5, 6]}}")[0]!.AsInt32);
        Assert.Equal(new BsonArray(), Output(docs, "{$push: '$t', window: {documents: [5, 6]}}")[0]);
        Assert.Equal(BsonNull.Value, Output(docs, "{$first: '$t', window: {documents: [5, 6]}}")[0]);
        Assert.Equal(BsonNull.Value, Output(docs, "{$min: '$t', window: {documents: [5, 6]}}")[0]);
        Assert.Equal([1, 1, 2], Output(docs, "{$min: '$t', window: {documents: [-1, 0]}}").Select(v => v!.AsInt32));
        Assert.Equal([0.5, 0.5], Output("[{t: 1, v: 1}, {t: 2, v: 2}]", "{$stdDevPop: '$v'}").Select(v => v!.AsDouble));
    }

    [Theory]
    [InlineData("$sum")]
    [InlineData("$avg")]
    [InlineData("$min")]
    [InlineData("$max")]
    [InlineData("$push")]
    [InlineData("$addToSet")]
    [InlineData("$stdDevSamp")]
    public void Growing_windows_reuse_one_accumulator_with_the_same_answers(string op)
    {
        // ['unbounded', k] windows feed one $group state document by document; [-1000, k] windows (same documents here)
        // run $group over each window: both must agree, types included.
        var docs = "[" + string.Join(", ", Enumerable.Range(0, 60).Select(i => "{t: " + i + ", v: " + (i % 7 == 0 ? "null" : i % 5 == 0 ? "2.5" : (i * 37 % 11).ToString(System.Globalization.CultureInfo.InvariantCulture)) + "}")) + "]";
        foreach (var upper in new[] { "'current'", "2", "-3" })
        {
            var growing = Output(docs, "{" + op + ": '$v', window: {documents: ['unbounded', " + upper + "]}}");
            var bounded = Output(docs, "{" + op + ": '$v', window: {documents: [-1000, " + upper + "]}}");
            Assert.Equal(new BsonArray(bounded!), new BsonArray(growing!));
        }
        var count = Output(docs, "{$count: {}, window: {range: ['unbounded', 'current']}}");
        Assert.Equal(Enumerable.Range(1, 60), count.Select(v => v!.AsInt32));
    }

    [Fact]
    public void Shift_derivative_integral_and_covariance()
    {
        Assert.Equal(Json.Array("[2, 3, 'none']"), new BsonArray(Output("[{t: 1}, {t: 2}, {t: 3}]", "{$shift: {output: {$add: ['$t', 0]}, by: 1, default: 'none'}}")!));
        Assert.Equal(Json.Array("[null, 1, 2]"), new BsonArray(Output("[{t: 1}, {t: 2}, {t: 3}]", "{$shift: {output: '$t', by: -1}}")!));

        const string series = "[{t: 0, v: 0}, {t: 1, v: 10}, {t: 2, v: 20}, {t: 4, v: 60}]";
        Assert.Equal(Json.Array("[null, 10.0, 10.0, 20.0]"), new BsonArray(Output(series, "{$derivative: {input: '$v'}, window: {documents: [-1, 0]}}")!));
        var integral = Output(series, "{$integral: {input: '$v'}, window: {documents: ['unbounded', 'current']}}");
        Assert.Equal(0, integral[0]!.ToDouble());
        Assert.Equal(Json.Array("[5.0, 20.0, 100.0]"), new BsonArray(integral.Skip(1)!));
        var perHour = Output("[{t: ISODate('2021-01-01T00:00:00Z'), v: 0}, {t: ISODate('2021-01-01T01:00:00Z'), v: 100}]",
            "{$derivative: {input: '$v', unit: 'hour'}, window: {documents: [-1, 0]}}");
        Assert.Equal(100, perHour[1]!.ToDouble(), 9);
        var hours = Output("[{t: ISODate('2021-01-01T00:00:00Z'), v: 10}, {t: ISODate('2021-01-01T02:00:00Z'), v: 10}]",
            "{$integral: {input: '$v', unit: 'hour'}, window: {documents: ['unbounded', 'current']}}");
        Assert.Equal(20, hours[1]!.ToDouble(), 9);

        const string pairs = "[{t: 1, x: 1, y: 2}, {t: 2, x: 2, y: 4}, {t: 3, x: 3, y: 6}, {t: 4, x: 'n', y: 1}]";
        Assert.Equal(4.0 / 3, Output(pairs, "{$covariancePop: ['$x', '$y']}")[0]!.AsDouble, 12);
        Assert.Equal(2.0, Output(pairs, "{$covarianceSamp: ['$x', '$y']}")[0]!.AsDouble, 12);
        Assert.Equal(BsonNull.Value, Output(pairs, "{$covarianceSamp: ['$x', '$y'], window: {documents: [0, 0]}}")[0]);
    }

    [Fact]
    public void Manual_expMovingAvg_linearFill_locf()
    {
        const string stock = """
            [{stock: 'ABC', date: ISODate('2020-05-18T20:00:00Z'), price: 13}, {stock: 'ABC', date: ISODate('2020-05-19T20:00:00Z'), price: 15.4},
             {stock: 'ABC', date: ISODate('2020-05-20T20:00:00Z'), price: 12}, {stock: 'ABC', date: ISODate('2020-05-21T20:00:00Z'), price: 11.7},
             {stock: 'DEF', date: ISODate('2020-05-18T20:00:00Z'), price: 82}, {stock: 'DEF', date: ISODate('2020-05-19T20:00:00Z'), price: 94.3},
             {stock: 'DEF', date: ISODate('2020-05-20T20:00:00Z'), price: 112}, {stock: 'DEF', date: ISODate('2020-05-21T20:00:00Z'), price: 97.3}]
            """;
        var byN = Run(stock, "[{$setWindowFields: {partitionBy: '$stock', sortBy: {date: 1}, output: {e: {$expMovingAvg: {input: '$price', N: 2}}}}}]");
        Assert.Equal([13, 14.6, 12.866666666666667, 12.088888888888889, 82, 90.2, 104.73333333333333, 99.77777777777777],
            byN.Select(d => d["e"].AsDouble), (a, b) => Math.Abs(a - b) < 1e-9);
        var byAlpha = Run(stock, "[{$setWindowFields: {partitionBy: '$stock', sortBy: {date: 1}, output: {e: {$expMovingAvg: {input: '$price', alpha: 0.75}}}}}]");
        Assert.Equal([13, 14.8, 12.7, 11.95, 82, 91.225, 106.80625, 99.6765625], byAlpha.Select(d => d["e"].AsDouble), (a, b) => Math.Abs(a - b) < 1e-6);

        const string gaps = "[{t: 1, v: 10}, {t: 2}, {t: 3, v: null}, {t: 4, v: 40}, {t: 5}]";
        Assert.Equal(Json.Array("[10, 20.0, 30.0, 40, null]"), new BsonArray(Output(gaps, "{$linearFill: '$v'}")!));
        Assert.Equal(Json.Array("[10, 10, 10, 40, 40]"), new BsonArray(Output(gaps, "{$locf: '$v'}")!));
        Assert.Equal(6050106, Code("[{t: 1, v: 1}, {t: 1}]", "[{$setWindowFields: {sortBy: {t: 1}, output: {v: {$linearFill: '$v'}}}}]"));
    }

    [Theory]
    [InlineData("[{$setWindowFields: 1}]", 9)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1}}}]", 40414)]
    [InlineData("[{$setWindowFields: {output: {}, foo: 1}}]", 40415)]
    [InlineData("[{$setWindowFields: {sortBy: 1, output: {}}}]", 14)]
    [InlineData("[{$setWindowFields: {output: {a: {$sum: 1}, 'a.b': {$sum: 1}}}}]", 6307900)]
    [InlineData("[{$setWindowFields: {output: {a: 1}}}]", 9)]
    [InlineData("[{$setWindowFields: {output: {a: {$summ: 1}}}}]", 9)]
    [InlineData("[{$setWindowFields: {output: {a: {window: {}}}}}]", 9)]
    [InlineData("[{$setWindowFields: {output: {a: {$sum: 1, foo: 1}}}}]", 9)]
    [InlineData("[{$setWindowFields: {output: {a: {$sum: 1, window: 1}}}}]", 9)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1}, output: {a: {$sum: 1, window: {documents: [1]}}}}}]", 9)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1}, output: {a: {$sum: 1, window: {documents: ['x', 1]}}}}}]", 9)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1}, output: {a: {$sum: 1, window: {documents: [1.5, 2]}}}}}]", 9)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1}, output: {a: {$sum: 1, window: {documents: [2, 1]}}}}}]", 5339900)]
    [InlineData("[{$setWindowFields: {output: {a: {$sum: 1, window: {documents: [-1, 1]}}}}}]", 5339901)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1, u: 1}, output: {a: {$sum: 1, window: {range: [-1, 1]}}}}}]", 5339902)]
    [InlineData("[{$setWindowFields: {sortBy: {t: -1}, output: {a: {$sum: 1, window: {range: [-1, 1]}}}}}]", 8947401)]
    [InlineData("[{$setWindowFields: {sortBy: {s: 1}, output: {a: {$sum: 1, window: {range: [-1, 1]}}}}}]", 5429414)]
    [InlineData("[{$setWindowFields: {sortBy: {d: 1}, output: {a: {$sum: 1, window: {range: [-1, 1]}}}}}]", 5429413)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1}, output: {a: {$sum: 1, window: {range: [-1, 1], unit: 'day'}}}}}]", 5429513)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1}, output: {a: {$sum: 1, window: {range: [-1, 1], unit: 'eon'}}}}}]", 9)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1}, output: {a: {$rank: {}, window: {}}}}}]", 5371601)]
    [InlineData("[{$setWindowFields: {output: {a: {$rank: {}}}}}]", 5371602)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1}, output: {a: {$rank: 1}}}}]", 5371603)]
    [InlineData("[{$setWindowFields: {output: {a: {$shift: {output: '$t', by: 1}}}}}]", 9)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1}, output: {a: {$shift: {output: '$t', by: 1.5}}}}}]", 9)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1}, output: {a: {$derivative: {input: '$t'}}}}}]", 9)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1}, output: {a: {$derivative: {input: '$t', unit: 'month'}, window: {documents: [-1, 0]}}}}}]", 5490710)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1}, output: {a: {$derivative: {input: '$t', unit: 'hour'}, window: {documents: [-1, 0]}}}}}]", 5624900)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1}, output: {a: {$derivative: {input: '$m'}, window: {documents: [-1, 0]}}}}}]", 5624903)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1}, output: {a: {$integral: {input: '$s'}}}}}]", 5423900)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1}, output: {a: {$expMovingAvg: {input: '$t', N: 0}}}}}]", 9)]
    [InlineData("[{$setWindowFields: {output: {a: {$expMovingAvg: {input: '$t', N: 2}}}}}]", 9)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1}, output: {a: {$locf: '$t', window: {}}}}}]", 9)]
    [InlineData("[{$setWindowFields: {sortBy: {t: 1}, output: {a: {$count: 1}}}}]", 40272)]
    [InlineData("[{$setWindowFields: {partitionBy: '$arr', output: {a: {$sum: 1}}}}]", 14)]
    public void Spec_errors_carry_mongod_codes(string pipeline, int code) =>
        Assert.Equal(code, Code("[{t: 1, s: 'x', d: ISODate('2021-01-01'), arr: [1]}, {t: 2, s: 'y', d: ISODate('2021-01-02'), arr: [2]}]", pipeline));
}
