using System.Collections;
using Mongo.Bson.Internal;

namespace Mongo.Bson;

/// <summary>
/// An ordered BSON document. Duplicate names are preserved when read from BSON (lookups find the first);
/// lookups by name are linear for small documents and use a lazily built index for larger ones.
/// </summary>
/// <remarks>
/// A document decoded from BSON is validated in full when it is decoded, but each level's elements are
/// materialised on first use from a private copy of the encoded bytes (embedded documents and arrays stay
/// encoded until they are used themselves), and an untouched document is re-encoded by copying its bytes.
/// Concurrent reads are safe; writes need external synchronisation, as with <see cref="List{T}"/>. Enumeration
/// sees the elements as they were when it started.
/// </remarks>
public partial class BsonDocument : BsonValue, IReadOnlyList<BsonElement>
{
    // Below this many elements a linear scan beats hashing.
    private const int IndexThreshold = 8;

    // The elements; Items is null only while the document is lazy (see BsonDocument.Lazy.cs): use Store.
    private ItemList<BsonElement> _store;

    // While lazy, the encoded bytes (byte[]); once materialised, the name index (Dictionary) if one was built.
    // One field for both keeps every document an object smaller.
    private object? _aux;

    /// <summary>Creates an empty document.</summary>
    public BsonDocument() => _store = new ItemList<BsonElement>(0);

    /// <summary>Creates an empty document with room for <paramref name="capacity"/> elements.</summary>
    public BsonDocument(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _store = new ItemList<BsonElement>(capacity);
    }

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
    public int ElementCount => Store.Count;

    /// <summary>The elements, in order (a live view of this document).</summary>
    public IReadOnlyList<BsonElement> Elements => this;

    /// <summary>The element names, in order.</summary>
    public IEnumerable<string> Names => this.Select(e => e.Name);

    /// <summary>The element values, in order.</summary>
    public IEnumerable<BsonValue> Values => this.Select(e => e.Value);

    int IReadOnlyCollection<BsonElement>.Count => ElementCount;

    BsonElement IReadOnlyList<BsonElement>.this[int index] => GetElement(index);

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
    /// <exception cref="ArgumentOutOfRangeException">The position is outside the document.</exception>
    public BsonValue this[int index]
    {
        get => Store[index].Value;
        set
        {
            ref BsonElement element = ref Store[index];
            element = new BsonElement(element.Name, value ?? throw new ArgumentNullException(nameof(value)));
        }
    }

    /// <summary>The element at a position.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The position is outside the document.</exception>
    public BsonElement GetElement(int index) => Store[index];

    /// <summary>Appends an element (even if the name exists: BSON allows duplicates). Returns this document for chaining.</summary>
    public BsonDocument Add(string name, BsonValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        AppendUnchecked(name, value);
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
            Store[i] = new BsonElement(name, value);
            return this;
        }

