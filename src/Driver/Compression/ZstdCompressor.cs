using System.Buffers;
using System.Globalization;
using ZstdSharp;

namespace Mongo.Driver.Compression;

/// <summary>
/// Zstandard (id 3) via the ZstdSharp.Port package. Its compression and decompression contexts are not
/// thread-safe and are costly to create, so each thread keeps one of each.
/// </summary>
internal sealed class ZstdCompressor : Compressor
{
    /// <summary>zstd's own default level: a good speed/ratio balance for wire traffic.</summary>
    public const int DefaultLevel = 3;

    public static readonly ZstdCompressor Instance = new();

    [ThreadStatic]
    private static ZstdSharp.Compressor? t_compressor;

    [ThreadStatic]
    private static Decompressor? t_decompressor;

    private ZstdCompressor() { }

    public override CompressorId Id => CompressorId.Zstd;

    public override string Name => "zstd";

    public override int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        ZstdSharp.Compressor compressor = t_compressor ??= new ZstdSharp.Compressor(DefaultLevel);
        Span<byte> output = destination.GetSpan(ZstdSharp.Compressor.GetCompressBound(source.Length));
        int written = compressor.Wrap(source, output);
        destination.Advance(written);
        return written;
    }

    public override void Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        Decompressor decompressor = t_decompressor ??= new Decompressor();
        ulong declaredInFrame;
        try
        {
            declaredInFrame = Decompressor.GetDecompressedSize(source);
        }
        catch (ZstdException e)
        {
            throw Corrupt(e);
        }

        // 0 means "unknown" (content size not recorded in the frame); then only decoding tells.
        if (declaredInFrame != 0 && declaredInFrame != (ulong)destination.Length)
        {
            throw SizeMismatch(destination.Length, declaredInFrame.ToString(CultureInfo.InvariantCulture));
        }

        int written;
        try
        {
            written = decompressor.Unwrap(source, destination);
        }
        catch (ZstdException e) when (e.Code == ZstdSharp.Unsafe.ZSTD_ErrorCode.ZSTD_error_dstSize_tooSmall)
        {
            throw SizeMismatch(destination.Length, "more than " + destination.Length.ToString(CultureInfo.InvariantCulture));
        }
        catch (ZstdException e)
        {
            throw Corrupt(e);
        }

        if (written != destination.Length)
        {
            throw SizeMismatch(destination.Length, written.ToString(CultureInfo.InvariantCulture));
        }
    }
}
