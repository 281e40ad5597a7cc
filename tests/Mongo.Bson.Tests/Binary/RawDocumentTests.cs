using Xunit;

namespace Mongo.Bson.Tests.Binary;

public class RawDocumentTests
{
    [Fact]
    public void Lookups_materialise_single_values_and_views_share_bytes()
    {
        var doc = new BsonDocument { { "a", 1 }, { "b", new BsonDocument { { "x", "y" }, { "z", new BsonArray { 1, 2 } } } }, { "a", 2 } };
        byte[] bytes = doc.ToBytes();
        var raw = new RawBsonDocument(bytes);
        Assert.Equal(3, raw.ElementCount);
        Assert.Equal(1, raw["a"].AsInt32);
        Assert.True(raw.Contains("b"));
        Assert.False(raw.Contains("x"));
        Assert.False(raw.TryGetValue("nope", out _));
        Assert.Throws<KeyNotFoundException>(() => raw["nope"]);
        Assert.Equal(doc["b"], raw["b"]);
        Assert.Equal(doc, raw.ToBsonDocument());
        Assert.Equal(doc.Elements, raw.ToList());

        Assert.True(raw.TryGetRawDocument("b", out RawBsonDocument? inner));
        Assert.Equal(2, inner!.ElementCount);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(inner.Bytes, out ArraySegment<byte> segment));
        Assert.Same(bytes, segment.Array);
        Assert.True(inner.TryGetRawDocument("z", out RawBsonDocument? array));
        Assert.Equal(2, array!.ElementCount);
        Assert.False(raw.TryGetRawDocument("a", out _));
    }

    [Fact]
    public void Construction_validates_the_whole_document()
    {
        byte[] bytes = new BsonDocument("a", new BsonDocument("b", true)).ToBytes();
        bytes[^3] = 7; // the boolean byte
        var ex = Assert.Throws<BsonFormatException>(() => new RawBsonDocument(bytes));
        Assert.Equal("a.b", ex.Path);
    }

    [Fact]
    public void Reader_get_raw_document_copies_from_spans_and_ends_on_the_end_token()
    {
        byte[] bytes = new BsonDocument { { "d", new BsonDocument("x", 1) }, { "after", 2 } }.ToBytes();
        var reader = new BsonReader(bytes.AsSpan());
        reader.Read();
        reader.Read();
        RawBsonDocument raw = reader.GetRawDocument();
        Assert.Equal(BsonTokenType.EndDocument, reader.TokenType);
        Assert.Equal(1, raw["x"].AsInt32);
        reader.Read();
        Assert.Equal(2, reader.GetInt32());
    }
}
