using System.Buffers;
using System.Diagnostics;

namespace Mongo.Driver.Util;

/// <summary>
/// A growable <see cref="IBufferWriter{T}"/> over an array rented from <see cref="ArrayPool{T}.Shared"/>.
/// A connection keeps one per direction and calls <see cref="Reset()"/> between messages, so steady-state
/// traffic rents nothing. Not thread-safe.
/// </summary>
internal sealed class PooledByteBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int MinimumGrowth = 256;
    private byte[] _buffer;
    private int _index;

    public PooledByteBufferWriter(int initialCapacity = MinimumGrowth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, MinimumGrowth));
    }

    /// <summary>Number of bytes written so far.</summary>
    public int WrittenCount => _index;

    /// <summary>Current capacity of the rented buffer.</summary>
    public int Capacity => Buffer.Length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => Buffer.AsSpan(0, _index);

    /// <summary>The bytes written so far, as memory (valid until the next write, <see cref="Reset()"/> or <see cref="Dispose"/>).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => Buffer.AsMemory(0, _index);

    /// <summary>The bytes written so far, writable, for back-patching length prefixes.</summary>
    public Span<byte> WrittenSpanForPatching => Buffer.AsSpan(0, _index);

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(PooledByteBufferWriter));

    /// <summary>Forgets the written bytes but keeps the rented buffer.</summary>
    public void Reset() => _index = 0;

    /// <summary>Drops everything written after the first <paramref name="length"/> bytes.</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _index);
        _index = length;
    }

    /// <summary>Forgets the written bytes and gives an unusually large buffer back to the pool.</summary>
    public void Reset(int keepCapacityUpTo)
    {
        _index = 0;
        if (Buffer.Length > keepCapacityUpTo)
        {
            byte[] old = _buffer;
            _buffer = ArrayPool<byte>.Shared.Rent(MinimumGrowth);
            ArrayPool<byte>.Shared.Return(old);
        }
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > Buffer.Length - _index)
        {
            throw new InvalidOperationException("Cannot advance past the end of the buffer.");
        }

        _index += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _buffer.AsMemory(_index);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _buffer.AsSpan(_index);
    }

    /// <summary>Appends bytes.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _index += bytes.Length;
    }

    public void Dispose()
    {
        byte[]? buffer = _buffer;
        if (buffer is not null)
        {
            _buffer = null!;
            _index = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void EnsureFree(int sizeHint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        if (sizeHint == 0)
        {
            sizeHint = 1;
        }

        byte[] buffer = Buffer;
        if (sizeHint <= buffer.Length - _index)
        {
            return;
        }

        long needed = (long)_index + sizeHint;
        if (needed > Array.MaxLength)
        {
            throw new OutOfMemoryException("A message buffer cannot grow beyond " + Array.MaxLength + " bytes.");
        }

        long doubled = Math.Max((long)buffer.Length * 2, MinimumGrowth);
        int newSize = (int)Math.Min(Math.Max(needed, doubled), Array.MaxLength);
        byte[] grown = ArrayPool<byte>.Shared.Rent(newSize);
        Debug.Assert(grown.Length >= needed);
        buffer.AsSpan(0, _index).CopyTo(grown);
        _buffer = grown;
        ArrayPool<byte>.Shared.Return(buffer);
    }
}
