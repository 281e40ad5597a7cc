using System.Buffers;
using System.Text;
using Mongo.Bson;

namespace Mongo.InMemory.Wire;

/// <summary>
/// Per-thread working memory of <see cref="BsonCodec"/>'s decoder. Decoded documents are kept (inserts store them as they
/// are), so they should be built at their final size and share their field names: an element stack lets each document
/// or array be created with exactly its element count once its last element is read (instead of a list growing
/// 4, 8, 16, ... and keeping the slack), and a small cache hands out one string per recurring field name (10,000
/// inserted documents of one shape share their names instead of holding 10,000 copies of each).
/// </summary>
internal sealed class DecodeScratch
{
    private const int NameSlots = 1024; // a power of two
    private const int MaxCachedNameLength = 32;
    private const int InitialElements = 64;
    private const int KeepElements = 4096;

    [ThreadStatic]
    private static DecodeScratch? t_current;

    private readonly string?[] _names = new string?[NameSlots];
    private BsonElement[] _elements = new BsonElement[InitialElements];

    public static DecodeScratch Current => t_current ??= new DecodeScratch();

    /// <summary>How many elements are on the stack; a document or array being read owns those above its start mark.</summary>
    public int Count { get; private set; }

    public void Push(string? name, BsonValue value)
    {
        if (Count == _elements.Length)
        {
            Grow();
        }

        _elements[Count++] = new BsonElement(name!, value);
    }

    /// <summary>Pops the elements above <paramref name="mark"/> into a document of exactly that many elements.</summary>
    public BsonDocument PopDocument(int mark)
    {
        var document = new BsonDocument(Count - mark);
        for (int i = mark; i < Count; i++)
        {
            document.Add(_elements[i].Name, _elements[i].Value);
        }

        Truncate(mark);
        return document;
    }

    /// <summary>Pops the values above <paramref name="mark"/> into an array of exactly that many values.</summary>
    public BsonArray PopArray(int mark)
    {
        var array = new BsonArray(Count - mark);
        for (int i = mark; i < Count; i++)
        {
            array.Add(_elements[i].Value);
        }

        Truncate(mark);
        return array;
    }

    /// <summary>Drops the elements above <paramref name="mark"/> (also after a decoding error), releasing their references.</summary>
    public void Truncate(int mark)
    {
        if (mark < Count)
        {
            Array.Clear(_elements, mark, Count - mark);
            Count = mark;
        }

        if (Count == 0 && _elements.Length > KeepElements)
        {
            // A document of very many fields made the stack grow: give the array back rather than hold it on this
            // thread (the pool keeps it for the next such document).
            ArrayPool<BsonElement>.Shared.Return(_elements);
            _elements = new BsonElement[InitialElements];
        }
    }

    private void Grow()
    {
        BsonElement[] bigger = ArrayPool<BsonElement>.Shared.Rent(_elements.Length * 2);
        _elements.AsSpan(0, Count).CopyTo(bigger);
        if (_elements.Length > KeepElements)
        {
            // Rented (the small initial array is not): cleared, as it holds references.
            ArrayPool<BsonElement>.Shared.Return(_elements, clearArray: true);
        }

        _elements = bigger;
    }

    /// <summary>
    /// Misses in a row since the current top-level document began. A document of thousands of distinct names (the
    /// benchmarks' 94,000-field one) would only ever miss: past <see cref="MissesBeforeGivingUp"/> the cache is not
    /// consulted again until the next top-level document.
    /// </summary>
    public int NameMisses { get; set; }

    public const int MissesBeforeGivingUp = 64;

    /// <summary>The cached string for a field name's UTF-8 bytes, or null (then decode it and <see cref="Remember"/> it).</summary>
    public string? CachedName(ReadOnlySpan<byte> utf8, out int slot)
    {
        // ASCII names only: they compare with the cached string directly (no bytes kept per entry), so a document of
        // many distinct names, which keeps missing, costs a hash and a reference store per name and nothing more.
        if (NameMisses >= MissesBeforeGivingUp || utf8.Length > MaxCachedNameLength || !Ascii.IsValid(utf8))
        {
            slot = -1;
            return null;
        }

        var hash = new HashCode();
        hash.AddBytes(utf8);
        slot = hash.ToHashCode() & (NameSlots - 1);
        string? name = _names[slot];
        if (name is not null && Ascii.Equals(utf8, name))
        {
            NameMisses = 0;
            return name;
        }

        NameMisses++;
        return null;
    }

    /// <summary>Caches a decoded (hence valid) name in the slot <see cref="CachedName"/> gave.</summary>
    public void Remember(int slot, string name)
    {
        if (slot >= 0)
        {
            _names[slot] = name;
        }
    }
}
