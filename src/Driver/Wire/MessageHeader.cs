using System.Buffers.Binary;
using System.Globalization;

namespace Mongo.Driver.Wire;

/// <summary>The 16-byte header that starts every wire message (all fields little-endian int32).</summary>
internal readonly record struct MessageHeader(int MessageLength, int RequestId, int ResponseTo, OpCode OpCode)
{
    public const int Size = 16;

    /// <summary>Reads a header without validating it.</summary>
    public static MessageHeader Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Size)
        {
            throw new MongoProtocolException("A wire message header needs 16 bytes but only " + bytes.Length.ToString(CultureInfo.InvariantCulture) + " are available.", bytes.Length);
        }

        return new MessageHeader(
            BinaryPrimitives.ReadInt32LittleEndian(bytes),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]),
            (OpCode)BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]));
    }

    /// <summary>
    /// Reads and validates the header of an incoming message before its body is read: the length must
    /// cover the header and must not exceed <paramref name="maxMessageSizeBytes"/> (so a corrupt length cannot
    /// make us allocate gigabytes), and the opcode must be one a server sends to a client.
    /// </summary>
    public static MessageHeader ReadIncoming(ReadOnlySpan<byte> bytes, int maxMessageSizeBytes)
    {
        MessageHeader header = Read(bytes);
        if (header.MessageLength < Size)
        {
            throw new MongoProtocolException("The message length " + header.MessageLength.ToString(CultureInfo.InvariantCulture) + " is smaller than the 16-byte header.", 0);
        }

        if (header.MessageLength > maxMessageSizeBytes)
        {
            throw new MongoProtocolException("The message length " + header.MessageLength.ToString(CultureInfo.InvariantCulture) + " exceeds maxMessageSizeBytes (" + maxMessageSizeBytes.ToString(CultureInfo.InvariantCulture) + ").", 0);
        }

        if (header.OpCode is not (OpCode.Msg or OpCode.Compressed or OpCode.Reply))
        {
            throw new MongoProtocolException("Unknown or unexpected opcode " + ((int)header.OpCode).ToString(CultureInfo.InvariantCulture) + " in a message from the server (expected 2013 OP_MSG, 2012 OP_COMPRESSED or 1 OP_REPLY).", 12);
        }

        return header;
    }

    /// <summary>Writes the header.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, MessageLength);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], RequestId);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], ResponseTo);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], (int)OpCode);
    }
}
