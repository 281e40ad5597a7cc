using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Operations;
using Mongo.Driver.Pooling;
using Mongo.Driver.Topology;
using Xunit;

namespace Mongo.Driver.Tests.Connections;

public sealed class ConnectionFramingTests
{
    private static readonly MongoServerAddress Address = new("fake.example", 27017);

    private static ConnectionSettings Settings(FakeServerStream stream) => new()
    {
        StreamFactory = (_, _) => ValueTask.FromResult<Stream>(stream),
    };

    private static async Task<Connection> OpenAsync(FakeServerStream stream, bool async)
    {
        var connection = new Connection(1, Address, 0, Settings(stream));
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

    private static async Task<CommandReply?> RunAsync(Connection connection, bool async, BsonDocument command)
    {
        var message = new WireCommand("admin", command);
        ValueTask<CommandReply?> task = connection.ExecuteAsync(async, message, Deadline.After(TimeSpan.FromSeconds(5)), CancellationToken.None);
        return async ? await task : task.GetAwaiter().GetResult();
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(false, 7)]
    [InlineData(true, 16)]
    [InlineData(true, int.MaxValue)]
    public async Task Reply_split_across_many_reads_is_reassembled(bool async, int chunkSize)
    {
        var reply = new BsonDocument { { "ok", 1.0 }, { "echo", new string('e', 300) }, { "n", 42 } };
        var stream = new FakeServerStream(FakeServerStream.HelloThen((id, _) => FakeServerStream.Reply(id, reply)), chunkSize);
        using Connection connection = await OpenAsync(stream, async);
        int readsBefore = stream.Reads;

        var response = await RunAsync(connection, async, new BsonDocument("ping", 1));

        Assert.Equal(reply, response!.Body);
        Assert.False(connection.IsBroken);
        if (chunkSize == 1)
        {
            // One read per byte: the buffer really was filled incrementally.
            Assert.True(stream.Reads - readsBefore >= FakeServerStream.Reply(0, reply).Length);
        }
    }

    public static TheoryData<string, bool> Faults()
    {
        var data = new TheoryData<string, bool>();
        foreach (string fault in new[] { "wrongResponseTo", "oversizeLength", "undersizeLength", "garbageOpcode", "closedMidReply", "closedBeforeReply", "opReply", "corruptBody" })
        {
            data.Add(fault, false);
            data.Add(fault, true);
        }

        return data;
    }

    private static byte[]? Faulty(string fault, int requestId)
    {
        var body = new BsonDocument("ok", 1.0);
        return fault switch
        {
            "wrongResponseTo" => FakeServerStream.Reply(requestId + 1, body),
            "oversizeLength" => FakeServerStream.Reply(requestId, body, declaredLength: 100_000_000),
            "undersizeLength" => FakeServerStream.Reply(requestId, body, declaredLength: 3),
            "garbageOpcode" => FakeServerStream.Reply(requestId, body, opCode: 4242),
            "closedMidReply" => FakeServerStream.Reply(requestId, body)[..20],
            "closedBeforeReply" => null,
            "opReply" => FakeServerStream.Reply(requestId, body, opCode: 1),
            "corruptBody" => CorruptBody(FakeServerStream.Reply(requestId, body)),
            _ => throw new ArgumentException(fault),
        };

        static byte[] CorruptBody(byte[] reply)
        {
            reply[21] = 0x7F; // the body document's length prefix is now nonsense
            return reply;
        }
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Protocol_violations_break_the_connection(string fault, bool async)
    {
        var stream = new FakeServerStream(FakeServerStream.HelloThen((id, _) => Faulty(fault, id)), chunkSize: 5);
        using Connection connection = await OpenAsync(stream, async);

        await Assert.ThrowsAnyAsync<MongoConnectionException>(() => RunAsync(connection, async, new BsonDocument("ping", 1)));

        Assert.True(connection.IsBroken);
        Assert.True(stream.Disposed);
        await Assert.ThrowsAnyAsync<MongoConnectionException>(() => RunAsync(connection, async, new BsonDocument("ping", 1)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Faulty_reply_discards_the_connection_and_the_pool_recovers(bool async)
    {
        int commands = 0;
        var settings = new ClusterSettings
        {
            Seeds = [Address],
            DirectConnection = true,
            ServerSelectionTimeout = TimeSpan.FromSeconds(5),
            Connection = new ConnectionSettings
            {
                StreamFactory = (_, _) => ValueTask.FromResult<Stream>(new FakeServerStream(FakeServerStream.HelloThen((id, _) =>
                    Interlocked.Increment(ref commands) == 1 ? Faulty("wrongResponseTo", id) : FakeServerStream.Reply(id, new BsonDocument { { "ok", 1.0 }, { "fine", true } })), chunkSize: 3)),
            },
            Pool = new PoolSettings(),
        };
        await using var executor = new OperationExecutor(settings);

        // The first command fails; ping is a retryable read, so the executor retries once on a fresh connection.
        var response = await CoreTestHelpers.RunAsync(executor, async, "admin", new BsonDocument("ping", 1));
        Assert.True(response.Body["fine"].AsBoolean);
        ConnectionPool pool = executor.Cluster.Servers[0].Pool;
        var counts = pool.Counts;
        Assert.Equal(0, counts.InUse);
        Assert.Equal(1, counts.Available);
        Assert.Equal(counts.Available, counts.Total);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Failed_write_without_retry_is_reported_and_pool_stays_usable(bool async)
    {
        int commands = 0;
        var settings = new ClusterSettings
        {
            Seeds = [Address],
            DirectConnection = true,
            ServerSelectionTimeout = TimeSpan.FromSeconds(5),
            Connection = new ConnectionSettings
            {
                StreamFactory = (_, _) => ValueTask.FromResult<Stream>(new FakeServerStream(FakeServerStream.HelloThen((id, _) =>
                    Interlocked.Increment(ref commands) == 1 ? Faulty("garbageOpcode", id) : FakeServerStream.Reply(id, new BsonDocument("ok", 1.0))))),
            },
            Pool = new PoolSettings(),
        };
        await using var executor = new OperationExecutor(settings);

        // A write without txnNumber is not retryable: the protocol error surfaces.
        await Assert.ThrowsAnyAsync<MongoConnectionException>(() => CoreTestHelpers.RunAsync(executor, async, "db", new BsonDocument("insert", "c"), isWrite: true));
        var ok = await CoreTestHelpers.RunAsync(executor, async, "db", new BsonDocument("insert", "c"), isWrite: true);
        Assert.True(ExceptionFactory.IsOk(ok.Bytes.Span));
        Assert.Equal(0, executor.Cluster.Servers[0].Pool.Counts.InUse);
    }
}
