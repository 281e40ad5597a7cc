using System.Buffers.Binary;
using System.Text;
using Mongo.Driver.Util;

namespace Mongo.Driver.Wire;

/// <summary>
/// Legacy OP_QUERY (opcode 2004) encoder, only for a legacy-hello handshake against a server that predates
/// OP_MSG: <c>flags int32, fullCollectionName cstring, numberToSkip int32, numberToReturn int32, query document</c>.
/// </summary>
internal static class OpQuery
{
    /// <summary>Appends an OP_QUERY for a command (<c>&lt;db&gt;.$cmd</c>, numberToReturn -1) and returns its length.</summary>
    public static int WriteCommand(PooledByteBufferWriter output, int requestId, string database, ReadOnlySpan<byte> command)
    {
        if (command.Length < 5 || BinaryPrimitives.ReadInt32LittleEndian(command) != command.Length || command[^1] != 0)
        {
            throw new ArgumentException("The command is not a single well-framed BSON document.", nameof(command));
        }

        string collection = database + ".$cmd";
        int nameLength = Encoding.UTF8.GetByteCount(collection);
        int length = MessageHeader.Size + 4 + nameLength + 1 + 8 + command.Length;
        Span<byte> span = output.GetSpan(length)[..length];
        new MessageHeader(length, requestId, 0, OpCode.Query).Write(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 0);
        Encoding.UTF8.GetBytes(collection, span[20..]);
        int offset = 20 + nameLength;
        span[offset++] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(span[offset..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(span[(offset + 4)..], -1);
        command.CopyTo(span[(offset + 8)..]);
        output.Advance(length);
        return length;
    }
}
