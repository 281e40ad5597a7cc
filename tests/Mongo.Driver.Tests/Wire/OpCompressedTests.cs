using System.Buffers.Binary;
using Mongo.Driver.Compression;
using Mongo.Driver.Tests.Compression;
using Mongo.Driver.Util;
using Mongo.Driver.Wire;
using Xunit;

namespace Mongo.Driver.Tests.Wire;

public class OpCompressedTests
{
    private const string HelloMsg = "25000000 07000000 00000000 DD070000 00000000 00 10000000 1068656C6C6F00 01000000 00";

    // The same message wrapped with the noop compressor: length 25 + 21, opcode 2012, originalOpcode 2013,
    // uncompressedSize 21, compressorId 0, then the 21 bytes after the original header.
    private const string HelloCompressedNoop = "2E000000 07000000 00000000 DC070000 DD070000 15000000 00 00000000 00 10000000 1068656C6C6F00 01000000 00";

    private static byte[] LargeMessage()
    {
        using var buffer = new PooledByteBufferWriter();
        var writer = new OpMsgWriter(buffer);
        writer.Start(requestId: 99, responseTo: 3, OpMsgFlags.ChecksumPresent);
        writer.WriteBody(TestBytes.Doc(("insert", 1)));
        writer.BeginDocumentSequence("documents");
        for (int i = 0; i < 200; i++)
        {
            writer.WriteSequenceDocument(TestBytes.DocString("name", "document number " + i));
        }

        writer.EndDocumentSequence();
        writer.Finish(ServerLimits.Default.MaxMessageSize);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Noop_wrapping_matches_the_fixture_both_ways()
    {
        using var compressed = new PooledByteBufferWriter();
        Assert.Equal(46, OpCompressed.Compress(TestBytes.Hex(HelloMsg), NoopCompressor.Instance, compressed));
        Assert.Equal(TestBytes.Hex(HelloCompressedNoop), compressed.WrittenSpan.ToArray());

        using var restored = new PooledByteBufferWriter();
        Assert.Equal(37, OpCompressed.Decompress(TestBytes.Hex(HelloCompressedNoop), 1000, restored));
        Assert.Equal(TestBytes.Hex(HelloMsg), restored.WrittenSpan.ToArray());
    }

    [Theory]
    [MemberData(nameof(CompressorTests.AllCompressors), MemberType = typeof(CompressorTests))]
    public void Round_trips_through_every_compressor(string name)
    {
        byte[] original = LargeMessage();
        Compressor compressor = CompressorTests.Get(name);
        using var compressed = new PooledByteBufferWriter();
        int length = OpCompressed.Compress(original, compressor, compressed);
        byte[] wire = compressed.WrittenSpan.ToArray();

        MessageHeader header = MessageHeader.ReadIncoming(wire, ServerLimits.Default.MaxMessageSize);
        Assert.Equal(new MessageHeader(length, 99, 3, OpCode.Compressed), header);
        Assert.Equal((int)OpCode.Msg, BinaryPrimitives.ReadInt32LittleEndian(wire.AsSpan(16)));
        Assert.Equal(original.Length - 16, BinaryPrimitives.ReadInt32LittleEndian(wire.AsSpan(20)));
        Assert.Equal((byte)compressor.Id, wire[24]);
        if (name != "noop")
        {
            Assert.True(wire.Length < original.Length / 2, name + ": " + wire.Length + " of " + original.Length);
        }

        using var restored = new PooledByteBufferWriter();
        OpCompressed.Decompress(wire, ServerLimits.Default.MaxMessageSize, restored);
        Assert.Equal(original, restored.WrittenSpan.ToArray());
        Assert.Equal(200, OpMsgMessage.Parse(restored.WrittenMemory).FindSequence("documents")!.Value.Count);
    }

    [Theory]
    [InlineData(20, 0x16, "decompresses to")]      // uncompressedSize one too large
    [InlineData(20, 0x14, "decompresses to")]      // one too small
    [InlineData(20, 0xFF, "over maxMessageSizeBytes")]
    [InlineData(23, 0x80, "negative")]             // high byte: negative size
    [InlineData(24, 0x07, "compressor id 7")]
    [InlineData(16, 0xDC, "wraps opcode 2012")]    // nested OP_COMPRESSED
    [InlineData(16, 0x00, "wraps opcode 1792")]    // 0x000700: unknown opcode
    [InlineData(12, 0xDD, "Expected opcode 2012")]
    public void Bad_prefix_fields_are_rejected(int offset, byte value, string reason)
    {
        byte[] wire = TestBytes.Hex(HelloCompressedNoop);
        wire[offset] = value;
        using var restored = new PooledByteBufferWriter();
        var ex = Assert.Throws<MongoProtocolException>(() => OpCompressed.Decompress(wire, 200, restored));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CompressorTests.AllCompressors), MemberType = typeof(CompressorTests))]
    public void Truncated_and_garbage_payloads_are_rejected(string name)
    {
        using var compressed = new PooledByteBufferWriter();
        OpCompressed.Compress(LargeMessage(), CompressorTests.Get(name), compressed);
        byte[] wire = compressed.WrittenSpan.ToArray();
        using var restored = new PooledByteBufferWriter();
        for (int cut = 0; cut < wire.Length; cut += Math.Max(1, wire.Length / 97))
        {
            byte[] truncated = wire.AsSpan(0, cut).ToArray();
            if (cut >= 4)
            {
                BinaryPrimitives.WriteInt32LittleEndian(truncated, cut);
            }

            Assert.Throws<MongoProtocolException>(() => OpCompressed.Decompress(truncated, 1_000_000, restored));
        }

        byte[] garbage = (byte[])wire.Clone();
        TestBytes.Random(garbage.Length - 25, seed: 9).CopyTo(garbage, 25);
        try
        {
            OpCompressed.Decompress(garbage, 1_000_000, restored);
            Assert.Equal("noop", name); // only the noop "compressor" accepts any bytes of the right size
        }
        catch (MongoProtocolException)
        {
        }
    }

    [Fact]
    public void Header_length_must_match()
    {
        byte[] wire = TestBytes.Hex(HelloCompressedNoop);
        using var restored = new PooledByteBufferWriter();
        var ex = Assert.Throws<MongoProtocolException>(() => OpCompressed.Decompress(wire.AsSpan(0, 40), 1000, restored));
        Assert.Contains("declares 46 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compressing_a_compressed_message_is_refused()
    {
        using var output = new PooledByteBufferWriter();
        Assert.Throws<ArgumentException>(() => OpCompressed.Compress(TestBytes.Hex(HelloCompressedNoop), SnappyCompressor.Instance, output));
    }
}
