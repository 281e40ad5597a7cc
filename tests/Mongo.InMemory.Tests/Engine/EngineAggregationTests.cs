using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Engine.Expressions;
using Mongo.InMemory.Engine.Pipeline;
using Xunit;

namespace Mongo.InMemory.Tests.Engine;

public sealed class EngineAggregationTests
{
    private readonly Storage _storage = new();

    private List<BsonDocument> Run(string docs, string pipeline)
    {
        var input = Json.Array(docs).Select(v => v.AsDocument).ToList();
        return AggregationPipeline.Run(Json.Array(pipeline), input, new PipelineContext { Storage = _storage, Database = "db" });
    }

    private void Check(string docs, string pipeline, string expected)
    {
        var result = Run(docs, pipeline);
        Assert.Equal(Json.Array(expected), new BsonArray(result));
    }

    private static BsonValue? E(string expr, string doc = "{}") =>
        ExpressionEvaluator.Evaluate(Json.Value(expr), new ExprScope(Json.Doc(doc)));

    [Fact]
    public void Match_project_addFields_unset()
    {
        Check("[{_id: 1, a: 1, b: 2}, {_id: 2, a: 5, b: 1}]", "[{$match: {a: {$gt: 2}}}, {$project: {b: 1}}]", "[{_id: 2, b: 1}]");
        Check("[{_id: 1, a: 1}]", "[{$addFields: {c: {$multiply: ['$a', 10]}, 'd.e': 1}}]", "[{_id: 1, a: 1, c: 10, d: {e: 1}}]");
        Check("[{_id: 1, a: 1, b: 2}]", "[{$set: {a: '$$REMOVE'}}]", "[{_id: 1, b: 2}]");
        Check("[{_id: 1, a: 1, b: 2}]", "[{$unset: ['a', '_id']}]", "[{b: 2}]");
        Check("[{_id: 1, a: {b: 1}}]", "[{$replaceRoot: {newRoot: '$a'}}]", "[{b: 1}]");
        Check("[{_id: 1, a: {b: 1}}]", "[{$replaceWith: {x: '$a.b'}}]", "[{x: 1}]");
    }

    [Fact]
    public void Sort_skip_limit_count()
    {
        Check("[{_id: 1}, {_id: 3}, {_id: 2}]", "[{$sort: {_id: -1}}, {$skip: 1}, {$limit: 1}]", "[{_id: 2}]");
        Check("[{_id: 1}, {_id: 3}]", "[{$count: 'n'}]", "[{n: 2}]");
        Check("[]", "[{$count: 'n'}]", "[]");
    }

    [Fact]
    public void Group_accumulators()
    {
        Check("[{k: 'a', v: 1}, {k: 'b', v: 2}, {k: 'a', v: 3}, {k: 'a', v: 'x'}]",
            "[{$group: {_id: '$k', s: {$sum: '$v'}, mn: {$min: '$v'}, mx: {$max: '$v'}, f: {$first: '$v'}, l: {$last: '$v'}, p: {$push: '$v'}, u: {$addToSet: '$k'}, c: {$count: {}}}}, {$sort: {_id: 1}}]",
            "[{_id: 'a', s: 4, mn: 1, mx: 'x', f: 1, l: 'x', p: [1, 3, 'x'], u: ['a'], c: 3}, {_id: 'b', s: 2, mn: 2, mx: 2, f: 2, l: 2, p: [2], u: ['b'], c: 1}]");
        Check("[{v: 1}, {v: 2.0}]", "[{$group: {_id: null, a: {$avg: '$v'}, s: {$sum: '$v'}}}]", "[{_id: null, a: 1.5, s: 3.0}]");
        Check("[{v: 1}, {v: 1.0}]", "[{$group: {_id: '$v', n: {$sum: 1}}}]", "[{_id: 1, n: 2}]");
        Check("[{a: 1}]", "[{$group: {_id: {x: '$a', y: '$missing'}}}]", "[{_id: {x: 1}}]");
        Check("[{t: 'x'}, {t: 'y'}, {t: 'x'}]", "[{$sortByCount: '$t'}]", "[{_id: 'x', count: 2}, {_id: 'y', count: 1}]");
    }

    [Fact]
    public void Unwind_options()
    {
        const string docs = "[{_id: 1, a: [1, 2]}, {_id: 2, a: []}, {_id: 3}, {_id: 4, a: null}, {_id: 5, a: 7}]";
        Check(docs, "[{$unwind: '$a'}]", "[{_id: 1, a: 1}, {_id: 1, a: 2}, {_id: 5, a: 7}]");
        Check(docs, "[{$unwind: {path: '$a', includeArrayIndex: 'i', preserveNullAndEmptyArrays: true}}]",
            "[{_id: 1, a: 1, i: NumberLong(0)}, {_id: 1, a: 2, i: NumberLong(1)}, {_id: 2, i: null}, {_id: 3, i: null}, {_id: 4, a: null, i: null}, {_id: 5, a: 7, i: null}]");
    }

