using Mongo.Bson;
using Mongo.Driver;
using Mongo.Testing;
using Xunit;

namespace Mongo.GridFS.Tests;

public class FailureTests(MongoServerFixture fixture) : GridFSTestBase(fixture)
{
    private async Task<long> CountAsync(string collection, BsonValue id) =>
        await Database.GetCollection(collection).CountDocumentsAsync(new BsonDocument(collection.EndsWith("files", StringComparison.Ordinal) ? "_id" : "files_id", id));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Abort_deletes_written_chunks_and_creates_no_files_document(bool async)
    {
        var bucket = NewBucket(1000);
        var upload = async ? await bucket.OpenUploadStreamAsync("a.bin") : bucket.OpenUploadStream("a.bin");
        byte[] data = RandomBytes(100_000, 2); // several batches reach the server before the abort
        await upload.WriteAsync(data);
        Assert.True(await CountAsync("fs.chunks", upload.Id) > 0);
        if (async)
        {
            await upload.AbortAsync();
        }
        else
        {
            upload.Abort();
        }

        await upload.DisposeAsync();
        Assert.Equal(0, await CountAsync("fs.chunks", upload.Id));
        Assert.Equal(0, await CountAsync("fs.files", upload.Id));
        Assert.Throws<GridFSException>(() => upload.Write(new byte[1], 0, 1));
    }

    [Fact]
    public async Task Failed_chunk_insert_removes_the_partial_file()
    {
        Skip.If(Fixture.Kind == MongoBackendKind.External, "fail points need a test server (configureFailPoint)");
        var bucket = NewBucket(1000);
        await bucket.UploadFromBytesAsync("warmup", new byte[1]); // indexes exist, so the next inserts are all chunk batches
        var admin = Client.GetDatabase("admin");
        await admin.RunCommandAsync(new BsonDocument
        {
            ["configureFailPoint"] = "failCommand",
            ["mode"] = new BsonDocument("skip", 2),
            ["data"] = new BsonDocument { ["failCommands"] = new BsonArray { "insert" }, ["errorCode"] = 2 },
        });
        try
        {
            var id = ObjectId.GenerateNewId();
            var ex = await Assert.ThrowsAnyAsync<MongoException>(() => bucket.UploadFromStreamWithIdAsync(id, "f.bin", new MemoryStream(RandomBytes(100_000, 3))));
            Assert.IsNotType<GridFSChunkException>(ex);
            await admin.RunCommandAsync(new BsonDocument { ["configureFailPoint"] = "failCommand", ["mode"] = "off" });
            Assert.Equal(0, await CountAsync("fs.chunks", id));
            Assert.Equal(0, await CountAsync("fs.files", id));
        }
        finally
        {
            await admin.RunCommandAsync(new BsonDocument { ["configureFailPoint"] = "failCommand", ["mode"] = "off" });
        }
    }

    [Fact]
    public async Task Failing_source_stream_leaves_nothing_behind()
    {
        var bucket = NewBucket(1000);
        var id = ObjectId.GenerateNewId();
        var source = new FailingStream(RandomBytes(50_000, 4), failAfter: 40_000);
        await Assert.ThrowsAsync<IOException>(() => bucket.UploadFromStreamWithIdAsync(id, "s.bin", source));
        Assert.Equal(0, await CountAsync("fs.chunks", id));
        Assert.Equal(0, await CountAsync("fs.files", id));
    }

    [Fact]
    public async Task Reusing_an_existing_id_fails_without_damaging_the_existing_file()
    {
        var bucket = NewBucket(100);
        byte[] original = RandomBytes(1_000, 5);
        await bucket.UploadFromBytesWithIdAsync("same", "one.bin", original);

        // The chunks unique index rejects chunk 0 of the second upload; cleanup must only touch its own chunks.
        await Assert.ThrowsAnyAsync<MongoException>(() => bucket.UploadFromBytesWithIdAsync("same", "two.bin", RandomBytes(1_000, 6)));
        Assert.Equal(original, await bucket.DownloadAsBytesAsync("same"));
        Assert.Equal(10, await CountAsync("fs.chunks", "same"));
    }

    [Fact]
    public async Task Cancellation_during_upload_aborts_it()
    {
        var bucket = NewBucket(1000);
        var id = ObjectId.GenerateNewId();
        using var cts = new CancellationTokenSource();
        var source = new CancellingStream(RandomBytes(60_000, 8), cts, cancelAfter: 30_000);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bucket.UploadFromStreamWithIdAsync(id, "c.bin", source, cancellationToken: cts.Token));
        Assert.Equal(0, await CountAsync("fs.chunks", id));
        Assert.Equal(0, await CountAsync("fs.files", id));
    }

    private sealed class FailingStream(byte[] data, int failAfter) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) =>
            Position >= failAfter ? throw new IOException("source failed") : base.Read(buffer, offset, Math.Min(count, 4096));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= failAfter ? throw new IOException("source failed") : base.ReadAsync(buffer[..Math.Min(buffer.Length, 4096)], cancellationToken);
    }

    private sealed class CancellingStream(byte[] data, CancellationTokenSource cts, int cancelAfter) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= cancelAfter)
            {
                cts.Cancel();
            }

            return base.ReadAsync(buffer[..Math.Min(buffer.Length, 4096)], CancellationToken.None);
        }
    }
}
