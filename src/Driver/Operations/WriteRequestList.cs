using Mongo.Bson;

namespace Mongo.Driver.Operations;

internal enum WriteKind
{
    Insert,
    Update,
    Delete,
}

/// <summary>
/// The requests of one write operation, addressed by the caller's index: an insert's encoded document or an
/// update/delete statement (<c>{q, u, ...}</c> / <c>{q, limit}</c>). An interface over the caller's storage
/// rather than a list of request records, so that inserting 10,000 documents costs no object or list slot
/// per document beyond the encoded bytes and the ids.
/// </summary>
internal abstract class WriteRequestList
{
    /// <summary>How many requests.</summary>
    public abstract int Count { get; }

    /// <summary>True when every request is of the same kind (the operation then needs no grouping pass).</summary>
    public abstract bool IsSingleKind { get; }

    /// <summary>Which command carries request <paramref name="index"/>.</summary>
    public abstract WriteKind KindAt(int index);

    /// <summary>The encoded document or statement; valid until the operation that owns the list has finished.</summary>
    public abstract ReadOnlyMemory<byte> StatementAt(int index);

    /// <summary>For inserts, the document's <c>_id</c>; null for other requests. Must stay valid after the operation (results keep the list).</summary>
    public abstract BsonValue? InsertedIdAt(int index);

    /// <summary>Whether any statement may touch many documents (multi update, limit 0 delete): such batches are never retried.</summary>
    public virtual bool HasMulti => false;

    /// <summary>Whether the statement at <paramref name="index"/> may touch many documents.</summary>
    public virtual bool IsMultiAt(int index) => false;
}

/// <summary>One update or delete statement.</summary>
internal sealed class SingleWriteRequest(WriteKind kind, byte[] statement, bool multi = false) : WriteRequestList
{
    public override bool HasMulti => multi;

    public override bool IsMultiAt(int index) => multi;

    public override int Count => 1;

    public override bool IsSingleKind => true;

    public override WriteKind KindAt(int index) => kind;

    public override ReadOnlyMemory<byte> StatementAt(int index) => statement;

    public override BsonValue? InsertedIdAt(int index) => null;
}

/// <summary>
/// A bulk write's requests: inserts point at their slot in the operation's <see cref="Util.InsertEncoder{T}"/>,
/// updates and deletes hold their encoded statement. While every request is an insert (slot = index) no
/// per-request entry is kept at all.
/// </summary>
internal sealed class MixedWriteRequests : WriteRequestList
{
    private readonly WriteRequestList _inserts;
    private readonly int _capacity;
    private Entry[]? _entries;
    private int _count;
    private bool _mixed;
    private bool _hasMulti;

    public MixedWriteRequests(WriteRequestList inserts, int capacity)
    {
        _inserts = inserts;
        _capacity = capacity;
    }

    public override int Count => _count;

    public override bool IsSingleKind => !_mixed;

    public override bool HasMulti => _hasMulti;

    public override bool IsMultiAt(int index)
    {
        CheckIndex(index);
        return _entries is not null && _entries[index].Multi;
    }

    /// <summary>Adds an insert; <paramref name="slot"/> is its slot in the insert list (slots are given in order).</summary>
    public void AddInsert(int slot)
    {
        if (_entries is null)
        {
            if (slot != _count)
            {
                throw new InvalidOperationException("Insert slots must be added in order.");
            }

            _count++;
            return;
        }

        Append(new Entry(WriteKind.Insert, slot, null, false));
    }

    /// <summary>Adds an update or delete statement; <paramref name="multi"/>: it may touch many documents.</summary>
    public void Add(WriteKind kind, byte[] statement, bool multi = false)
    {
        _hasMulti |= multi;
        if (_entries is null)
        {
            // The first update or delete: from now on every request needs an entry; inserts so far had slot = index.
            _entries = new Entry[Math.Max(_capacity, Math.Max(4, _count + 1))];
            for (int i = 0; i < _count; i++)
            {
                _entries[i] = new Entry(WriteKind.Insert, i, null, false);
            }
        }

        Append(new Entry(kind, 0, statement, multi));
    }

    public override WriteKind KindAt(int index)
    {
        CheckIndex(index);
        return _entries is null ? WriteKind.Insert : _entries[index].Kind;
    }

    public override ReadOnlyMemory<byte> StatementAt(int index)
    {
        CheckIndex(index);
        if (_entries is null)
        {
            return _inserts.StatementAt(index);
        }

        ref readonly Entry entry = ref _entries[index];
        return entry.Statement ?? _inserts.StatementAt(entry.Slot);
    }

    public override BsonValue? InsertedIdAt(int index)
    {
        CheckIndex(index);
        if (_entries is null)
        {
            return _inserts.InsertedIdAt(index);
        }

        ref readonly Entry entry = ref _entries[index];
        return entry.Kind == WriteKind.Insert ? _inserts.InsertedIdAt(entry.Slot) : null;
    }

    private void CheckIndex(int index) => ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));

    private void Append(Entry entry)
    {
        if (_count == _entries!.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        if (_count > 0 && _entries[0].Kind != entry.Kind)
        {
            _mixed = true;
        }

        _entries[_count++] = entry;
    }

    private readonly record struct Entry(WriteKind Kind, int Slot, byte[]? Statement, bool Multi);
}
