using System.Collections;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Mongo.Bson.Internal;

namespace Mongo.Bson;

/// <summary>
/// An immutable, lazy view over an encoded BSON document. The bytes are validated once, on construction;
/// lookups scan the top-level elements and materialise only the value asked for. Embedded documents can be
/// viewed without copying through <see cref="TryGetRawDocument"/>.
/// </summary>
public sealed class RawBsonDocument : IEnumerable<BsonElement>
{
    private BsonDocument? _materialized;

    /// <summary>Wraps (without copying) and validates an encoded document.</summary>
    /// <param name="bson">Exactly one encoded document.</param>
    /// <exception cref="BsonFormatException">The bytes are not a valid BSON document.</exception>
    public RawBsonDocument(ReadOnlyMemory<byte> bson)
    {
        var reader = new BsonReader(bson.Span);
        int count = 0;
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType is BsonTokenType.Value or BsonTokenType.StartDocument or BsonTokenType.StartArray)
            {
                count++;
            }
        }

        Bytes = bson;
        ElementCount = count;
    }

    /// <summary>Wraps (without copying) and validates an encoded document held in an array.</summary>
    /// <param name="bson">Exactly one encoded document.</param>
    /// <exception cref="BsonFormatException">The bytes are not a valid BSON document.</exception>
    public RawBsonDocument(byte[] bson)
        : this(new ReadOnlyMemory<byte>(bson ?? throw new ArgumentNullException(nameof(bson))))
    {
    }

    /// <summary>The encoded document.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The number of top-level elements.</summary>
    public int ElementCount { get; }

    /// <summary>The value of the first element with this name.</summary>
    /// <exception cref="KeyNotFoundException">There is no such element.</exception>
    public BsonValue this[string name] => TryGetValue(name, out BsonValue? value)
        ? value
        : throw new KeyNotFoundException($"The document has no element named '{name}'.");

    /// <summary>Whether an element with this name exists.</summary>
    public bool Contains(string name)
    {
        var reader = new BsonReader(Bytes.Span);
        return Find(ref reader, name);
    }

    /// <summary>Materialises the value of the first element with this name.</summary>
    public bool TryGetValue(string name, [MaybeNullWhen(false)] out BsonValue value)
    {
        var reader = new BsonReader(Bytes.Span);
        if (Find(ref reader, name))
        {
            value = reader.GetValue();
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>
    /// Views the embedded document (or array) named <paramref name="name"/> without copying its bytes.
    /// </summary>
    /// <returns>False when there is no such element or it is not a document or an array.</returns>
    public bool TryGetRawDocument(string name, [MaybeNullWhen(false)] out RawBsonDocument document)
    {
        var reader = new BsonReader(Bytes);
        if (Find(ref reader, name) && reader.TokenType is BsonTokenType.StartDocument or BsonTokenType.StartArray)
        {
            document = new RawBsonDocument(reader.GetRawDocumentMemory(), validated: true);
            return true;
        }

        document = null;
        return false;
    }

    /// <summary>Decodes the whole document into a mutable <see cref="BsonDocument"/> (a new one each call).</summary>
    public BsonDocument ToBsonDocument() => BsonDocument.FromBytes(Bytes.Span);

    /// <summary>Enumerates the elements (the document is decoded once, on first enumeration).</summary>
    public IEnumerator<BsonElement> GetEnumerator() =>
        ((IEnumerable<BsonElement>)(_materialized ??= ToBsonDocument())).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The bytes, in hexadecimal, with the element count.</summary>
    public override string ToString() => $"RawBsonDocument({ElementCount} elements, {Bytes.Length} bytes)";

    /// <summary>Wraps bytes already validated as part of a validated parent.</summary>
    internal RawBsonDocument(ReadOnlyMemory<byte> bson, bool validated)
    {
        Debug.Assert(validated, "only for validated bytes");
        Bytes = bson;
        var reader = new BsonReader(bson.Span);
        reader.Read();
        int count = 0;
        while (reader.Read() && reader.CurrentDepth == 1)
        {
            count++;
            reader.Skip();
        }

        ElementCount = count;
    }

    private static bool Find(ref BsonReader reader, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        reader.Read();
        while (reader.Read() && reader.CurrentDepth == 1)
        {
            if (reader.NameEquals(name))
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }
}
