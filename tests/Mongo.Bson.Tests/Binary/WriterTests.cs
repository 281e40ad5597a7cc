using System.Buffers;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.Bson.Tests.Binary;

public class WriterTests
{
    [Fact]
    public void Named_values_and_arrays_match_official_bytes()
    {
        using var writer = new BsonWriter();
        writer.WriteStartDocument();
        writer.WriteInt32("i", 1);
        writer.WriteString("s", "é\0x");
        writer.WriteStartArray("a");
        for (int i = 0; i < 1005; i++)
        {
            writer.WriteInt32(i);
        }

        writer.WriteEndArray();
        writer.WriteStartDocument("d");
        writer.WriteBoolean("b", false);
        writer.WriteNull("n");
        writer.WriteEndDocument();
        writer.WriteBinary("old", [1, 2], BsonBinarySubType.OldBinary);
        writer.WriteEndDocument();

        var array = new O.BsonArray(Enumerable.Range(0, 1005).Select(i => (O.BsonValue)i));
        var expected = new O.BsonDocument
        {
            { "i", 1 }, { "s", "é\0x" }, { "a", array }, { "d", new O.BsonDocument { { "b", false }, { "n", O.BsonNull.Value } } },
        };
        byte[] official = TestDocuments.OfficialBytes(expected);

        // The official writer turns subtype 2 into subtype 0 on output, so compare that element by hand.
        byte[] ours = writer.ToArray();
        byte[] oldBinary = [5, (byte)'o', (byte)'l', (byte)'d', 0, 6, 0, 0, 0, 2, 2, 0, 0, 0, 1, 2];
        Assert.Equal(official.AsSpan(4, official.Length - 5).ToArray(), ours.AsSpan(4, official.Length - 5).ToArray());
        Assert.Equal(oldBinary, ours.AsSpan(official.Length - 1, oldBinary.Length).ToArray());
        Assert.Equal(ours.Length, BitConverter.ToInt32(ours));
        Assert.Equal(new BsonBinaryData([1, 2], BsonBinarySubType.OldBinary), BsonDocument.FromBytes(ours)["old"]);
    }

    [Fact]
    public void Names_with_nul_are_rejected()
    {
        using var writer = new BsonWriter();
        writer.WriteStartDocument();
        Assert.Throws<BsonException>(() => writer.WriteName("a\0b"));
        Assert.Throws<BsonException>(() => writer.WriteName("a\0"u8));
        Assert.Throws<BsonException>(() => writer.WriteRegularExpression("a\0", ""));
    }

    [Fact]
    public void Lone_surrogates_are_rejected()
    {
        using var writer = new BsonWriter();
        writer.WriteStartDocument();
        writer.WriteName("s");
        Assert.Throws<BsonException>(() => writer.WriteString("a\uD800b"));
        writer.Reset();
        writer.WriteStartDocument();
        Assert.Throws<BsonException>(() => writer.WriteName("\uDC00"));
    }

    [Fact]
    public void Misuse_is_reported()
    {
        using var writer = new BsonWriter();
        Assert.Throws<BsonException>(() => writer.WriteInt32(1));
        Assert.Throws<BsonException>(() => writer.WriteStartArray());
        Assert.Throws<BsonException>(() => writer.WriteEndDocument());
        writer.WriteStartDocument();
        Assert.Throws<BsonException>(() => writer.WriteInt32(1));
        writer.WriteName("a");
        Assert.Throws<BsonException>(() => writer.WriteName("b"));
        Assert.Throws<BsonException>(() => writer.WriteEndDocument());
        writer.WriteStartArray();
        Assert.Throws<BsonException>(() => writer.WriteName("x"));
        Assert.Throws<BsonException>(() => writer.WriteEndDocument());
        writer.WriteEndArray();
        Assert.Throws<BsonException>(() => writer.WriteEndArray());
        writer.WriteEndDocument();
        Assert.Equal(new BsonDocument("a", new BsonArray()), BsonDocument.FromBytes(writer.WrittenSpan));
    }

    [Fact]
    public void Documents_over_the_maximum_size_throw_size_exception()
    {
        using var writer = new BsonWriter(new BsonWriterOptions { MaxDocumentSize = 100 });
        writer.WriteStartDocument();
        writer.WriteString("s", new string('x', 80));
        writer.WriteEndDocument();
        Assert.Equal(93, writer.WrittenCount);

        writer.Reset();
        writer.WriteStartDocument();
        writer.WriteString("s", new string('x', 90));
        Assert.Throws<BsonSizeException>(() => writer.WriteEndDocument());

        var big = new BsonDocument("s", new string('x', 17 * 1024 * 1024));
        Assert.Throws<BsonSizeException>(() => big.ToBytes());
    }

    [Fact]
    public void Buffer_writer_mode_receives_each_completed_document()
    {
        var output = new ArrayBufferWriter<byte>();
        using var writer = new BsonWriter(output);
        for (int i = 0; i < 3; i++)
        {
            writer.WriteStartDocument();
            writer.WriteInt32("i", i);
            writer.WriteEndDocument();
        }

        Assert.Equal(36, output.WrittenCount);
        Assert.Equal(36, writer.WrittenCount);
        Assert.Throws<BsonException>(() => writer.ToArray());
        var reader = new BsonReader(output.WrittenSpan.Slice(24), default);
        reader.Read();
        reader.Read();
        Assert.Equal(2, reader.GetInt32());
    }

    [Fact]
    public void Raw_documents_are_embedded_and_appended()
    {
        byte[] inner = new BsonDocument("x", 1).ToBytes();
        using var writer = new BsonWriter();
        writer.WriteRawDocument(inner);
        writer.WriteStartDocument();
        writer.WriteName("d");
        writer.WriteRawDocument(inner);
        writer.WriteEndDocument();
        byte[] all = writer.ToArray();
        Assert.Equal(inner, all.AsSpan(0, inner.Length).ToArray());
        Assert.Equal(new BsonDocument("d", new BsonDocument("x", 1)), BsonDocument.FromBytes(all.AsSpan(inner.Length)));
        Assert.Throws<BsonException>(() => writer.WriteRawDocument([5, 0, 0, 0, 1]));
    }

    [Fact]
    public void Writing_a_reused_writer_does_not_allocate()
    {
        using var writer = new BsonWriter();
        void Write()
        {
            writer.Reset();
            writer.WriteStartDocument();
            writer.WriteInt32("a", 1);
            writer.WriteString("b", "text");
            writer.WriteStartArray("c");
            writer.WriteDouble(1);
            writer.WriteInt64(2);
            writer.WriteEndArray();
            writer.WriteEndDocument();
        }

        Write();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Write();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
