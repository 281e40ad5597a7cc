using Xunit;
using O = MongoDB.Bson;

namespace Mongo.Bson.Tests.Binary;

public class CodecTests
{
    private const int Seed = 20261125;

    [Fact]
    public void Every_type_round_trips()
    {
        BsonDocument doc = TestDocuments.EveryType();
        byte[] bytes = doc.ToBytes();
        BsonDocument back = BsonDocument.FromBytes(bytes);
        Assert.Equal(doc, back);
        Assert.Equal(bytes, back.ToBytes());
    }

    [Fact]
    public void Name_cache_never_confuses_similar_names()
    {
        // Names of every cached length that differ in a single byte at every position, looked up repeatedly
        // (so that hits, misses and evictions all happen).
        var names = new List<string>();
        for (int length = 1; length <= 40; length++)
        {
            string baseName = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + (i % 26))));
            names.Add(baseName);
            for (int at = 0; at < length; at++)
            {
                names.Add(baseName.Substring(0, at) + "Z" + baseName.Substring(at + 1));
            }
        }

        for (int round = 0; round < 3; round++)
        {
            foreach (string name in names)
            {
                Assert.Equal(name, Mongo.Bson.Internal.NameCache.Get(System.Text.Encoding.UTF8.GetBytes(name)));
            }
        }
    }

    [Fact]
    public void Duplicate_names_are_preserved_on_read()
    {
        var doc = new BsonDocument { { "a", 1 }, { "a", 2 } };
        BsonDocument back = BsonDocument.FromBytes(doc.ToBytes());
        Assert.Equal(2, back.ElementCount);
        Assert.Equal(1, back["a"].AsInt32);
        Assert.Equal(2, back[1].AsInt32);
    }

    [Fact]
    public void Reader_get_value_materialises_sub_documents_and_ends_on_their_end_token()
    {
        byte[] bytes = new BsonDocument { { "a", new BsonDocument("b", new BsonArray { 1, 2 }) }, { "c", "x" } }.ToBytes();
        var reader = new BsonReader(bytes);
        reader.Read();
        reader.Read();
        BsonValue value = reader.GetValue();
        Assert.Equal(new BsonDocument("b", new BsonArray { 1, 2 }), value);
        Assert.Equal(BsonTokenType.EndDocument, reader.TokenType);
        Assert.Equal(1, reader.CurrentDepth);
        reader.Read();
        Assert.Equal(new BsonString("x"), reader.GetValue());
    }

    [Fact]
    public void Writer_write_value_nests_documents_in_arrays()
    {
        using var writer = new BsonWriter();
        writer.WriteStartDocument();
        writer.WriteName("a");
        writer.WriteValue(new BsonArray { new BsonDocument("x", 1), new BsonArray { 2 } });
        writer.WriteEndDocument();
        Assert.Equal(new BsonDocument("a", new BsonArray { new BsonDocument("x", 1), new BsonArray { 2 } }), BsonDocument.FromBytes(writer.WrittenSpan));
    }

    [Fact]
    public void Random_documents_round_trip()
    {
        var random = new Random(Seed);
        for (int i = 0; i < 2000; i++)
        {
            BsonDocument doc = TestDocuments.RandomDocument(random, officialCompatible: false);
            byte[] bytes = doc.ToBytes();
            BsonDocument back = BsonDocument.FromBytes(bytes);
            Assert.True(doc.Equals(back), $"seed {Seed}, document {i}: {doc}");
            Assert.Equal(bytes, back.ToBytes());
        }
    }

    [Fact]
    public void Differential_against_official_library_bytes_and_values_agree()
    {
        var random = new Random(Seed);
        for (int i = 0; i < 3000; i++)
        {
            BsonDocument ours = TestDocuments.RandomDocument(random, maxDepth: 1 + (i % 5));
            O.BsonDocument theirs = TestDocuments.ToOfficial(ours);
            byte[] ourBytes = ours.ToBytes();
            byte[] theirBytes = TestDocuments.OfficialBytes(theirs);
            Assert.True(ourBytes.AsSpan().SequenceEqual(theirBytes), $"seed {Seed}, document {i}: encodings differ for {ours}");

            // Each side decodes the other's bytes to an equal value.
            BsonDocument decodedTheirs = BsonDocument.FromBytes(theirBytes);
            Assert.True(ours.Equals(decodedTheirs), $"seed {Seed}, document {i}: we decoded the official bytes differently");
            O.BsonDocument officialDecodedOurs = TestDocuments.OfficialDecode(ourBytes);
            Assert.True(ours.Equals(TestDocuments.FromOfficial(officialDecodedOurs)), $"seed {Seed}, document {i}: official decoded our bytes differently");
        }
    }

    [SkippableTheory]
    [InlineData("flat_bson.json")]
    [InlineData("deep_bson.json")]
    [InlineData("full_bson.json")]
    public void Benchmark_documents_decode_like_the_official_library(string file)
    {
        byte[]? bytes = BenchData.Load(file);
        Skip.If(bytes is null, "benchmark data (../shared/bench-data/extended_bson.tgz) not found");
        BsonDocument ours = BsonDocument.FromBytes(bytes);
        Assert.Equal(TestDocuments.FromOfficial(TestDocuments.OfficialDecode(bytes!)), ours);
        Assert.Equal(bytes, ours.ToBytes());
    }
}
