using Mongo.Bson;
using Mongo.InMemory.Wire;
using Xunit;

namespace Mongo.InMemory.Tests;

/// <summary>
/// The reply encoder lays out the envelope of a reply itself and copies stored documents' bytes into the pooled
/// buffer; whatever it writes must be byte for byte what Mongo.Bson's writer writes for the same DOM.
/// </summary>
public sealed class ReplyEncoderTests
{
    private static readonly BsonWriterOptions s_options = new() { MaxDocumentSize = 48 * 1024 * 1024 };

    private static BsonDocument Stored(string json) => BsonDocument.FromBytes(BsonDocument.Parse(json).ToBytes());

    private static byte[] Encode(BsonDocument document, BsonWriterOptions? options = null)
    {
        using var output = new PooledBuffer(initialCapacity: 16);
        output.Write([1, 2, 3]); // the encoder appends: a message header precedes the body
        ReplyEncoder.Write(output, document, options ?? s_options);
        Assert.Equal([1, 2, 3], output.WrittenSpan[..3].ToArray());
        return output.WrittenSpan[3..].ToArray();
    }

    [Fact]
    public void Cursor_reply_of_stored_materialised_and_mixed_documents_matches_the_writer()
    {
        var stored = Stored("""{ "_id": 1, "text": "héllo 🌍", "nested": { "a": [1, 2, { "b": null }] } }""");
        var materialised = Stored("""{ "_id": 2, "x": 1.5 }""");
        _ = materialised["x"]; // reading a field materialises it: it is encoded, not copied
        var built = new BsonDocument { { "_id", 3 }, { "when", new BsonDateTime(1_700_000_000_000) }, { "deep", new BsonDocument("d", new BsonArray { new BsonArray { 1 } }) } };
        var batch = new BsonArray { stored, materialised, built, Stored("""{ "_id": 4, "list": [1, 2, 3] }""")["list"] };
        var reply = new BsonDocument
        {
            { "cursor", new BsonDocument { { "nextBatch", batch }, { "id", new BsonInt64(123456789012) }, { "ns", "db.coll" } } },
            { "ok", 1.0 },
            { "$clusterTime", new BsonDocument { { "clusterTime", new BsonTimestamp(5, 6) }, { "signature", new BsonDocument { { "hash", new BsonBinaryData(new byte[20]) }, { "keyId", 0L } } } } },
            { "operationTime", new BsonTimestamp(5, 6) },
        };

        Assert.Equal(reply.ToBytes(), Encode(reply));
        Assert.Equal(BsonSize(reply), Encode(reply).Length);
    }

    [Fact]
    public void Arrays_of_scalars_and_arrays_and_stored_arrays_match_the_writer()
    {
        var storedArray = Stored("""{ "a": [ "x", { "y": 1 }, [2] ] }""")["a"];
        var reply = new BsonDocument
        {
            { "scalars", new BsonArray { 1, "two", 3.0, true, BsonNull.Value, new BsonInt64(4), new ObjectId("0123456789abcdef01234567") } },
            { "arrays", new BsonArray { new BsonArray { 1, new BsonArray { 2 } }, storedArray, new BsonArray() } },
            { "many", new BsonArray(Enumerable.Range(0, 1200).Select(i => (BsonValue)new BsonDocument("i", i))) },
            { "empty", new BsonDocument() },
            { "stored", Stored("""{ "k": "v" }""") },
            { "regex", new BsonRegularExpression("^a", "i") },
        };

        Assert.Equal(reply.ToBytes(), Encode(reply));
    }

    [Fact]
    public void Top_level_stored_document_is_copied_as_it_is()
    {
        var stored = Stored("""{ "a": 1, "b": [1, 2] }""");
        Assert.Equal(stored.ToBytes(), Encode(stored));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Names_with_NUL_are_refused_at_every_level(int level)
    {
        const string bad = "a\0b";
        BsonDocument inner = level == 3 ? new BsonDocument(bad, 1) : new BsonDocument("ok", 1);
        var batch = new BsonArray { inner };
        BsonDocument cursor = level == 2 ? new BsonDocument { { "firstBatch", batch }, { bad, 1 } } : new BsonDocument("firstBatch", batch);
        BsonDocument reply = level == 1 ? new BsonDocument { { "cursor", cursor }, { bad, new BsonDocument() } } : new BsonDocument("cursor", cursor);
        if (level == 0)
        {
            reply.Add(bad, 1);
        }

        Assert.ThrowsAny<BsonException>(() => Encode(reply));
    }

    [Fact]
    public void Names_that_are_not_valid_UTF16_are_refused()
    {
        var reply = new BsonDocument { { "cursor", new BsonDocument("x\uD800", new BsonArray()) } };
        Assert.ThrowsAny<BsonException>(() => Encode(reply));
    }

    [Fact]
    public void A_reply_over_the_size_limit_is_refused()
    {
        var big = Stored("{ \"s\": \"" + new string('x', 4000) + "\" }");
        var reply = new BsonDocument("cursor", new BsonDocument("firstBatch", new BsonArray { big, big, big }));
        Assert.Throws<BsonSizeException>(() => Encode(reply, new BsonWriterOptions { MaxDocumentSize = 10_000 }));
        Assert.Equal(reply.ToBytes(), Encode(reply, new BsonWriterOptions { MaxDocumentSize = 13_000 }));
    }

    private static long BsonSize(BsonDocument document) => document.GetEncodedSize();
}
