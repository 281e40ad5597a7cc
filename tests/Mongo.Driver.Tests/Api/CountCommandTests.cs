using Mongo.Bson;
using Xunit;

namespace Mongo.Driver.Tests.Api;

/// <summary>The deprecated Count helper sends the count command (not an aggregation) and reads its n.</summary>
public sealed class CountCommandTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Count_sends_the_count_command_with_its_options(bool async)
    {
        var fake = new FakeExecutor().Reply(new BsonDocument { { "n", 7 }, { "ok", 1.0 } });
        await using var client = FakeExecutor.Client(fake);
        var collection = client.GetDatabase("test").GetCollection("c");
        var options = new CountOptions { Skip = 2, Limit = 5, Hint = "x_1", Comment = "why", MaxTime = TimeSpan.FromSeconds(1) };

#pragma warning disable CS0618 // testing the deprecated helper
        long n = async ? await collection.CountAsync(new BsonDocument("x", 1), options) : collection.Count(new BsonDocument("x", 1), options);
#pragma warning restore CS0618

        Assert.Equal(7, n);
        var message = Assert.Single(fake.Sent);
        Assert.Equal(async ? "async" : "sync", fake.Modes[0]);
        Assert.Equal(
            new BsonDocument { { "count", "c" }, { "query", new BsonDocument("x", 1) }, { "limit", 5L }, { "skip", 2L }, { "hint", "x_1" }, { "comment", "why" }, { "maxTimeMS", 1000 } },
            message.Body);
        Assert.False(message.IsWrite);
    }
}
