using Mongo.Bson;
using Mongo.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Mongo.GridFS.Tests;

public class RoundTripTests(MongoServerFixture fixture, ITestOutputHelper output) : GridFSTestBase(fixture)
{
    public static TheoryData<int, int, bool> EdgeSizes()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (bool async in new[] { false, true })
        {
            foreach (int size in new[] { 0, 1, 1023, 1024, 1025, 3 * 1024, (3 * 1024) + 7 })
            {
                data.Add(size, 1024, async);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EdgeSizes))]
    public async Task Bytes_round_trip_and_files_document_matches(int size, int chunkSize, bool async)
    {
        var bucket = NewBucket(chunkSize);
        byte[] data = RandomBytes(size, size);
        var id = await UploadAsync(bucket, "edge.bin", data, async);

        Assert.Equal(data, await DownloadAsync(bucket, id, async));
        var files = await Database.GetCollection("fs.files").Find(new BsonDocument("_id", id)).FirstOrDefaultAsync();
        Assert.NotNull(files);
        Assert.Equal(size, files["length"].ToInt64());
        Assert.Equal(chunkSize, files["chunkSize"].ToInt32());
        Assert.Equal("edge.bin", files["filename"].AsString);
        Assert.Equal(BsonType.DateTime, files["uploadDate"].BsonType);
        long chunks = await Database.GetCollection("fs.chunks").CountDocumentsAsync(new BsonDocument("files_id", id));
        Assert.Equal((size + chunkSize - 1) / chunkSize, chunks);
    }

    [Fact]
    public async Task Random_sizes_and_chunk_sizes_round_trip_through_streams()
    {
        int seed = Environment.GetEnvironmentVariable("MONGO_GRIDFS_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 20261125;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        for (int i = 0; i < 25; i++)
        {
            int chunkSize = random.Next(1, 5000);
            int size = random.Next(0, 40_000);
            bool async = random.Next(2) == 0;
            var bucket = NewBucket(chunkSize, $"p{i}");
            byte[] data = RandomBytes(size, seed + i);

            var id = async
                ? await bucket.UploadFromStreamAsync("p.bin", new MemoryStream(data))
                : bucket.UploadFromStream("p.bin", new MemoryStream(data));
            var copy = new MemoryStream();
            if (async)
            {
                await bucket.DownloadToStreamAsync(id, copy);
            }
            else
            {
                bucket.DownloadToStream(id, copy);
            }

            Assert.True(data.AsSpan().SequenceEqual(copy.ToArray()), $"seed {seed} case {i}: size {size} chunk {chunkSize}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upload_stream_with_odd_write_sizes_produces_exact_chunks(bool async)
    {
        var bucket = NewBucket(1000);
        byte[] data = RandomBytes(10_500, 7);
        var upload = async ? await bucket.OpenUploadStreamAsync("w.bin") : bucket.OpenUploadStream("w.bin");
        int offset = 0;
        int step = 1;
        while (offset < data.Length)
        {
            int n = Math.Min(step, data.Length - offset);
            if (async)
            {
                await upload.WriteAsync(data.AsMemory(offset, n));
            }
            else
            {
                upload.Write(data, offset, n);
            }

            offset += n;
            step = (step * 7 % 1733) + 1;
        }

        // Only Complete makes the file visible (disposing an uncompleted upload aborts it).
        if (async)
        {
            await upload.CompleteAsync();
            await upload.DisposeAsync();
        }
        else
        {
            upload.Complete();
            upload.Dispose();
        }

        Assert.Equal(data, await DownloadAsync(bucket, upload.Id, async));
        var sizes = (await Database.GetCollection("fs.chunks").Find(new BsonDocument("files_id", upload.Id)).Sort(new BsonDocument("n", 1)).ToListAsync())
            .Select(c => c["data"].AsBsonBinaryData.Bytes.Length).ToArray();
        Assert.Equal([.. Enumerable.Repeat(1000, 10), 500], sizes);
    }

    [Fact]
    public async Task Metadata_and_custom_ids_are_stored()
    {
        var bucket = NewBucket();
        var metadata = new BsonDocument { ["owner"] = "ann", ["tags"] = new BsonArray { "a", "b" } };
        await bucket.UploadFromBytesWithIdAsync("custom-id", "m.txt", "hello"u8.ToArray(), new GridFSUploadOptions { Metadata = metadata });

        var info = Assert.Single(await (await bucket.FindAsync(new BsonDocument("_id", "custom-id"))).ToListAsync());
        Assert.Equal(metadata, info.Metadata);
        Assert.Equal(5, info.Length);
        Assert.Equal("hello"u8.ToArray(), await bucket.DownloadAsBytesAsync("custom-id"));
    }

    [Fact]
    public async Task Indexes_are_created_on_first_write_with_the_spec_names()
    {
        var bucket = NewBucket();
        await bucket.UploadFromBytesAsync("i.txt", new byte[10]);
        var filesIndexes = await Database.GetCollection("fs.files").ListIndexesAsync();
        var chunksIndexes = await Database.GetCollection("fs.chunks").ListIndexesAsync();
        Assert.Contains(filesIndexes, i => i["name"].AsString == "filename_1_uploadDate_1");
        var chunkIndex = Assert.Single(chunksIndexes, i => i["name"].AsString == "files_id_1_n_1");
        Assert.True(chunkIndex["unique"].ToBoolean());
    }

    [Fact]
    public async Task An_existing_index_with_double_directions_is_recognised()
    {
        // Another driver may have created the index as { files_id: 1.0, n: 1.0 }: no second index must appear.
        var chunks = Database.GetCollection("fs.chunks");
        await Database.RunCommandAsync(new BsonDocument
        {
            ["createIndexes"] = "fs.chunks",
            ["indexes"] = new BsonArray { new BsonDocument { ["key"] = new BsonDocument { ["files_id"] = 1.0, ["n"] = 1.0 }, ["name"] = "custom", ["unique"] = true } },
        });
        await NewBucket().UploadFromBytesAsync("x", new byte[3]);
        var names = (await chunks.ListIndexesAsync()).Select(i => i["name"].AsString).ToList();
        Assert.Equal(["_id_", "custom"], names.Order().ToList());
    }

    [Fact]
    public void KeysEqual_compares_directions_numerically_and_names_in_order()
    {
        var wanted = new BsonDocument { ["files_id"] = 1, ["n"] = 1 };
        Assert.True(GridFSBucket.KeysEqual(new BsonDocument { ["files_id"] = 1.0, ["n"] = 1L }, wanted));
        Assert.False(GridFSBucket.KeysEqual(new BsonDocument { ["n"] = 1, ["files_id"] = 1 }, wanted));
        Assert.False(GridFSBucket.KeysEqual(new BsonDocument { ["files_id"] = 1, ["n"] = -1 }, wanted));
        Assert.False(GridFSBucket.KeysEqual(new BsonDocument { ["files_id"] = "hashed" }, new BsonDocument("files_id", 1)));
    }
}
