using System.Buffers;
using Mongo.Bson;
using Mongo.Driver.Operations;

namespace Mongo.Driver.Util;

/// <summary>
/// Encodes the documents of one insert/bulk operation back to back into a single pooled buffer, so a batch of
/// small documents costs no array per document and a large document no unpooled copy. The documents' end
/// offsets live in a pooled array too; what stays per document is its <c>_id</c> (the caller's result).
/// Slices are only handed out once every document is written (the buffer moves as it grows) and stay valid
/// until <see cref="Dispose"/>, which must wait until the operation (including retries) has finished with them.
/// As a request list every slot is an insert.
/// </summary>
internal sealed class InsertEncoder<T> : WriteRequestList, IDisposable
{
    private readonly DocumentCodec<T> _codec;
    private readonly BsonWriter _writer = new();
    private readonly List<BsonValue> _ids;
    private int[] _ends;
    private int _count;

    // Typed documents whose serializer wrote no _id get a prepended copy (rare); by slot.
    private Dictionary<int, byte[]>? _own;

    public InsertEncoder(DocumentCodec<T> codec, int expectedCount = 0)
    {
        _codec = codec;
        _ids = new List<BsonValue>(expectedCount);
        _ends = ArrayPool<int>.Shared.Rent(Math.Max(expectedCount, 16));
    }

    /// <summary>Each document's <c>_id</c>, by slot (owned: safe to hand to the caller).</summary>
    public List<BsonValue> Ids => _ids;

    public override int Count => _count;

    public override bool IsSingleKind => true;

    /// <summary>Encodes one document (generating an ObjectId <c>_id</c> first when absent) and returns its slot.</summary>
    public int Add(T value, out BsonValue id)
    {
        int start = (int)_writer.WrittenCount;
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
            _codec.GenerateId(value);
            _codec.Serializer.Serialize(_writer, value);
            var written = _writer.WrittenMemory[start..];
            if (BsonBytes.TryGetValue(written, "_id", out var found))
            {
                id = found;
            }
            else
            {
                var generated = ObjectId.GenerateNewId();
                id = new BsonObjectId(generated);
                (_own ??= new Dictionary<int, byte[]>())[_count] = BsonBytes.PrependObjectId(written.Span, "_id", generated);
            }
        }

        if (_count == _ends.Length)
        {
            int[] grown = ArrayPool<int>.Shared.Rent(_count * 2);
            _ends.AsSpan(0, _count).CopyTo(grown);
            ArrayPool<int>.Shared.Return(_ends);
            _ends = grown;
        }

        _ends[_count] = (int)_writer.WrittenCount;
        _ids.Add(id);
        return _count++;
    }

    /// <summary>The encoded bytes of a slot; call only after the last <see cref="Add"/>.</summary>
    public ReadOnlyMemory<byte> Get(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)slot, (uint)_count, nameof(slot));
        if (_own is not null && _own.TryGetValue(slot, out byte[]? own))
        {
            return own;
        }

        int start = slot == 0 ? 0 : _ends[slot - 1];
        return _writer.WrittenMemory[start.._ends[slot]];
    }

    public override WriteKind KindAt(int index) => WriteKind.Insert;

    public override ReadOnlyMemory<byte> StatementAt(int index) => Get(index);

    public override BsonValue? InsertedIdAt(int index) => _ids[index];

    public void Dispose()
    {
        _writer.Dispose();
        int[] ends = _ends;
        _ends = [];
        _own = null;
        if (ends.Length > 0)
        {
            ArrayPool<int>.Shared.Return(ends);
        }
    }

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
