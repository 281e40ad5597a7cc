using Mongo.Bson;
using Mongo.Driver;
using Mongo.Testing;
using Xunit;

namespace Mongo.GridFS.Tests;

/// <summary>Uploads abandoned half way, files documents that lie, and download memory that must not grow with the file.</summary>
public class HardeningTests(MongoServerFixture fixture) : GridFSTestBase(fixture)
{
    private MongoCollection<BsonDocument> Files => Database.GetCollection("fs.files");

    private MongoCollection<BsonDocument> Chunks => Database.GetCollection("fs.chunks");

    private async Task<long> CountAsync(string collection, string field, BsonValue id) =>
        await Database.GetCollection(collection).CountDocumentsAsync(new BsonDocument(field, id));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Disposing_an_upload_that_was_not_completed_aborts_it(bool async)
    {
        var bucket = NewBucket(1000);
        var upload = async ? await bucket.OpenUploadStreamAsync("half.bin") : bucket.OpenUploadStream("half.bin");
        await upload.WriteAsync(RandomBytes(100_000, 5)); // several batches already reached the server
        Assert.True(await CountAsync("fs.chunks", "files_id", upload.Id) > 0);
        if (async)
        {
            await upload.DisposeAsync();
        }
        else
        {
            upload.Dispose();
        }

        Assert.Equal(0, await CountAsync("fs.files", "_id", upload.Id));
        Assert.Equal(0, await CountAsync("fs.chunks", "files_id", upload.Id));
        Assert.Throws<GridFSException>(() => upload.Write(new byte[1], 0, 1));
    }

