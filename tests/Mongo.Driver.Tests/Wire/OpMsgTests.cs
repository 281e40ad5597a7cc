using Mongo.Bson.Internal;
using System.Buffers.Binary;
using Mongo.Driver.Util;
using Mongo.Driver.Wire;
using Xunit;

namespace Mongo.Driver.Tests.Wire;

public class OpMsgTests
{
    // {hello: 1}: 16 bytes.
    private const string HelloDoc = "10000000 10 68656C6C6F00 01000000 00";

    // OP_MSG, requestId 7, responseTo 0, flags 0, one body section holding {hello: 1}.
    private const string HelloMsg = "25000000 07000000 00000000 DD070000 00000000 00" + HelloDoc;

    private static byte[] Build(OpMsgFlags flags, byte[] body, params (string Id, byte[][] Docs)[] sequences)
    {
        using var buffer = new PooledByteBufferWriter();
        var writer = new OpMsgWriter(buffer);
        writer.Start(requestId: 42, responseTo: 5, flags);
        writer.WriteBody(body);
        foreach ((string id, byte[][] docs) in sequences)
        {
            writer.BeginDocumentSequence(id);
            foreach (byte[] doc in docs)
            {
                writer.WriteSequenceDocument(doc);
            }

            writer.EndDocumentSequence();
        }

        int length = writer.Finish(ServerLimits.Default.MaxMessageSize);
        Assert.Equal(buffer.WrittenCount, length);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Writer_produces_the_fixture_bytes()
    {
        using var buffer = new PooledByteBufferWriter();
        var writer = new OpMsgWriter(buffer);
        writer.Start(requestId: 7);
        writer.WriteBody(TestBytes.Hex(HelloDoc));
        Assert.Equal(37, writer.Finish(1000));
        Assert.Equal(TestBytes.Hex(HelloMsg), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Parses_the_fixture()
    {
        OpMsgMessage message = OpMsgMessage.Parse(TestBytes.Hex(HelloMsg));
        Assert.Equal(new MessageHeader(37, 7, 0, OpCode.Msg), message.Header);
        Assert.Equal(OpMsgFlags.None, message.Flags);
        Assert.False(message.MoreToCome);
        Assert.Null(message.Checksum);
        Assert.Equal(TestBytes.Hex(HelloDoc), message.Body.ToArray());
        Assert.Equal(0, message.SequenceCount);
        Assert.Null(message.FindSequence("documents"));
    }

    [Fact]
    public void Body_can_be_written_in_place()
    {
        using var buffer = new PooledByteBufferWriter();
        var writer = new OpMsgWriter(buffer);
        writer.Start(requestId: 7);
        System.Buffers.IBufferWriter<byte> output = writer.BeginBody();
        byte[] doc = TestBytes.Hex(HelloDoc);
        doc.AsSpan(0, 10).CopyTo(output.GetSpan(10));
        output.Advance(10);
        doc.AsSpan(10).CopyTo(output.GetSpan(6));
        output.Advance(6);
        writer.EndBody();
        writer.Finish(1000);
        Assert.Equal(TestBytes.Hex(HelloMsg), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Document_sequences_round_trip_in_order()
    {
        byte[] body = TestBytes.Doc(("insert", 1), ("ordered", 1));
        byte[][] docs = [TestBytes.Doc(("_id", 1)), TestBytes.Doc(("_id", 2), ("x", 3)), TestBytes.DocString("_id", "three")];
        byte[][] updates = [TestBytes.Doc(("q", 1))];
        byte[] bytes = Build(OpMsgFlags.None, body, ("documents", docs), ("updates", updates));

        OpMsgMessage message = OpMsgMessage.Parse(bytes);
        Assert.Equal(42, message.Header.RequestId);
        Assert.Equal(5, message.Header.ResponseTo);
        Assert.Equal(body, message.Body.ToArray());
        Assert.Equal(2, message.SequenceCount);

        var seen = new List<string>();
        foreach (DocumentSequence sequence in message.Sequences)
        {
            seen.Add(sequence.Identifier);
        }

        Assert.Equal(["documents", "updates"], seen);
        DocumentSequence documents = message.FindSequence("documents")!.Value;
        Assert.Equal(3, documents.Count);
        int i = 0;
        foreach (ReadOnlyMemory<byte> doc in documents)
        {
            Assert.Equal(docs[i++], doc.ToArray());
        }

        Assert.Equal(updates[0], message.FindSequence("updates")!.Value.Documents.ToArray());
    }

    [Fact]
    public void Sequence_may_come_before_the_body_and_may_be_empty()
    {
        byte[] body = TestBytes.Doc(("insert", 1));
        // kind 1, size 4 + "documents\0" (10) = 14, no documents; then the body.
        byte[] sections = [.. TestBytes.Hex("01 0E000000 646F63756D656E747300 00"), .. body];
        byte[] bytes = Frame(0, sections);
        OpMsgMessage message = OpMsgMessage.Parse(bytes);
        Assert.Equal(body, message.Body.ToArray());
        Assert.Equal(0, message.FindSequence("documents")!.Value.Count);
    }

    [Fact]
    public void Checksum_is_written_and_verified()
    {
        byte[] bytes = Build(OpMsgFlags.ChecksumPresent, TestBytes.Doc(("ping", 1)), ("documents", [TestBytes.Doc(("a", 1))]));
        uint expected = Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4));
        Assert.Equal(expected, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)));
        Assert.Equal(expected, OpMsgMessage.Parse(bytes).Checksum);

        byte[] badChecksum = (byte[])bytes.Clone();
        badChecksum[^1] ^= 1;
        var ex = Assert.Throws<MongoProtocolException>(() => OpMsgMessage.Parse(badChecksum));
        Assert.Contains("checksum", ex.Message, StringComparison.Ordinal);

        // Any corrupted byte after the header's length field is caught (by the checksum or the framing checks).
        for (int i = 4; i < bytes.Length; i++)
        {
            byte[] corrupt = (byte[])bytes.Clone();
            corrupt[i] ^= 0x20;
            Assert.Throws<MongoProtocolException>(() => OpMsgMessage.Parse(corrupt));
        }
    }

    [Fact]
    public void Flags_more_to_come_and_exhaust_are_exposed_and_unknown_optional_bits_ignored()
    {
        var flags = OpMsgFlags.MoreToCome | OpMsgFlags.ExhaustAllowed | (OpMsgFlags)(1u << 20);
        OpMsgMessage message = OpMsgMessage.Parse(Frame((uint)flags, [0, .. TestBytes.Hex(HelloDoc)]));
        Assert.True(message.MoreToCome);
        Assert.True(message.ExhaustAllowed);
    }

    [Theory]
    [InlineData(1u << 2)]
    [InlineData(1u << 15)]
    public void Unknown_required_flag_bits_are_rejected(uint flag)
    {
        var ex = Assert.Throws<MongoProtocolException>(() => OpMsgMessage.Parse(Frame(flag, [0, .. TestBytes.Hex(HelloDoc)])));
        Assert.Contains("required flag bits", ex.Message, StringComparison.Ordinal);
        Assert.Equal(16, ex.ByteOffset);
    }

    [Theory]
    [InlineData("02" + HelloDoc, "section kind 2")]
    [InlineData("00" + HelloDoc + "00" + HelloDoc, "more than one body")]
    [InlineData("01 0E000000 646F63756D656E747300", "no body")]
    [InlineData("00" + HelloDoc + "01 0E000000 646F63756D656E747300 01 0E000000 646F63756D656E747300", "two document sequences named 'documents'")]
    [InlineData("00" + HelloDoc + "01 06000000 00 00", "empty identifier")]
    [InlineData("00" + HelloDoc + "01 05000000 00", "declares a size of 5")]
    [InlineData("00" + HelloDoc + "01 08000000 61626364", "not NUL-terminated")]
    [InlineData("00" + HelloDoc + "01 20000000 6100", "declares a size")]
    [InlineData("00" + HelloDoc + "01 07000000 6100 05", "truncated")]
    [InlineData("00" + HelloDoc + "01 0B000000 6100 05000000 01", "does not end with a NUL")]
    [InlineData("00 11000000 1068656C6C6F00 01000000 00", "declares a length of 17")]
    [InlineData("00 04000000 00", "declares a length of 4")]
    [InlineData("00" + HelloDoc + "01 0600", "section is truncated")]
    [InlineData("00 0400", "too short")]
    [InlineData("00 10000000 1068656C6C6F00 01000000 01", "does not end with a NUL")]
    public void Malformed_sections_are_rejected_with_a_reason(string sectionsHex, string reason)
    {
        var ex = Assert.Throws<MongoProtocolException>(() => OpMsgMessage.Parse(Frame(0, TestBytes.Hex(sectionsHex))));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.ByteOffset);
    }

