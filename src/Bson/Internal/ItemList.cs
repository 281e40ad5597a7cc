using System.Runtime.CompilerServices;

namespace Mongo.Bson.Internal;

/// <summary>
/// A growable array and its count, held inline by <see cref="BsonDocument"/> and <see cref="BsonArray"/>: a
/// <see cref="List{T}"/> would cost every container one more object. <see cref="Items"/> is null while the owning
/// container is still encoded (lazy).
/// </summary>
internal struct ItemList<T>
{
    public T[]? Items;
    public int Count;

    public ItemList(int capacity) => Items = capacity == 0 ? [] : new T[capacity];

    /// <summary>Takes ownership of an exactly sized array.</summary>
    public ItemList(T[] items)
    {
        Items = items;
        Count = items.Length;
    }

    public readonly Span<T> Span => new(Items, 0, Count);

    public readonly ref T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)Count)
            {
                ThrowIndex(index);
            }

            return ref Items![index];
        }
    }

    public void Add(T item)
    {
        T[] items = Items!;
        if (Count == items.Length)
        {
            items = Grow(Count + 1);
        }

        items[Count++] = item;
    }

    public void Insert(int index, T item)
    {
        if ((uint)index > (uint)Count)
        {
            ThrowIndex(index);
        }

        T[] items = Items!;
        if (Count == items.Length)
        {
            items = Grow(Count + 1);
        }

        Array.Copy(items, index, items, index + 1, Count - index);
        items[index] = item;
        Count++;
    }

    public void RemoveAt(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            ThrowIndex(index);
        }

        T[] items = Items!;
        Count--;
        Array.Copy(items, index + 1, items, index, Count - index);
        items[Count] = default!;
    }

    /// <summary>Keeps the first <paramref name="count"/> items, clearing the rest so they can be collected.</summary>
    public void Truncate(int count)
    {
        Items.AsSpan(count, Count - count).Clear();
        Count = count;
    }

    private T[] Grow(int needed)
    {
        T[] grown = new T[Math.Max(needed, Math.Max(4, Items!.Length * 2))];
        Array.Copy(Items, grown, Count);
        Items = grown;
        return grown;
    }

    private static void ThrowIndex(int index) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, "The index is outside the container.");
}
