using System.Collections;
using Mongo.Bson.Internal;

namespace Mongo.Bson;

/// <summary>A BSON array: an ordered list of values.</summary>
/// <remarks>
/// Like <see cref="BsonDocument"/>, an array decoded from BSON is validated at once and materialised on first use;
/// concurrent reads are safe, writes need external synchronisation.
/// </remarks>
public sealed partial class BsonArray : BsonValue, IList<BsonValue>, IReadOnlyList<BsonValue>
{
    // The items; Items is null only while the array is lazy (see BsonArray.Lazy.cs): use Store.
    private ItemList<BsonValue> _store;

    /// <summary>Creates an empty array.</summary>
    public BsonArray() => _store = new ItemList<BsonValue>(0);

    /// <summary>Creates an empty array with room for <paramref name="capacity"/> values.</summary>
    public BsonArray(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _store = new ItemList<BsonValue>(capacity);
    }

    /// <summary>Creates an array holding the given values.</summary>
    public BsonArray(IEnumerable<BsonValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        BsonValue[] items = [.. values];
        foreach (var value in items)
        {
            ArgumentNullException.ThrowIfNull(value, nameof(values));
        }

        _store = new ItemList<BsonValue>(items);
    }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.Array;

    /// <summary>The number of values.</summary>
    public int Count => Store.Count;

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <summary>Gets or sets the value at a position.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The position is outside the array.</exception>
    public BsonValue this[int index]
    {
        get => Store[index];
        set => Store[index] = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Appends a value.</summary>
    public void Add(BsonValue item) => Store.Add(item ?? throw new ArgumentNullException(nameof(item)));

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
    public void Clear() => Store.Truncate(0);

    /// <inheritdoc />
    public bool Contains(BsonValue item) => IndexOf(item) >= 0;

    /// <inheritdoc />
    public void CopyTo(BsonValue[] array, int arrayIndex) => Store.Span.CopyTo(array.AsSpan(arrayIndex));

    /// <inheritdoc />
    public int IndexOf(BsonValue item)
    {
        ReadOnlySpan<BsonValue> items = Store.Span;
        for (int i = 0; i < items.Length; i++)
        {
            if (items[i].Equals(item))
            {
                return i;
            }
        }

        return -1;
    }

    /// <inheritdoc />
    public void Insert(int index, BsonValue item) => Store.Insert(index, item ?? throw new ArgumentNullException(nameof(item)));

    /// <inheritdoc />
    public bool Remove(BsonValue item)
    {
        int index = IndexOf(item);
        if (index < 0)
        {
            return false;
        }

        _store.RemoveAt(index);
        return true;
    }

    /// <inheritdoc />
    public void RemoveAt(int index) => Store.RemoveAt(index);

    /// <summary>A deep copy of this array.</summary>
    /// <exception cref="BsonException">Documents and arrays are nested deeper than <see cref="BsonLimits.MaxDepth"/>.</exception>
    public override BsonValue DeepClone() => CloneAt(1);

    internal override BsonValue CloneAt(int depth)
    {
        if (TryCloneLazy() is { } lazyClone)
        {
            return lazyClone;
        }

        DepthGuard.Enter(depth, "DeepClone");
        ReadOnlySpan<BsonValue> items = Store.Span;
        var cloned = new BsonValue[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            cloned[i] = items[i].CloneAt(depth + 1);
        }

        return new BsonArray(cloned);
    }

    /// <summary>Equal when the other is an array with equal values in the same order.</summary>
    /// <exception cref="BsonException">Documents and arrays are nested deeper than <see cref="BsonLimits.MaxDepth"/>.</exception>
    public override bool Equals(BsonValue? other) => EqualsAt(other, 1);

    internal override bool EqualsAt(BsonValue? other, int depth)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not BsonArray array)
        {
            return false;
        }

        DepthGuard.Enter(depth, "Equals");

        ReadOnlySpan<BsonValue> mine = Store.Span;
        ReadOnlySpan<BsonValue> theirs = array.Store.Span;
        if (mine.Length != theirs.Length)
        {
            return false;
        }

        for (int i = 0; i < mine.Length; i++)
        {
            if (!mine[i].EqualsAt(theirs[i], depth + 1))
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
        foreach (BsonValue value in Store.Span)
        {
            hash.Add(value.HashAt(depth + 1));
        }

        return hash.ToHashCode();
    }

    /// <summary>The array as relaxed Extended JSON (see <see cref="ExtendedJson"/>).</summary>
    public override string ToString() => ExtendedJson.Write(this, ExtendedJsonMode.Relaxed);

    /// <summary>Enumerates the values without allocating.</summary>
    public BsonEnumerator<BsonValue> GetEnumerator()
    {
        ref ItemList<BsonValue> store = ref Store;
        return new BsonEnumerator<BsonValue>(store.Items!, store.Count);
    }

    IEnumerator<BsonValue> IEnumerable<BsonValue>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Appends without validating; for decoders.</summary>
    internal void AddUnchecked(BsonValue value) => Store.Add(value);
}
