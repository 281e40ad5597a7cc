using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Engine.Query;
using Mongo.InMemory.Engine.Updates;
using Xunit;

namespace Mongo.InMemory.Tests.Engine;

public sealed class EngineUpdateTests
{
    private static BsonDocument Apply(string doc, string update, string? filter = null, string? arrayFilters = null, bool isInsert = false)
    {
        var d = Json.Doc(doc);
        var state = new MatchState();
        if (filter is not null) Assert.True(FilterParser.Parse(Json.Doc(filter)).Matches(d, state));
        var u = Update.Parse(Json.Value(update), arrayFilters is null ? null : Json.Array(arrayFilters));
        return u.Apply((BsonDocument)d.DeepClone(), state, isInsert, out _);
    }

    private static void Check(string doc, string update, string expected, string? filter = null, string? arrayFilters = null) =>
        Assert.Equal(Json.Doc(expected), Apply(doc, update, filter, arrayFilters));

    [Theory]
    [InlineData("{_id: 1, a: 1}", "{$set: {a: 2}}", "{_id: 1, a: 2}")]
    [InlineData("{_id: 1}", "{$set: {'a.b.c': 2}}", "{_id: 1, a: {b: {c: 2}}}")]
    [InlineData("{_id: 1}", "{$set: {b: 1, a: 1}}", "{_id: 1, a: 1, b: 1}")]
    [InlineData("{_id: 1, a: [1, 2]}", "{$set: {'a.3': 9}}", "{_id: 1, a: [1, 2, null, 9]}")]
    [InlineData("{_id: 1, a: 1, b: 2}", "{$unset: {a: ''}}", "{_id: 1, b: 2}")]
    [InlineData("{_id: 1, a: [1, 2]}", "{$unset: {'a.0': 1}}", "{_id: 1, a: [null, 2]}")]
    [InlineData("{_id: 1, a: 1}", "{$inc: {a: 2, b: 5}}", "{_id: 1, a: 3, b: 5}")]
    [InlineData("{_id: 1, a: 2147483647}", "{$inc: {a: 1}}", "{_id: 1, a: NumberLong(2147483648)}")]
    [InlineData("{_id: 1, a: 1}", "{$inc: {a: 1.5}}", "{_id: 1, a: 2.5}")]
    [InlineData("{_id: 1, a: 3}", "{$mul: {a: 2, b: 2}}", "{_id: 1, a: 6, b: 0}")]
    [InlineData("{_id: 1, a: 3}", "{$min: {a: 1}}", "{_id: 1, a: 1}")]
    [InlineData("{_id: 1, a: 3}", "{$max: {a: 1}}", "{_id: 1, a: 3}")]
    [InlineData("{_id: 1, a: 3}", "{$max: {a: 'x'}}", "{_id: 1, a: 'x'}")]
    [InlineData("{_id: 1, a: 3, b: {c: 1}}", "{$rename: {a: 'z', 'b.c': 'b.d'}}", "{_id: 1, b: {d: 1}, z: 3}")]
    [InlineData("{_id: 1}", "{$push: {a: 1}}", "{_id: 1, a: [1]}")]
    [InlineData("{_id: 1, a: [1]}", "{$push: {a: {$each: [5, 3, 4], $sort: 1, $slice: 3}}}", "{_id: 1, a: [1, 3, 4]}")]
    [InlineData("{_id: 1, a: [1, 2]}", "{$push: {a: {$each: [9], $position: 0}}}", "{_id: 1, a: [9, 1, 2]}")]
    [InlineData("{_id: 1, a: [1, 2]}", "{$push: {a: {$each: [9], $slice: -2}}}", "{_id: 1, a: [2, 9]}")]
    [InlineData("{_id: 1, a: [{s: 2}, {s: 1}]}", "{$push: {a: {$each: [{s: 3}], $sort: {s: -1}}}}", "{_id: 1, a: [{s: 3}, {s: 2}, {s: 1}]}")]
    [InlineData("{_id: 1, a: [1, 2]}", "{$addToSet: {a: 2}}", "{_id: 1, a: [1, 2]}")]
    [InlineData("{_id: 1, a: [1, 2]}", "{$addToSet: {a: {$each: [2, 3, 3]}}}", "{_id: 1, a: [1, 2, 3]}")]
    [InlineData("{_id: 1, a: [1, 2, 3, 2]}", "{$pull: {a: 2}}", "{_id: 1, a: [1, 3]}")]
    [InlineData("{_id: 1, a: [1, 5, 7]}", "{$pull: {a: {$gte: 5}}}", "{_id: 1, a: [1]}")]
    [InlineData("{_id: 1, a: [{b: 1, c: 1}, {b: 2}]}", "{$pull: {a: {b: 1}}}", "{_id: 1, a: [{b: 2}]}")]
    [InlineData("{_id: 1, a: [1, 2, 3]}", "{$pullAll: {a: [1, 3]}}", "{_id: 1, a: [2]}")]
    [InlineData("{_id: 1, a: [1, 2, 3]}", "{$pop: {a: 1}}", "{_id: 1, a: [1, 2]}")]
    [InlineData("{_id: 1, a: [1, 2, 3]}", "{$pop: {a: -1}}", "{_id: 1, a: [2, 3]}")]
    [InlineData("{_id: 1, a: 1}", "{$setOnInsert: {b: 1}}", "{_id: 1, a: 1}")]
    [InlineData("{_id: 1, a: 5}", "{b: 1}", "{_id: 1, b: 1}")]
    [InlineData("{_id: 1, a: 5}", "{$bit: {a: {and: 4}}}", "{_id: 1, a: 4}")]
    public void Operators(string doc, string update, string expected) => Check(doc, update, expected);

