using Mongo.Bson.Tests.Binary;
using Xunit;

namespace Mongo.Bson.Tests.Dom;

/// <summary>
/// Decoded documents and arrays materialise level by level from a private copy of their bytes; these tests pin
/// down that the laziness is invisible: same values, edits win over the bytes, errors surface at decode time.
/// </summary>
public class LazyDocumentTests
{
    // Containers above the eager limit stay encoded until used; the padding puts each one above it.
    private static readonly string s_padding = new('p', Internal.BsonDecoder.EagerLimit);

    private static readonly BsonDocument s_sample = new()
    {
        ["a"] = 1,
        ["nested"] = new BsonDocument { ["s"] = "text", ["deeper"] = new BsonDocument("x", 2.5), ["pad"] = s_padding },
        ["list"] = new BsonArray { 1, new BsonDocument("y", true), new BsonArray { "z" }, s_padding },
        ["code"] = new BsonJavaScriptWithScope("f()", new BsonDocument { ["k"] = new BsonArray { 7 }, ["pad"] = s_padding }),
        ["small"] = new BsonDocument("tiny", 1),
    };

    [Fact]
    public void Decoded_document_starts_encoded_and_materialises_one_level_at_a_time()
    {
        BsonDocument doc = BsonDocument.FromBytes(s_sample.ToBytes());
        Assert.False(doc.UnmaterializedBytes.IsEmpty);

        BsonDocument nested = doc["nested"].AsDocument;
        Assert.True(doc.UnmaterializedBytes.IsEmpty);
        Assert.False(nested.UnmaterializedBytes.IsEmpty);
        Assert.False(doc["list"].AsArray.UnmaterializedBytes.IsEmpty);

        Assert.True(doc["small"].AsDocument.UnmaterializedBytes.IsEmpty); // small: built with its parent

        Assert.Equal("text", nested["s"].AsString);
        Assert.False(nested.UnmaterializedBytes.IsEmpty); // a leading scalar is read from the bytes (LazyLookupTests)
        Assert.Equal(2.5, nested["deeper"].AsDocument["x"].AsDouble);
        Assert.True(nested.UnmaterializedBytes.IsEmpty);
        Assert.Equal(s_sample, doc);
    }

    [Fact]
    public void Small_documents_are_decoded_at_once()
    {
        BsonDocument doc = BsonDocument.FromBytes(new BsonDocument("a", new BsonDocument("b", 1)).ToBytes());
        Assert.True(doc.UnmaterializedBytes.IsEmpty);
        Assert.True(doc["a"].AsDocument.UnmaterializedBytes.IsEmpty);
    }

    [Fact]
    public void Untouched_document_reencodes_to_the_same_bytes_as_a_materialised_one()
    {
        byte[] bytes = s_sample.ToBytes();
        BsonDocument untouched = BsonDocument.FromBytes(bytes);
        BsonDocument touched = BsonDocument.FromBytes(bytes);
        Walk(touched);

        Assert.Equal(bytes, untouched.ToBytes());
        Assert.Equal(bytes, touched.ToBytes());
        Assert.Equal(bytes, new BsonDocument("wrapped", untouched).ToBytes().AsSpan(4 + 1 + 8, bytes.Length).ToArray());
    }

    [Fact]
    public void Edits_to_nested_documents_and_arrays_are_encoded_not_the_original_bytes()
    {
        BsonDocument doc = BsonDocument.FromBytes(s_sample.ToBytes());
        doc["nested"].AsDocument["deeper"].AsDocument.Set("x", 99);
        doc["list"].AsArray.Add("appended");
        ((BsonJavaScriptWithScope)doc["code"]).Scope.Add("added", 1);

        BsonDocument again = BsonDocument.FromBytes(doc.ToBytes());
        Assert.Equal(99, again["nested"].AsDocument["deeper"].AsDocument["x"].AsInt32);
        Assert.Equal("appended", again["list"].AsArray[4].AsString);
        Assert.Equal(1, ((BsonJavaScriptWithScope)again["code"]).Scope["added"].AsInt32);
        Assert.Equal(doc, again);
    }

    [Fact]
    public void Decoded_document_does_not_alias_the_callers_buffer()
    {
        byte[] bytes = s_sample.ToBytes();
        BsonDocument doc = BsonDocument.FromBytes(bytes);
        Array.Clear(bytes);

        Assert.Equal(s_sample, doc);
    }

    [Fact]
    public void Invalid_bytes_deep_inside_fail_at_decode_with_offset_and_path()
    {
        byte[] bytes = new BsonDocument("outer", new BsonDocument("inner", "abc")).ToBytes();
        int offset = bytes.AsSpan().IndexOf("abc"u8);
        bytes[offset + 1] = 0xFF; // invalid UTF-8 in a string two levels down

        var ex = Assert.Throws<BsonFormatException>(() => BsonDocument.FromBytes(bytes));
        Assert.Equal("outer.inner", ex.Path);
        Assert.NotNull(ex.ByteOffset);
    }

