using System.Buffers;
using System.Globalization;
using Snappier;

namespace Mongo.Driver.Compression;

/// <summary>Snappy (id 1), raw block format, via the Snappier package.</summary>
internal sealed class SnappyCompressor : Compressor
{
    public static readonly SnappyCompressor Instance = new();

    private SnappyCompressor() { }

    public override CompressorId Id => CompressorId.Snappy;

    public override string Name => "snappy";

    public override int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        Span<byte> output = destination.GetSpan(Snappy.GetMaxCompressedLength(source.Length));
        int written = Snappy.Compress(source, output);
        destination.Advance(written);
        return written;
    }

    public override void Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int length;
        try
        {
            // The block starts with the uncompressed length: check it before doing any work.
            length = Snappy.GetUncompressedLength(source);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            throw Corrupt(e);
        }

        if (length != destination.Length)
        {
            throw SizeMismatch(destination.Length, length.ToString(CultureInfo.InvariantCulture));
        }

        int written;
        try
        {
            written = Snappy.Decompress(source, destination);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IndexOutOfRangeException)
        {
            throw Corrupt(e);
        }

        if (written != destination.Length)
        {
            throw SizeMismatch(destination.Length, written.ToString(CultureInfo.InvariantCulture));
        }
    }
}