    [Fact]
    public void Lookup_both_forms_and_facet()
    {
        var other = _storage.GetOrCreateCollection("db", "o", out _);
        other.Insert(CollectionData.PrepareForInsert(Json.Doc("{_id: 10, k: 1, v: 'a'}")));
        other.Insert(CollectionData.PrepareForInsert(Json.Doc("{_id: 11, k: 2, v: 'b'}")));
        other.Insert(CollectionData.PrepareForInsert(Json.Doc("{_id: 12, k: 1, v: 'c'}")));
        Check("[{_id: 1, k: 1}]", "[{$lookup: {from: 'o', localField: 'k', foreignField: 'k', as: 'j'}}, {$project: {n: {$size: '$j'}}}]", "[{_id: 1, n: 2}]");
        Check("[{_id: 1, k: [1, 2]}]", "[{$lookup: {from: 'o', localField: 'k', foreignField: 'k', as: 'j'}}, {$project: {n: {$size: '$j'}}}]", "[{_id: 1, n: 3}]");
        Check("[{_id: 1, k: 2}]",
            "[{$lookup: {from: 'o', let: {kk: '$k'}, pipeline: [{$match: {$expr: {$eq: ['$k', '$$kk']}}}, {$project: {_id: 0, v: 1}}], as: 'j'}}]",
            "[{_id: 1, k: 2, j: [{v: 'b'}]}]");
        Check("[{a: 1}, {a: 2}, {a: 3}]", "[{$facet: {small: [{$match: {a: {$lt: 2}}}, {$project: {_id: 0}}], n: [{$count: 'c'}]}}]",
            "[{small: [{a: 1}], n: [{c: 3}]}]");
    }

    [Fact]
    public void Out_and_merge_write_collections()
    {
        Run("[{_id: 1, a: 1}, {_id: 2, a: 2}]", "[{$out: 'target'}]");
        Assert.Equal(2, _storage.GetCollection("db", "target")!.Count);
        Run("[{_id: 2, b: 2}, {_id: 3, a: 3}]", "[{$merge: {into: 'target'}}]");
        var target = _storage.GetCollection("db", "target")!;
        Assert.Equal(3, target.Count);
        Assert.Equal(Json.Doc("{_id: 2, a: 2, b: 2}"), target.Documents[1]);
        Assert.Equal(40601, Assert.Throws<CommandException>(() => Run("[]", "[{$out: 'x'}, {$match: {}}]")).Code);
    }

    [Fact]
    public void Unknown_stage_and_expression_fail()
    {
        Assert.Equal(40324, Assert.Throws<CommandException>(() => Run("[{}]", "[{$nope: {}}]")).Code);
        Assert.Equal(168, Assert.Throws<CommandException>(() => Run("[{}]", "[{$project: {a: {$nope: 1}}}]")).Code);
    }

