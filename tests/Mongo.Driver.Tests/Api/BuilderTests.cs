using Xunit;
using Mongo.Bson;

namespace Mongo.Driver.Tests.Api;

public sealed class BuilderTests
{
    private static void Same(BsonValue expected, BsonValue actual) => Assert.Equal(expected.ToBytesOf(), actual.ToBytesOf());

    [Fact]
    public void FilterAndMergesDistinctFields()
    {
        var filter = Filter.Eq("x", 10) & Filter.Gt("y", 3);
        Same(new BsonDocument { { "x", 10 }, { "y", new BsonDocument("$gt", 3) } }, filter.Render());
    }

    [Fact]
    public void FilterAndOnSameFieldUsesDollarAnd()
    {
        var filter = Filter.Gt("y", 3) & Filter.Lt("y", 9) & Filter.Eq("z", 1);
        Same(new BsonDocument("$and", new BsonArray
        {
            new BsonDocument("y", new BsonDocument("$gt", 3)),
            new BsonDocument("y", new BsonDocument("$lt", 9)),
            new BsonDocument("z", 1),
        }), filter.Render());
    }

    [Fact]
    public void FilterOrFlattensAndNotNegates()
    {
        var filter = Filter.Eq("a", 1) | Filter.Eq("b", 2) | Filter.In("c", 3, 4);
        Same(new BsonDocument("$or", new BsonArray
        {
            new BsonDocument("a", 1),
            new BsonDocument("b", 2),
            new BsonDocument("c", new BsonDocument("$in", new BsonArray { 3, 4 })),
        }), filter.Render());
        Same(new BsonDocument("a", new BsonDocument("$ne", 1)), (!Filter.Eq("a", 1)).Render());
        Same(new BsonDocument("a", new BsonDocument("$not", new BsonDocument("$gt", 1))), (!Filter.Gt("a", 1)).Render());
        Same(new BsonDocument("$nor", new BsonArray { new BsonDocument { { "a", 1 }, { "b", 2 } } }), (!(FilterDefinition)new BsonDocument { { "a", 1 }, { "b", 2 } }).Render());
    }

    [Fact]
    public void FilterAcceptsBsonDocumentDirectly()
    {
        var document = new BsonDocument("x", new BsonDocument("$exists", true));
        FilterDefinition filter = document;
        Same(Filter.Exists("x").Render(), filter.Render());
    }

    [Fact]
    public void SortProjectionIndexKeysRender()
    {
        Same(new BsonDocument { { "x", 1 }, { "y", -1 } }, Sort.Ascending("x").Descending("y").Render());
        Same(new BsonDocument { { "a", 1 }, { "_id", 0 } }, Projection.Include("a").Exclude("_id").Render());
        Same(new BsonDocument("x", 1), IndexKeys.Ascending("x").Render());
        Assert.Equal("x_1_y_-1", IndexKeys.Ascending("x").Descending("y").GetDefaultName());
        Assert.Equal("t_text", IndexKeys.Text("t").GetDefaultName());
        IndexKeysDefinition fromString = "x";
        Assert.Equal("x_1", fromString.GetDefaultName());
    }

    [Fact]
    public void BuildersAreImmutable()
    {
        var baseSort = Sort.Ascending("x");
        _ = baseSort.Descending("y");
        Assert.Equal(1, baseSort.Render().ElementCount);
        var update = Update.Set("a", 1);
        _ = update.Inc("n", 2);
        Assert.Equal(1, update.Render().AsBsonDocument().ElementCount);
    }

    [Fact]
    public void UpdateCombinesOperators()
    {
        var update = Update.Set("a", 1).Inc("n", 2).Set("b", "x").Unset("c");
        Same(new BsonDocument
        {
            { "$set", new BsonDocument { { "a", 1 }, { "b", "x" } } },
            { "$inc", new BsonDocument("n", 2) },
            { "$unset", new BsonDocument("c", "") },
        }, update.Render());
        Assert.True(Update.Pipeline(new BsonDocument("$set", new BsonDocument("a", 1))).IsPipeline);
        Assert.Throws<InvalidOperationException>(() => Update.Pipeline().Set("a", 1));
    }

    [Fact]
    public void EmptyFieldNamesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Filter.Eq("", 1));
        Assert.Throws<ArgumentException>(() => Sort.Ascending(""));
    }
}

internal static class BsonTestExtensions
{
    public static byte[] ToBytesOf(this BsonValue value) =>
        value is BsonDocument d ? d.ToBytes() : new BsonDocument("v", value).ToBytes();

    public static BsonDocument AsBsonDocument(this BsonValue value) => (BsonDocument)value;
}
