using System.Collections;

namespace Mongo.Bson;

/// <summary>
/// Enumerates the elements of a <see cref="BsonDocument"/> or the items of a <see cref="BsonArray"/> without
/// allocating. It sees the container as it was when enumeration started: later changes are not observed.
/// </summary>
/// <typeparam name="T"><see cref="BsonElement"/> or <see cref="BsonValue"/>.</typeparam>
public struct BsonEnumerator<T> : IEnumerator<T>
{
    private readonly T[] _items;
    private readonly int _count;
    private int _index;

    internal BsonEnumerator(T[] items, int count)
    {
        _items = items;
        _count = count;
        _index = -1;
    }

    /// <inheritdoc />
    public readonly T Current => _items[_index];

    readonly object? IEnumerator.Current => Current;

    /// <inheritdoc />
    public bool MoveNext() => ++_index < _count;

    /// <inheritdoc />
    public void Reset() => _index = -1;

    /// <inheritdoc />
    public readonly void Dispose()
    {
    }
}
