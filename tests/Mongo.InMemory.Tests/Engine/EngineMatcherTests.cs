using Mongo.InMemory.Commands;
using Mongo.InMemory.Engine.Query;
using Xunit;

namespace Mongo.InMemory.Tests.Engine;

public sealed class EngineMatcherTests
{
    private static bool M(string filter, string doc) => FilterParser.Parse(Json.Doc(filter)).Matches(Json.Doc(doc));

    [Theory]
    [InlineData("{a: 1}", "{a: 1}", true)]
    [InlineData("{a: 1}", "{a: 1.0}", true)]
    [InlineData("{a: 1}", "{a: NumberLong(1)}", true)]
    [InlineData("{a: 1}", "{a: '1'}", false)]
    [InlineData("{a: 1}", "{a: [3, 1]}", true)]
    [InlineData("{a: [3, 1]}", "{a: [3, 1]}", true)]
    [InlineData("{a: [3, 1]}", "{a: [[3, 1], 2]}", true)]
    [InlineData("{a: [1, 3]}", "{a: [3, 1]}", false)]
    [InlineData("{'a.b': 2}", "{a: [{b: 1}, {b: 2}]}", true)]
    [InlineData("{'a.b': 2}", "{a: {b: [1, 2]}}", true)]
    [InlineData("{'a.1': 5}", "{a: [4, 5]}", true)]
    [InlineData("{'a.1.b': 5}", "{a: [{b: 4}, {b: 5}]}", true)]
    [InlineData("{'a.0.b': 5}", "{a: [{b: 4}, {b: 5}]}", false)]
    [InlineData("{a: {b: 1}}", "{a: {b: 1}}", true)]
    [InlineData("{a: {b: 1}}", "{a: {b: 1, c: 2}}", false)]
    [InlineData("{a: {$eq: {b: 1}}}", "{a: [{b: 1}]}", true)]
    public void Equality_and_array_traversal(string filter, string doc, bool expected) => Assert.Equal(expected, M(filter, doc));

    [Theory]
    [InlineData("{a: null}", "{}", true)]
    [InlineData("{a: null}", "{a: null}", true)]
    [InlineData("{a: null}", "{a: 0}", false)]
    [InlineData("{a: null}", "{a: [1, null]}", true)]
    [InlineData("{a: null}", "{a: undefined}", false)]
    [InlineData("{'a.b': null}", "{a: [{b: 1}, {c: 1}]}", true)]
    [InlineData("{'a.b': null}", "{a: [{b: 1}]}", false)]
    [InlineData("{'a.b': null}", "{a: 5}", true)]
    [InlineData("{a: {$ne: null}}", "{}", false)]
    [InlineData("{a: {$ne: null}}", "{a: 1}", true)]
    [InlineData("{a: {$exists: false}}", "{a: null}", false)]
    [InlineData("{a: {$exists: true}}", "{a: null}", true)]
    [InlineData("{'a.b': {$exists: true}}", "{a: [{c: 1}, {b: 2}]}", true)]
    [InlineData("{a: {$gte: null}}", "{}", true)]
    [InlineData("{a: {$gt: null}}", "{a: 1}", false)]
    [InlineData("{a: {$in: [null, 5]}}", "{}", true)]
    [InlineData("{a: {$nin: [null]}}", "{}", false)]
    public void Null_and_missing(string filter, string doc, bool expected) => Assert.Equal(expected, M(filter, doc));

    [Theory]
    [InlineData("{a: {$gt: 5}}", "{a: 6}", true)]
    [InlineData("{a: {$gt: 5}}", "{a: 'z'}", false)]
    [InlineData("{a: {$lt: 'b'}}", "{a: 5}", false)]
    [InlineData("{a: {$lt: 'b'}}", "{a: 'a'}", true)]
    [InlineData("{a: {$gt: 5}}", "{a: [1, 7]}", true)]
    [InlineData("{a: {$gt: 5, $lt: 7}}", "{a: [1, 8]}", true)]
    [InlineData("{a: {$elemMatch: {$gt: 5, $lt: 7}}}", "{a: [1, 8]}", false)]
    [InlineData("{a: {$elemMatch: {$gt: 5, $lt: 7}}}", "{a: [1, 6]}", true)]
    [InlineData("{a: {$elemMatch: {b: 1, c: 2}}}", "{a: [{b: 1}, {c: 2}]}", false)]
    [InlineData("{a: {$elemMatch: {b: 1, c: 2}}}", "{a: [{b: 1, c: 2}]}", true)]
    [InlineData("{a: {$gt: MinKey}}", "{a: 'x'}", true)]
    [InlineData("{a: {$lte: ISODate('2020-01-01')}}", "{a: ISODate('2019-01-01')}", true)]
    [InlineData("{a: {$gte: NumberDecimal('1.5')}}", "{a: 2}", true)]
    [InlineData("{a: {$gt: NaN}}", "{a: 1}", false)]
    [InlineData("{a: {$gte: NaN}}", "{a: NaN}", true)]
    public void Comparisons_stay_within_type_brackets(string filter, string doc, bool expected) => Assert.Equal(expected, M(filter, doc));

