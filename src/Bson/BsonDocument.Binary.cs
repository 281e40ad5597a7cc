using Mongo.Bson.Internal;

namespace Mongo.Bson;

public partial class BsonDocument
{
    /// <summary>Decodes a BSON document (fully validated).</summary>
    /// <param name="bson">Exactly one encoded document.</param>
    /// <exception cref="BsonFormatException">The bytes are not a valid BSON document.</exception>
    public static BsonDocument FromBytes(ReadOnlySpan<byte> bson) => BsonDecoder.DecodeDocument(bson);

    /// <summary>Decodes a BSON document (fully validated) with reader options such as the depth limit.</summary>
    /// <param name="bson">Exactly one encoded document (or more bytes when the options allow trailing bytes).</param>
    /// <param name="options">Reader options.</param>
    /// <exception cref="BsonFormatException">The bytes are not a valid BSON document.</exception>
    public static BsonDocument FromBytes(ReadOnlySpan<byte> bson, BsonReaderOptions options) => BsonDecoder.DecodeDocument(bson, options);

    /// <summary>
    /// The size in bytes of this document's BSON encoding, computed without encoding it. A document decoded from
    /// BSON and not materialised since answers from its bytes (so sizing a large stored document is free). Names or
    /// strings that cannot be encoded (a NUL in a name, invalid UTF-16) are counted as the encoder would substitute,
    /// though <see cref="ToBytes"/> rejects them.
    /// </summary>
    /// <returns>The encoded size, which may exceed the 16 MiB a writer accepts.</returns>
    public long GetEncodedSize() => BsonSize.Of(this);

    /// <summary>Encodes this document.</summary>
    /// <exception cref="BsonSizeException">The document is larger than 16 MiB.</exception>
    /// <exception cref="BsonException">An element name contains NUL or a string has invalid UTF-16.</exception>
    public byte[] ToBytes()
    {
        using var writer = new BsonWriter();
        WriteTo(writer);
        return writer.ToArray();
    }

    /// <summary>Writes this document at the writer's current position (top level, after a name, or as an array item).</summary>
    /// <param name="writer">The writer.</param>
    public void WriteTo(BsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteDocument(this);
    }

    /// <summary>Creates a document holding exactly these elements (trusted: names and values not checked).</summary>
    internal static BsonDocument CreateUnchecked(ReadOnlySpan<BsonElement> elements) => new(elements.ToArray());

    /// <summary>The elements as a span, for encoders (no copy).</summary>
    internal ReadOnlySpan<BsonElement> ElementSpan => Store.Span;
}