    [Theory]
    [InlineData("{$add: [1, 2]}", "3")]
    [InlineData("{$add: [1, 2.5]}", "3.5")]
    [InlineData("{$add: [2147483647, 1]}", "NumberLong(2147483648)")]
    [InlineData("{$subtract: [5, 7]}", "-2")]
    [InlineData("{$multiply: [2, 3, 4]}", "24")]
    [InlineData("{$divide: [7, 2]}", "3.5")]
    [InlineData("{$mod: [7, 3]}", "1")]
    [InlineData("{$abs: -4}", "4")]
    [InlineData("{$floor: 2.7}", "2.0")]
    [InlineData("{$ceil: 2.1}", "3.0")]
    [InlineData("{$round: [2.567, 2]}", "2.57")]
    [InlineData("{$pow: [2, 10]}", "1024")]
    [InlineData("{$sqrt: 16}", "4.0")]
    [InlineData("{$add: [1, null]}", "null")]
    [InlineData("{$eq: ['$a', 1]}", "true")]
    [InlineData("{$gt: ['$a', 'x']}", "false")]
    [InlineData("{$cmp: [2, 1]}", "1")]
    [InlineData("{$and: [true, 1]}", "true")]
    [InlineData("{$or: [false, 0]}", "false")]
    [InlineData("{$not: [0]}", "true")]
    [InlineData("{$cond: [{$gt: ['$a', 0]}, 'pos', 'neg']}", "'pos'")]
    [InlineData("{$cond: {if: false, then: 1, else: 2}}", "2")]
    [InlineData("{$ifNull: ['$missing', null, 'd']}", "'d'")]
    [InlineData("{$switch: {branches: [{case: {$eq: ['$a', 2]}, then: 'two'}], default: 'other'}}", "'other'")]
    [InlineData("{$concat: ['a', 'b', 'c']}", "'abc'")]
    [InlineData("{$concat: ['a', null]}", "null")]
    [InlineData("{$substr: ['hello', 1, 3]}", "'ell'")]
    [InlineData("{$toUpper: 'abc'}", "'ABC'")]
    [InlineData("{$toLower: 'ABC'}", "'abc'")]
    [InlineData("{$split: ['a,b,c', ',']}", "['a', 'b', 'c']")]
    [InlineData("{$strLenCP: 'héllo'}", "5")]
    [InlineData("{$strLenBytes: 'héllo'}", "6")]
    [InlineData("{$trim: {input: '  x  '}}", "'x'")]
    [InlineData("{$indexOfCP: ['hello', 'l']}", "2")]
    [InlineData("{$size: [[1, 2, 3]]}", "3")]
    [InlineData("{$arrayElemAt: [[1, 2, 3], -1]}", "3")]
    [InlineData("{$filter: {input: [1, 2, 3, 4], as: 'x', cond: {$gt: ['$$x', 2]}}}", "[3, 4]")]
    [InlineData("{$map: {input: [1, 2], as: 'x', in: {$multiply: ['$$x', 10]}}}", "[10, 20]")]
    [InlineData("{$reduce: {input: [1, 2, 3], initialValue: 0, in: {$add: ['$$value', '$$this']}}}", "6")]
    [InlineData("{$in: [2, [1, 2]]}", "true")]
    [InlineData("{$concatArrays: [[1], [2, 3]]}", "[1, 2, 3]")]
    [InlineData("{$slice: [[1, 2, 3, 4], 1, 2]}", "[2, 3]")]
    [InlineData("{$slice: [[1, 2, 3, 4], -2]}", "[3, 4]")]
    [InlineData("{$reverseArray: [[1, 2]]}", "[2, 1]")]
    [InlineData("{$range: [0, 5, 2]}", "[0, 2, 4]")]
    [InlineData("{$setUnion: [[1, 2], [2, 3]]}", "[1, 2, 3]")]
    [InlineData("{$type: '$a'}", "'int'")]
    [InlineData("{$type: '$missing'}", "'missing'")]
    [InlineData("{$toString: 5}", "'5'")]
    [InlineData("{$toInt: '42'}", "42")]
    [InlineData("{$toLong: 5}", "NumberLong(5)")]
    [InlineData("{$toDouble: '1.5'}", "1.5")]
    [InlineData("{$toBool: 0}", "false")]
    [InlineData("{$convert: {input: 'x', to: 'int', onError: -1}}", "-1")]
    [InlineData("{$year: ISODate('2021-03-04T05:06:07Z')}", "2021")]
    [InlineData("{$month: ISODate('2021-03-04T05:06:07Z')}", "3")]
    [InlineData("{$dayOfMonth: ISODate('2021-03-04T05:06:07Z')}", "4")]
    [InlineData("{$hour: ISODate('2021-03-04T05:06:07Z')}", "5")]
    [InlineData("{$dateToString: {date: ISODate('2021-03-04T05:06:07Z'), format: '%Y/%m/%d'}}", "'2021/03/04'")]
    [InlineData("{$mergeObjects: [{a: 1}, {b: 2}, {a: 3}]}", "{a: 3, b: 2}")]
    [InlineData("{$objectToArray: {a: 1}}", "[{k: 'a', v: 1}]")]
    [InlineData("{$arrayToObject: [[['a', 1]]]}", "{a: 1}")]
    [InlineData("{$let: {vars: {x: 2}, in: {$multiply: ['$$x', '$a']}}}", "2")]
    [InlineData("{$literal: '$a'}", "'$a'")]
    [InlineData("{$sum: [1, 2, 'x']}", "3")]
    [InlineData("{$max: [1, 5, 3]}", "5")]
    [InlineData("{$regexMatch: {input: 'Hello', regex: '^h', options: 'i'}}", "true")]
    [InlineData("'$b.c'", "[1, 2]")]
    public void Expressions(string expr, string expected) =>
        Assert.Equal(Json.Value(expected), E(expr, "{a: 1, b: [{c: 1}, {c: 2}, {d: 3}]}"));

    [Theory]
    [InlineData("{$divide: [1, 0]}", 2)]
    [InlineData("{$add: ['a', 1]}", 14)]
    [InlineData("{$size: 5}", 17124)]
    [InlineData("{$switch: {branches: [{case: false, then: 1}]}}", 40066)]
    [InlineData("'$$nope'", 17276)]
    public void Expression_errors(string expr, int code) =>
        Assert.Equal(code, Assert.Throws<CommandException>(() => E(expr)).Code);
}
