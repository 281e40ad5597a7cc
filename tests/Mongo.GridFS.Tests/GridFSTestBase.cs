using Mongo.Bson;
using Mongo.Driver;
using Mongo.Testing;
using Xunit;

namespace Mongo.GridFS.Tests;

/// <summary>One server per test class; each test gets its own database so tests cannot see each other's files.</summary>
public abstract class GridFSTestBase : IClassFixture<MongoServerFixture>, IAsyncLifetime
{
    private static int s_counter;

    protected GridFSTestBase(MongoServerFixture fixture)
    {
        Fixture = fixture;
        Client = new MongoClient(fixture.ConnectionString);
        DatabaseName = $"gridfs_{GetType().Name.ToLowerInvariant()}_{Interlocked.Increment(ref s_counter)}_{Environment.ProcessId}";
        Database = Client.GetDatabase(DatabaseName);
    }

    protected MongoServerFixture Fixture { get; }

    protected MongoClient Client { get; }

    protected string DatabaseName { get; }

    protected MongoDatabase Database { get; }

    protected GridFSBucket NewBucket(int chunkSize = GridFSBucketOptions.DefaultChunkSizeBytes, string name = "fs") =>
        new(Database, new GridFSBucketOptions { BucketName = name, ChunkSizeBytes = chunkSize });

    protected static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Client.DropDatabaseAsync(DatabaseName);
        await Client.DisposeAsync();
    }

    protected static async Task<ObjectId> UploadAsync(GridFSBucket bucket, string name, byte[] data, bool async) =>
        async ? await bucket.UploadFromBytesAsync(name, data) : bucket.UploadFromBytes(name, data);

    protected static async Task<byte[]> DownloadAsync(GridFSBucket bucket, BsonValue id, bool async) =>
        async ? await bucket.DownloadAsBytesAsync(id) : bucket.DownloadAsBytes(id);
}
