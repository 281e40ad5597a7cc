using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>A reply Mongo.Bson cannot encode becomes an error reply; the connection and the server keep working.</summary>
public sealed class EngineReplyEncodingTests : OfficialDriverTestBase
{
    [Fact]
    public async Task Reply_with_a_NUL_in_a_computed_field_name_is_answered_with_an_error()
    {
        var collection = Client.GetDatabase("test").GetCollection<O.BsonDocument>("c");
        await collection.InsertOneAsync(new O.BsonDocument("_id", 1));

        // $arrayToObject builds a field name from data; the name cannot be encoded with its NUL.
        var stage = O.BsonDocument.Parse("{ $replaceWith: { $arrayToObject: { $literal: [['a\\u0000b', 1]] } } }");
        var ex = await Assert.ThrowsAsync<MongoCommandException>(
            () => collection.Aggregate<O.BsonDocument>(new[] { stage }).ToListAsync());
        Assert.Equal(1, ex.Code); // InternalError
        Assert.Contains("Could not encode the reply", ex.Message, StringComparison.Ordinal);

        Assert.Equal(1, await collection.CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));
    }
}