        return Add(name, value);
    }

    /// <summary>Whether an element with this name exists.</summary>
    public bool Contains(string name) => IndexOfName(name) >= 0;

    /// <summary>Gets the value of the first element with this name.</summary>
    public bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out BsonValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_store.Items is null)
        {
            // A scalar among the first elements of a still-encoded document (a stored document's _id) is read
            // from the bytes; a container is not, since edits to it must reach this document.
            switch (PeekLazy(name, out _, out BsonValue? scalar))
            {
                case PeekResult.FoundScalar:
                    value = scalar!;
                    return true;
                case PeekResult.Absent:
                    value = null;
                    return false;
            }
        }

        int i = IndexOfMaterialized(name);
        if (i >= 0)
        {
            value = _store.Items![i].Value;
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
        if (_store.Items is null)
        {
            PeekResult peek = PeekLazy(name, out int index, out _);
            if (peek != PeekResult.Unknown)
            {
                return index;
            }
        }

        return IndexOfMaterialized(name);
    }

    private int IndexOfMaterialized(string name)
    {
        ReadOnlySpan<BsonElement> items = Store.Span;
        if (items.Length <= IndexThreshold)
        {
            for (int i = 0; i < items.Length; i++)
            {
                if (string.Equals(items[i].Name, name, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }

        var index = _aux as Dictionary<string, int>;
        if (index is null)
        {
            // "_id" and the like usually come first: no need to index a large document to find them.
            if (string.Equals(items[0].Name, name, StringComparison.Ordinal))
            {
                return 0;
            }

            index = BuildIndex();
            _aux = index;
        }

        return index.TryGetValue(name, out int found) ? found : -1;
    }

    /// <summary>Removes every element with this name. Returns whether any was removed.</summary>
    public bool Remove(string name)
    {
        // A loop rather than RemoveAll with a lambda: the closure over name cost two objects per call
        // (drivers' insert benchmarks remove a generated _id from every document).
        ArgumentNullException.ThrowIfNull(name);
        Span<BsonElement> items = Store.Span;
        int kept = 0;
        for (int i = 0; i < items.Length; i++)
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

        if (kept == items.Length)
        {
            return false;
        }

        _store.Truncate(kept);
        _aux = null;
        return true;
    }

    /// <summary>Removes the element at a position.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The position is outside the document.</exception>
    public void RemoveAt(int index)
    {
        Store.RemoveAt(index);
        _aux = null;
    }

    /// <summary>Inserts an element at a position.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The position is outside 0..<see cref="ElementCount"/>.</exception>
    public void InsertAt(int index, BsonElement element)
    {
        ArgumentNullException.ThrowIfNull(element.Name);
        ArgumentNullException.ThrowIfNull(element.Value);
        Store.Insert(index, element);
        _aux = null;
    }

    /// <summary>Removes all elements.</summary>
    public void Clear()
    {
        Store.Truncate(0);
        _aux = null;
    }

    /// <summary>A deep copy of this document.</summary>
    /// <exception cref="BsonException">Documents and arrays are nested deeper than <see cref="BsonLimits.MaxDepth"/>.</exception>
    public override BsonValue DeepClone() => CloneAt(1);

    internal override BsonValue CloneAt(int depth)
    {
        if (TryCloneLazy() is { } lazyClone)
        {
            return lazyClone;
        }

        DepthGuard.Enter(depth, "DeepClone");
        ReadOnlySpan<BsonElement> items = Store.Span;
        var cloned = new BsonElement[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            cloned[i] = new BsonElement(items[i].Name, items[i].Value.CloneAt(depth + 1));
        }

        return new BsonDocument(cloned);
    }

    /// <summary>Equal when the other is a document with the same names and values in the same order.</summary>
    /// <exception cref="BsonException">Documents and arrays are nested deeper than <see cref="BsonLimits.MaxDepth"/>.</exception>
    public override bool Equals(BsonValue? other) => EqualsAt(other, 1);

    internal override bool EqualsAt(BsonValue? other, int depth)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not BsonDocument doc)
        {
            return false;
        }

        DepthGuard.Enter(depth, "Equals");

        ReadOnlySpan<BsonElement> mine = Store.Span;
        ReadOnlySpan<BsonElement> theirs = doc.Store.Span;
        if (mine.Length != theirs.Length)
        {
            return false;
        }

        for (int i = 0; i < mine.Length; i++)
        {
            if (!string.Equals(mine[i].Name, theirs[i].Name, StringComparison.Ordinal)
                || !mine[i].Value.EqualsAt(theirs[i].Value, depth + 1))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    /// <exception cref="BsonException">Documents and arrays are nested deeper than <see cref="BsonLimits.MaxDepth"/>.</exception>
    public override int GetHashCode() => HashAt(1);

    internal override int HashAt(int depth)
    {
        DepthGuard.Enter(depth, "GetHashCode");
        var hash = new HashCode();
        foreach (ref readonly BsonElement element in Store.Span)
        {
            hash.Add(element.Name, StringComparer.Ordinal);
            hash.Add(element.Value.HashAt(depth + 1));
        }

        return hash.ToHashCode();
    }

    /// <summary>The document as relaxed Extended JSON (see <see cref="ExtendedJson"/>).</summary>
    public override string ToString() => ExtendedJson.Write(this, ExtendedJsonMode.Relaxed);

    /// <summary>Enumerates the elements in order without allocating.</summary>
    public BsonEnumerator<BsonElement> GetEnumerator()
    {
        ref ItemList<BsonElement> store = ref Store;
        return new BsonEnumerator<BsonElement>(store.Items!, store.Count);
    }

    IEnumerator<BsonElement> IEnumerable<BsonElement>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Appends without validating arguments; for decoders that produce trusted names and values.</summary>
    internal void AppendUnchecked(string name, BsonValue value)
    {
        ref ItemList<BsonElement> store = ref Store;
        (_aux as Dictionary<string, int>)?.TryAdd(name, store.Count);
        store.Add(new BsonElement(name, value));
    }

    /// <summary>Whether a name index has been built (tests check that lookups of the first name do not build one).</summary>
    internal bool HasNameIndex => _aux is Dictionary<string, int>;

    private Dictionary<string, int> BuildIndex()
    {
        ReadOnlySpan<BsonElement> items = Store.Span;
        var index = new Dictionary<string, int>(items.Length, StringComparer.Ordinal);
        for (int i = 0; i < items.Length; i++)
        {
            index.TryAdd(items[i].Name, i);
        }

        return index;
    }
}
