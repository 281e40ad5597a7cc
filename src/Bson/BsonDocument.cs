using System.Collections;

namespace Mongo.Bson;

/// <summary>
/// An ordered BSON document. Duplicate names are preserved when read from BSON (lookups find the first);
/// lookups by name are linear for small documents and use a lazily built index for larger ones.
/// </summary>
/// <remarks>
/// A document decoded from BSON is validated in full when it is decoded, but each level's elements are
/// materialised on first use from a private copy of the encoded bytes (embedded documents and arrays stay
/// encoded until they are used themselves), and an untouched document is re-encoded by copying its bytes.
/// Concurrent reads are safe; writes need external synchronisation, as with <see cref="List{T}"/>.
/// </remarks>
public partial class BsonDocument : BsonValue, IEnumerable<BsonElement>
{
    // Below this many elements a linear scan beats hashing.
    private const int IndexThreshold = 8;

    // Null only while the document is lazy (see BsonDocument.Lazy.cs); read it through Items.
    private List<BsonElement>? _elements;
    private Dictionary<string, int>? _index;

    /// <summary>Creates an empty document.</summary>
    public BsonDocument() => _elements = [];

    /// <summary>Creates an empty document with room for <paramref name="capacity"/> elements.</summary>
    public BsonDocument(int capacity) => _elements = new List<BsonElement>(capacity);

    /// <summary>Creates a document with one element.</summary>
    public BsonDocument(string name, BsonValue value) : this(1) => Add(name, value);

    /// <summary>Creates a document from elements, in order (duplicates kept).</summary>
    public BsonDocument(IEnumerable<BsonElement> elements) : this()
    {
        ArgumentNullException.ThrowIfNull(elements);
        foreach (var element in elements)
        {
            Add(element.Name, element.Value);
        }
    }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.Document;

    /// <summary>The number of elements.</summary>
    public int ElementCount => Items.Count;

    /// <summary>The elements, in order.</summary>
    public IReadOnlyList<BsonElement> Elements => Items;

    /// <summary>The element names, in order.</summary>
    public IEnumerable<string> Names => Items.Select(e => e.Name);

    /// <summary>The element values, in order.</summary>
    public IEnumerable<BsonValue> Values => Items.Select(e => e.Value);

    /// <summary>Gets the value of the first element with this name, or sets it (replacing the first such element, or appending).</summary>
    /// <exception cref="KeyNotFoundException">On get, when there is no such element.</exception>
    public BsonValue this[string name]
    {
        get => TryGetValue(name, out var value)
            ? value
            : throw new KeyNotFoundException($"The document has no element named '{name}'.");
        set => Set(name, value);
    }

    /// <summary>Gets or sets the value of the element at a position (setting keeps the name).</summary>
    public BsonValue this[int index]
    {
        get => Items[index].Value;
        set
        {
            List<BsonElement> items = Items;
            items[index] = new BsonElement(items[index].Name, value ?? throw new ArgumentNullException(nameof(value)));
        }
    }

    /// <summary>The element at a position.</summary>
    public BsonElement GetElement(int index) => Items[index];

    /// <summary>Appends an element (even if the name exists: BSON allows duplicates). Returns this document for chaining.</summary>
    public BsonDocument Add(string name, BsonValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        List<BsonElement> items = Items;
        _index?.TryAdd(name, items.Count);
        items.Add(new BsonElement(name, value));
        return this;
    }

    /// <summary>Appends an element.</summary>
    public BsonDocument Add(BsonElement element) => Add(element.Name, element.Value);

    /// <summary>Replaces the value of the first element with this name, or appends one. Returns this document.</summary>
    public BsonDocument Set(string name, BsonValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int i = IndexOfName(name);
        if (i >= 0)
        {
            Items[i] = new BsonElement(name, value);
            return this;
        }

        return Add(name, value);
    }

    /// <summary>Whether an element with this name exists.</summary>
    public bool Contains(string name) => IndexOfName(name) >= 0;

