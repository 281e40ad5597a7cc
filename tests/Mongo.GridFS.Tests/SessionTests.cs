using Mongo.Bson;
using Mongo.Driver;
using Mongo.Driver.Events;
using Mongo.Testing;
using Mongo.Testing.Monitoring;
using Xunit;

namespace Mongo.GridFS.Tests;

/// <summary>A bucket over a session-bound database sends every command (chunk inserts, index checks, reads) in that session.</summary>
public sealed class SessionTests : IClassFixture<MongoServerFixture>
{
    private readonly MongoServerFixture _fixture;

    public SessionTests(MongoServerFixture fixture) => _fixture = fixture;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upload_download_and_delete_run_in_the_bound_session(bool async)
    {
        var recorder = new EventRecorder(t => t == typeof(CommandStartedEvent));
        var settings = MongoClientSettings.FromConnectionString(_fixture.ConnectionString);
        settings.EventSubscribers = [recorder];
        await using var client = new MongoClient(settings);
        string databaseName = "gridfs_session_" + async + "_" + Environment.ProcessId;
        await using (var session = async ? await client.StartSessionAsync() : client.StartSession())
        {
            var bucket = new GridFSBucket(client.GetDatabase(databaseName).WithSession(session), new GridFSBucketOptions { ChunkSizeBytes = 1024 });
            byte[] data = new byte[5000];
            new Random(5).NextBytes(data);
            ObjectId id = async ? await bucket.UploadFromBytesAsync("f", data) : bucket.UploadFromBytes("f", data);
            Assert.Equal(data, async ? await bucket.DownloadAsBytesAsync(id) : bucket.DownloadAsBytes(id));
            if (async)
            {
                await bucket.DeleteAsync(id);
            }
            else
            {
                bucket.Delete(id);
            }

            var commands = recorder.Events.OfType<CommandStartedEvent>().Select(e => e.Command).ToList();
            Assert.Contains(commands, c => c.GetElement(0).Name == "insert");
            Assert.Contains(commands, c => c.GetElement(0).Name == "find");
            Assert.Contains(commands, c => c.GetElement(0).Name == "delete");
            Assert.All(commands, c => Assert.Equal(session.Id, c["lsid"]));
        }

        await client.DropDatabaseAsync(databaseName);
    }
}
