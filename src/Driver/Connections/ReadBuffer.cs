using System.Buffers;

namespace Mongo.Driver.Connections;

/// <summary>
/// A connection-owned receive buffer over its <see cref="Stream"/> (Npgsql's NpgsqlReadBuffer idea): reads
/// as much as the socket has into one array, so a small reply usually costs one read call, and
/// <see cref="EnsureAsync"/> tops up until a whole message is present. Not thread-safe.
/// </summary>
internal sealed class ReadBuffer : IDisposable
{
    public const int DefaultSize = 16 * 1024;

    // Buffers grown for a large reply shrink back once it is consumed, so idle connections stay small.
    private const int KeepSize = 64 * 1024;

    // The least a buffer grows by once a message outgrows it.
    private const int GrowStep = 1024 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public ReadBuffer(Stream stream, int size = DefaultSize)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(size);
    }

    /// <summary>Bytes received and not yet consumed.</summary>
    public int Available => _end - _start;

    /// <summary>The unconsumed bytes; valid until the next <see cref="EnsureAsync"/> or <see cref="Consume"/>.</summary>
    public Memory<byte> Memory => _buffer.AsMemory(_start, _end - _start);

    public Span<byte> Span => _buffer.AsSpan(_start, _end - _start);

    /// <summary>Reads until at least <paramref name="count"/> unconsumed bytes are buffered.</summary>
    /// <exception cref="EndOfStreamException">The peer closed the stream first.</exception>
    public async ValueTask EnsureAsync(bool async, int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count)
        {
            return;
        }

        while (_end - _start < count)
        {
            if (_end == _buffer.Length)
            {
                // Grow with what actually arrives, not with what the header declares: a peer announcing a large message
                // and then stalling costs at most four times what it sent (or 1 MiB). Big steps keep the copies few.
                int available = _end - _start;
                MakeRoom((int)Math.Min(count, Math.Max((long)available * 4, GrowStep)));
            }

            int read = async
                ? await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false)
                : _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                throw new EndOfStreamException("The server closed the connection after sending " + (_end - _start) + " of " + count + " expected bytes.");
            }

            _end += read;
        }
    }

    /// <summary>Marks bytes as consumed.</summary>
    public void Consume(int count)
    {
        _start += count;
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
            if (_buffer.Length > KeepSize)
            {
                byte[] large = _buffer;
                _buffer = ArrayPool<byte>.Shared.Rent(DefaultSize);
                ArrayPool<byte>.Shared.Return(large);
            }
        }
    }

    /// <summary>
    /// Hands over the buffer when it holds exactly one large message (<paramref name="length"/> bytes, nothing after it)
    /// and starts over with a fresh small one; the caller then owns the array (it came from <see cref="ArrayPool{T}.Shared"/>).
    /// </summary>
    public bool TryDetach(int length, out byte[] array)
    {
        if (_start != 0 || _end != length || _buffer.Length <= KeepSize)
        {
            array = [];
            return false;
        }

        array = _buffer;
        _buffer = ArrayPool<byte>.Shared.Rent(DefaultSize);
        _start = 0;
        _end = 0;
        return true;
    }

    private void MakeRoom(int count)
    {
        int available = _end - _start;
        if (_buffer.Length >= count)
        {
            // Enough space in total: slide the unconsumed bytes to the front.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, available);
        }
        else
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(count);
            Buffer.BlockCopy(_buffer, _start, bigger, 0, available);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        _start = 0;
        _end = available;
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _start = _end = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
