using Mongo.Bson;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Api;

/// <summary>
/// Typed and BsonDocument cursors read large getMore replies in the connection's pooled receive buffer instead of a
/// copy: what they hand out must stay right after the buffer serves the next reply.
/// </summary>
public sealed class LeasedBatchTests(MongoServerFixture server) : ServerClientTestBase(server)
{
    private const int Count = 3_000;

    private async Task<MongoCollection<LeasedDoc>> SeedAsync(string name)
    {
        var collection = Client.GetDatabase("driver_api_leased").GetCollection<LeasedDoc>(name);
        await collection.Database.DropCollectionAsync(name);
        // ~1 KB each, so every getMore reply is far above the size a connection keeps (64 KiB) and is leased.
        await collection.InsertManyAsync(Enumerable.Range(0, Count).Select(i => new LeasedDoc
        {
            N = i,
            Text = new string((char)('a' + (i % 26)), 1000),
            Extra = new RawBsonDocument(new BsonDocument("n", i).ToBytes()),
        }));
        return collection;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Typed_reads_over_many_large_batches_decode_every_document(bool async)
    {
        var collection = await SeedAsync("all_" + async);
        var options = new FindOptions { Sort = new BsonDocument("N", 1), BatchSize = 500 };
        List<LeasedDoc> list = async ? await collection.Find(Filter.Empty, options).ToListAsync() : collection.Find(Filter.Empty, options).ToList();
        Assert.Equal(Count, list.Count);
        for (int i = 0; i < Count; i++)
        {
            Assert.Equal(i, list[i].N);
            Assert.Equal(new string((char)('a' + (i % 26)), 1000), list[i].Text);
            // An embedded raw document is copied out of the pooled buffer, not left pointing into it.
            Assert.Equal(i, list[i].Extra!["n"].AsInt32);
        }

        int seen = 0;
        await foreach (var doc in collection.Find(Filter.Empty, options))
        {
            Assert.Equal(seen++, doc.N);
        }

        Assert.Equal(Count, seen);
    }

    [Fact]
    public async Task Raw_batches_a_caller_keeps_stay_valid_after_the_cursor_moves_on()
    {
        var collection = await SeedAsync("raw");
        using var cursor = await collection.Find(Filter.Empty, new FindOptions { Sort = new BsonDocument("N", 1), BatchSize = 400 }).ToCursorAsync();
        var kept = new List<ReadOnlyMemory<byte>>();
        var decoded = new List<LeasedDoc>();
        while (await cursor.MoveNextBatchAsync())
        {
            decoded.AddRange(cursor.CurrentBatch);
            kept.AddRange(cursor.CurrentRawBatch);
        }

        Assert.Equal(Count, kept.Count);
        for (int i = 0; i < Count; i++)
        {
            var doc = BsonDocument.FromBytes(kept[i].Span);
            Assert.Equal(i, doc["N"].AsInt32);
            Assert.Equal(i, decoded[i].N);
        }

        // Asking for the raw batch before the first move must not lose the first batch waiting in the buffer.
        using var early = await collection.Find(Filter.Empty, new FindOptions { Sort = new BsonDocument("N", 1), BatchSize = 400 }).ToCursorAsync();
        Assert.Empty(early.CurrentRawBatch);
        var all = await early.ToListAsync();
        Assert.Equal(Enumerable.Range(0, Count), all.Select(d => d.N));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Untyped_documents_stay_right_after_their_reply_buffer_serves_later_replies(bool async)
    {
        // BsonDocument results are decoded from the leased receive buffer, which returns to the pool and takes the
        // later replies: the documents must own everything they keep (small levels decoded, large ones copied).
        await SeedAsync("untyped_" + async);
        var collection = Client.GetDatabase("driver_api_leased").GetCollection("untyped_" + async);
        var options = new FindOptions { Sort = new BsonDocument("N", 1), BatchSize = 700 };
        List<BsonDocument> kept = async ? await collection.Find(Filter.Empty, options).ToListAsync() : collection.Find(Filter.Empty, options).ToList();
        Assert.Equal(Count, kept.Count);
        for (int round = 0; round < 3; round++)
        {
            var descending = new FindOptions { Sort = new BsonDocument("N", -1), BatchSize = 900 };
            var other = async ? await collection.Find(Filter.Empty, descending).ToListAsync() : collection.Find(Filter.Empty, descending).ToList();
            Assert.Equal(Count - 1, other[0]["N"].AsInt32);
        }

        for (int i = 0; i < Count; i++)
        {
            Assert.Equal(i, kept[i]["N"].AsInt32);
            Assert.Equal(new string((char)('a' + (i % 26)), 1000), kept[i]["Text"].AsString);
        }
    }

    [Fact]
    public void Only_serializers_whose_results_own_their_bytes_read_leased_replies()
    {
        Assert.True(new Util.DocumentCodec<BsonDocument>(BsonSerializerRegistry.Default).CanDecodeLeased);
        Assert.True(new Util.DocumentCodec<LeasedDoc>(BsonSerializerRegistry.Default).CanDecodeLeased);
        Assert.False(new Util.DocumentCodec<RawBsonDocument>(BsonSerializerRegistry.Default).CanDecodeLeased);
    }

    [Fact]
    public async Task Breaking_out_early_and_disposing_is_clean()
    {
        var collection = await SeedAsync("early");
        var options = new FindOptions { Sort = new BsonDocument("N", 1), BatchSize = 300 };
        for (int round = 0; round < 3; round++)
        {
            int taken = 0;
            foreach (var doc in collection.Find(Filter.Empty, options).ToEnumerable())
            {
                Assert.Equal(taken, doc.N);
                if (++taken == 450)
                {
                    break; // in the middle of the second (leased) batch
                }
            }
        }

        // The connections and buffers are fine for the next query.
        Assert.Equal(Count, (await collection.Find(Filter.Empty, options).ToListAsync()).Count);
    }
}

/// <summary>A document with a raw embedded document, the one member kind that could alias the reply bytes.</summary>
public sealed class LeasedDoc
{
    public ObjectId Id { get; set; }

    public int N { get; set; }

    public string Text { get; set; } = "";

    public RawBsonDocument? Extra { get; set; }
}