    [Fact]
    public void Header_length_and_opcode_are_checked()
    {
        byte[] bytes = TestBytes.Hex(HelloMsg);
        var longer = new byte[bytes.Length + 1];
        bytes.CopyTo(longer, 0);
        Assert.Contains("declares 37 bytes", Assert.Throws<MongoProtocolException>(() => OpMsgMessage.Parse(longer)).Message, StringComparison.Ordinal);

        byte[] wrongOpcode = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(wrongOpcode.AsSpan(12), 2004);
        Assert.Contains("2004", Assert.Throws<MongoProtocolException>(() => OpMsgMessage.Parse(wrongOpcode)).Message, StringComparison.Ordinal);

        Assert.Throws<MongoProtocolException>(() => OpMsgMessage.Parse(bytes.AsMemory(0, 10)));
    }

    [Fact]
    public void Every_truncation_is_rejected_cleanly()
    {
        byte[] bytes = Build(OpMsgFlags.ChecksumPresent, TestBytes.Doc(("insert", 1)), ("documents", [TestBytes.Doc(("a", 1)), TestBytes.Doc(("b", 2))]));
        for (int cut = 0; cut < bytes.Length; cut++)
        {
            // As received (header still says the full length) and with the header patched to the cut length.
            byte[] truncated = bytes.AsSpan(0, cut).ToArray();
            Assert.Throws<MongoProtocolException>(() => OpMsgMessage.Parse(truncated));
            if (cut >= 16)
            {
                BinaryPrimitives.WriteInt32LittleEndian(truncated, cut);
                Assert.Throws<MongoProtocolException>(() => OpMsgMessage.Parse(truncated));
            }
        }

        byte[] body = TestBytes.Doc(("insert", 1));
        byte[] plain = Build(OpMsgFlags.None, body, ("documents", [TestBytes.Doc(("a", 1)), TestBytes.Doc(("b", 2))]));
        for (int cut = 16; cut < plain.Length; cut++)
        {
            if (cut == 21 + body.Length)
            {
                continue; // Cutting exactly after the body leaves a valid message without the sequence.
            }

            byte[] truncated = plain.AsSpan(0, cut).ToArray();
            BinaryPrimitives.WriteInt32LittleEndian(truncated, cut);
            Assert.Throws<MongoProtocolException>(() => OpMsgMessage.Parse(truncated));
        }
    }

