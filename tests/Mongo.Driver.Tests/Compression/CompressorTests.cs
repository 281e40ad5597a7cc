using Xunit;
using System.IO.Compression;
using Mongo.Driver.Compression;
using Mongo.Driver.Util;

namespace Mongo.Driver.Tests.Compression;

public class CompressorTests
{
    public static TheoryData<string> AllCompressors => new() { "noop", "snappy", "zlib", "zstd" };

    public static TheoryData<string, int> RoundTripCases()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in new[] { "noop", "snappy", "zlib", "zstd" })
        {
            foreach (int size in new[] { 0, 1, 100, 70_000, 1_100_000 })
            {
                data.Add(name, size);
            }
        }

        return data;
    }

    internal static Compressor Get(string name) => name == "noop" ? NoopCompressor.Instance : Compressors.Create(name);

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public void Round_trips_random_and_repetitive_data(string name, int size)
    {
        Compressor compressor = Get(name);
        foreach (byte[] input in new[] { TestBytes.Random(size, seed: size), TestBytes.Repetitive(size) })
        {
            using var compressed = new PooledByteBufferWriter();
            int written = compressor.Compress(input, compressed);
            Assert.Equal(compressed.WrittenCount, written);

            var output = new byte[input.Length];
            compressor.Decompress(compressed.WrittenSpan, output);
            Assert.Equal(input, output);
        }
    }

    [Theory]
    [InlineData("snappy")]
    [InlineData("zlib")]
    [InlineData("zstd")]
    public void Repetitive_data_really_shrinks(string name)
    {
        byte[] input = TestBytes.Repetitive(100_000);
        using var compressed = new PooledByteBufferWriter();
        Get(name).Compress(input, compressed);
        Assert.True(compressed.WrittenCount < input.Length / 4, name + " wrote " + compressed.WrittenCount + " bytes");
    }

    [Fact]
    public void Compress_appends_after_existing_content()
    {
        using var buffer = new PooledByteBufferWriter();
        buffer.Write([1, 2, 3]);
        int written = SnappyCompressor.Instance.Compress(TestBytes.Repetitive(500), buffer);
        Assert.Equal(3 + written, buffer.WrittenCount);
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer.WrittenSpan[..3].ToArray());
        var output = new byte[500];
        SnappyCompressor.Instance.Decompress(buffer.WrittenSpan[3..], output);
        Assert.Equal(TestBytes.Repetitive(500), output);
    }

    // Fixtures produced by other implementations (Python's zlib; the snappy and zstd formats by hand).
    [Theory]
    [InlineData("zlib", "789CCB48CDC9C907000 62C0215")]
    [InlineData("snappy", "05 10 68656C6C6F")]
    [InlineData("zstd", "28B52FFD 20 05 290000 68656C6C6F")]
    [InlineData("noop", "68656C6C6F")]
    public void Decompresses_fixtures_from_other_encoders(string name, string hex)
    {
        var output = new byte[5];
        Get(name).Decompress(TestBytes.Hex(hex), output);
        Assert.Equal("hello"u8.ToArray(), output);
    }

    [Theory]
    [MemberData(nameof(AllCompressors))]
    public void Declared_size_too_large_is_a_protocol_error(string name)
    {
        byte[] input = TestBytes.Repetitive(1000);
        using var compressed = new PooledByteBufferWriter();
        Compressor compressor = Get(name);
        compressor.Compress(input, compressed);
        var ex = Assert.Throws<MongoProtocolException>(() => compressor.Decompress(compressed.WrittenSpan, new byte[1001]));
        Assert.Contains("uncompressedSize of 1001", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllCompressors))]
    public void Declared_size_too_small_is_a_protocol_error(string name)
    {
        byte[] input = TestBytes.Repetitive(1000);
        using var compressed = new PooledByteBufferWriter();
        Compressor compressor = Get(name);
        compressor.Compress(input, compressed);
        var ex = Assert.Throws<MongoProtocolException>(() => compressor.Decompress(compressed.WrittenSpan, new byte[999]));
        Assert.Contains("uncompressedSize of 999", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("snappy")]
    [InlineData("zlib")]
    [InlineData("zstd")]
    public void Truncated_input_is_a_protocol_error_at_every_cut(string name)
    {
        byte[] input = TestBytes.Random(300, seed: 5);
        using var compressed = new PooledByteBufferWriter();
        Compressor compressor = Get(name);
        compressor.Compress(input, compressed);
        byte[] whole = compressed.WrittenSpan.ToArray();
        for (int cut = 0; cut < whole.Length; cut++)
        {
            Assert.Throws<MongoProtocolException>(() => compressor.Decompress(whole.AsSpan(0, cut), new byte[300]));
        }
    }

    [Theory]
    [InlineData("snappy")]
    [InlineData("zlib")]
    [InlineData("zstd")]
    public void Garbage_is_a_protocol_error(string name)
    {
        Compressor compressor = Get(name);
        for (int seed = 0; seed < 50; seed++)
        {
            byte[] garbage = TestBytes.Random(64, seed);
            // Garbage that happens to decode must still be caught by the size check.
            Assert.Throws<MongoProtocolException>(() => compressor.Decompress(garbage, new byte[1000]));
        }
    }

    [Fact]
    public void Zlib_corrupted_checksum_is_detected()
    {
        byte[] fixture = TestBytes.Hex("789CCB48CDC9C90700062C0215");
        fixture[^1] ^= 0xFF;
        Assert.Throws<MongoProtocolException>(() => ZlibCompressor.Default.Decompress(fixture, new byte[5]));
    }

    [Fact]
    public void Adler32_matches_known_values()
    {
        Assert.Equal(0x11E60398u, ZlibCompressor.Adler32("Wikipedia"u8));
        Assert.Equal(1u, ZlibCompressor.Adler32([]));
        byte[] big = TestBytes.Random(100_000, seed: 1);
        Assert.Equal(SlowAdler32(big), ZlibCompressor.Adler32(big));
    }

    private static uint SlowAdler32(byte[] data)
    {
        uint a = 1, b = 0;
        foreach (byte x in data)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }

        return (b << 16) | a;
    }

    [Fact]
    public void Zlib_honours_the_compression_level()
    {
        byte[] input = TestBytes.Repetitive(50_000);
        int Size(int level)
        {
            using var buffer = new PooledByteBufferWriter();
            ZlibCompressor.ForLevel(level).Compress(input, buffer);
            // Every level's output is standard zlib.
            using var inflater = new ZLibStream(new MemoryStream(buffer.WrittenSpan.ToArray()), CompressionMode.Decompress);
            var copy = new MemoryStream();
            inflater.CopyTo(copy);
            Assert.Equal(input, copy.ToArray());
            return buffer.WrittenCount;
        }

        int stored = Size(0);
        Assert.True(stored > input.Length, "level 0 stores: " + stored);
        Assert.True(Size(9) < Size(1) || Size(1) < input.Length / 10);
        Assert.True(Size(-1) < input.Length / 10);
        Assert.Equal(0, ZlibCompressor.ForLevel(0).Level);
        Assert.Equal(9, ZlibCompressor.ForLevel(9).Level);
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(10)]
    public void Zlib_level_out_of_range_is_a_configuration_error(int level)
    {
        var ex = Assert.Throws<MongoConfigurationException>(() => Compressors.Create("zlib", level));
        Assert.Contains("zlibCompressionLevel", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compressors_by_id_and_name()
    {
        Assert.Same(NoopCompressor.Instance, Compressors.ForId(0));
        Assert.Equal(CompressorId.Snappy, Compressors.ForId(1).Id);
        Assert.Equal(CompressorId.Zlib, Compressors.ForId(2).Id);
        Assert.Equal(CompressorId.Zstd, Compressors.ForId(3).Id);
        Assert.Throws<MongoProtocolException>(() => Compressors.ForId(4));
        Assert.Throws<MongoProtocolException>(() => Compressors.ForId(255));
        Assert.Equal("zstd", Compressors.Create("ZSTD").Name);
        Assert.Throws<MongoConfigurationException>(() => Compressors.Create("snoopy"));
        Assert.Throws<MongoConfigurationException>(() => Compressors.Create("noop"));
    }

    [Fact]
    public void Negotiation_takes_the_first_client_choice_the_server_supports()
    {
        Assert.Equal("zstd", Compressors.Negotiate(["zstd", "snappy"], ["snappy", "zstd"])?.Name);
        Assert.Equal("snappy", Compressors.Negotiate(["snoopy", "snappy", "zlib"], ["zlib", "snappy"])?.Name);
        Assert.Null(Compressors.Negotiate(["zstd"], ["snappy"]));
        Assert.Null(Compressors.Negotiate(["zstd"], null));
        Assert.Null(Compressors.Negotiate(["zstd"], []));
        Assert.Null(Compressors.Negotiate([], ["zstd"]));
        Compressor? zlib = Compressors.Negotiate(["zlib"], ["zlib"], zlibCompressionLevel: 4);
        Assert.Equal(4, Assert.IsType<ZlibCompressor>(zlib).Level);
    }
}