    [Fact]
    public void Invalid_bytes_inside_an_embedded_value_fail_in_GetValue()
    {
        byte[] bytes = new BsonDocument("outer", new BsonArray { new BsonDocument("b", true) }).ToBytes();
        int offset = bytes.AsSpan().LastIndexOf((byte)0x01); // the boolean's value byte
        bytes[offset] = 2;

        var reader = new BsonReader(bytes);
        reader.Read();
        reader.Read();
        try
        {
            reader.GetValue();
            Assert.Fail("an invalid boolean must be reported when the embedded value is decoded");
        }
        catch (BsonFormatException ex)
        {
            Assert.Contains("outer", ex.Path);
        }
    }

    [Fact]
    public void GetValue_on_an_embedded_container_leaves_the_reader_on_its_end_token()
    {
        byte[] bytes = s_sample.ToBytes();
        var reader = new BsonReader(bytes);
        reader.Read();
        reader.Read(); // a
        reader.Read(); // nested (start)
        BsonValue nested = reader.GetValue();
        Assert.Equal(BsonTokenType.EndDocument, reader.TokenType);
        Assert.Equal(s_sample["nested"], nested);
        Assert.True(reader.Read());
        Assert.Equal("list", reader.GetName());
        BsonValue list = reader.GetValue();
        Assert.Equal(BsonTokenType.EndArray, reader.TokenType);
        Assert.Equal(s_sample["list"], list);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Array_keys_that_are_not_indexes_are_renumbered_even_when_untouched(bool large)
    {
        // { a: { "x": 1, "7": 2 [, "2": padding] } } with the container typed as an array.
        byte[] padding = large ? Bytes.Element(0x02, "2", Bytes.Str(s_padding)) : [];
        byte[] bytes = Bytes.Doc(Bytes.Element(0x04, "a", Bytes.Doc(
            Bytes.Element(0x10, "x", Bytes.Int32(1)),
            Bytes.Element(0x10, "7", Bytes.Int32(2)),
            padding)));
        BsonDocument doc = BsonDocument.FromBytes(bytes);

        var array = new BsonArray { 1, 2 };
        if (large)
        {
            array.Add(s_padding);
        }

        Assert.Equal(new BsonDocument("a", array).ToBytes(), doc.ToBytes());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Unsorted_regex_options_are_sorted_even_when_untouched(bool large)
    {
        byte[] padding = large ? Bytes.Element(0x02, "pad", Bytes.Str(s_padding)) : [];
        byte[] bytes = Bytes.Doc(Bytes.Element(0x03, "d", Bytes.Doc(
            Bytes.Element(0x0B, "r", [.. "ab"u8, 0, .. "xmi"u8, 0]),
            padding)));
        BsonDocument doc = BsonDocument.FromBytes(bytes);

        var inner = new BsonDocument("r", new BsonRegularExpression("ab", "imx"));
        if (large)
        {
            inner.Add("pad", s_padding);
        }

        Assert.Equal(new BsonDocument("d", inner).ToBytes(), doc.ToBytes());
    }

    [Fact]
    public void DeepClone_of_an_untouched_document_is_independent()
    {
        BsonDocument doc = BsonDocument.FromBytes(s_sample.ToBytes());
        var clone = (BsonDocument)doc.DeepClone();
        clone["nested"].AsDocument.Set("s", "changed");
        doc["list"].AsArray.Clear();

        Assert.Equal("text", doc["nested"].AsDocument["s"].AsString);
        Assert.Equal(4, clone["list"].AsArray.Count);
    }

    [Fact]
    public async Task Concurrent_readers_of_one_decoded_document_all_see_the_same_values()
    {
        var random = new Random(1234);
        for (int round = 0; round < 50; round++)
        {
            BsonDocument expected = TestDocuments.RandomDocument(random, maxDepth: 5, officialCompatible: false).Add("pad", s_padding);
            BsonDocument shared = BsonDocument.FromBytes(expected.ToBytes());
            using var start = new ManualResetEventSlim();
            Task[] readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                start.Wait();
                Assert.Equal(expected, shared);
                Assert.Equal(expected.ToBytes(), shared.ToBytes());
            })).ToArray();
            start.Set();
            await Task.WhenAll(readers);
        }
    }

    [Fact]
    public void Random_documents_survive_decode_partial_touch_and_reencode()
    {
        var random = new Random(42);
        for (int i = 0; i < 500; i++)
        {
            BsonDocument original = TestDocuments.RandomDocument(random, maxDepth: 5, officialCompatible: false);
            if (i % 2 == 0)
            {
                // Over the eager limit: every value below is materialised from the private copy, unvalidated.
                original.Add("pad", s_padding);
            }

            byte[] bytes = original.ToBytes();
            BsonDocument decoded = BsonDocument.FromBytes(bytes);
            if (decoded.ElementCount > 0 && random.Next(2) == 0)
            {
                _ = decoded[random.Next(decoded.ElementCount)]; // materialise one level only
            }

            Assert.True(bytes.AsSpan().SequenceEqual(decoded.ToBytes()), $"seed 42, document {i}");
            Assert.Equal(original, decoded);
        }
    }

    private static void Walk(BsonValue value) => Internal.BsonDecoder.MaterializeAll(value);
}
