using System.Collections;

namespace Mongo.Bson;

/// <summary>A BSON array: an ordered list of values.</summary>
public sealed class BsonArray : BsonValue, IList<BsonValue>, IReadOnlyList<BsonValue>
{
    private readonly List<BsonValue> _values;

    /// <summary>Creates an empty array.</summary>
    public BsonArray() => _values = [];

    /// <summary>Creates an empty array with room for <paramref name="capacity"/> values.</summary>
    public BsonArray(int capacity) => _values = new List<BsonValue>(capacity);

    /// <summary>Creates an array holding the given values.</summary>
    public BsonArray(IEnumerable<BsonValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = [.. values];
        foreach (var value in _values)
        {
            ArgumentNullException.ThrowIfNull(value, nameof(values));
        }
    }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.Array;

    /// <summary>The number of values.</summary>
    public int Count => _values.Count;

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <summary>Gets or sets the value at a position.</summary>
    public BsonValue this[int index]
    {
        get => _values[index];
        set => _values[index] = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Appends a value.</summary>
    public void Add(BsonValue item) => _values.Add(item ?? throw new ArgumentNullException(nameof(item)));

    /// <summary>Appends values.</summary>
    public BsonArray AddRange(IEnumerable<BsonValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var value in values)
        {
            Add(value);
        }

        return this;
    }

    /// <inheritdoc />
    public void Clear() => _values.Clear();

    /// <inheritdoc />
    public bool Contains(BsonValue item) => _values.Contains(item);

    /// <inheritdoc />
    public void CopyTo(BsonValue[] array, int arrayIndex) => _values.CopyTo(array, arrayIndex);

    /// <inheritdoc />
    public int IndexOf(BsonValue item) => _values.IndexOf(item);

    /// <inheritdoc />
    public void Insert(int index, BsonValue item) => _values.Insert(index, item ?? throw new ArgumentNullException(nameof(item)));

    /// <inheritdoc />
    public bool Remove(BsonValue item) => _values.Remove(item);

    /// <inheritdoc />
    public void RemoveAt(int index) => _values.RemoveAt(index);

    /// <summary>A deep copy of this array.</summary>
    public override BsonValue DeepClone()
    {
        var clone = new BsonArray(_values.Count);
        foreach (var value in _values)
        {
            clone._values.Add(value.DeepClone());
        }

        return clone;
    }

    /// <summary>Equal when the other is an array with equal values in the same order.</summary>
    public override bool Equals(BsonValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not BsonArray array || array._values.Count != _values.Count)
        {
            return false;
        }

        for (int i = 0; i < _values.Count; i++)
        {
            if (!_values[i].Equals(array._values[i]))
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
        foreach (var value in _values)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    /// <summary>The array as relaxed Extended JSON (see <see cref="ExtendedJson"/>).</summary>
    public override string ToString() => ExtendedJson.Write(this, ExtendedJsonMode.Relaxed);

    /// <summary>Enumerates the values without allocating.</summary>
    public List<BsonValue>.Enumerator GetEnumerator() => _values.GetEnumerator();

    IEnumerator<BsonValue> IEnumerable<BsonValue>.GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _values.GetEnumerator();

    /// <summary>Appends without validating; for decoders.</summary>
    internal void AddUnchecked(BsonValue value) => _values.Add(value);
}
