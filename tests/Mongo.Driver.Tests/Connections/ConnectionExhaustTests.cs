using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Operations;
using Mongo.Driver.Wire;
using Xunit;

namespace Mongo.Driver.Tests.Connections;

/// <summary>
/// The exhaust protocol the streaming monitor uses, against a scripted server: one request with exhaustAllowed, then
/// replies chained by responseTo while they set moreToCome.
/// </summary>
public sealed class ConnectionExhaustTests
{
    private static readonly MongoServerAddress Address = new("fake.example", 27017);

    private static async Task<Connection> OpenAsync(FakeServerStream stream, bool async)
    {
        var connection = new Connection(1, Address, 0, new ConnectionSettings { StreamFactory = (_, _) => ValueTask.FromResult<Stream>(stream) });
        ValueTask open = connection.OpenAsync(async, CancellationToken.None);
        if (async)
        {
            await open;
        }
        else
        {
            open.GetAwaiter().GetResult();
        }

        return connection;
    }

    private static async Task<CommandReply> StartAsync(Connection connection, bool async)
    {
        var hello = new WireCommand("admin", new BsonDocument { { "hello", 1 }, { "maxAwaitTimeMS", 10 } });
        ValueTask<CommandReply> task = connection.ExecuteExhaustAsync(async, hello, Deadline.After(TimeSpan.FromSeconds(5)), CancellationToken.None);
        return async ? await task : task.GetAwaiter().GetResult();
    }

    private static async Task<CommandReply> NextAsync(Connection connection, bool async)
    {
        ValueTask<CommandReply> task = connection.ReadMoreAsync(async, Deadline.After(TimeSpan.FromSeconds(5)), CancellationToken.None);
        return async ? await task : task.GetAwaiter().GetResult();
    }

    /// <summary>A server answering the exhaust hello with replies n = 1..count, each but the last with moreToCome.</summary>
    private static FakeServerStream Streaming(int count, Func<int, int, int>? responseTo = null) => new((requestId, command) =>
    {
        if (!command.Contains("maxAwaitTimeMS"))
        {
            return FakeServerStream.Reply(requestId, FakeServerStream.HelloReply()); // the handshake
        }

        var replies = new List<byte>();
        int previous = requestId;
        for (int n = 1; n <= count; n++)
        {
            int id = 5000 + n;
            replies.AddRange(FakeServerStream.Reply(responseTo?.Invoke(n, previous) ?? previous, new BsonDocument { { "ok", 1.0 }, { "n", n } }, id, moreToCome: n < count));
            previous = id;
        }

        return [.. replies];
    }, chunkSize: 7);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Replies_are_read_in_order_while_the_server_sets_moreToCome(bool async)
    {
        var stream = Streaming(3);
        using Connection connection = await OpenAsync(stream, async);

        var first = await StartAsync(connection, async);

        Assert.Equal((uint)OpMsgFlags.ExhaustAllowed, stream.LastRequestFlags & (uint)OpMsgFlags.ExhaustAllowed);
        Assert.Equal(1, first.Body["n"].AsInt32);
        Assert.True(connection.IsStreaming);
        Assert.Equal(2, (await NextAsync(connection, async)).Body["n"].AsInt32);
        Assert.True(connection.IsStreaming);
        Assert.Equal(3, (await NextAsync(connection, async)).Body["n"].AsInt32);
        Assert.False(connection.IsStreaming);

        // Two requests in all: the handshake and the one exhaust hello; the later replies came unasked.
        Assert.Equal(2, stream.Requests);
        Assert.False(connection.IsBroken);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task No_other_command_is_sent_while_a_stream_is_open(bool async)
    {
        using Connection connection = await OpenAsync(Streaming(2), async);
        await StartAsync(connection, async);

        var ping = new WireCommand("admin", new BsonDocument("ping", 1));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await connection.ExecuteAsync(async, ping, Deadline.After(TimeSpan.FromSeconds(5)), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await StartAsync(connection, async));
        Assert.Equal(2, (await NextAsync(connection, async)).Body["n"].AsInt32);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await NextAsync(connection, async));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_streamed_reply_answering_the_wrong_message_breaks_the_connection(bool async)
    {
        // The second reply must answer the first reply's requestID (5001), not the client's request.
        using Connection connection = await OpenAsync(Streaming(3, (n, previous) => n == 2 ? previous + 1 : previous), async);
        await StartAsync(connection, async);

        var ex = await Assert.ThrowsAsync<MongoProtocolException>(async () => await NextAsync(connection, async));

        Assert.Contains("responseTo", ex.Message, StringComparison.Ordinal);
        Assert.True(connection.IsBroken);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_ordinary_command_still_refuses_a_moreToCome_reply(bool async)
    {
        var stream = new FakeServerStream(FakeServerStream.HelloThen((requestId, _) => FakeServerStream.Reply(requestId, new BsonDocument("ok", 1.0), 7, moreToCome: true)));
        using Connection connection = await OpenAsync(stream, async);
        var ping = new WireCommand("admin", new BsonDocument("ping", 1));

        await Assert.ThrowsAsync<MongoProtocolException>(async () => await connection.ExecuteAsync(async, ping, Deadline.After(TimeSpan.FromSeconds(5)), CancellationToken.None));

        Assert.Equal(0u, stream.LastRequestFlags & (uint)OpMsgFlags.ExhaustAllowed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_handshake_measures_the_hello_round_trip(bool async)
    {
        using Connection connection = await OpenAsync(new FakeServerStream(FakeServerStream.HelloThen((_, _) => null)), async);

        Assert.True(connection.HelloRoundTrip > TimeSpan.Zero);
        Assert.True(connection.HelloRoundTrip < TimeSpan.FromSeconds(5));
    }
}
