using System.Buffers.Binary;
using Mongo.Bson;
using Mongo.Driver.Wire;

namespace Mongo.Driver.Tests.Connections;

/// <summary>
/// A scripted server behind a <see cref="Stream"/>: each complete OP_MSG the client writes is answered by
/// <see cref="Respond"/> (raw reply bytes, or null to close the stream), and replies are handed out at most
/// <see cref="ChunkSize"/> bytes per read so framing is exercised across many socket reads.
/// </summary>
internal sealed class FakeServerStream : OpMsgServerStream
{
    private byte[] _output = [];
    private int _outputPosition;
    private bool _closed;

    public FakeServerStream(Func<int, BsonDocument, byte[]?> respond, int chunkSize = int.MaxValue)
    {
        Respond = respond;
        ChunkSize = chunkSize;
    }

    public Func<int, BsonDocument, byte[]?> Respond { get; }

    public int ChunkSize { get; set; }

    public int Reads { get; private set; }

    /// <summary>A standard hello reply for the handshake.</summary>
    public static BsonDocument HelloReply() => new()
    {
        { "isWritablePrimary", true }, { "helloOk", true }, { "maxBsonObjectSize", 16 * 1024 * 1024 }, { "maxMessageSizeBytes", 48_000_000 },
        { "maxWriteBatchSize", 100_000 }, { "minWireVersion", 0 }, { "maxWireVersion", 21 }, { "connectionId", 1 }, { "ok", 1.0 },
    };

    /// <summary>The OP_MSG flag bits of the last message the client wrote (exhaustAllowed, moreToCome).</summary>
    public uint LastRequestFlags { get; private set; }

    /// <summary>Messages the client wrote.</summary>
    public int Requests { get; private set; }

    /// <summary>An OP_MSG reply with a body, optionally corrupting header fields.</summary>
    public static byte[] Reply(int responseTo, BsonDocument body, int? declaredLength = null, int opCode = 2013) =>
        Reply(responseTo, body, requestId: 999, moreToCome: false, declaredLength, opCode);

    /// <summary>An OP_MSG reply with its own requestID and, for an exhaust stream, the moreToCome flag.</summary>
    public static byte[] Reply(int responseTo, BsonDocument body, int requestId, bool moreToCome, int? declaredLength = null, int opCode = 2013)
    {
        byte[] bson = body.ToBytes();
        byte[] message = new byte[16 + 4 + 1 + bson.Length];
        BinaryPrimitives.WriteInt32LittleEndian(message, declaredLength ?? message.Length);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(4), requestId);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(8), responseTo);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(12), opCode);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(16), moreToCome ? (uint)OpMsgFlags.MoreToCome : 0u);
        message[20] = 0;
        bson.CopyTo(message, 21);
        return message;
    }

    /// <summary>Answers hello with <see cref="HelloReply"/> and everything else with <paramref name="other"/>.</summary>
    public static Func<int, BsonDocument, byte[]?> HelloThen(Func<int, BsonDocument, byte[]?> other) =>
        (requestId, command) => command.GetElement(0).Name == "hello" ? Reply(requestId, HelloReply()) : other(requestId, command);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        Reads++;
        int available = _output.Length - _outputPosition;
        if (available == 0 || _closed && available == 0)
        {
            return 0;
        }

        int n = Math.Min(Math.Min(available, buffer.Length), ChunkSize);
        _output.AsSpan(_outputPosition, n).CopyTo(buffer);
        _outputPosition += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    protected override void OnMessage(OpMsgMessage message, BsonDocument command)
    {
        LastRequestFlags = (uint)message.Flags;
        Requests++;
        byte[]? reply = Respond(message.Header.RequestId, command);
        if (reply is null)
        {
            _closed = true;
            return;
        }

        _output = [.. _output.AsSpan(_outputPosition), .. reply];
        _outputPosition = 0;
    }
}
