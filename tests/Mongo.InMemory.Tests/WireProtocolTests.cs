using System.Buffers.Binary;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>Hand-built wire messages: what the server answers, and that broken input never takes it down.</summary>
public sealed class WireProtocolTests : IAsyncLifetime
{
    private InMemoryMongoServer _server = null!;

    public async Task InitializeAsync() => _server = await InMemoryMongoServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static O.BsonDocument Ping(string db = "admin") => new() { { "ping", 1 }, { "$db", db } };

    /// <summary>A fresh connection still gets a ping answered: the server survived.</summary>
    private async Task AssertServerServesAsync()
    {
        using var client = await RawWireClient.ConnectAsync(_server.Port);
        byte[] ping = RawWireClient.OpMsg(Ping());
        await client.SendAsync(ping);
        var reply = await client.ReceiveAsync();
        Assert.NotNull(reply);
        Assert.Equal(1.0, reply.Document["ok"].ToDouble());
    }

    [Fact]
    public async Task Ping_over_OP_MSG_answers_with_responseTo_and_ok()
    {
        using var client = await RawWireClient.ConnectAsync(_server.Port);
        await client.SendAsync(RawWireClient.OpMsg(Ping(), requestId: 4242));
        var reply = await client.ReceiveAsync();
        Assert.NotNull(reply);
        Assert.Equal(2013, reply.OpCode);
        Assert.Equal(4242, reply.ResponseTo);
        Assert.Equal(O.BsonType.Double, reply.Document["ok"].BsonType);
        Assert.Equal(1.0, reply.Document["ok"].AsDouble);
    }

    [Fact]
    public async Task Legacy_OP_QUERY_isMaster_gets_OP_REPLY_and_other_commands_are_refused()
    {
        using var client = await RawWireClient.ConnectAsync(_server.Port);
        await client.SendAsync(RawWireClient.OpQuery("admin.$cmd", new O.BsonDocument { { "isMaster", 1 }, { "helloOk", true } }, requestId: 77));
        var reply = await client.ReceiveAsync();
        Assert.NotNull(reply);
        Assert.Equal(1, reply.OpCode);
        Assert.Equal(77, reply.ResponseTo);
        Assert.True(reply.Document["ismaster"].AsBoolean);
        Assert.True(reply.Document["helloOk"].AsBoolean);

        await client.SendAsync(RawWireClient.OpQuery("test.$cmd", new O.BsonDocument("find", "c")));
        reply = await client.ReceiveAsync();
        Assert.NotNull(reply);
        Assert.Equal(1, reply.OpCode);
        Assert.Equal(352, reply.Document["code"].AsInt32);
    }

    [Fact]
    public async Task Missing_db_is_an_error_and_the_connection_stays_usable()
    {
        using var client = await RawWireClient.ConnectAsync(_server.Port);
        await client.SendAsync(RawWireClient.OpMsg(new O.BsonDocument("ping", 1)));
        var reply = await client.ReceiveAsync();
        Assert.NotNull(reply);
        Assert.Equal(0.0, reply.Document["ok"].ToDouble());
        Assert.Equal(40571, reply.Document["code"].AsInt32);

        await client.SendAsync(RawWireClient.OpMsg(Ping()));
        reply = await client.ReceiveAsync();
        Assert.Equal(1.0, reply!.Document["ok"].ToDouble());
    }

    [Fact]
    public async Task MoreToCome_request_gets_no_reply()
    {
        using var client = await RawWireClient.ConnectAsync(_server.Port);
        await client.SendAsync(RawWireClient.OpMsg(Ping(), flags: 2, requestId: 1));
        await client.SendAsync(RawWireClient.OpMsg(Ping(), requestId: 2));
        var reply = await client.ReceiveAsync();
        Assert.NotNull(reply);
        Assert.Equal(2, reply.ResponseTo); // the first request was answered with nothing
        Assert.Equal(2, _server.Statistics.GetCommandCount("ping"));
    }

    [Fact]
    public async Task Valid_checksum_is_verified_and_accepted()
    {
        using var client = await RawWireClient.ConnectAsync(_server.Port);
        await client.SendAsync(RawWireClient.OpMsg(Ping(), checksum: true));
        var reply = await client.ReceiveAsync();
        Assert.Equal(1.0, reply!.Document["ok"].ToDouble());
        Assert.Equal(1, _server.Statistics.ChecksumsVerified);
    }