    [Fact]
    public async Task An_await_using_upload_whose_source_fails_leaves_no_truncated_file()
    {
        var bucket = NewBucket(1000);
        BsonValue? id = null;
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var upload = await bucket.OpenUploadStreamAsync("cut.bin");
            id = upload.Id;
            await upload.WriteAsync(RandomBytes(50_000, 6));
            throw new InvalidOperationException("the source read failed");
        });

        Assert.NotNull(id);
        Assert.Equal(0, await CountAsync("fs.files", "_id", id!));
        Assert.Equal(0, await CountAsync("fs.chunks", "files_id", id!));
        Assert.Empty(await (await bucket.FindAsync(new BsonDocument("filename", "cut.bin"))).ToListAsync());
    }

    [Fact]
    public async Task A_completed_upload_stays_after_dispose()
    {
        var bucket = NewBucket(1000);
        byte[] data = RandomBytes(5_500, 7);
        BsonValue id;
        await using (var upload = await bucket.OpenUploadStreamAsync("done.bin"))
        {
            id = upload.Id;
            await upload.WriteAsync(data);
            await upload.CompleteAsync();
        }

        Assert.Equal(data, await bucket.DownloadAsBytesAsync(id));
    }

    public static TheoryData<BsonValue, BsonValue, string> LyingFilesDocuments => new()
    {
        { double.NaN, 1000, "length" },
        { 1e300, 1000, "length" },
        { 12.5, 1000, "length" },
        { -1, 1000, "length" },
        { new BsonDecimal128(Decimal128.Parse("NaN")), 1000, "length" },
        { 10, double.NaN, "chunkSize" },
        { 10, 1L << 40, "chunkSize" },
        { 10, 0, "chunkSize" },
        { 10, 100.5, "chunkSize" },
        { 10, "1000", "chunkSize" },
        { 1L << 62, 1, "chunks" },
    };

    [Theory]
    [MemberData(nameof(LyingFilesDocuments))]
    public async Task Absurd_length_or_chunk_size_is_refused_before_reading(BsonValue length, BsonValue chunkSize, string named)
    {
        var bucket = NewBucket();
        var id = ObjectId.GenerateNewId();
        await Files.InsertOneAsync(new BsonDocument { ["_id"] = id, ["length"] = length, ["chunkSize"] = chunkSize, ["filename"] = "lie", ["uploadDate"] = DateTime.UtcNow });
        var ex = await Assert.ThrowsAsync<GridFSException>(() => bucket.DownloadAsBytesAsync(id));
        Assert.IsNotType<GridFSChunkException>(ex);
        Assert.Contains(named, ex.Message);
        Assert.Contains(id.ToString(), ex.Message);
    }

    [Fact]
    public async Task A_huge_claimed_length_fails_on_its_missing_chunk_without_allocating_it()
    {
        var bucket = NewBucket(1000);
        var id = await bucket.UploadFromBytesAsync("small.bin", RandomBytes(3_000, 8));
        await Files.UpdateOneAsync(new BsonDocument("_id", id), new BsonDocument("$set", new BsonDocument("length", (long)int.MaxValue - 100)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<GridFSChunkException>(() => bucket.DownloadAsBytes(id)); // sync: all of it on this thread
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(GridFSChunkError.Missing, ex.Error);
        Assert.Equal(3, ex.ChunkNumber);
        Assert.True(allocated < 200L * 1024 * 1024, $"allocated {allocated:N0} bytes for a 3,000-byte file claiming 2 GiB");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Length_zero_with_a_chunk_holding_data_is_corrupt(bool async)
    {
        var bucket = NewBucket(1000);
        var id = await bucket.UploadFromBytesAsync("z.bin", RandomBytes(1_500, 9));
        await Files.UpdateOneAsync(new BsonDocument("_id", id), new BsonDocument("$set", new BsonDocument("length", 0)));
        var ex = async
            ? await Assert.ThrowsAsync<GridFSChunkException>(() => bucket.DownloadAsBytesAsync(id))
            : Assert.Throws<GridFSChunkException>(() => bucket.DownloadAsBytes(id));
        Assert.Equal(GridFSChunkError.Extra, ex.Error);
        Assert.Equal(0, ex.ChunkNumber);
        await Assert.ThrowsAsync<GridFSChunkException>(() => bucket.DownloadToStreamAsync(id, Stream.Null));
    }

    [Fact]
    public async Task Length_zero_with_one_empty_chunk_is_an_empty_file()
    {
        // The GridFS spec's download tests store exactly this and expect an empty file.
        var bucket = NewBucket(4);
        var id = ObjectId.GenerateNewId();
        await Files.InsertOneAsync(new BsonDocument { ["_id"] = id, ["length"] = 0, ["chunkSize"] = 4, ["uploadDate"] = DateTime.UtcNow });
        await Chunks.InsertOneAsync(new BsonDocument { ["files_id"] = id, ["n"] = 0, ["data"] = new BsonBinaryData([]) });
        Assert.Empty(await bucket.DownloadAsBytesAsync(id));
        await Chunks.InsertOneAsync(new BsonDocument { ["files_id"] = id, ["n"] = 1, ["data"] = new BsonBinaryData([]) });
        var ex = await Assert.ThrowsAsync<GridFSChunkException>(() => bucket.DownloadAsBytesAsync(id));
        Assert.Equal(GridFSChunkError.Extra, ex.Error);
    }

    [Fact]
    public async Task Download_memory_does_not_grow_with_the_file()
    {
        // 24 MiB in 255 KiB chunks: two large replies at least. Before, every reply was copied into a new array
        // (about the file's size in garbage); now the replies stay in the connection's pooled buffer.
        var bucket = NewBucket();
        byte[] data = RandomBytes(24 * 1024 * 1024, 10);
        var id = await bucket.UploadFromBytesAsync("big.bin", data);
        bucket.DownloadToStream(id, Stream.Null); // warm up: pool buffers, code paths
        long before = GC.GetAllocatedBytesForCurrentThread();
        bucket.DownloadToStream(id, Stream.Null);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < data.Length / 8, $"downloading {data.Length:N0} bytes allocated {allocated:N0} bytes on the calling thread");

        using var copy = new MemoryStream();
        await bucket.DownloadToStreamAsync(id, copy);
        Assert.True(data.AsSpan().SequenceEqual(copy.ToArray()));
        Assert.Equal(data, bucket.DownloadAsBytes(id));
    }
}
