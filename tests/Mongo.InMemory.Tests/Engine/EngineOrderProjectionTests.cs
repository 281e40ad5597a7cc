using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Engine.Query;
using Xunit;

namespace Mongo.InMemory.Tests.Engine;

public sealed class EngineOrderProjectionTests
{
    [Fact]
    public void Cross_type_order_follows_the_server()
    {
        var values = Json.Array("[MaxKey, Timestamp(1, 1), ISODate('2020-01-01'), true, ObjectId('000000000000000000000000'), BinData(0, ''), [], {}, 'a', 1, null, MinKey]");
        var list = values.ToList();
        list.Sort(BsonOrder.Compare);
        Assert.Equal(BsonType.MinKey, list[0].BsonType);
        Assert.Equal(BsonType.Null, list[1].BsonType);
        Assert.Equal(BsonType.Int32, list[2].BsonType);
        Assert.Equal(BsonType.String, list[3].BsonType);
        Assert.Equal(BsonType.Document, list[4].BsonType);
        Assert.Equal(BsonType.Array, list[5].BsonType);
        Assert.Equal(BsonType.Binary, list[6].BsonType);
        Assert.Equal(BsonType.ObjectId, list[7].BsonType);
        Assert.Equal(BsonType.Boolean, list[8].BsonType);
        Assert.Equal(BsonType.DateTime, list[9].BsonType);
        Assert.Equal(BsonType.Timestamp, list[10].BsonType);
        Assert.Equal(BsonType.MaxKey, list[11].BsonType);
    }

    [Fact]
    public void Numbers_compare_numerically_across_types()
    {
        Assert.Equal(0, BsonOrder.Compare(new BsonInt32(1), new BsonDouble(1.0)));
        Assert.True(BsonOrder.Compare(new BsonInt64(9007199254740993), new BsonDouble(9007199254740992)) > 0);
        Assert.True(BsonOrder.Compare(new BsonDouble(double.NaN), new BsonDouble(double.NegativeInfinity)) < 0);
        Assert.True(BsonOrder.Compare(new BsonDouble(2.5), new BsonInt64(2)) > 0);
        Assert.Equal(BsonOrder.Key(new BsonInt32(3)), BsonOrder.Key(new BsonDouble(3.0)));
        Assert.NotEqual(BsonOrder.Key(new BsonInt32(3)), BsonOrder.Key(new BsonString("3")));
    }

    private static List<int> SortIds(string docs, string sort)
    {
        var list = Json.Array(docs).Select(v => v.AsDocument).ToList();
        return SortSpec.Parse(Json.Doc(sort)).Sort(list, d => d).Select(d => d["_id"].AsInt32).ToList();
    }

    [Fact]
    public void Sort_uses_min_element_ascending_and_max_descending()
    {
        const string docs = "[{_id: 1, a: [1, 10]}, {_id: 2, a: 5}, {_id: 3, a: [3, 4]}, {_id: 4}, {_id: 5, a: null}]";
        Assert.Equal([4, 5, 1, 3, 2], SortIds(docs, "{a: 1}"));
        Assert.Equal([1, 2, 3, 4, 5], SortIds(docs, "{a: -1}"));
        Assert.Equal([2, 1], SortIds("[{_id: 1, a: 1, b: 1}, {_id: 2, a: 1, b: 2}]", "{a: 1, b: -1}"));
        Assert.Equal([2, 1], SortIds("[{_id: 1, a: {b: 'z'}}, {_id: 2, a: {b: 'a'}}]", "{'a.b': 1}"));
    }

    [Fact]
    public void Bad_sort_values_are_rejected()
    {
        Assert.Equal(15975, Assert.Throws<CommandException>(() => SortSpec.Parse(Json.Doc("{a: 2}"))).Code);
    }

    private static BsonDocument P(string projection, string doc, string? filter = null)
    {
        var d = Json.Doc(doc);
        MatchState? state = null;
        if (filter is not null)
        {
            state = new MatchState();
            Assert.True(FilterParser.Parse(Json.Doc(filter)).Matches(d, state));
        }
        return Projection.Parse(Json.Doc(projection), isFind: true)!.Apply(d, state);
    }

