using Mongo.Bson;
using Mongo.Testing;
using Xunit;
using O = MongoDB.Bson;
using OD = MongoDB.Driver;
using OG = MongoDB.Driver.GridFS;

namespace Mongo.GridFS.Tests;

/// <summary>Files one driver writes, the other reads byte for byte, by id and by name and revision.</summary>
public class InteropTests(MongoServerFixture fixture) : GridFSTestBase(fixture)
{
    private OG.GridFSBucket OfficialBucket(int chunkSize) =>
        new(new OD.MongoClient(Fixture.ConnectionString).GetDatabase(DatabaseName),
            new OG.GridFSBucketOptions { ChunkSizeBytes = chunkSize });

    [Theory]
    [InlineData(0, 1024)]
    [InlineData(1, 1024)]
    [InlineData(5 * 1024, 1024)]
    [InlineData(300_001, GridFSBucketOptions.DefaultChunkSizeBytes)]
    public async Task Ours_uploads_official_downloads(int size, int chunkSize)
    {
        byte[] data = RandomBytes(size, size);
        var ours = NewBucket(chunkSize);
        var id = await ours.UploadFromBytesAsync("ours.bin", data, new GridFSUploadOptions { Metadata = new BsonDocument("k", "v") });

        var official = OfficialBucket(chunkSize);
        Assert.Equal(data, await official.DownloadAsBytesAsync(O.ObjectId.Parse(id.ToString())));
        Assert.Equal(data, await official.DownloadAsBytesByNameAsync("ours.bin"));
        var info = OD.IAsyncCursorExtensions.ToList(await official.FindAsync(OD.Builders<OG.GridFSFileInfo>.Filter.Eq("_id", O.ObjectId.Parse(id.ToString())))).Single();
        Assert.Equal(size, info.Length);
        Assert.Equal("v", info.Metadata["k"].AsString);
    }

    [Theory]
    [InlineData(0, 1024)]
    [InlineData(1023, 1024)]
    [InlineData(4 * 1024, 1024)]
    [InlineData(600_000, GridFSBucketOptions.DefaultChunkSizeBytes)]
    public async Task Official_uploads_ours_downloads(int size, int chunkSize)
    {
        byte[] data = RandomBytes(size, size + 1);
        var official = OfficialBucket(chunkSize);
        var officialId = await official.UploadFromBytesAsync("theirs.bin", data);

        var ours = NewBucket(chunkSize);
        var id = ObjectId.Parse(officialId.ToString());
        Assert.Equal(data, await ours.DownloadAsBytesAsync(id));
        Assert.Equal(data, ours.DownloadAsBytesByName("theirs.bin"));
        await using var stream = await ours.OpenDownloadStreamAsync(id);
        Assert.Equal(size, stream.Length);
    }

    [Fact]
    public async Task Revisions_agree_between_drivers()
    {
        var ours = NewBucket(1024);
        var official = OfficialBucket(1024);
        await ours.UploadFromBytesAsync("mixed.txt", new byte[] { 1 });
        await Task.Delay(5);
        await official.UploadFromBytesAsync("mixed.txt", new byte[] { 2 });
        await Task.Delay(5);
        await ours.UploadFromBytesAsync("mixed.txt", new byte[] { 3 });

        for (int revision = -3; revision <= 2; revision++)
        {
            byte[] theirs = await official.DownloadAsBytesByNameAsync("mixed.txt", new OG.GridFSDownloadByNameOptions { Revision = revision });
            Assert.Equal(theirs, await ours.DownloadAsBytesByNameAsync("mixed.txt", revision));
        }
    }
}
