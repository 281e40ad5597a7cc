using Mongo.Bson;
using Mongo.Driver;
using Mongo.Testing;
using Xunit;

namespace Mongo.GridFS.Tests;

public class CorruptionTests(MongoServerFixture fixture) : GridFSTestBase(fixture)
{
    private MongoCollection<BsonDocument> Chunks => Database.GetCollection("fs.chunks");

    private async Task<(GridFSBucket Bucket, ObjectId Id)> StoreAsync()
    {
        var bucket = NewBucket(10);
        var id = await bucket.UploadFromBytesAsync("c.bin", RandomBytes(45, 1)); // chunks 0..4, the last holds 5 bytes
        return (bucket, id);
    }

    private static async Task<GridFSChunkException> DownloadFails(GridFSBucket bucket, ObjectId id, bool async) =>
        async
            ? await Assert.ThrowsAsync<GridFSChunkException>(() => bucket.DownloadAsBytesAsync(id))
            : Assert.Throws<GridFSChunkException>(() => bucket.DownloadAsBytes(id));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Missing_chunk_is_reported_with_its_number(bool async)
    {
        var (bucket, id) = await StoreAsync();
        await Chunks.DeleteOneAsync(new BsonDocument { ["files_id"] = id, ["n"] = 2 });
        var ex = await DownloadFails(bucket, id, async);
        Assert.Equal(GridFSChunkError.Missing, ex.Error);
        Assert.Equal(2, ex.ChunkNumber);
        Assert.Equal(new BsonObjectId(id), ex.FilesId);
        Assert.Contains(id.ToString(), ex.Message);
    }

    [Fact]
    public async Task Missing_last_chunk_is_reported()
    {
        var (bucket, id) = await StoreAsync();
        await Chunks.DeleteOneAsync(new BsonDocument { ["files_id"] = id, ["n"] = 4 });
        var ex = await DownloadFails(bucket, id, async: true);
        Assert.Equal(GridFSChunkError.Missing, ex.Error);
        Assert.Equal(4, ex.ChunkNumber);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Wrong_n_is_reported(bool async)
    {
        var (bucket, id) = await StoreAsync();
        await Chunks.UpdateOneAsync(new BsonDocument { ["files_id"] = id, ["n"] = 1 }, new BsonDocument("$set", new BsonDocument("n", 7)));
        var ex = await DownloadFails(bucket, id, async);
        Assert.Equal(GridFSChunkError.Missing, ex.Error);
        Assert.Equal(1, ex.ChunkNumber);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Short_chunk_is_reported(bool async)
    {
        var (bucket, id) = await StoreAsync();
        await Chunks.UpdateOneAsync(new BsonDocument { ["files_id"] = id, ["n"] = 3 }, new BsonDocument("$set", new BsonDocument("data", new BsonBinaryData(new byte[9]))));
        var ex = await DownloadFails(bucket, id, async);
        Assert.Equal(GridFSChunkError.WrongSize, ex.Error);
        Assert.Equal(3, ex.ChunkNumber);
    }

    [Fact]
    public async Task Oversized_last_chunk_is_reported()
    {
        var (bucket, id) = await StoreAsync();
        await Chunks.UpdateOneAsync(new BsonDocument { ["files_id"] = id, ["n"] = 4 }, new BsonDocument("$set", new BsonDocument("data", new BsonBinaryData(new byte[10]))));
        var ex = await DownloadFails(bucket, id, async: true);
        Assert.Equal(GridFSChunkError.WrongSize, ex.Error);
        Assert.Equal(4, ex.ChunkNumber);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Extra_chunk_is_reported(bool async)
    {
        var (bucket, id) = await StoreAsync();
        await Chunks.InsertOneAsync(new BsonDocument { ["files_id"] = id, ["n"] = 5, ["data"] = new BsonBinaryData(new byte[3]) });
        var ex = await DownloadFails(bucket, id, async);
        Assert.Equal(GridFSChunkError.Extra, ex.Error);
        Assert.Equal(5, ex.ChunkNumber);

        // DownloadToStream checks too.
        var sink = new MemoryStream();
        var again = await Assert.ThrowsAsync<GridFSChunkException>(() => bucket.DownloadToStreamAsync(id, sink));
        Assert.Equal(GridFSChunkError.Extra, again.Error);
    }

    [Fact]
    public async Task Non_binary_data_is_reported_as_malformed()
    {
        var (bucket, id) = await StoreAsync();
        await Chunks.UpdateOneAsync(new BsonDocument { ["files_id"] = id, ["n"] = 0 }, new BsonDocument("$set", new BsonDocument("data", "not binary")));
        var ex = await DownloadFails(bucket, id, async: true);
        Assert.Equal(GridFSChunkError.Malformed, ex.Error);
    }

    [Fact]
    public async Task Missing_file_is_reported_by_id_and_by_name()
    {
        var bucket = NewBucket();
        var missing = ObjectId.GenerateNewId();
        var byId = await Assert.ThrowsAsync<GridFSFileNotFoundException>(() => bucket.DownloadAsBytesAsync(missing));
        Assert.Equal(new BsonObjectId(missing), byId.Id);
        var byName = Assert.Throws<GridFSFileNotFoundException>(() => bucket.OpenDownloadStreamByName("nope", 3));
        Assert.Equal("nope", byName.Filename);
        Assert.Equal(3, byName.Revision);
    }
}
