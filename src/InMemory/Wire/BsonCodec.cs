using System.Buffers.Binary;
using Mongo.Bson;

namespace Mongo.InMemory.Wire;

/// <summary>
/// The server's use of Mongo.Bson between wire bytes and the <see cref="BsonDocument"/> DOM. Every byte a client
/// sends is validated, and problems are reported as server-shaped errors (InvalidBSON, code 22) rather than library
/// exceptions. Decoded documents are lazy: an inserted document is stored as its validated bytes until a query
/// needs its fields, and is sent back by copying those bytes.
/// </summary>
internal static class BsonCodec
{
    public const int InvalidBsonCode = 22;

    // mongod's maxBSONDepth (200) for what arrives: commands wrap user documents (an insert's documents array), so the
    // wire limit sits 20 levels above the 180 allowed in a stored document (StorageValidation.MaxUserDepth).
    private static readonly BsonReaderOptions s_readOptions = new() { MaxDepth = BsonLimits.MaxDepth };

    // Replies carry batches of up to 16 MiB of documents plus the command's envelope.
    private static readonly BsonWriterOptions s_writeOptions = new() { MaxDocumentSize = 48 * 1024 * 1024 };

    /// <summary>Reads one document that must occupy exactly <paramref name="data"/>.</summary>
    public static BsonDocument ReadDocument(ReadOnlySpan<byte> data)
    {
        int pos = 0;
        BsonDocument document = ReadDocument(data, ref pos);
        if (pos != data.Length)
        {
            throw Invalid($"{data.Length - pos} unexpected bytes after the document (at byte {pos})");
        }

        return document;
    }

    /// <summary>Reads the document starting at <paramref name="pos"/> and advances past it.</summary>
    public static BsonDocument ReadDocument(ReadOnlySpan<byte> data, ref int pos)
    {
        if (data.Length - pos < 5)
        {
            throw Invalid($"document is shorter than 5 bytes (at byte {pos})");
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
        if (length < 5 || length > data.Length - pos)
        {
            throw Invalid($"document length {length} does not fit the {data.Length - pos} bytes available (at byte {pos})");
        }

        BsonDocument document;
        try
        {
            document = BsonDocument.FromBytes(data.Slice(pos, length), s_readOptions);
        }
        catch (BsonException e)
        {
            // The library's message names the offset within the document and the element path.
            throw Invalid($"in the document at byte {pos}: {e.Message}");
        }

        pos += length;
        return document;
    }

    /// <summary>Appends the BSON encoding of <paramref name="document"/> (still-encoded documents by copying their bytes, see <see cref="ReplyEncoder"/>).</summary>
    public static void WriteDocument(PooledBuffer output, BsonDocument document) => ReplyEncoder.Write(output, document, s_writeOptions);

    /// <summary>The encoded size of a document, without encoding it (caps cursor batches, checks the 16 MiB limit).</summary>
    public static long SizeOf(BsonDocument document) => document.GetEncodedSize();

    private static WireProtocolException Invalid(string message) => new($"Invalid BSON: {message}", InvalidBsonCode, "InvalidBSON");
}
