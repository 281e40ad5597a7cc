using System.Text;
using Mongo.InMemory.Wire;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>Byte-level pieces of the wire layer: compressors and the server's use of Mongo.Bson (CRC-32C is tested with Mongo.Bson).</summary>
public sealed class WireCodecTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(0)]
    public void Compressors_round_trip(byte compressor)
    {
        var id = (CompressorId)compressor;
        byte[] original = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("compress me please ", 500)));
        using var compressed = new PooledBuffer();
        Compression.Compress(id, original, compressed);
        if (id != CompressorId.Noop)
        {
            Assert.True(compressed.Length < original.Length);
        }

        byte[] restored = new byte[original.Length];
        Compression.Decompress(id, compressed.WrittenSpan.ToArray(), 0, compressed.Length, restored);
        Assert.Equal(original, restored);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Decompress_rejects_a_wrong_announced_size_or_garbage(byte compressor)
    {
        var id = (CompressorId)compressor;
        byte[] original = Encoding.UTF8.GetBytes(new string('a', 1000));
        using var compressed = new PooledBuffer();
        Compression.Compress(id, original, compressed);
        byte[] payload = compressed.WrittenSpan.ToArray();
        Assert.Throws<WireProtocolException>(() => Compression.Decompress(id, payload, 0, payload.Length, new byte[999]));
        Assert.Throws<WireProtocolException>(() => Compression.Decompress(id, payload, 0, payload.Length, new byte[1001]));
        byte[] garbage = [9, 8, 7, 6, 5, 4, 3, 2, 1];
        Assert.Throws<WireProtocolException>(() => Compression.Decompress(id, garbage, 0, garbage.Length, new byte[1000]));
    }

    [Fact]
    public void BsonCodec_round_trips_every_type_byte_for_byte_against_the_official_encoder()
    {
        var document = new O.BsonDocument
        {
            { "double", 1.5 },
            { "string", "héllo 🌍" },
            { "doc", new O.BsonDocument("a", 1) },
            { "array", new O.BsonArray { 1, "two", new O.BsonDocument("three", 3) } },
            { "binary", new O.BsonBinaryData([1, 2, 3], O.BsonBinarySubType.UserDefined) },
            { "undefined", O.BsonUndefined.Value },
            { "oid", O.ObjectId.Parse("0123456789abcdef01234567") },
            { "bool", true },
            { "date", new O.BsonDateTime(1_700_000_000_000) },
            { "null", O.BsonNull.Value },
            { "regex", new O.BsonRegularExpression("^a.*", "im") },
            { "code", new O.BsonJavaScript("function() {}") },
            { "symbol", O.BsonSymbol.Create("sym") },
            { "codeWithScope", new O.BsonJavaScriptWithScope("x", new O.BsonDocument("x", 1)) },
            { "int32", 42 },
            { "timestamp", new O.BsonTimestamp(123, 456) },
            { "int64", 1L << 40 },
            { "decimal", O.Decimal128.Parse("1.234E+10") },
            { "min", O.BsonMinKey.Value },
            { "max", O.BsonMaxKey.Value },
        };
        byte[] bytes = O.BsonExtensionMethods.ToBson(document);
        Mongo.Bson.BsonDocument decoded = BsonCodec.ReadDocument(bytes);
        Assert.Equal(document.ElementCount, decoded.ElementCount);
        using var output = new PooledBuffer();
        BsonCodec.WriteDocument(output, decoded);
        Assert.Equal(bytes, output.WrittenSpan.ToArray());
        Assert.Equal(bytes.Length, BsonCodec.SizeOf(decoded));
    }

    [Fact]
    public void BsonCodec_rejects_malformed_documents_with_InvalidBSON()
    {
        byte[] valid = O.BsonExtensionMethods.ToBson(new O.BsonDocument { { "a", "text" }, { "b", true } });
        for (int cut = 0; cut < valid.Length; cut++)
        {
            byte[] truncated = valid[..cut];
            var ex = Assert.Throws<WireProtocolException>(() => BsonCodec.ReadDocument(truncated));
            Assert.Equal(22, ex.Code);
        }

        byte[] badBool = (byte[])valid.Clone();
        badBool[^2] = 7;
        Assert.Throws<WireProtocolException>(() => BsonCodec.ReadDocument(badBool));

        byte[] badType = (byte[])valid.Clone();
        badType[4] = 0x42;
        Assert.Throws<WireProtocolException>(() => BsonCodec.ReadDocument(badType));

        byte[] badUtf8 = (byte[])valid.Clone();
        badUtf8[Array.IndexOf(valid, (byte)'t')] = 0xFF;
        Assert.Throws<WireProtocolException>(() => BsonCodec.ReadDocument(badUtf8));
    }

    [Fact]
    public void BsonCodec_decoded_documents_share_field_names()
    {
        byte[] bytes = O.BsonExtensionMethods.ToBson(new O.BsonDocument { { "field", 1 }, { "nested", new O.BsonDocument("field", 2) } });

        // A document of only distinct names stops consulting the cache part way; the next document uses it again.
        var distinct = new O.BsonDocument(Enumerable.Range(0, 500).Select(i => new O.BsonElement("d" + i, i)));
        Assert.Equal(500, BsonCodec.ReadDocument(O.BsonExtensionMethods.ToBson(distinct)).ElementCount);
        var first = BsonCodec.ReadDocument(bytes);
        var second = BsonCodec.ReadDocument(bytes);
        Assert.Equal(first, second);
        Assert.Same(first.GetElement(0).Name, second.GetElement(0).Name);
        Assert.Same(first.GetElement(0).Name, second["nested"].AsDocument.GetElement(0).Name);
    }

    [Fact]
    public void BsonCodec_round_trips_many_distinct_long_and_non_ascii_names()
    {
        // More names than the name cache has slots, so slots are shared and overwritten.
        var document = new O.BsonDocument();
        for (int i = 0; i < 3000; i++)
        {
            string name = (i % 3) switch { 0 => "f" + i, 1 => "é" + i + "🌍", _ => new string('n', 40) + i };
            document.Add(name, i % 2 == 0 ? new O.BsonArray { i, new O.BsonDocument(name, i) } : (O.BsonValue)new O.BsonDocument(name, "v"));
        }

        byte[] bytes = O.BsonExtensionMethods.ToBson(document);
        for (int pass = 0; pass < 2; pass++)
        {
            Mongo.Bson.BsonDocument decoded = BsonCodec.ReadDocument(bytes);
            using var output = new PooledBuffer();
            BsonCodec.WriteDocument(output, decoded);
            Assert.Equal(bytes, output.WrittenSpan.ToArray());
        }
    }

    [Fact]
    public void BsonCodec_checks_array_keys_and_names_array_elements_in_errors()
    {
        byte[] bools = O.BsonExtensionMethods.ToBson(new O.BsonDocument("a", new O.BsonArray { true, true }));
        bools[^3] = 7; // the second boolean's byte; then the array's and the document's terminators
        var ex = Assert.Throws<WireProtocolException>(() => BsonCodec.ReadDocument(bools));
        Assert.Equal(22, ex.Code);
        Assert.Contains("path 'a.1'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("oolean", ex.Message, StringComparison.Ordinal);

        byte[] key = O.BsonExtensionMethods.ToBson(new O.BsonDocument("a", new O.BsonArray { 1 }));
        key[Array.LastIndexOf(key, (byte)'0')] = 0xFF;
        ex = Assert.Throws<WireProtocolException>(() => BsonCodec.ReadDocument(key));
        Assert.Contains("not valid UTF-8", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at byte 12", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BsonCodec_decodes_correctly_after_an_error_inside_a_nested_document()
    {
        var document = new O.BsonDocument { { "a", 1 }, { "b", new O.BsonDocument { { "c", new O.BsonArray { 1, 2 } }, { "d", true } } }, { "e", "x" } };
        byte[] valid = O.BsonExtensionMethods.ToBson(document);
        byte[] bad = (byte[])valid.Clone();
        bad[Array.IndexOf(valid, (byte)'d') + 2] = 9; // d's boolean
        Assert.Throws<WireProtocolException>(() => BsonCodec.ReadDocument(bad));
        Mongo.Bson.BsonDocument decoded = BsonCodec.ReadDocument(valid);
        Assert.Equal(3, decoded.ElementCount);
        Assert.Equal(2, decoded["b"].AsDocument.ElementCount);
        Assert.Equal(2, decoded["b"].AsDocument["c"].AsArray.Count);
        using var output = new PooledBuffer();
        BsonCodec.WriteDocument(output, decoded);
        Assert.Equal(valid, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Document_sequences_decode_every_document_and_reject_a_bad_length()
    {
        var docs = Enumerable.Range(0, 50).Select(i => new O.BsonDocument { { "i", i }, { "s", new string('s', i) } }).ToArray();
        var body = new O.BsonDocument { { "insert", "c" }, { "$db", "test" } };
        byte[] message = RawWireClient.OpMsg(body, sequences: [("documents", docs)]);
        var request = MessageParser.Parse(message, OpCode.Msg, null, out _);
        var parsed = request.Command["documents"].AsArray;
        Assert.Equal(50, parsed.Count);
        Assert.Equal(49, parsed[49].AsDocument["i"].AsInt32);
        Assert.Equal(message.Length, request.MessageLength);

        // The tenth document claims more bytes than the sequence has left: InvalidBSON, as before counting.
        int tenth = message.Length - docs.Skip(9).Sum(d => O.BsonExtensionMethods.ToBson(d).Length);
        byte[] bad = (byte[])message.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bad.AsSpan(tenth), 100_000);
        var ex = Assert.Throws<WireProtocolException>(() => MessageParser.Parse(bad, OpCode.Msg, null, out _));
        Assert.Equal(22, ex.Code);
    }
}
