using System.Collections.Concurrent;
using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Operations;
using Mongo.Driver.Pooling;
using Mongo.Driver.Topology;
using Xunit;

namespace Mongo.Driver.Tests.Connections;

/// <summary>A well-framed reply whose BSON is corrupt is a protocol error: the connection is dropped, never reused.</summary>
public sealed class CorruptReplyTests
{
    /// <summary>A reply whose first element claims a string far longer than the document.</summary>
    private static byte[] CorruptReply(int requestId)
    {
        byte[] message = FakeServerStream.Reply(requestId, new BsonDocument { { "s", "abcd" }, { "ok", 1.0 } });
        // Body starts at 21: int32 length, then type 0x02, "s\0", then the string's int32 length.
        int stringLength = 21 + 4 + 1 + 2;
        message[stringLength] = 0xFF;
        message[stringLength + 1] = 0x7F;
        return message;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_corrupt_reply_is_a_protocol_error_and_its_connection_is_not_reused(bool async)
    {
        var streams = new ConcurrentBag<FakeServerStream>();
        int pings = 0;
        byte[]? Respond(int requestId, BsonDocument command)
        {
            string name = command.GetElement(0).Name;
            if (name is "hello" or "isMaster")
            {
                return FakeServerStream.Reply(requestId, FakeServerStream.HelloReply());
            }

            return Interlocked.Increment(ref pings) == 1 ? CorruptReply(requestId) : FakeServerStream.Reply(requestId, new BsonDocument("ok", 1.0));
        }

        var cluster = new ClusterSettings
        {
            Seeds = [new MongoServerAddress("scripted.example", 27017)],
            Connection = new ConnectionSettings
            {
                StreamFactory = (_, _) =>
                {
                    var stream = new FakeServerStream(Respond);
                    streams.Add(stream);
                    return ValueTask.FromResult<Stream>(stream);
                },
            },
            Pool = new PoolSettings(),
            ServerSelectionTimeout = TimeSpan.FromSeconds(10),
        };
        await using var client = new MongoClient(new MongoClientSettings { RetryReads = false }, new OperationExecutor(cluster), null);
        var database = client.GetDatabase("admin");
        var ping = new BsonDocument("ping", 1);
        var ex = async
            ? await Assert.ThrowsAsync<MongoProtocolException>(() => database.RunCommandAsync(ping))
            : Assert.Throws<MongoProtocolException>(() => database.RunCommand(ping));
        Assert.Contains("not valid BSON", ex.Message);
        Assert.IsAssignableFrom<BsonException>(ex.InnerException);

        // The next command works, on a new connection: the one that carried garbage was closed.
        var ok = async ? await database.RunCommandAsync(ping) : database.RunCommand(ping);
        Assert.Equal(1.0, ok["ok"].ToDouble());
        Assert.Contains(streams, s => s.Disposed);
    }
}
