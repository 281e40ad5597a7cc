using System.Collections;

namespace Mongo.Bson;

/// <summary>
/// An ordered BSON document. Duplicate names are preserved when read from BSON (lookups find the first);
/// lookups by name are linear for small documents and use a lazily built index for larger ones.
/// </summary>
public partial class BsonDocument : BsonValue, IEnumerable<BsonElement>
{
    // Below this many elements a linear scan beats hashing.
    private const int IndexThreshold = 8;

    private readonly List<BsonElement> _elements;
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
    public int ElementCount => _elements.Count;

    /// <summary>The elements, in order.</summary>
    public IReadOnlyList<BsonElement> Elements => _elements;

    /// <summary>The element names, in order.</summary>
    public IEnumerable<string> Names => _elements.Select(e => e.Name);

    /// <summary>The element values, in order.</summary>
    public IEnumerable<BsonValue> Values => _elements.Select(e => e.Value);

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
        get => _elements[index].Value;
        set => _elements[index] = new BsonElement(_elements[index].Name, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>The element at a position.</summary>
    public BsonElement GetElement(int index) => _elements[index];

    /// <summary>Appends an element (even if the name exists: BSON allows duplicates). Returns this document for chaining.</summary>
    public BsonDocument Add(string name, BsonValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        _index?.TryAdd(name, _elements.Count);
        _elements.Add(new BsonElement(name, value));
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
            _elements[i] = new BsonElement(name, value);
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
            value = _elements[i].Value;
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
        if (_elements.Count <= IndexThreshold)
        {
            for (int i = 0; i < _elements.Count; i++)
            {
                if (string.Equals(_elements[i].Name, name, StringComparison.Ordinal))
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
        int count = _elements.Count;
        int kept = 0;
        for (int i = 0; i < count; i++)
        {
            BsonElement element = _elements[i];
            if (!string.Equals(element.Name, name, StringComparison.Ordinal))
            {
                if (kept != i)
                {
                    _elements[kept] = element;
                }

                kept++;
            }
        }

        if (kept == count)
        {
            return false;
        }

        _elements.RemoveRange(kept, count - kept);
        _index = null;
        return true;
    }

    /// <summary>Removes the element at a position.</summary>
    public void RemoveAt(int index)
    {
        _elements.RemoveAt(index);
        _index = null;
    }

    /// <summary>Inserts an element at a position.</summary>
    public void InsertAt(int index, BsonElement element)
    {
        ArgumentNullException.ThrowIfNull(element.Name);
        ArgumentNullException.ThrowIfNull(element.Value);
        _elements.Insert(index, element);
        _index = null;
    }

    /// <summary>Removes all elements.</summary>
    public void Clear()
    {
        _elements.Clear();
        _index = null;
    }

    /// <summary>A deep copy of this document.</summary>
    public override BsonValue DeepClone()
    {
        var clone = new BsonDocument(_elements.Count);
        foreach (var element in _elements)
        {
            clone._elements.Add(new BsonElement(element.Name, element.Value.DeepClone()));
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

        if (other is not BsonDocument doc || doc._elements.Count != _elements.Count)
        {
            return false;
        }

        for (int i = 0; i < _elements.Count; i++)
        {
            if (!string.Equals(_elements[i].Name, doc._elements[i].Name, StringComparison.Ordinal)
                || !_elements[i].Value.Equals(doc._elements[i].Value))
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
        foreach (var element in _elements)
        {
            hash.Add(element.Name, StringComparer.Ordinal);
            hash.Add(element.Value);
        }

        return hash.ToHashCode();
    }

    /// <summary>The document as relaxed Extended JSON (see <see cref="ExtendedJson"/>).</summary>
    public override string ToString() => ExtendedJson.Write(this, ExtendedJsonMode.Relaxed);

    /// <summary>Enumerates the elements in order without allocating.</summary>
    public List<BsonElement>.Enumerator GetEnumerator() => _elements.GetEnumerator();

    IEnumerator<BsonElement> IEnumerable<BsonElement>.GetEnumerator() => _elements.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _elements.GetEnumerator();

    /// <summary>Appends without validating arguments; for decoders that produce trusted names and values.</summary>
    internal void AppendUnchecked(string name, BsonValue value)
    {
        _index?.TryAdd(name, _elements.Count);
        _elements.Add(new BsonElement(name, value));
    }

    private Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(_elements.Count, StringComparer.Ordinal);
        for (int i = 0; i < _elements.Count; i++)
        {
            index.TryAdd(_elements[i].Name, i);
        }

        return index;
    }
}
