using System.Buffers;

namespace Mongo.Driver.Connections;

/// <summary>
/// A reply's pooled receive buffer, handed from the connection to the one reader of the reply instead of copying the
/// reply out (a large batch is megabytes). Whoever holds it must stop reading the reply's memory before
/// <see cref="Return"/>; dropping it without returning is harmless (the array is simply collected).
/// </summary>
internal sealed class ReplyLease
{
    private byte[]? _array;

    public ReplyLease(byte[] array) => _array = array;

    /// <summary>Gives the buffer back to the pool; idempotent. The reply's memory must not be read afterwards.</summary>
    public void Return()
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
