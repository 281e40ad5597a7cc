using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using Mongo.Driver.Util;

namespace Mongo.Driver.Compression;

/// <summary>
/// zlib (id 2): RFC 1950 framing around deflate, via <see cref="ZLibStream"/>. The level follows the
/// <c>zlibCompressionLevel</c> connection-string option (-1 = library default, 0 = none, 1 = fastest,
/// 9 = smallest) and applies to what we send only.
/// </summary>
internal sealed class ZlibCompressor : Compressor
{
    public const int DefaultLevel = -1;

    private static readonly ZlibCompressor[] s_byLevel = CreateAll();

    private readonly int _level;

    /// <summary>A complete zlib stream of zero bytes: header, one empty final fixed-Huffman block, Adler-32 of 1.</summary>
    private static ReadOnlySpan<byte> EmptyStream => [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];

    private ZlibCompressor(int level) => _level = level;

    /// <summary>The compressor for the library's default level (what decompression uses: the level does not matter there).</summary>
    public static ZlibCompressor Default => s_byLevel[0];

    public override CompressorId Id => CompressorId.Zlib;

    public override string Name => "zlib";

    /// <summary>The configured level, -1 to 9.</summary>
    public int Level => _level;

    /// <summary>The shared instance for a level.</summary>
    /// <exception cref="MongoConfigurationException">The level is outside -1..9.</exception>
    public static ZlibCompressor ForLevel(int level)
    {
        if (level is < -1 or > 9)
        {
            throw new MongoConfigurationException("zlibCompressionLevel must be an integer from -1 to 9, but was " + level.ToString(CultureInfo.InvariantCulture) + ".");
        }

        return s_byLevel[level + 1];
    }

    public override int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        if (source.IsEmpty)
        {
            // ZLibStream writes nothing at all when given nothing, which no zlib decoder accepts.
            destination.Write(EmptyStream);
            return EmptyStream.Length;
        }

        var output = new BufferWriterStream(destination);
        using (ZLibStream zlib = CreateCompressionStream(output))
        {
            zlib.Write(source);
        }

        return checked((int)output.Written);
    }

    public override unsafe void Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (source.IsEmpty)
        {
            throw Corrupt(null);
        }

        fixed (byte* pointer = source)
        {
            using var input = new UnmanagedMemoryStream(pointer, source.Length);
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            int total = 0;
            try
            {
                while (total < destination.Length)
                {
                    int read = zlib.Read(destination[total..]);
                    if (read == 0)
                    {
                        throw SizeMismatch(destination.Length, total.ToString(CultureInfo.InvariantCulture));
                    }

                    total += read;
                }

                // The declared size was reached: the stream must end here.
                Span<byte> probe = stackalloc byte[1];
                if (zlib.Read(probe) != 0)
                {
                    throw SizeMismatch(destination.Length, "more than " + destination.Length.ToString(CultureInfo.InvariantCulture));
                }

                // ZLibStream reports a clean end of data even when the Adler-32 trailer was cut off, so
                // check that the stream really ends with the checksum of what it produced.
                if (source.Length < 6 || BinaryPrimitives.ReadUInt32BigEndian(source[^4..]) != Adler32(destination))
                {
                    throw Corrupt(null);
                }
            }
            catch (InvalidDataException e)
            {
                throw Corrupt(e);
            }
        }
    }

    internal static uint Adler32(ReadOnlySpan<byte> data)
    {
        const uint Modulus = 65521;

        // 5552 is the most bytes that can be summed before the 32-bit sums could overflow.
        const int Block = 5552;
        uint a = 1, b = 0;
        while (!data.IsEmpty)
        {
            int n = Math.Min(data.Length, Block);
            foreach (byte value in data[..n])
            {
                a += value;
                b += a;
            }

            a %= Modulus;
            b %= Modulus;
            data = data[n..];
        }

        return (b << 16) | a;
    }

    private static ZlibCompressor[] CreateAll()
    {
        var all = new ZlibCompressor[11];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = new ZlibCompressor(i - 1);
        }

        return all;
    }

    private ZLibStream CreateCompressionStream(Stream output)
    {
#if NET9_0_OR_GREATER
        return new ZLibStream(output, new ZLibCompressionOptions { CompressionLevel = _level }, leaveOpen: true);
#else
        // .NET 8 only exposes the coarse CompressionLevel enum: map zlib's numeric levels onto it.
        CompressionLevel level = _level switch
        {
            0 => CompressionLevel.NoCompression,
            >= 1 and <= 3 => CompressionLevel.Fastest,
            9 => CompressionLevel.SmallestSize,
            _ => CompressionLevel.Optimal,
        };
        return new ZLibStream(output, level, leaveOpen: true);
#endif
    }
}
