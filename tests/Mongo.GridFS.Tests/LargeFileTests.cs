using System.Security.Cryptography;
using Mongo.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Mongo.GridFS.Tests;

/// <summary>
/// A large file streamed through from a generated stream (never held in a buffer) and verified by hash on the way
/// back. CI uses 64 MiB; set MONGO_GRIDFS_LARGE_MB (e.g. 4096) to push several GB through.
/// </summary>
public class LargeFileTests(MongoServerFixture fixture, ITestOutputHelper output) : GridFSTestBase(fixture)
{
    [Fact]
    public async Task Large_generated_stream_round_trips_with_matching_hash()
    {
        long megabytes = long.TryParse(Environment.GetEnvironmentVariable("MONGO_GRIDFS_LARGE_MB"), out long mb) ? mb : 64;
        long length = (megabytes * 1024 * 1024) + 12_345; // not a multiple of the chunk size
        output.WriteLine($"streaming {length:N0} bytes on {Fixture.Description}");
        var bucket = NewBucket();

        var source = new GeneratedStream(length);
        var id = await bucket.UploadFromStreamAsync("large.bin", source);
        byte[] expected = source.Hash();

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var sink = new HashingStream(hash);
        await bucket.DownloadToStreamAsync(id, sink);
        Assert.Equal(length, sink.Length);
        Assert.Equal(expected, hash.GetHashAndReset());
    }

    /// <summary>Deterministic pseudo-random bytes produced on demand; hashes what it hands out.</summary>
    private sealed class GeneratedStream(long length) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private ulong _state = 0x9E3779B97F4A7C15;
        private long _position;

        public byte[] Hash() => _hash.GetHashAndReset();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = (int)Math.Min(buffer.Length, length - _position);
            for (int i = 0; i < n; i++)
            {
                _state ^= _state << 13;
                _state ^= _state >> 7;
                _state ^= _state << 17;
                buffer[i] = (byte)_state;
            }

            _hash.AppendData(buffer[..n]);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class HashingStream(IncrementalHash hash) : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            _length += buffer.Length;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
