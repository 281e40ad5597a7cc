using Mongo.Driver.Connections;
using Xunit;

namespace Mongo.Driver.Tests.Connections;

/// <summary>The receive buffer grows with the bytes that arrive, not with the length a peer declares.</summary>
public sealed class ReadBufferTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_declared_length_that_never_arrives_is_not_allocated(bool async)
    {
        // 1,000 bytes arrive, then the peer closes; the message claims 40 MB.
        using var buffer = new ReadBuffer(new MemoryStream(new byte[1_000]));
        long before = GC.GetAllocatedBytesForCurrentThread();
        await Assert.ThrowsAsync<EndOfStreamException>(async () => await buffer.EnsureAsync(async, 40_000_000, CancellationToken.None));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 4 * 1024 * 1024, $"allocated {allocated:N0} bytes for 1,000 received");
    }

    [Theory]
    [InlineData(false, 100)]
    [InlineData(true, 100)]
    [InlineData(false, 5_000_000)]
    [InlineData(true, 5_000_000)]
    public async Task A_large_message_arriving_in_pieces_is_assembled_exactly(bool async, int length)
    {
        byte[] data = new byte[length + 7];
        new Random(length).NextBytes(data);
        using var buffer = new ReadBuffer(new TrickleStream(data, 70_001));
        await buffer.EnsureAsync(async, length, CancellationToken.None);
        Assert.True(buffer.Span[..length].SequenceEqual(data.AsSpan(0, length)));
        buffer.Consume(length);
        await buffer.EnsureAsync(async, 7, CancellationToken.None);
        Assert.True(buffer.Span[..7].SequenceEqual(data.AsSpan(length, 7)));
    }

    /// <summary>Hands out at most a few KB per read, as a socket does.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, chunk), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