    [Fact]
    public void Random_corruption_never_escapes_as_another_exception_type()
    {
        byte[] bytes = Build(OpMsgFlags.None, TestBytes.Doc(("insert", 1)), ("documents", [TestBytes.Doc(("a", 1)), TestBytes.Doc(("b", 2))]));
        var random = new Random(1234);
        for (int round = 0; round < 2000; round++)
        {
            byte[] corrupt = (byte[])bytes.Clone();
            int flips = random.Next(1, 4);
            for (int f = 0; f < flips; f++)
            {
                corrupt[random.Next(4, corrupt.Length)] = (byte)random.Next(256);
            }

            try
            {
                OpMsgMessage message = OpMsgMessage.Parse(corrupt);
                foreach (DocumentSequence sequence in message.Sequences)
                {
                    _ = sequence.Count;
                }
            }
            catch (MongoProtocolException)
            {
            }
        }
    }

    [Fact]
    public void Incoming_headers_are_checked_before_reading_the_body()
    {
        byte[] header = TestBytes.Hex("25000000 07000000 00000000 DD070000");
        Assert.Equal(37, MessageHeader.ReadIncoming(header, 48_000_000).MessageLength);
        Assert.Contains("exceeds maxMessageSizeBytes", Assert.Throws<MongoProtocolException>(() => MessageHeader.ReadIncoming(header, 36)).Message, StringComparison.Ordinal);
        Assert.Throws<MongoProtocolException>(() => MessageHeader.ReadIncoming(TestBytes.Hex("0F000000 07000000 00000000 DD070000"), 1000));
        Assert.Throws<MongoProtocolException>(() => MessageHeader.ReadIncoming(TestBytes.Hex("FFFFFFFF 07000000 00000000 DD070000"), 1000));
        Assert.Contains("opcode 2004", Assert.Throws<MongoProtocolException>(() => MessageHeader.ReadIncoming(TestBytes.Hex("25000000 07000000 00000000 D4070000"), 1000)).Message, StringComparison.Ordinal);
        Assert.Throws<MongoProtocolException>(() => MessageHeader.ReadIncoming(TestBytes.Hex("25000000 07000000"), 1000));
        Assert.Equal(OpCode.Compressed, MessageHeader.ReadIncoming(TestBytes.Hex("25000000 07000000 00000000 DC070000"), 1000).OpCode);
        Assert.Equal(OpCode.Reply, MessageHeader.ReadIncoming(TestBytes.Hex("25000000 07000000 00000000 01000000"), 1000).OpCode);
    }