    /// <summary>Gets the value of the first element with this name.</summary>
    public bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out BsonValue value)
    {
        int i = IndexOfName(name);
        if (i >= 0)
        {
            value = Items[i].Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>The value of the first element with this name, or null when absent.</summary>
    public BsonValue? GetValueOrDefault(string name) => TryGetValue(name, out var value) ? value : null;

    /// <summary>The value of the first element with this name, or <paramref name="defaultValue"/> when absent.</summary>
    public BsonValue GetValue(string name, BsonValue defaultValue) => TryGetValue(name, out var value) ? value : defaultValue;

    /// <summary>The position of the first element with this name, or -1.</summary>
    public int IndexOfName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        List<BsonElement> items = Items;
        if (items.Count <= IndexThreshold)
        {
            for (int i = 0; i < items.Count; i++)
            {
                if (string.Equals(items[i].Name, name, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }

        return (_index ??= BuildIndex()).TryGetValue(name, out int found) ? found : -1;
    }

    /// <summary>Removes every element with this name. Returns whether any was removed.</summary>
    public bool Remove(string name)
    {
        // A loop rather than RemoveAll with a lambda: the closure over name cost two objects per call
        // (drivers' insert benchmarks remove a generated _id from every document).
        ArgumentNullException.ThrowIfNull(name);
        List<BsonElement> items = Items;
        int count = items.Count;
        int kept = 0;
        for (int i = 0; i < count; i++)
        {
            BsonElement element = items[i];
            if (!string.Equals(element.Name, name, StringComparison.Ordinal))
            {
                if (kept != i)
                {
                    items[kept] = element;
                }

                kept++;
            }
        }

        if (kept == count)
        {
            return false;
        }

        items.RemoveRange(kept, count - kept);
        _index = null;
        return true;
    }

    /// <summary>Removes the element at a position.</summary>
    public void RemoveAt(int index)
    {
        Items.RemoveAt(index);
        _index = null;
    }

    /// <summary>Inserts an element at a position.</summary>
    public void InsertAt(int index, BsonElement element)
    {
        ArgumentNullException.ThrowIfNull(element.Name);
        ArgumentNullException.ThrowIfNull(element.Value);
        Items.Insert(index, element);
        _index = null;
    }

    /// <summary>Removes all elements.</summary>
    public void Clear()
    {
        Items.Clear();
        _index = null;
    }

    /// <summary>A deep copy of this document.</summary>
    public override BsonValue DeepClone()
    {
        if (TryCloneLazy() is { } lazyClone)
        {
            return lazyClone;
        }

        List<BsonElement> items = Items;
        var clone = new BsonDocument(items.Count);
        List<BsonElement> cloned = clone.Items;
        foreach (var element in items)
        {
            cloned.Add(new BsonElement(element.Name, element.Value.DeepClone()));
        }

        return clone;
    }

    /// <summary>Equal when the other is a document with the same names and values in the same order.</summary>
    public override bool Equals(BsonValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not BsonDocument doc)
        {
            return false;
        }

        List<BsonElement> mine = Items;
        List<BsonElement> theirs = doc.Items;
        if (mine.Count != theirs.Count)
        {
            return false;
        }

        for (int i = 0; i < mine.Count; i++)
        {
            if (!string.Equals(mine[i].Name, theirs[i].Name, StringComparison.Ordinal)
                || !mine[i].Value.Equals(theirs[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var element in Items)
        {
            hash.Add(element.Name, StringComparer.Ordinal);
            hash.Add(element.Value);
        }

        return hash.ToHashCode();
    }

    /// <summary>The document as relaxed Extended JSON (see <see cref="ExtendedJson"/>).</summary>
    public override string ToString() => ExtendedJson.Write(this, ExtendedJsonMode.Relaxed);

    /// <summary>Enumerates the elements in order without allocating.</summary>
    public List<BsonElement>.Enumerator GetEnumerator() => Items.GetEnumerator();

    IEnumerator<BsonElement> IEnumerable<BsonElement>.GetEnumerator() => Items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => Items.GetEnumerator();

    /// <summary>Appends without validating arguments; for decoders that produce trusted names and values.</summary>
    internal void AppendUnchecked(string name, BsonValue value)
    {
        List<BsonElement> items = Items;
        _index?.TryAdd(name, items.Count);
        items.Add(new BsonElement(name, value));
    }

    private Dictionary<string, int> BuildIndex()
    {
        List<BsonElement> items = Items;
        var index = new Dictionary<string, int>(items.Count, StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
        {
            index.TryAdd(items[i].Name, i);
        }

        return index;
    }
}