    [Theory]
    [InlineData("{a: 1}", "{_id: 1, a: 2, b: 3}", "{_id: 1, a: 2}")]
    [InlineData("{a: 1, _id: 0}", "{_id: 1, a: 2, b: 3}", "{a: 2}")]
    [InlineData("{a: 0}", "{_id: 1, a: 2, b: 3}", "{_id: 1, b: 3}")]
    [InlineData("{_id: 0}", "{_id: 1, a: 2}", "{a: 2}")]
    [InlineData("{'a.b': 1}", "{_id: 1, a: {b: 1, c: 2}, d: 1}", "{_id: 1, a: {b: 1}}")]
    [InlineData("{'a.b': 1}", "{_id: 1, a: [{b: 1, c: 2}, 5, {c: 3}]}", "{_id: 1, a: [{b: 1}, {}]}")]
    [InlineData("{'a.c': 0}", "{_id: 1, a: [{b: 1, c: 2}, 5]}", "{_id: 1, a: [{b: 1}, 5]}")]
    [InlineData("{a: {$slice: 2}}", "{_id: 1, a: [1, 2, 3], b: 1}", "{_id: 1, a: [1, 2], b: 1}")]
    [InlineData("{a: {$slice: -1}}", "{_id: 1, a: [1, 2, 3]}", "{_id: 1, a: [3]}")]
    [InlineData("{a: {$slice: [1, 1]}}", "{_id: 1, a: [1, 2, 3]}", "{_id: 1, a: [2]}")]
    [InlineData("{a: {$elemMatch: {b: 2}}}", "{_id: 1, a: [{b: 1}, {b: 2, c: 1}], z: 1}", "{_id: 1, a: [{b: 2, c: 1}]}")]
    [InlineData("{s: {$concat: ['$x', '!']}}", "{_id: 1, x: 'hi'}", "{_id: 1, s: 'hi!'}")]
    public void Find_projection(string projection, string doc, string expected) => Assert.Equal(Json.Doc(expected), P(projection, doc));

    [Fact]
    public void Positional_projection_returns_the_matched_element()
    {
        Assert.Equal(Json.Doc("{_id: 1, a: [7]}"), P("{'a.$': 1}", "{_id: 1, a: [5, 7, 9]}", "{a: {$gt: 6}}"));
    }

    [Theory]
    [InlineData("{a: 1, b: 0}", 31254)]
    [InlineData("{a: 0, b: 1}", 31253)]
    [InlineData("{a: 1, 'a.b': 1}", 31250)]
    public void Mixed_projections_fail_like_the_server(string projection, int code)
    {
        Assert.Equal(code, Assert.Throws<CommandException>(() => Projection.Parse(Json.Doc(projection), isFind: true)).Code);
    }

    [Theory]
    [InlineData("{x: 1}", "x_1")]
    [InlineData("{a: 1, b: -1}", "a_1_b_-1")]
    [InlineData("{'a.b': 1}", "a.b_1")]
    [InlineData("{h: 'hashed'}", "h_hashed")]
    [InlineData("{loc: '2dsphere'}", "loc_2dsphere")]
    public void Index_names_are_generated_like_the_server(string key, string expected) =>
        Assert.Equal(expected, IndexData.GenerateName(Json.Doc(key)));

    [Fact]
    public void Unique_index_rejects_duplicates_including_array_elements_and_missing_values()
    {
        var db = new DatabaseData(new Storage(), "d");
        var c = db.Create("c", new BsonDocument());
        c.AddIndex(new IndexData(IndexData.NormalizeSpec(Json.Doc("{key: {x: 1}, unique: true}"))));
        c.Insert(CollectionData.PrepareForInsert(Json.Doc("{x: [1, 2]}")));
        var e = Assert.Throws<CommandException>(() => c.Insert(CollectionData.PrepareForInsert(Json.Doc("{x: 2}"))));
        Assert.Equal(11000, e.Code);
        Assert.Equal("E11000 duplicate key error collection: d.c index: x_1 dup key: { x: 2 }", e.Message);
        c.Insert(CollectionData.PrepareForInsert(Json.Doc("{y: 1}")));
        Assert.Equal(11000, Assert.Throws<CommandException>(() => c.Insert(CollectionData.PrepareForInsert(Json.Doc("{y: 2}")))).Code);
        Assert.Equal(2, c.Count);

        c.AddIndex(new IndexData(IndexData.NormalizeSpec(Json.Doc("{key: {s: 1}, unique: true, sparse: true}"))));
        c.Insert(CollectionData.PrepareForInsert(Json.Doc("{x: 5}")));
        c.AddIndex(new IndexData(IndexData.NormalizeSpec(Json.Doc("{key: {p: 1}, name: 'p', unique: true, partialFilterExpression: {q: true}}"))));
        c.Insert(CollectionData.PrepareForInsert(Json.Doc("{x: 6, p: 1}")));
        c.Insert(CollectionData.PrepareForInsert(Json.Doc("{x: 7, p: 1, q: true}")));
        Assert.Equal(11000, Assert.Throws<CommandException>(() => c.Insert(CollectionData.PrepareForInsert(Json.Doc("{x: 8, p: 1, q: true}")))).Code);
    }

    [Fact]
    public void Insert_generates_id_first_and_copies_the_document()
    {
        var source = Json.Doc("{a: 1, _id: 5}");
        var stored = CollectionData.PrepareForInsert(source);
        Assert.Equal("_id", stored.GetElement(0).Name);
        source["a"] = 2;
        Assert.Equal(1, stored["a"].AsInt32);
        var generated = CollectionData.PrepareForInsert(Json.Doc("{a: 1}"));
        Assert.Equal(BsonType.ObjectId, generated[0].BsonType);
        Assert.Equal(53, Assert.Throws<CommandException>(() => CollectionData.PrepareForInsert(Json.Doc("{_id: [1]}"))).Code);
    }
}
