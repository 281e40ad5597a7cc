using Mongo.Bson;
using Mongo.Driver;
using Mongo.Testing;
using Xunit;

namespace Mongo.GridFS.Tests;

public class ManagementTests(MongoServerFixture fixture) : GridFSTestBase(fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Revisions_select_by_upload_order(bool async)
    {
        var bucket = NewBucket();
        for (int i = 0; i < 3; i++)
        {
            await bucket.UploadFromBytesAsync("rev.txt", new[] { (byte)i });
            await Task.Delay(5); // distinct upload dates
        }

        async Task<byte> Revision(int r) =>
            (async ? await bucket.DownloadAsBytesByNameAsync("rev.txt", r) : bucket.DownloadAsBytesByName("rev.txt", r))[0];

        Assert.Equal(0, await Revision(0));
        Assert.Equal(1, await Revision(1));
        Assert.Equal(2, await Revision(2));
        Assert.Equal(2, await Revision(-1));
        Assert.Equal(1, await Revision(-2));
        Assert.Equal(0, await Revision(-3));
        await Assert.ThrowsAsync<GridFSFileNotFoundException>(() => Revision(3));
        await Assert.ThrowsAsync<GridFSFileNotFoundException>(() => Revision(-4));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Delete_removes_files_document_and_chunks(bool async)
    {
        var bucket = NewBucket(10);
        var id = await bucket.UploadFromBytesAsync("d.bin", new byte[95]);
        if (async)
        {
            await bucket.DeleteAsync(id);
        }
        else
        {
            bucket.Delete(id);
        }

        Assert.Equal(0, await Database.GetCollection("fs.chunks").CountDocumentsAsync(new BsonDocument("files_id", id)));
        await Assert.ThrowsAsync<GridFSFileNotFoundException>(() => bucket.DownloadAsBytesAsync(id));
    }

    [Fact]
    public async Task Delete_of_a_missing_file_cleans_orphan_chunks_then_reports_it()
    {
        var bucket = NewBucket(10);
        var id = await bucket.UploadFromBytesAsync("o.bin", new byte[30]);
        await Database.GetCollection("fs.files").DeleteOneAsync(new BsonDocument("_id", id));
        var ex = await Assert.ThrowsAsync<GridFSFileNotFoundException>(() => bucket.DeleteAsync(id));
        Assert.Equal(new BsonObjectId(id), ex.Id);
        Assert.Equal(0, await Database.GetCollection("fs.chunks").CountDocumentsAsync(new BsonDocument("files_id", id)));
    }

    [Fact]
    public async Task Rename_changes_one_revision_and_reports_missing_files()
    {
        var bucket = NewBucket();
        var id = await bucket.UploadFromBytesAsync("old.txt", new byte[] { 1, 2 });
        await bucket.RenameAsync(id, "new.txt");
        Assert.Equal([1, 2], await bucket.DownloadAsBytesByNameAsync("new.txt"));
        await Assert.ThrowsAsync<GridFSFileNotFoundException>(() => bucket.DownloadAsBytesByNameAsync("old.txt"));
        Assert.Throws<GridFSFileNotFoundException>(() => bucket.Rename(ObjectId.GenerateNewId(), "x"));
    }

    [Fact]
    public async Task Find_filters_sorts_and_limits_files()
    {
        var bucket = NewBucket();
        foreach (string name in new[] { "b", "a", "c" })
        {
            await bucket.UploadFromBytesAsync(name, new byte[name[0]]);
        }

        var cursor = await bucket.FindAsync(Filter.Gt("length", 97), new GridFSFindOptions { Sort = Sort.Descending("filename"), Limit = 5 });
        var names = new List<string>();
        await foreach (var info in cursor)
        {
            names.Add(info.Filename!);
            Assert.Equal(GridFSBucketOptions.DefaultChunkSizeBytes, info.ChunkSizeBytes);
        }

        Assert.Equal(["c", "b"], names);
        Assert.Equal(3, bucket.Find(FilterDefinition.Empty).ToList().Count);
    }

    [Fact]
    public async Task Drop_removes_both_collections_and_uploads_work_again()
    {
        var bucket = NewBucket();
        await bucket.UploadFromBytesAsync("x", new byte[5]);
        await bucket.DropAsync();
        var names = await Database.ListCollectionNamesAsync();
        Assert.DoesNotContain("fs.files", names);
        Assert.DoesNotContain("fs.chunks", names);

        // Indexes are checked again after a drop.
        await bucket.UploadFromBytesAsync("y", new byte[5]);
        Assert.Contains(await Database.GetCollection("fs.chunks").ListIndexesAsync(), i => i["name"].AsString == "files_id_1_n_1");
    }
}
