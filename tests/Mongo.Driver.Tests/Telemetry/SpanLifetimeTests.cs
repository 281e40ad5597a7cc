using System.Diagnostics;
using Mongo.Bson;
using Mongo.GridFS;
using Mongo.InMemory;
using Xunit;

namespace Mongo.Driver.Tests.Telemetry;

/// <summary>
/// Spans that outlive the call that opened them: a GridFS upload or download stream is one span until it is completed,
/// aborted or disposed; a transaction the application never ends still ends its span.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class SpanLifetimeTests
{
    private static byte[] Data(int length)
    {
        byte[] data = new byte[length];
        new Random(11).NextBytes(data);
        return data;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_upload_stream_is_one_span_until_completed_with_its_chunk_inserts_as_children(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new SpanRecorder();
        string database = "spans_upload_stream_" + async;
        await using (var client = new MongoClient(server.ConnectionString))
        {
            // 1 KiB chunks: a batch (a pooled buffer of at least 16 chunks) fills while writing 40 KiB, so there are chunk
            // inserts while the application writes and one more at completion.
            var bucket = new GridFSBucket(client.GetDatabase(database), new GridFSBucketOptions { ChunkSizeBytes = 1024 });
            await using GridFSUploadStream upload = async ? await bucket.OpenUploadStreamAsync("file") : bucket.OpenUploadStream("file");
            Assert.Null(Activity.Current); // the stream's span is not left current between calls
            byte[] data = Data(40 * 1024);
            for (int offset = 0; offset < data.Length; offset += 4096)
            {
                if (async)
                {
                    await upload.WriteAsync(data.AsMemory(offset, 4096));
                }
                else
                {
                    upload.Write(data, offset, 4096);
                }
            }

            Assert.DoesNotContain(spans.Stopped, s => s.DisplayName == "upload " + database + ".fs.files"); // open while the application writes
            if (async)
            {
                await upload.CompleteAsync();
            }
            else
            {
                upload.Complete();
            }

            Assert.Equal(data, await bucket.DownloadAsBytesAsync(upload.Id));
        }

        Activity span = Assert.Single(spans.Operations(database), a => a.DisplayName == "upload " + database + ".fs.files");
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal("upload " + database + ".fs.files", span.GetTagItem("db.operation.summary"));
        List<Activity> commands = spans.ChildrenOf(span);
        Assert.All(commands, c => SpanRecorder.AssertCommandOf(span, c, c.DisplayName));
        Assert.True(commands.Count(c => c.DisplayName == "insert" && (string?)c.GetTagItem("db.collection.name") == "fs.chunks") >= 2);
        Assert.Equal("insert", commands[^1].DisplayName);
        Assert.Equal("fs.files", commands[^1].GetTagItem("db.collection.name"));
        Assert.Contains(commands, c => (string?)c.GetTagItem("db.collection.name") == "fs.files" && c.DisplayName == "find"); // the index check

        // No other operation span for what the stream sent.
        Assert.Equal(["upload " + database + ".fs.files", "download " + database + ".fs.files"], spans.Operations(database).OrderBy(a => a.StartTimeUtc).Select(a => a.DisplayName));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task An_upload_stream_aborted_or_disposed_uncompleted_ends_its_span_as_aborted(bool async, bool explicitAbort)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new SpanRecorder();
        string database = "spans_upload_abort_" + async + explicitAbort;
        await using (var client = new MongoClient(server.ConnectionString))
        {
            var bucket = new GridFSBucket(client.GetDatabase(database), new GridFSBucketOptions { ChunkSizeBytes = 1024 });
            GridFSUploadStream upload = async ? await bucket.OpenUploadStreamAsync("file") : bucket.OpenUploadStream("file");
            byte[] data = Data(64 * 1024);
            upload.Write(data, 0, data.Length); // more than a batch: chunks inserted
            if (explicitAbort)
            {
                if (async)
                {
                    await upload.AbortAsync();
                }
                else
                {
                    upload.Abort();
                }

                Assert.Single(spans.Operations(database), a => a.DisplayName == "upload " + database + ".fs.files");
            }

            if (async)
            {
                await upload.DisposeAsync();
            }
            else
            {
                upload.Dispose();
            }
        }

        Activity span = Assert.Single(spans.Operations(database), a => a.DisplayName == "upload " + database + ".fs.files");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("aborted", span.GetTagItem("error.type"));
        Assert.DoesNotContain(span.Events, e => e.Name == "exception"); // nothing was thrown
        List<Activity> commands = spans.ChildrenOf(span);
        Assert.Contains(commands, c => c.DisplayName == "insert");
        Assert.Equal("delete", commands[^1].DisplayName); // the written chunks removed, under the upload's span
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_download_stream_is_one_span_until_disposed_with_its_chunk_reads_as_children(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new SpanRecorder();
        string database = "spans_download_stream_" + async;
        byte[] data = Data(8 * 1024 * 1024 / 4);
        await using (var client = new MongoClient(server.ConnectionString))
        {
            // 255 KiB chunks, 1 MiB per batch: a 2 MiB file needs the find and a getMore.
            var bucket = new GridFSBucket(client.GetDatabase(database));
            ObjectId id = bucket.UploadFromBytes("file", data);
            GridFSDownloadStream download = async ? await bucket.OpenDownloadStreamByNameAsync("file") : bucket.OpenDownloadStream(id);
            byte[] read = new byte[data.Length];
            int total = 0;
            while (total < read.Length)
            {
                int n = async ? await download.ReadAsync(read.AsMemory(total)) : download.Read(read, total, read.Length - total);
                Assert.True(n > 0);
                total += n;
            }

            Assert.Equal(data, read);
            Assert.Null(Activity.Current);
            Assert.DoesNotContain(spans.Stopped, s => s.DisplayName == "download " + database + ".fs.files"); // open until the stream is disposed
            if (async)
            {
                await download.DisposeAsync();
            }
            else
            {
                download.Dispose();
            }
        }

        Activity span = Assert.Single(spans.Operations(database), a => a.DisplayName == "download " + database + ".fs.files");
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        List<Activity> commands = spans.ChildrenOf(span);
        Assert.All(commands, c => SpanRecorder.AssertCommandOf(span, c, c.DisplayName));
        Assert.Equal("fs.files", commands[0].GetTagItem("db.collection.name")); // the files document's find
        Assert.Contains(commands, c => c.DisplayName == "find" && (string?)c.GetTagItem("db.collection.name") == "fs.chunks");
        Assert.Contains(commands, c => c.DisplayName == "getMore");
        Assert.Equal(["upload " + database + ".fs.files", "download " + database + ".fs.files"], spans.Operations(database).OrderBy(a => a.StartTimeUtc).Select(a => a.DisplayName));
    }

    [Fact]
    public async Task A_download_stream_whose_file_is_missing_a_chunk_ends_its_span_with_the_error()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new SpanRecorder();
        const string database = "spans_download_broken";
        await using (var client = new MongoClient(server.ConnectionString))
        {
            var bucket = new GridFSBucket(client.GetDatabase(database), new GridFSBucketOptions { ChunkSizeBytes = 1024 });
            ObjectId id = bucket.UploadFromBytes("file", Data(4096));
            client.GetDatabase(database).GetCollection("fs.chunks").DeleteOne(new BsonDocument { { "files_id", id }, { "n", 0 } });
            using GridFSDownloadStream download = bucket.OpenDownloadStream(id);
            Assert.Throws<GridFSChunkException>(() => download.Read(new byte[4096], 0, 4096));
        }

        Activity span = Assert.Single(spans.Operations(database), a => a.DisplayName == "download " + database + ".fs.files");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(GridFSChunkException).FullName, span.GetTagItem("error.type"));
        Assert.Single(span.Events, e => e.Name == "exception");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_transaction_left_open_ends_its_span_as_abandoned_when_the_session_is_disposed(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        using var spans = new SpanRecorder();
        string database = "spans_txn_abandoned_" + async;
        await using (var client = new MongoClient(server.ConnectionString))
        {
            MongoCollection<BsonDocument> people = client.GetDatabase(database).GetCollection("people");
            await people.InsertOneAsync(new BsonDocument("_id", 0));
            MongoSession session = client.StartSession();
            session.StartTransaction();
            await people.WithSession(session).InsertOneAsync(new BsonDocument("_id", 1));
            Assert.DoesNotContain(spans.Stopped, s => s.DisplayName == "transaction" && spans.ChildrenOf(s).Count > 0);
            if (async)
            {
                await session.DisposeAsync();
            }
            else
            {
                session.Dispose();
            }

            Assert.Equal(1, await people.CountDocumentsAsync(FilterDefinition.Empty)); // aborted, as before
        }

        Activity transaction = Assert.Single(spans.Stopped, s => s.DisplayName == "transaction" && spans.ChildrenOf(s).Any(c => (string?)c.GetTagItem("db.namespace") == database));
        Assert.Equal(ActivityStatusCode.Error, transaction.Status);
        Assert.Equal("abandoned", transaction.GetTagItem("error.type"));
        Assert.Single(transaction.Events, e => e.Name == "mongodb.transaction.abandoned");
        Assert.Equal(["insert " + database + ".people", "abortTransaction admin"], spans.ChildrenOf(transaction).Select(o => o.DisplayName));
    }

    [Fact]
    public async Task A_transaction_whose_session_is_never_disposed_ends_its_span_after_the_limit()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        using var spans = new SpanRecorder();
        const string database = "spans_txn_forgotten";
        TimeSpan limit = MongoSession.AbandonedTransactionLimit;
        MongoSession.AbandonedTransactionLimit = TimeSpan.FromMilliseconds(200);
        try
        {
            await using var client = new MongoClient(server.ConnectionString);
            MongoCollection<BsonDocument> people = client.GetDatabase(database).GetCollection("people");
            await people.InsertOneAsync(new BsonDocument("_id", 0));
            MongoSession forgotten = client.StartSession();
            forgotten.StartTransaction();
            await people.WithSession(forgotten).InsertOneAsync(new BsonDocument("_id", 1));

            // Polled with a generous bound: the timer fires on a loaded machine whenever it can.
            Activity? transaction = null;
            for (int i = 0; i < 300 && transaction is null; i++)
            {
                transaction = spans.Stopped.FirstOrDefault(s => s.DisplayName == "transaction" && spans.ChildrenOf(s).Any(c => (string?)c.GetTagItem("db.namespace") == database));
                if (transaction is null)
                {
                    await Task.Delay(100);
                }
            }

            Assert.NotNull(transaction);
            Assert.Equal(ActivityStatusCode.Error, transaction.Status);
            Assert.Single(transaction.Events, e => e.Name == "mongodb.transaction.abandoned");
            GC.KeepAlive(forgotten);
        }
        finally
        {
            MongoSession.AbandonedTransactionLimit = limit;
        }
    }
}
