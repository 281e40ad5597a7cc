using Mongo.InMemory;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>Messages far larger than the server's read growth step arrive across many socket reads and must parse intact.</summary>
public sealed class FidelityLargeMessageTests : IAsyncLifetime
{
    private InMemoryMongoServer _server = null!;

    public async Task InitializeAsync() => _server = await InMemoryMongoServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(300_000)]
    [InlineData(4_000_000)]
    [InlineData(15_000_000)]
    public async Task Commands_of_several_megabytes_are_parsed(int padding)
    {
        using var client = new MongoClient(_server.ConnectionString);
        var bytes = new byte[padding];
        new Random(padding).NextBytes(bytes);

        // ping ignores the extra field, but the server must read and validate every byte of the message first.
        var reply = await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(
            new O.BsonDocument { { "ping", 1 }, { "pad", new O.BsonBinaryData(bytes) } });
        Assert.Equal(1.0, reply["ok"].ToDouble());
    }
}
