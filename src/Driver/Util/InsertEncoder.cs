using Mongo.Bson;

namespace Mongo.Driver.Util;

/// <summary>
/// Encodes the documents of one insert/bulk operation back to back into a single pooled buffer, so a batch of
/// small documents costs no array per document and a large document no unpooled copy. Slices are only handed
/// out once every document is written (the buffer moves as it grows) and stay valid until <see cref="Dispose"/>,
/// which must wait until the operation (including retries) has finished with them.
/// </summary>
internal sealed class InsertEncoder<T> : IDisposable
{
    private readonly DocumentCodec<T> _codec;
    private readonly BsonWriter _writer = new();
    private readonly List<(int Start, int Length, byte[]? Own)> _slots = [];

    public InsertEncoder(DocumentCodec<T> codec) => _codec = codec;

    /// <summary>Encodes one document (generating an ObjectId <c>_id</c> first when absent) and returns its slot.</summary>
    public int Add(T value, out BsonValue id)
    {
        int start = (int)_writer.WrittenCount;
        byte[]? own = null;
        if (value is BsonDocument document)
        {
            if (!TryFindId(document, out var existing))
            {
                existing = new BsonObjectId(ObjectId.GenerateNewId());
                document.InsertAt(0, new BsonElement("_id", existing));
            }

            id = existing;
            document.WriteTo(_writer);
        }
        else
        {
            _codec.Serializer.Serialize(_writer, value);
            var written = _writer.WrittenMemory[start..];
            if (BsonBytes.TryGetValue(written, "_id", out var found))
            {
                id = found;
            }
            else
            {
                // Rare for typed documents (their serializer usually writes an id); the prepended copy stands alone.
                var generated = ObjectId.GenerateNewId();
                id = new BsonObjectId(generated);
                own = BsonBytes.PrependObjectId(written.Span, "_id", generated);
            }
        }

        _slots.Add((start, (int)_writer.WrittenCount - start, own));
        return _slots.Count - 1;
    }

    /// <summary>The encoded bytes of a slot; call only after the last <see cref="Add"/>.</summary>
    public ReadOnlyMemory<byte> Get(int slot)
    {
        var (start, length, own) = _slots[slot];
        return own ?? _writer.WrittenMemory.Slice(start, length);
    }

    public void Dispose() => _writer.Dispose();

    // A linear scan rather than TryGetValue: a lookup on a large document builds a name index (3 MB for a
    // 94,000-field document), wasted here since the id is usually first or absent (then removed again by the caller).
    private static bool TryFindId(BsonDocument document, out BsonValue id)
    {
        var elements = document.Elements;
        for (int i = 0; i < elements.Count; i++)
        {
            var element = elements[i];
            if (element.Name == "_id")
            {
                id = element.Value;
                return true;
            }
        }

        id = BsonNull.Value;
        return false;
    }
}
