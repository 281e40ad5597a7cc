using Mongo.Bson;
using Xunit;

namespace Mongo.Driver.Tests.Typed;

internal static class TypedAssert
{
    /// <summary>Compares as relaxed Extended JSON (readable failures), after normalising the expected text through the parser.</summary>
    public static void RendersValue(string expectedJson, BsonValue actual) =>
        Assert.Equal(BsonDocument.Parse(expectedJson).ToString(), actual.ToString());

    public static void Renders(string expectedJson, FilterDefinition filter) => RendersValue(expectedJson, filter.Render(TestResolver.Instance));

    public static void Renders(string expectedJson, SortDefinition sort) => RendersValue(expectedJson, sort.Render(TestResolver.Instance));

    public static void Renders(string expectedJson, ProjectionDefinition projection) => RendersValue(expectedJson, projection.Render(TestResolver.Instance));

    public static void Renders(string expectedJson, UpdateDefinition update) => RendersValue(expectedJson, update.Render(TestResolver.Instance));

    public static void Renders(string expectedJson, IndexKeysDefinition keys) => RendersValue(expectedJson, keys.Render(TestResolver.Instance));
}