    [Fact]
    public async Task Bad_checksum_is_rejected_and_the_server_survives()
    {
        using (var client = await RawWireClient.ConnectAsync(_server.Port))
        {
            await client.SendAsync(RawWireClient.OpMsg(Ping(), checksum: true, corruptChecksum: true));
            var reply = await client.ReceiveAsync();
            Assert.NotNull(reply);
            Assert.Equal(0.0, reply.Document["ok"].ToDouble());
            Assert.Contains("checksum", reply.Document["errmsg"].AsString);
        }

        Assert.Equal(0, _server.Statistics.GetCommandCount("ping"));
        Assert.Equal(1, _server.Statistics.InvalidMessagesReceived);
        await AssertServerServesAsync();
    }

    [Theory]
    [InlineData(4)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(48_000_001)]
    [InlineData(int.MaxValue)]
    public async Task Bad_message_length_closes_the_connection(int length)
    {
        using (var client = await RawWireClient.ConnectAsync(_server.Port))
        {
            byte[] message = RawWireClient.OpMsg(Ping());
            BinaryPrimitives.WriteInt32LittleEndian(message, length);
            await client.SendAsync(message);
            Assert.True(await client.IsClosedByServerAsync());
        }

        await AssertServerServesAsync();
    }

    [Theory]
    [InlineData(9999)]
    [InlineData(2002)] // OP_INSERT, removed in 6.0
    [InlineData(1)] // OP_REPLY is for servers to send
    public async Task Unknown_or_removed_opcode_closes_the_connection(int opCode)
    {
        using (var client = await RawWireClient.ConnectAsync(_server.Port))
        {
            byte[] message = RawWireClient.OpMsg(Ping());
            BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(12), opCode);
            await client.SendAsync(message);
            Assert.True(await client.IsClosedByServerAsync());
        }

