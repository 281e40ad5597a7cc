using Xunit;

namespace Mongo.Bson.Tests.Dom;

/// <summary>
/// The fast paths behind lazy decoding: the one-pass check of a large container must accept exactly what the
/// reader accepts (and report the reader's error), and strings of lazy containers, decoded on first use, must be
/// indistinguishable from decoded ones.
/// </summary>
public class LazyDecodeTests
{
    private static readonly string s_padding = new('p', Internal.BsonDecoder.EagerLimit);

    [Fact]
    public void Decode_of_a_corrupted_large_document_fails_exactly_as_the_reader_does()
    {
        var sample = new BsonDocument
        {
            ["s"] = "text é",
            ["i"] = 7,
            ["b"] = true,
            ["d"] = new BsonDocument { ["x"] = 2.5, ["n"] = BsonNull.Value, ["l"] = 5L },
            ["a"] = new BsonArray { 1, "two", new BsonDocument("y", false) },
            ["bin"] = new BsonBinaryData([1, 2, 3], BsonBinarySubType.OldBinary),
            ["re"] = new BsonRegularExpression("^a.*", "im"),
            ["code"] = new BsonJavaScriptWithScope("f()", new BsonDocument("k", new BsonArray { 1 })),
            ["ptr"] = new BsonDBPointer("db.c", ObjectId.GenerateNewId()),
            ["pad"] = s_padding,
        };
        byte[] bytes = sample.ToBytes();
        byte[] corrupt = new byte[bytes.Length];
        foreach (byte replacement in new byte[] { 0x00, 0x01, 0x02, 0x7F, 0x80, 0xFF })
        {
            for (int i = 0; i < bytes.Length - 300; i++)
            {
                bytes.CopyTo(corrupt, 0);
                corrupt[i] = replacement;
                string? expected = Outcome(() => Binary.ReaderTests.Drain(corrupt));
                string? actual = Outcome(() => BsonDocument.FromBytes(corrupt));
                Assert.True(expected == actual, $"byte {i} = 0x{replacement:X2}: reader {expected ?? "ok"}, decode {actual ?? "ok"}");
            }
        }
    }

    [Fact]
    public void Depth_limit_applies_to_large_documents_and_their_code_scopes()
    {
        var doc = new BsonDocument("pad", s_padding);
        var inner = doc;
        for (int i = 0; i < 5; i++)
        {
            var next = new BsonDocument("pad", s_padding);
            inner.Add("n", next);
            inner = next;
        }

        byte[] bson = doc.ToBytes();
        Assert.Equal(doc, BsonDocument.FromBytes(bson, new BsonReaderOptions { MaxDepth = 6 }));
        var ex = Assert.Throws<BsonFormatException>(() => BsonDocument.FromBytes(bson, new BsonReaderOptions { MaxDepth = 5 }));
        Assert.Equal("n.n.n.n.n", ex.Path);

        var scoped = new BsonDocument { ["pad"] = s_padding, ["js"] = new BsonJavaScriptWithScope("c", new BsonDocument("n", new BsonDocument("pad", s_padding))) };
        byte[] scopedBson = scoped.ToBytes();
        Assert.Equal(scoped, BsonDocument.FromBytes(scopedBson, new BsonReaderOptions { MaxDepth = 3 }));
        Assert.Throws<BsonFormatException>(() => BsonDocument.FromBytes(scopedBson, new BsonReaderOptions { MaxDepth = 2 }));
    }

    [Fact]
    public async Task Strings_of_a_lazy_document_read_concurrently_equal_the_originals()
    {
        string[] texts = ["", "ascii", "é ü 中文 𝄞", new string('x', 100)];
        var original = new BsonDocument("pad", s_padding);
        for (int i = 0; i < texts.Length; i++)
        {
            original.Add("s" + i, texts[i]);
        }

        for (int round = 0; round < 20; round++)
        {
            BsonDocument decoded = BsonDocument.FromBytes(original.ToBytes());
            using var start = new ManualResetEventSlim();
            Task[] readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                start.Wait();
                for (int i = 0; i < texts.Length; i++)
                {
                    BsonValue value = decoded["s" + i];
                    Assert.Equal(new BsonString(texts[i]).GetHashCode(), value.GetHashCode());
                    Assert.Equal(new BsonString(texts[i]), value);
                    Assert.Equal(texts[i], value.AsString);
                }
            })).ToArray();
            start.Set();
            await Task.WhenAll(readers);
            Assert.Equal(original.ToBytes(), decoded.ToBytes());
        }
    }

    private static string? Outcome(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (BsonFormatException ex)
        {
            return ex.Message;
        }
    }
}
