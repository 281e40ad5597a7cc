using System.Buffers.Binary;
using System.Globalization;
using Mongo.Driver.Compression;
using Mongo.Driver.Util;

namespace Mongo.Driver.Wire;

/// <summary>
/// OP_COMPRESSED (opcode 2012): wraps another message's bytes after its header as
/// <c>originalOpcode, uncompressedSize, compressorId, compressedMessage</c>.
/// </summary>
internal static class OpCompressed
{
    /// <summary>Header plus originalOpcode (4), uncompressedSize (4) and compressorId (1).</summary>
    public const int PrefixSize = MessageHeader.Size + 9;

    /// <summary>
    /// Compresses a complete message (header included) and appends the OP_COMPRESSED form to
    /// <paramref name="output"/>, keeping its request id and responseTo.
    /// </summary>
    /// <returns>The length of the OP_COMPRESSED message.</returns>
    public static int Compress(ReadOnlySpan<byte> message, Compressor compressor, PooledByteBufferWriter output)
    {
        MessageHeader original = MessageHeader.Read(message);
        if (original.MessageLength != message.Length)
        {
            throw new ArgumentException("The message's header length does not match its size.", nameof(message));
        }

        if (original.OpCode == OpCode.Compressed)
        {
            throw new ArgumentException("An OP_COMPRESSED message cannot be compressed again.", nameof(message));
        }

        int start = output.WrittenCount;
        Span<byte> prefix = output.GetSpan(PrefixSize);
        new MessageHeader(0, original.RequestId, original.ResponseTo, OpCode.Compressed).Write(prefix);
        BinaryPrimitives.WriteInt32LittleEndian(prefix[16..], (int)original.OpCode);
        BinaryPrimitives.WriteInt32LittleEndian(prefix[20..], message.Length - MessageHeader.Size);
        prefix[24] = (byte)compressor.Id;
        output.Advance(PrefixSize);
        int compressed = compressor.Compress(message[MessageHeader.Size..], output);
        int length = PrefixSize + compressed;
        BinaryPrimitives.WriteInt32LittleEndian(output.WrittenSpanForPatching[start..], length);
        return length;
    }

    /// <summary>
    /// Decompresses an OP_COMPRESSED message and appends the original message (its header rebuilt with the
    /// original opcode and length) to <paramref name="output"/>.
    /// </summary>
    /// <returns>The length of the restored message.</returns>
    /// <exception cref="MongoProtocolException">Bad lengths, a nested or unknown opcode, an unknown compressor, corrupt data, or a size mismatch.</exception>
    public static int Decompress(ReadOnlySpan<byte> message, int maxMessageSizeBytes, PooledByteBufferWriter output)
    {
        MessageHeader header = MessageHeader.Read(message);
        if (header.MessageLength != message.Length)
        {
            throw new MongoProtocolException("The OP_COMPRESSED header declares " + Num(header.MessageLength) + " bytes but the message has " + Num(message.Length) + ".", 0);
        }

        if (header.OpCode != OpCode.Compressed)
        {
            throw new MongoProtocolException("Expected opcode 2012 (OP_COMPRESSED) but found " + Num((int)header.OpCode) + ".", 12);
        }

        if (message.Length < PrefixSize)
        {
            throw new MongoProtocolException("An OP_COMPRESSED message of " + Num(message.Length) + " bytes is shorter than its 25-byte prefix.", message.Length);
        }

        var originalOpCode = (OpCode)BinaryPrimitives.ReadInt32LittleEndian(message[16..]);
        if (originalOpCode is not (OpCode.Msg or OpCode.Reply or OpCode.Query))
        {
            throw new MongoProtocolException("OP_COMPRESSED wraps opcode " + Num((int)originalOpCode) + ", which is not a message that can be compressed (2013 OP_MSG, 1 OP_REPLY, 2004 OP_QUERY).", 16);
        }

        int uncompressedSize = BinaryPrimitives.ReadInt32LittleEndian(message[20..]);
        if (uncompressedSize < 0 || (long)uncompressedSize + MessageHeader.Size > maxMessageSizeBytes)
        {
            throw new MongoProtocolException("OP_COMPRESSED declares an uncompressedSize of " + Num(uncompressedSize) + " bytes, which is negative or over maxMessageSizeBytes (" + Num(maxMessageSizeBytes) + ").", 20);
        }

        Compressor compressor = Compressors.ForId(message[24]);
        int length = MessageHeader.Size + uncompressedSize;
        Span<byte> restored = output.GetSpan(length)[..length];
        new MessageHeader(length, header.RequestId, header.ResponseTo, originalOpCode).Write(restored);
        compressor.Decompress(message[PrefixSize..], restored[MessageHeader.Size..]);
        output.Advance(length);
        return length;
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