        Assert.True(_server.Statistics.OtherOpCodesReceived >= 1);
        await AssertServerServesAsync();
    }

    [Fact]
    public async Task Garbage_body_gets_an_error_reply_and_the_connection_stays_usable()
    {
        using var client = await RawWireClient.ConnectAsync(_server.Port);
        byte[] garbage = new byte[120];
        new Random(42).NextBytes(garbage);
        BinaryPrimitives.WriteInt32LittleEndian(garbage, garbage.Length);
        BinaryPrimitives.WriteInt32LittleEndian(garbage.AsSpan(12), 2013);
        BinaryPrimitives.WriteUInt32LittleEndian(garbage.AsSpan(16), 0); // no flags
        garbage[20] = 0; // a body section whose document is random bytes
        await client.SendAsync(garbage);
        var reply = await client.ReceiveAsync();
        Assert.NotNull(reply);
        Assert.Equal(0.0, reply.Document["ok"].ToDouble());

        await client.SendAsync(RawWireClient.OpMsg(Ping()));
        reply = await client.ReceiveAsync();
        Assert.Equal(1.0, reply!.Document["ok"].ToDouble());
    }

    [Fact]
    public async Task Unknown_required_flag_bit_is_rejected()
    {
        using var client = await RawWireClient.ConnectAsync(_server.Port);
        await client.SendAsync(RawWireClient.OpMsg(Ping(), flags: 1u << 5));
        var reply = await client.ReceiveAsync();
        Assert.Equal(0.0, reply!.Document["ok"].ToDouble());
        Assert.Equal(0, _server.Statistics.GetCommandCount("ping"));
    }

    [Fact]
    public async Task Truncated_message_then_close_leaves_the_server_running()
    {
        for (int i = 0; i < 5; i++)
        {
            using var client = await RawWireClient.ConnectAsync(_server.Port);
            byte[] message = RawWireClient.OpMsg(Ping());
            await client.SendAsync(message[..(message.Length / 2)]);
        }

        await AssertServerServesAsync();
        // Every truncated connection ends: none is left waiting for its missing bytes after the client is gone.
        for (int i = 0; i < 50 && _server.Statistics.CurrentConnections > 0; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(0, _server.Statistics.CurrentConnections);
    }

    [Fact]
    public async Task Document_sequence_section_is_merged_into_the_command()
    {
        using var client = await RawWireClient.ConnectAsync(_server.Port);
        // A sequence whose identifier duplicates a body field is an error, which proves the server parsed it.
        var body = new O.BsonDocument { { "ping", 1 }, { "documents", new O.BsonArray() }, { "$db", "admin" } };
        await client.SendAsync(RawWireClient.OpMsg(body, sequences: [("documents", [new O.BsonDocument("a", 1)])]));
        var reply = await client.ReceiveAsync();
        Assert.Equal(0.0, reply!.Document["ok"].ToDouble());
        Assert.Contains("documents", reply.Document["errmsg"].AsString);

        // And a well-formed one is accepted alongside the body.
        await client.SendAsync(RawWireClient.OpMsg(Ping(), sequences: [("documents", [new O.BsonDocument("a", 1), new O.BsonDocument("b", 2)])]));
        reply = await client.ReceiveAsync();
        Assert.Equal(1.0, reply!.Document["ok"].ToDouble());
    }

    [Fact]
    public async Task Compressed_message_with_a_compressor_not_negotiated_closes_the_connection()
    {
        using (var client = await RawWireClient.ConnectAsync(_server.Port))
        {
            byte[] message = RawWireClient.Compress(RawWireClient.OpMsg(Ping()), 1, static p => Snappier.Snappy.CompressToArray(p));
            await client.SendAsync(message);
            Assert.True(await client.IsClosedByServerAsync());
        }

        await AssertServerServesAsync();
    }

    [Fact]
    public async Task Compressed_message_after_negotiation_is_answered_compressed_and_garbage_payload_closes()
    {
        using var client = await RawWireClient.ConnectAsync(_server.Port);
        await client.SendAsync(RawWireClient.OpMsg(new O.BsonDocument { { "hello", 1 }, { "compression", new O.BsonArray { "zstd", "snappy" } }, { "$db", "admin" } }));
        var hello = await client.ReceiveAsync();
        Assert.Equal(new O.BsonArray { "zstd", "snappy" }, hello!.Document["compression"].AsBsonArray);

        await client.SendAsync(RawWireClient.Compress(RawWireClient.OpMsg(Ping()), 1, static p => Snappier.Snappy.CompressToArray(p)));
        var reply = await client.ReceiveAsync();
        Assert.NotNull(reply);
        Assert.Equal(2012, reply.OpCode);
        Assert.Equal(1, reply.Message[24]); // answered with the compressor the request used
        Assert.Equal(1, _server.Statistics.GetCompressedMessagesReceived("snappy"));
        Assert.Equal(1, _server.Statistics.GetCompressedRepliesSent("snappy"));

        await client.SendAsync(RawWireClient.Compress(RawWireClient.OpMsg(Ping()), 3, static payload => [1, 2, 3, 4, 5, 6, 7, 8]));
        Assert.True(await client.IsClosedByServerAsync());
        await AssertServerServesAsync();
    }

    [Fact]
    public async Task Awaitable_hello_with_exhaustAllowed_streams_replies()
    {
        using var client = await RawWireClient.ConnectAsync(_server.Port);
        await client.SendAsync(RawWireClient.OpMsg(new O.BsonDocument { { "hello", 1 }, { "$db", "admin" } }));
        var first = await client.ReceiveAsync();
        var topologyVersion = first!.Document["topologyVersion"].AsBsonDocument;

        var awaitable = new O.BsonDocument
        {
            { "hello", 1 },
            { "topologyVersion", topologyVersion },
            { "maxAwaitTimeMS", 50L },
            { "$db", "admin" },
        };
        await client.SendAsync(RawWireClient.OpMsg(awaitable, flags: 1u << 16, requestId: 900));
        var streamed1 = await client.ReceiveAsync();
        Assert.NotNull(streamed1);
        Assert.Equal(900, streamed1.ResponseTo);
        Assert.Equal(2u, streamed1.Flags & 2u); // moreToCome: another reply follows without a request
        var streamed2 = await client.ReceiveAsync();
        Assert.NotNull(streamed2);
        Assert.Equal(streamed1.RequestId, streamed2.ResponseTo);
        Assert.True(streamed2.Document["isWritablePrimary"].AsBoolean);
    }

    [Fact]
    public async Task Mutated_messages_never_take_the_server_down()
    {
        var random = new Random(1234);
        byte[] valid = RawWireClient.OpMsg(new O.BsonDocument { { "ping", 1 }, { "comment", new O.BsonDocument { { "a", new O.BsonArray { 1, "x", 2.5 } } } }, { "$db", "admin" } });
        for (int i = 0; i < 60; i++)
        {
            byte[] mutated = (byte[])valid.Clone();
            int flips = 1 + random.Next(4);
            for (int f = 0; f < flips; f++)
            {
                // Keep the length field intact half of the time so the body parser is exercised, not just framing.
                int position = random.Next(i % 2 == 0 ? 4 : 0, mutated.Length);
                mutated[position] = (byte)random.Next(256);
            }

            using var client = await RawWireClient.ConnectAsync(_server.Port);
            await client.SendAsync(mutated);
            await client.ReceiveAsync(timeoutMs: 200); // a reply, a close, or silence (waiting for more bytes): all fine
        }

        await AssertServerServesAsync();
        Assert.Equal(0, _server.Statistics.InternalErrors);
    }

    [Fact]
    public async Task FailPoint_with_appName_can_fail_the_handshake_itself()
    {
        using (var admin = await RawWireClient.ConnectAsync(_server.Port))
        {
            await admin.SendAsync(RawWireClient.OpMsg(new O.BsonDocument
            {
                { "configureFailPoint", "failCommand" },
                { "mode", new O.BsonDocument("times", 1) },
                { "data", new O.BsonDocument { { "failCommands", new O.BsonArray { "isMaster" } }, { "errorCode", 8 }, { "appName", "rawApp" } } },
                { "$db", "admin" },
            }));
            Assert.Equal(1.0, (await admin.ReceiveAsync())!.Document["ok"].ToDouble());
        }

        var handshake = new O.BsonDocument
        {
            { "isMaster", 1 },
            { "client", new O.BsonDocument("application", new O.BsonDocument("name", "rawApp")) },
        };
        using var client = await RawWireClient.ConnectAsync(_server.Port);
        await client.SendAsync(RawWireClient.OpQuery("admin.$cmd", handshake));
        var reply = await client.ReceiveAsync();
        Assert.Equal(0.0, reply!.Document["ok"].ToDouble());
        Assert.Equal(8, reply.Document["code"].AsInt32);

        await client.SendAsync(RawWireClient.OpQuery("admin.$cmd", handshake));
        reply = await client.ReceiveAsync();
        Assert.True(reply!.Document["ismaster"].AsBoolean); // times: 1 is used up
    }

    [Fact]
    public async Task Invalid_bson_in_a_legacy_handshake_gets_an_OP_REPLY_error()
    {
        using var client = await RawWireClient.ConnectAsync(_server.Port);
        byte[] message = RawWireClient.OpQuery("admin.$cmd", new O.BsonDocument("isMaster", 1), requestId: 31);
        message[16 + 4 + "admin.$cmd".Length + 1 + 8 + 4] = 0x42; // the first element's type byte: no such BSON type
        await client.SendAsync(message);
        var reply = await client.ReceiveAsync();
        Assert.NotNull(reply);
        Assert.Equal(1, reply.OpCode);
        Assert.Equal(31, reply.ResponseTo);
        Assert.Equal(0.0, reply.Document["ok"].ToDouble());
        Assert.Equal(22, reply.Document["code"].AsInt32);
    }

    [Fact]
    public async Task GetMore_with_exhaustAllowed_streams_every_batch()
    {
        var docs = Enumerable.Range(0, 10).Select(i => new Mongo.Bson.BsonDocument("_id", i)).ToList();
        long id = _server.State.Cursors.CreateCursorReply("test.items", docs, batchSize: 1)["cursor"].AsDocument["id"].AsInt64;
        using var client = await RawWireClient.ConnectAsync(_server.Port);
        await client.SendAsync(RawWireClient.OpMsg(
            new O.BsonDocument { { "getMore", id }, { "collection", "items" }, { "batchSize", 4 }, { "$db", "test" } }, flags: 1u << 16, requestId: 500));
        var seen = new List<int>();
        int responseTo = 500;
        while (true)
        {
            var reply = await client.ReceiveAsync();
            Assert.NotNull(reply);
            Assert.Equal(responseTo, reply.ResponseTo);
            var cursor = reply.Document["cursor"].AsBsonDocument;
            seen.AddRange(cursor["nextBatch"].AsBsonArray.Select(d => d["_id"].AsInt32));
            bool more = (reply.Flags & 2u) != 0;
            Assert.Equal(cursor["id"].AsInt64 != 0, more); // moreToCome exactly while the cursor lives
            if (!more)
            {
                break;
            }

            responseTo = reply.RequestId;
        }

        Assert.Equal(Enumerable.Range(1, 9), seen);
        Assert.Equal(3, _server.Statistics.GetCommandCount("getMore")); // 4 + 4 + 1 from one request
        Assert.Equal(0, _server.State.Cursors.Count);

        // The connection is back to request/response afterwards.
        await client.SendAsync(RawWireClient.OpMsg(Ping()));
        Assert.Equal(1.0, (await client.ReceiveAsync())!.Document["ok"].ToDouble());
    }
}
