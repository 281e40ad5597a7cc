using System.Collections;

namespace Mongo.Bson;

/// <summary>A BSON array: an ordered list of values.</summary>
public sealed partial class BsonArray : BsonValue, IList<BsonValue>, IReadOnlyList<BsonValue>
{
    // Null only while the array is lazy (see BsonArray.Lazy.cs); read it through Items.
    private List<BsonValue>? _values;

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
    public int Count => Items.Count;

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <summary>Gets or sets the value at a position.</summary>
    public BsonValue this[int index]
    {
        get => Items[index];
        set => Items[index] = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Appends a value.</summary>
    public void Add(BsonValue item) => Items.Add(item ?? throw new ArgumentNullException(nameof(item)));

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
    public void Clear() => Items.Clear();

    /// <inheritdoc />
    public bool Contains(BsonValue item) => Items.Contains(item);

    /// <inheritdoc />
    public void CopyTo(BsonValue[] array, int arrayIndex) => Items.CopyTo(array, arrayIndex);

    /// <inheritdoc />
    public int IndexOf(BsonValue item) => Items.IndexOf(item);

    /// <inheritdoc />
    public void Insert(int index, BsonValue item) => Items.Insert(index, item ?? throw new ArgumentNullException(nameof(item)));

    /// <inheritdoc />
    public bool Remove(BsonValue item) => Items.Remove(item);

    /// <inheritdoc />
    public void RemoveAt(int index) => Items.RemoveAt(index);

    /// <summary>A deep copy of this array.</summary>
    public override BsonValue DeepClone()
    {
        if (TryCloneLazy() is { } lazyClone)
        {
            return lazyClone;
        }

        List<BsonValue> items = Items;
        var clone = new BsonArray(items.Count);
        List<BsonValue> cloned = clone.Items;
        foreach (var value in items)
        {
            cloned.Add(value.DeepClone());
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

        if (other is not BsonArray array)
        {
            return false;
        }

        List<BsonValue> mine = Items;
        List<BsonValue> theirs = array.Items;
        if (mine.Count != theirs.Count)
        {
            return false;
        }

        for (int i = 0; i < mine.Count; i++)
        {
            if (!mine[i].Equals(theirs[i]))
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
        foreach (var value in Items)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    /// <summary>The array as relaxed Extended JSON (see <see cref="ExtendedJson"/>).</summary>
    public override string ToString() => ExtendedJson.Write(this, ExtendedJsonMode.Relaxed);

    /// <summary>Enumerates the values without allocating.</summary>
    public List<BsonValue>.Enumerator GetEnumerator() => Items.GetEnumerator();

    IEnumerator<BsonValue> IEnumerable<BsonValue>.GetEnumerator() => Items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => Items.GetEnumerator();

    /// <summary>Appends without validating; for decoders.</summary>
    internal void AddUnchecked(BsonValue value) => Items.Add(value);
}