    [Fact]
    public void Oversize_messages_are_refused_and_the_buffer_is_rolled_back()
    {
        using var buffer = new PooledByteBufferWriter();
        buffer.Write([9, 9]);
        var writer = new OpMsgWriter(buffer);
        writer.Start(requestId: 1);
        writer.WriteBody(TestBytes.Hex(HelloDoc));
        var ex = Assert.Throws<MongoClientException>(() => writer.Finish(36));
        Assert.Contains("maxMessageSizeBytes of 36", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, buffer.WrittenCount);

        // The writer is usable again.
        writer.Start(requestId: 1);
        writer.WriteBody(TestBytes.Hex(HelloDoc));
        Assert.Equal(37, writer.Finish(37));
    }

    [Fact]
    public void Writer_misuse_is_reported()
    {
        using var buffer = new PooledByteBufferWriter();
        var writer = new OpMsgWriter(buffer);
        Assert.Throws<InvalidOperationException>(() => writer.WriteBody(TestBytes.Hex(HelloDoc)));
        writer.Start(1);
        Assert.Throws<InvalidOperationException>(() => writer.Finish(1000));
        Assert.Throws<ArgumentException>(() => writer.WriteBody(TestBytes.Hex("10000000 10 68656C6C6F00 01000000 01")));
        writer.Abandon();
        writer.Start(1);
        writer.WriteBody(TestBytes.Hex(HelloDoc));
        Assert.Throws<InvalidOperationException>(() => writer.WriteBody(TestBytes.Hex(HelloDoc)));
        Assert.Throws<ArgumentException>(() => writer.BeginDocumentSequence(""));
        writer.BeginDocumentSequence("documents");
        Assert.Throws<ArgumentException>(() => writer.WriteSequenceDocument(TestBytes.Hex("06000000 0001")));
        Assert.Throws<InvalidOperationException>(() => writer.Finish(1000));
        writer.EndDocumentSequence();
        Assert.Throws<ArgumentException>(() => writer.Start(2, flags: (OpMsgFlags)4));
    }

    /// <summary>Frames sections into an OP_MSG with a correct header length.</summary>
    internal static byte[] Frame(uint flags, byte[] sections)
    {
        var bytes = new byte[20 + sections.Length];
        new MessageHeader(bytes.Length, 1, 0, OpCode.Msg).Write(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), flags);
        sections.CopyTo(bytes, 20);
        return bytes;
    }
}
