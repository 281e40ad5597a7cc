using System.Buffers;

namespace Mongo.Driver.Compression;

/// <summary>The "noop" compressor (id 0): the payload is carried as is. Only useful for testing.</summary>
internal sealed class NoopCompressor : Compressor
{
    public static readonly NoopCompressor Instance = new();

    private NoopCompressor() { }

    public override CompressorId Id => CompressorId.Noop;

    public override string Name => "noop";

    public override int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        destination.Write(source);
        return source.Length;
    }

    public override void Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (source.Length != destination.Length)
        {
            throw SizeMismatch(destination.Length, source.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        source.CopyTo(destination);
    }
}
