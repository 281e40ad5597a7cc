using System.IO.Compression;
using Snappier;
using ZstdSharp;

namespace Mongo.InMemory.Wire;

/// <summary>Compressor ids from the OP_COMPRESSED specification.</summary>
internal enum CompressorId : byte
{
    Noop = 0,
    Snappy = 1,
    Zlib = 2,
    Zstd = 3,
}

/// <summary>Compresses and decompresses OP_COMPRESSED payloads with the three compressors MongoDB defines.</summary>
internal static class Compression
{
    /// <summary>The compressor names in the order the server prefers when it has no other hint.</summary>
    public static readonly string[] SupportedNames = ["snappy", "zlib", "zstd"];

    [ThreadStatic]
    private static Compressor? t_zstdCompressor;

    [ThreadStatic]
    private static Decompressor? t_zstdDecompressor;

    public static bool TryParseName(string name, out CompressorId id)
    {
        switch (name)
        {
            case "snappy": id = CompressorId.Snappy; return true;
            case "zlib": id = CompressorId.Zlib; return true;
            case "zstd": id = CompressorId.Zstd; return true;
            case "noop": id = CompressorId.Noop; return true;
            default: id = default; return false;
        }
    }

    public static string Name(CompressorId id) => id switch
    {
        CompressorId.Noop => "noop",
        CompressorId.Snappy => "snappy",
        CompressorId.Zlib => "zlib",
        CompressorId.Zstd => "zstd",
        _ => "unknown",
    };

    /// <summary>
    /// Decompresses the payload into <paramref name="destination"/>, which must be exactly the size the
    /// message header announced; a payload that produces more or fewer bytes is rejected.
    /// </summary>
    public static void Decompress(CompressorId id, byte[] sourceArray, int sourceOffset, int sourceLength, Span<byte> destination)
    {
        ReadOnlySpan<byte> source = sourceArray.AsSpan(sourceOffset, sourceLength);
        int produced;
        try
        {
            switch (id)
            {
                case CompressorId.Noop:
                    if (source.Length != destination.Length)
                    {
                        throw SizeMismatch(destination.Length, source.Length);
                    }

                    source.CopyTo(destination);
                    return;

                case CompressorId.Snappy:
                    int announced = Snappy.GetUncompressedLength(source);
                    if (announced != destination.Length)
                    {
                        throw SizeMismatch(destination.Length, announced);
                    }

                    produced = Snappy.Decompress(source, destination);
                    break;

                case CompressorId.Zlib:
                    produced = InflateZlib(sourceArray, sourceOffset, sourceLength, destination);
                    break;

                case CompressorId.Zstd:
                    t_zstdDecompressor ??= new Decompressor();
                    produced = t_zstdDecompressor.Unwrap(source, destination);
                    break;

                default:
                    throw new WireProtocolException(
                        $"Unknown compressor id {(byte)id} in OP_COMPRESSED", closeConnection: true);
            }
        }
        catch (WireProtocolException)
        {
            throw;
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException or InvalidOperationException or ZstdException or IndexOutOfRangeException)
        {
            // Garbage from the client must never surface as an unexpected exception type.
            throw new WireProtocolException(
                $"Could not decompress {Name(id)} OP_COMPRESSED payload: {ex.Message}", closeConnection: true);
        }

        if (produced != destination.Length)
        {
            throw SizeMismatch(destination.Length, produced);
        }
    }

    /// <summary>Appends the compressed form of <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public static void Compress(CompressorId id, ReadOnlySpan<byte> source, PooledBuffer destination)
    {
        switch (id)
        {
            case CompressorId.Noop:
                destination.Write(source);
                break;

            case CompressorId.Snappy:
                {
                    Span<byte> span = destination.GetSpan(Snappy.GetMaxCompressedLength(source.Length));
                    destination.Advance(Snappy.Compress(source, span));
                    break;
                }

            case CompressorId.Zlib:
                {
                    using var sink = new PooledBufferStream(destination);
                    using (var zlib = new ZLibStream(sink, CompressionLevel.Fastest, leaveOpen: true))
                    {
                        zlib.Write(source);
                    }

                    break;
                }

            case CompressorId.Zstd:
                {
                    t_zstdCompressor ??= new Compressor(level: 1);
                    Span<byte> span = destination.GetSpan(Compressor.GetCompressBound(source.Length));
                    destination.Advance(t_zstdCompressor.Wrap(source, span));
                    break;
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(id));
        }
    }

    private static int InflateZlib(byte[] array, int offset, int length, Span<byte> destination)
    {
        using var input = new MemoryStream(array, offset, length, writable: false);
        using var zlib = new ZLibStream(input, CompressionMode.Decompress);
        int total = 0;
        while (total < destination.Length)
        {
            int read = zlib.Read(destination[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        // Anything left over means the announced size was a lie.
        Span<byte> probe = stackalloc byte[1];
        if (total == destination.Length && zlib.Read(probe) != 0)
        {
            total++;
        }

        return total;
    }

    private static WireProtocolException SizeMismatch(int announced, int actual) =>
        new($"OP_COMPRESSED announced {announced} uncompressed bytes but the payload holds {actual}", closeConnection: true);

    /// <summary>A write-only stream appending to a <see cref="PooledBuffer"/> (for the stream-based zlib API).</summary>
    private sealed class PooledBufferStream(PooledBuffer buffer) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => buffer.Length;

        public override long Position { get => buffer.Length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer1, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer1, int offset, int count) => buffer.Write(buffer1.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> source) => buffer.Write(source);
    }
}
