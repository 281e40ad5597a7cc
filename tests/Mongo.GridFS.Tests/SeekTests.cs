using Mongo.Bson;
using Mongo.Testing;
using Xunit;

namespace Mongo.GridFS.Tests;

public class SeekTests(MongoServerFixture fixture) : GridFSTestBase(fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reads_after_random_seeks_return_the_right_bytes(bool async)
    {
        var bucket = NewBucket(100);
        byte[] data = RandomBytes(2_345, 11);
        var id = await UploadAsync(bucket, "s.bin", data, async);
        var random = new Random(3);
        var stream = async ? await bucket.OpenDownloadStreamAsync(id) : bucket.OpenDownloadStream(id);
        await using (stream)
        {
            Assert.True(stream.CanSeek);
            Assert.Equal(data.Length, stream.Length);
            for (int i = 0; i < 200; i++)
            {
                int position = random.Next(0, data.Length + 10);
                var origin = (SeekOrigin)random.Next(3);
                long offset = origin switch
                {
                    SeekOrigin.Begin => position,
                    SeekOrigin.Current => position - stream.Position,
                    _ => position - data.Length,
                };
                Assert.Equal(position, stream.Seek(offset, origin));
                var buffer = new byte[random.Next(1, 300)];
                int read = async ? await stream.ReadAsync(buffer) : stream.Read(buffer, 0, buffer.Length);
                int expected = Math.Max(0, Math.Min(buffer.Length, data.Length - position));
                Assert.True(read <= expected && (read > 0 || expected == 0));
                Assert.True(data.AsSpan(Math.Min(position, data.Length), read).SequenceEqual(buffer.AsSpan(0, read)));
            }
        }
    }

    [Fact]
    public async Task Seeking_skips_the_chunks_before_the_target()
    {
        var bucket = NewBucket(10);
        byte[] data = RandomBytes(100, 5);
        var id = await bucket.UploadFromBytesAsync("s.bin", data);

        // Remove chunk 0..4: reading from position 55 must not need them.
        await Database.GetCollection("fs.chunks").DeleteManyAsync(new BsonDocument { ["files_id"] = id, ["n"] = new BsonDocument("$lt", 5) });
        await using var stream = await bucket.OpenDownloadStreamAsync(id);
        stream.Position = 55;
        var buffer = new byte[45];
        int total = 0;
        while (total < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(total));
            Assert.NotEqual(0, n);
            total += n;
        }

        Assert.Equal(data[55..], buffer);

        // Going back to a deleted chunk reports it missing.
        stream.Position = 0;
        var ex = await Assert.ThrowsAsync<GridFSChunkException>(() => stream.ReadAsync(new byte[1]).AsTask());
        Assert.Equal(GridFSChunkError.Missing, ex.Error);
        Assert.Equal(0, ex.ChunkNumber);
    }
}
