using System.Buffers.Binary;
using System.Net.Sockets;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>A bare TCP client for feeding the server hand-built (and deliberately broken) wire messages.</summary>
internal sealed class RawWireClient : IDisposable
{
    private readonly TcpClient _client = new();
    private NetworkStream _stream = null!;
    private static int s_requestId = 1000;

    public static async Task<RawWireClient> ConnectAsync(int port)
    {
        var raw = new RawWireClient();
        await raw._client.ConnectAsync("127.0.0.1", port);
        raw._stream = raw._client.GetStream();
        return raw;
    }

    public static int NextRequestId() => Interlocked.Increment(ref s_requestId);

    public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    /// <summary>Reads one message; null when the server closed the connection (or sent nothing within the timeout).</summary>
    public async Task<Reply?> ReceiveAsync(int timeoutMs = 30_000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        try
        {
            byte[] header = new byte[16];
            if (!await ReadExactlyAsync(header, cts.Token))
            {
                return null;
            }

            int length = BinaryPrimitives.ReadInt32LittleEndian(header);
            byte[] message = new byte[length];
            header.CopyTo(message, 0);
            if (!await ReadExactlyAsync(message.AsMemory(16), cts.Token))
            {
                return null;
            }

            return new Reply(message);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>True when the server closes the connection (a read returns end-of-stream or a reset).</summary>
    public async Task<bool> IsClosedByServerAsync(int timeoutMs = 30_000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        try
        {
            byte[] buffer = new byte[1024];
            while (true)
            {
                int n = await _stream.ReadAsync(buffer, cts.Token);
                if (n == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            return true;
        }
    }

    private async Task<bool> ReadExactlyAsync(Memory<byte> buffer, CancellationToken token)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await _stream.ReadAsync(buffer[read..], token);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    public void Dispose() => _client.Dispose();

    public static byte[] Bson(O.BsonDocument document) => O.BsonExtensionMethods.ToBson(document);

    /// <summary>An OP_MSG with one body section (and optional document sequences, checksum, flags).</summary>
    public static byte[] OpMsg(O.BsonDocument body, uint flags = 0, int? requestId = null, (string Id, O.BsonDocument[] Docs)[]? sequences = null, bool checksum = false, bool corruptChecksum = false)
    {
        using var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write(0);
        w.Write(requestId ?? NextRequestId());
        w.Write(0);
        w.Write(2013);
        w.Write(flags | (checksum ? 1u : 0u));
        w.Write((byte)0);
        w.Write(Bson(body));
        foreach (var (id, docs) in sequences ?? [])
        {
            w.Write((byte)1);
            byte[] idBytes = System.Text.Encoding.UTF8.GetBytes(id);
            byte[][] encoded = docs.Select(Bson).ToArray();
            w.Write(4 + idBytes.Length + 1 + encoded.Sum(d => d.Length));
            w.Write(idBytes);
            w.Write((byte)0);
            foreach (byte[] d in encoded)
            {
                w.Write(d);
            }
        }

        w.Flush();
        int length = (int)ms.Length + (checksum ? 4 : 0);
        byte[] bytes = ms.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        if (!checksum)
        {
            return bytes;
        }

        uint crc = ~Mongo.Bson.Internal.Crc32C.UpdateTable(uint.MaxValue, bytes); // the table path: independent of the hardware one the server uses
        if (corruptChecksum)
        {
            crc ^= 0x5A5A5A5A;
        }

        byte[] withCrc = new byte[length];
        bytes.CopyTo(withCrc, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(withCrc.AsSpan(bytes.Length), crc);
        return withCrc;
    }

    /// <summary>A legacy OP_QUERY against <paramref name="fullCollectionName"/>.</summary>
    public static byte[] OpQuery(string fullCollectionName, O.BsonDocument query, int? requestId = null)
    {
        using var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write(0);
        w.Write(requestId ?? NextRequestId());
        w.Write(0);
        w.Write(2004);
        w.Write(0);
        w.Write(System.Text.Encoding.UTF8.GetBytes(fullCollectionName));
        w.Write((byte)0);
        w.Write(0);
        w.Write(-1);
        w.Write(Bson(query));
        w.Flush();
        byte[] bytes = ms.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(bytes, bytes.Length);
        return bytes;
    }

    /// <summary>Wraps a complete message into OP_COMPRESSED with the given compressor id and payload transform.</summary>
    public static byte[] Compress(byte[] message, byte compressorId, Func<byte[], byte[]> compress)
    {
        byte[] payload = compress(message[16..]);
        byte[] result = new byte[16 + 9 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(result, result.Length);
        message.AsSpan(4, 8).CopyTo(result.AsSpan(4));
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(12), 2012);
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(16), BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(12)));
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(20), message.Length - 16);
        result[24] = compressorId;
        payload.CopyTo(result, 25);
        return result;
    }

    internal sealed class Reply(byte[] message)
    {
        public byte[] Message { get; } = message;

        public int RequestId => BinaryPrimitives.ReadInt32LittleEndian(Message.AsSpan(4));

        public int ResponseTo => BinaryPrimitives.ReadInt32LittleEndian(Message.AsSpan(8));

        public int OpCode => BinaryPrimitives.ReadInt32LittleEndian(Message.AsSpan(12));

        public uint Flags => BinaryPrimitives.ReadUInt32LittleEndian(Message.AsSpan(16));

        /// <summary>The reply document: OP_MSG body section or the single OP_REPLY document.</summary>
        public O.BsonDocument Document
        {
            get
            {
                int offset = OpCode switch
                {
                    2013 => 21,
                    1 => 36,
                    _ => throw new InvalidOperationException("cannot read a document from opcode " + OpCode),
                };
                int length = BinaryPrimitives.ReadInt32LittleEndian(Message.AsSpan(offset));
                return O.Serialization.BsonSerializer.Deserialize<O.BsonDocument>(Message.AsSpan(offset, length).ToArray());
            }
        }
    }
}
