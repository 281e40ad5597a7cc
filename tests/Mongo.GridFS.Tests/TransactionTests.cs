using Mongo.Bson;
using Mongo.Driver;
using Mongo.Driver.Events;
using Mongo.InMemory;
using Mongo.Testing.Monitoring;
using Xunit;

namespace Mongo.GridFS.Tests;

/// <summary>A bucket over a session-bound database takes part in the session's transaction: abort leaves no file, commit publishes it.</summary>
public sealed class TransactionTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_upload_inside_a_transaction_is_invisible_until_commit_and_gone_after_abort(bool async)
    {
        await using var server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        var recorder = new EventRecorder(t => t == typeof(CommandStartedEvent));
        var settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
        settings.EventSubscribers = [recorder];
        await using var client = new MongoClient(settings);
        var options = new GridFSBucketOptions { ChunkSizeBytes = 1024, WriteConcern = WriteConcern.Unacknowledged }; // ignored in the transaction
        var outside = new GridFSBucket(client.GetDatabase("files"), options);
        outside.UploadFromBytes("warm-up", new byte[10]); // the bucket's indexes and collections exist before the transaction
        byte[] data = new byte[5000];
        new Random(7).NextBytes(data);

        await using var session = client.StartSession();
        var bucket = new GridFSBucket(client.GetDatabase("files").WithSession(session), options);
        session.StartTransaction();
        ObjectId aborted = async ? await bucket.UploadFromBytesAsync("f", data) : bucket.UploadFromBytes("f", data);
        await session.AbortTransactionAsync();
        await Assert.ThrowsAsync<GridFSFileNotFoundException>(() => outside.DownloadAsBytesAsync(aborted));

        session.StartTransaction();
        ObjectId committed = async ? await bucket.UploadFromBytesAsync("f", data) : bucket.UploadFromBytes("f", data);
        Assert.Equal(data, async ? await bucket.DownloadAsBytesAsync(committed) : bucket.DownloadAsBytes(committed)); // its own writes
        await Assert.ThrowsAsync<GridFSFileNotFoundException>(() => outside.DownloadAsBytesAsync(committed));
        await session.CommitTransactionAsync();
        Assert.Equal(data, await outside.DownloadAsBytesAsync(committed));

        var inTransaction = recorder.Events.OfType<CommandStartedEvent>().Select(e => e.Command).Where(c => c.Contains("autocommit")).ToList();
        Assert.Contains(inTransaction, c => c.GetElement(0).Name == "insert" && c.GetValueOrDefault("insert")?.AsString == "fs.chunks");
        Assert.All(inTransaction, c => Assert.False(c.Contains("writeConcern") && c.GetElement(0).Name is not ("commitTransaction" or "abortTransaction")));
    }
}