    [Theory]
    [InlineData("{a: {$in: [1, 2]}}", "{a: 2}", true)]
    [InlineData("{a: {$in: [/^x/]}}", "{a: 'xy'}", true)]
    [InlineData("{a: {$nin: [1, 2]}}", "{a: [3, 2]}", false)]
    [InlineData("{a: {$all: [1, 2]}}", "{a: [2, 3, 1]}", true)]
    [InlineData("{a: {$all: [1, 2]}}", "{a: [2, 3]}", false)]
    [InlineData("{a: {$all: []}}", "{a: [2, 3]}", false)]
    [InlineData("{a: {$all: [{$elemMatch: {b: 1}}]}}", "{a: [{b: 1}]}", true)]
    [InlineData("{a: {$size: 2}}", "{a: [2, 3]}", true)]
    [InlineData("{a: {$size: 1}}", "{a: [[2, 3]]}", true)]
    [InlineData("{a: {$size: 2}}", "{a: 'ab'}", false)]
    [InlineData("{a: {$mod: [4, 1]}}", "{a: 9}", true)]
    [InlineData("{a: {$mod: [4, 1]}}", "{a: 9.9}", true)]
    [InlineData("{a: {$mod: [4, 1]}}", "{a: 10}", false)]
    [InlineData("{a: {$not: {$gt: 5}}}", "{a: 3}", true)]
    [InlineData("{a: {$not: {$gt: 5}}}", "{}", true)]
    [InlineData("{a: {$not: /^x/}}", "{a: 'xa'}", false)]
    [InlineData("{$or: [{a: 1}, {b: 1}]}", "{b: 1}", true)]
    [InlineData("{$nor: [{a: 1}, {b: 1}]}", "{b: 1}", false)]
    [InlineData("{$and: [{a: 1}, {b: 1}]}", "{a: 1, b: 1}", true)]
    public void Logical_and_array_operators(string filter, string doc, bool expected) => Assert.Equal(expected, M(filter, doc));

    [Theory]
    [InlineData("{a: {$type: 'number'}}", "{a: 1.5}", true)]
    [InlineData("{a: {$type: 'number'}}", "{a: 'x'}", false)]
    [InlineData("{a: {$type: 2}}", "{a: 'x'}", true)]
    [InlineData("{a: {$type: 'array'}}", "{a: []}", true)]
    [InlineData("{a: {$type: 'string'}}", "{a: [1, 'x']}", true)]
    [InlineData("{a: {$type: ['int', 'long']}}", "{a: NumberLong(5)}", true)]
    [InlineData("{a: {$type: 'null'}}", "{}", false)]
    [InlineData("{a: {$regex: '^ab', $options: 'i'}}", "{a: 'ABc'}", true)]
    [InlineData("{a: /^ab$/m}", "{a: 'x\\nab'}", true)]
    [InlineData("{a: /a.b/s}", "{a: 'a\\nb'}", true)]
    [InlineData("{a: /a b/x}", "{a: 'ab'}", true)]
    [InlineData("{a: /^x/}", "{a: ['y', 'xz']}", true)]
    [InlineData("{a: /^x/}", "{a: 5}", false)]
    [InlineData("{$expr: {$gt: ['$a', '$b']}}", "{a: 5, b: 3}", true)]
    [InlineData("{$expr: {$eq: [{$add: ['$a', 1]}, 6]}}", "{a: 5}", true)]
    [InlineData("{$expr: {$lt: ['$a', '$b']}}", "{a: 5, b: 3}", false)]
    public void Type_regex_and_expr(string filter, string doc, bool expected) => Assert.Equal(expected, M(filter, doc));

    [Theory]
    [InlineData("{$foo: 1}", 2)]
    [InlineData("{a: {$foo: 1}}", 2)]
    [InlineData("{$or: []}", 2)]
    [InlineData("{a: {$in: 1}}", 2)]
    [InlineData("{a: {$mod: [0, 1]}}", 2)]
    [InlineData("{a: {$type: 'nope'}}", 2)]
    [InlineData("{a: {$elemMatch: 1}}", 2)]
    [InlineData("{$expr: {$nope: 1}}", 168)]
    public void Bad_filters_fail_with_server_codes(string filter, int code)
    {
        var e = Assert.Throws<CommandException>(() => FilterParser.Parse(Json.Doc(filter)));
        Assert.Equal(code, e.Code);
    }

    [Fact]
    public void Positional_state_records_the_matching_array_index()
    {
        var state = new MatchState();
        Assert.True(FilterParser.Parse(Json.Doc("{'a.b': 3}")).Matches(Json.Doc("{a: [{b: 1}, {b: 2}, {b: 3}]}"), state));
        Assert.Equal(2, state.ArrayPosition);
    }
}
