using Mongo.Bson.Internal;
using Mongo.Bson.Tests.Binary;
using Xunit;

namespace Mongo.Bson.Tests.Dom;

/// <summary><see cref="BsonDocument.GetEncodedSize"/> agrees with the encoder, and answers a still-encoded document from its bytes.</summary>
public class EncodedSizeTests
{
    [Fact]
    public void Every_type_sizes_as_it_encodes()
    {
        BsonDocument doc = TestDocuments.EveryType();
        doc.Add("old", new BsonBinaryData([1, 2, 3], BsonBinarySubType.OldBinary));
        doc.Add("code", new BsonJavaScriptWithScope("f()", new BsonDocument("é", "🌍")));
        doc.Add("pointer", new BsonDBPointer("db.coll", ObjectId.GenerateNewId()));
        doc.Add("symbol", new BsonSymbol("sym"));
        doc.Add("regex", new BsonRegularExpression("^a", "xi"));
        doc.Add("wide", new BsonArray(Enumerable.Range(0, 1234).Select(i => (BsonValue)i)));
        Assert.Equal(doc.ToBytes().Length, doc.GetEncodedSize());
    }

    [Fact]
    public void Still_encoded_document_answers_from_its_bytes_without_materialising()
    {
        var source = new BsonDocument { ["a"] = 1, ["pad"] = new string('p', 1000) };
        byte[] bytes = source.ToBytes();
        BsonDocument lazy = BsonDocument.FromBytes(bytes);
        Assert.Equal(bytes.Length, lazy.GetEncodedSize());
        Assert.False(lazy.UnmaterializedBytes.IsEmpty);

        // After an edit the size follows the elements, not the old bytes.
        lazy.Add("b", "more");
        Assert.Equal(lazy.ToBytes().Length, lazy.GetEncodedSize());
    }

    [Fact]
    public void Random_documents_size_as_they_encode_built_decoded_and_partly_materialised()
    {
        var random = new Random(99);
        for (int i = 0; i < 300; i++)
        {
            BsonDocument original = TestDocuments.RandomDocument(random, maxDepth: 5, officialCompatible: false);
            byte[] bytes = original.ToBytes();
            Assert.Equal(bytes.Length, original.GetEncodedSize());
            BsonDocument decoded = BsonDocument.FromBytes(bytes);
            Assert.Equal(bytes.Length, decoded.GetEncodedSize());
            if (decoded.ElementCount > 0)
            {
                _ = decoded[random.Next(decoded.ElementCount)];
            }

            Assert.Equal(bytes.Length, decoded.GetEncodedSize());
            BsonDecoder.MaterializeAll(decoded);
            Assert.Equal(bytes.Length, decoded.GetEncodedSize());
        }
    }

    [Fact]
    public void Sizes_beyond_the_writers_limit_are_reported()
    {
        var big = new BsonDocument { ["a"] = new string('x', 9_000_000), ["b"] = new string('y', 9_000_000) };
        Assert.True(big.GetEncodedSize() > BsonWriterOptions.DefaultMaxDocumentSize);
        Assert.Throws<BsonSizeException>(() => big.ToBytes());
    }
}
