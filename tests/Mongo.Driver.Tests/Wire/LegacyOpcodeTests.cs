using System.Buffers.Binary;
using Mongo.Driver.Util;
using Mongo.Driver.Wire;
using Xunit;

namespace Mongo.Driver.Tests.Wire;

public class LegacyOpcodeTests
{
    // {ok: 1}: 0D000000 10 6F6B00 01000000 00 (13 bytes)
    private const string OkDoc = "0D000000 106F6B0001000000 00";

    // OP_REPLY: length 36 + 13 = 49, requestId 5, responseTo 9, flags AwaitCapable, cursor 0, from 0, 1 document.
    private const string Reply = "31000000 05000000 09000000 01000000 08000000 0000000000000000 00000000 01000000" + OkDoc;

    [Fact]
    public void Parses_an_op_reply_fixture()
    {
        OpReply reply = OpReply.Parse(TestBytes.Hex(Reply));
        Assert.Equal(new MessageHeader(49, 5, 9, OpCode.Reply), reply.Header);
        Assert.Equal(OpReplyFlags.AwaitCapable, reply.Flags);
        Assert.Equal(0, reply.CursorId);
        Assert.Equal(1, reply.NumberReturned);
        Assert.Equal(TestBytes.Hex(OkDoc), reply.FirstDocument.ToArray());
        int count = 0;
        foreach (ReadOnlyMemory<byte> doc in reply)
        {
            Assert.Equal(TestBytes.Hex(OkDoc), doc.ToArray());
            count++;
        }

        Assert.Equal(1, count);
    }

    [Theory]
    [InlineData(32, 2, "OP_REPLY document 1")]           // numberReturned 2, only one document
    [InlineData(32, 0, "bytes after its 0 declared")]     // numberReturned 0 but a document follows
    [InlineData(35, 0x80, "negative numberReturned")]
    [InlineData(12, 2, "Expected opcode 1")]
    [InlineData(0, 50, "declares 50 bytes")]
    public void Malformed_op_replies_are_rejected(int offset, byte value, string reason)
    {
        byte[] bytes = TestBytes.Hex(Reply);
        bytes[offset] = value;
        var ex = Assert.Throws<MongoProtocolException>(() => OpReply.Parse(bytes));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_truncated_op_reply_is_rejected()
    {
        byte[] bytes = TestBytes.Hex(Reply);
        for (int cut = 16; cut < bytes.Length; cut++)
        {
            byte[] truncated = bytes.AsSpan(0, cut).ToArray();
            BinaryPrimitives.WriteInt32LittleEndian(truncated, cut);
            Assert.Throws<MongoProtocolException>(() => OpReply.Parse(truncated));
        }
    }

    [Fact]
    public void Empty_reply_has_no_first_document()
    {
        byte[] bytes = TestBytes.Hex("24000000 05000000 09000000 01000000 00000000 0000000000000000 00000000 00000000");
        OpReply reply = OpReply.Parse(bytes);
        Assert.Equal(0, reply.NumberReturned);
        Assert.Throws<MongoProtocolException>(() => reply.FirstDocument);
    }

    [Fact]
    public void Writes_an_op_query_command_fixture()
    {
        using var buffer = new PooledByteBufferWriter();
        // {isMaster: 1}: 13 + 8 = 19 bytes
        byte[] command = TestBytes.Doc(("isMaster", 1));
        int length = OpQuery.WriteCommand(buffer, requestId: 3, "admin", command);
        string expected = "3A000000 03000000 00000000 D4070000 00000000 61646D696E2E24636D6400 00000000 FFFFFFFF"
            + "13000000 10 69734D617374657200 01000000 00";
        Assert.Equal(TestBytes.Hex(expected), buffer.WrittenSpan.ToArray());
        Assert.Equal(0x3A, length);
        Assert.Throws<ArgumentException>(() => OpQuery.WriteCommand(buffer, 1, "admin", [1, 2, 3]));
    }
}
