using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Operations;
using Mongo.Driver.Pooling;
using Mongo.Driver.Topology;
using Mongo.Driver.Wire;
using Xunit;

namespace Mongo.Driver.Tests.Connections;

/// <summary>A hello's size limits are input: nonsense is refused at the handshake, and a fixed server works at once.</summary>
public sealed class HelloLimitsTests
{
    public static TheoryData<string, BsonValue> BadLimits => new()
    {
        { "maxMessageSizeBytes", 0 },
        { "maxMessageSizeBytes", -1 },
        { "maxMessageSizeBytes", int.MaxValue },
        { "maxMessageSizeBytes", 1.5e9 },
        { "maxMessageSizeBytes", "48000000" },
        { "maxBsonObjectSize", 0 },
        { "maxBsonObjectSize", double.NaN },
        { "maxWriteBatchSize", 0 },
        { "maxWriteBatchSize", -5 },
    };

    [Theory]
    [MemberData(nameof(BadLimits))]
    public void Nonsense_limits_are_refused_naming_the_field(string field, BsonValue value)
    {
        var hello = FakeServerStream.HelloReply();
        hello[field] = value;
        var ex = Assert.Throws<MongoProtocolException>(() => ServerLimits.FromHello(hello));
        Assert.Contains(field, ex.Message);
    }

    [Fact]
    public void Real_server_limits_are_read()
    {
        var limits = ServerLimits.FromHello(FakeServerStream.HelloReply());
        Assert.Equal((16 * 1024 * 1024, 48_000_000, 100_000), (limits.MaxBsonObjectSize, limits.MaxMessageSize, limits.MaxWriteBatchSize));
    }

    [Fact]
    public async Task A_server_announcing_a_zero_message_size_fails_clearly_and_works_once_fixed()
    {
        bool broken = true;
        byte[]? Respond(int requestId, BsonDocument command)
        {
            if (command.GetElement(0).Name is "hello" or "isMaster")
            {
                var hello = FakeServerStream.HelloReply();
                if (Volatile.Read(ref broken))
                {
                    hello["maxMessageSizeBytes"] = 0;
                }

                return FakeServerStream.Reply(requestId, hello);
            }

            return FakeServerStream.Reply(requestId, new BsonDocument("ok", 1.0));
        }

        var cluster = new ClusterSettings
        {
            Seeds = [new MongoServerAddress("scripted.example", 27017)],
            Connection = new ConnectionSettings { StreamFactory = (_, _) => ValueTask.FromResult<Stream>(new FakeServerStream(Respond)) },
            Pool = new PoolSettings(),
            ServerSelectionTimeout = TimeSpan.FromSeconds(2),
        };
        await using var client = new MongoClient(new MongoClientSettings(), new OperationExecutor(cluster), null);
        var admin = client.GetDatabase("admin");
        var ex = await Assert.ThrowsAnyAsync<MongoException>(() => admin.RunCommandAsync(new BsonDocument("ping", 1)));
        Assert.Contains("maxMessageSizeBytes", ex.ToString());

        Volatile.Write(ref broken, false);
        var reply = await admin.RunCommandAsync(new BsonDocument("ping", 1));
        Assert.Equal(1.0, reply["ok"].ToDouble());
    }
}
