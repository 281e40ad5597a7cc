using System.Buffers;
using System.Buffers.Binary;

namespace Mongo.InMemory.Wire;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}"/>. A connection keeps one for reading and one for
/// writing and reuses them for every message; <see cref="Reset"/> gives back an oversized array so a single huge
/// message does not pin memory for the life of the connection.
/// </summary>
internal sealed class PooledBuffer : IBufferWriter<byte>, IDisposable
{
    private readonly int _retainLimit;
    private byte[] _buffer;
    private int _length;

    public PooledBuffer(int initialCapacity = 16 * 1024, int retainLimit = 256 * 1024)
    {
        _retainLimit = retainLimit;
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    public int Length => _length;

    public byte[] RawArray => _buffer;

    public Span<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public Memory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public void Clear() => _length = 0;

    /// <summary>Empties the buffer and returns an array that grew beyond the retain limit to the pool.</summary>
    public void Reset()
    {
        _length = 0;
        if (_buffer.Length > _retainLimit)
        {
            byte[] old = _buffer;
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(16 * 1024, _retainLimit));
            ArrayPool<byte>.Shared.Return(old);
        }
    }

    /// <summary>Makes the buffer hold at least <paramref name="capacity"/> bytes, keeping the written ones.</summary>
    public void EnsureCapacity(int capacity)
    {
        if (capacity <= _buffer.Length)
        {
            return;
        }

        int newSize = Math.Max(capacity, (int)Math.Min(Array.MaxLength, (long)_buffer.Length * 2));
        byte[] bigger = ArrayPool<byte>.Shared.Rent(newSize);
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void SetLength(int length)
    {
        EnsureCapacity(length);
        _length = length;
    }

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(_length + Math.Max(sizeHint, 256));
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(_length + Math.Max(sizeHint, 256));
        return _buffer.AsSpan(_length);
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        EnsureCapacity(_length + data.Length);
        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    public void WriteByte(byte value)
    {
        EnsureCapacity(_length + 1);
        _buffer[_length++] = value;
    }

    public void WriteInt32(int value)
    {
        EnsureCapacity(_length + 4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void WriteInt64(long value)
    {
        EnsureCapacity(_length + 8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    public void PatchInt32(int offset, int value) => BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(offset), value);

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