    [Fact]
    public void Positional_and_array_filters()
    {
        Check("{_id: 1, a: [1, 2, 3]}", "{$set: {'a.$': 20}}", "{_id: 1, a: [1, 20, 3]}", filter: "{a: 2}");
        Check("{_id: 1, a: [{b: 1}, {b: 2}]}", "{$inc: {'a.$.b': 10}}", "{_id: 1, a: [{b: 1}, {b: 12}]}", filter: "{'a.b': 2}");
        Check("{_id: 1, a: [1, 2, 3]}", "{$inc: {'a.$[]': 1}}", "{_id: 1, a: [2, 3, 4]}");
        Check("{_id: 1, a: [1, 5, 7]}", "{$set: {'a.$[x]': 0}}", "{_id: 1, a: [1, 0, 0]}", arrayFilters: "[{x: {$gte: 5}}]");
        Check("{_id: 1, a: [{n: 1, v: 0}, {n: 2, v: 0}]}", "{$set: {'a.$[e].v': 9}}", "{_id: 1, a: [{n: 1, v: 0}, {n: 2, v: 9}]}", arrayFilters: "[{'e.n': 2}]");
    }

    [Fact]
    public void Set_on_insert_applies_only_when_inserting()
    {
        Assert.Equal(Json.Doc("{b: 1}"), Apply("{}", "{$setOnInsert: {b: 1}}", isInsert: true));
    }

    [Fact]
    public void Current_date_sets_a_date()
    {
        var r = Apply("{_id: 1}", "{$currentDate: {d: true, t: {$type: 'timestamp'}}}");
        Assert.Equal(BsonType.DateTime, r["d"].BsonType);
        Assert.Equal(BsonType.Timestamp, r["t"].BsonType);
    }

    [Fact]
    public void Pipeline_update()
    {
        Assert.Equal(Json.Doc("{_id: 1, a: 2, b: 3}"), Apply("{_id: 1, a: 2}", "[{$set: {b: {$add: ['$a', 1]}}}]"));
        Assert.Equal(Json.Doc("{_id: 1}"), Apply("{_id: 1, a: 2}", "[{$unset: 'a'}]"));
    }

    [Theory]
    [InlineData("{_id: 1, a: 1}", "{$set: {a: 1}, $inc: {a: 1}}", 40)]
    [InlineData("{_id: 1, a: 1}", "{$set: {'a.b': 1, a: 1}}", 40)]
    [InlineData("{_id: 1, a: 1}", "{$set: {_id: 2}}", 66)]
    [InlineData("{_id: 1, a: 1}", "{_id: 2, a: 1}", 66)]
    [InlineData("{_id: 1, a: 1}", "{$foo: {a: 1}}", 9)]
    [InlineData("{_id: 1, a: 1}", "{$set: 1}", 9)]
    [InlineData("{_id: 1, a: 'x'}", "{$inc: {a: 1}}", 14)]
    [InlineData("{_id: 1, a: 1}", "{$inc: {a: 'x'}}", 14)]
    [InlineData("{_id: 1, a: 1}", "{$push: {a: 1}}", 2)]
    [InlineData("{_id: 1, a: 1}", "{$set: {'a.b': 1}}", 28)]
    [InlineData("{_id: 1, a: 1}", "{$set: {'': 1}}", 56)]
    [InlineData("{_id: 1, a: [1]}", "{$set: {'a.$[y]': 1}}", 2)]
    public void Errors_use_server_codes(string doc, string update, int code)
    {
        var e = Assert.Throws<CommandException>(() => Apply(doc, update));
        Assert.Equal(code, e.Code);
    }

    [Fact]
    public void Unused_array_filter_is_rejected()
    {
        var e = Assert.Throws<CommandException>(() => Update.Parse(Json.Doc("{$set: {a: 1}}"), Json.Array("[{x: 1}]")));
        Assert.Equal(9, e.Code);
    }
}
