using System.Buffers;

namespace Mongo.Driver.Compression;

/// <summary>
/// One wire-compression algorithm. Implementations are thread-safe and stateless from the caller's point
/// of view (native contexts are cached per thread), so one instance serves every connection.
/// </summary>
internal abstract class Compressor
{
    /// <summary>The id written into OP_COMPRESSED's <c>compressorId</c> byte.</summary>
    public abstract CompressorId Id { get; }

    /// <summary>The name used in the handshake's <c>compression</c> array and in connection strings.</summary>
    public abstract string Name { get; }

    /// <summary>Compresses <paramref name="source"/> and appends the result to <paramref name="destination"/>.</summary>
    /// <returns>The number of compressed bytes appended.</returns>
    public abstract int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination);

    /// <summary>
    /// Decompresses <paramref name="source"/> into exactly <paramref name="destination"/>: the declared
    /// uncompressed size is the destination's length, and producing fewer or more bytes is an error.
    /// </summary>
    /// <exception cref="MongoProtocolException">The input is corrupt or does not match the declared size.</exception>
    public abstract void Decompress(ReadOnlySpan<byte> source, Span<byte> destination);

    /// <inheritdoc />
    public override string ToString() => Name;

    private protected MongoProtocolException Corrupt(Exception? inner) =>
        new("The " + Name + " compressed message is corrupt" + (inner is null ? "." : ": " + inner.Message), inner);

    private protected MongoProtocolException SizeMismatch(long declared, string actual) =>
        new("The " + Name + " compressed message decompresses to " + actual + " bytes, but OP_COMPRESSED declared an uncompressedSize of " + declared + ".");
}
