using Mongo.Bson.Internal;
using Mongo.Bson.Tests.Binary;
using Xunit;

namespace Mongo.Bson.Tests.Dom;

/// <summary>
/// Lookups by name on a still-encoded document read a scalar among its first elements from the bytes (a stored
/// document's _id) instead of materialising it; these tests pin that the answers are those of the materialised
/// document and that containers are never handed out detached from it.
/// </summary>
public class LazyLookupTests
{
    private static readonly string s_padding = new('p', BsonDecoder.EagerLimit);

    private static BsonDocument Lazy(BsonDocument source)
    {
        BsonDocument decoded = BsonDocument.FromBytes(source.ToBytes());
        Assert.False(decoded.UnmaterializedBytes.IsEmpty);
        return decoded;
    }

    private static BsonDocument Wide(int fields)
    {
        var doc = new BsonDocument { ["_id"] = new ObjectId("0123456789abcdef01234567") };
        for (int i = 1; i < fields; i++)
        {
            doc.Add("f" + i, "value " + i + s_padding[..10]);
        }

        return doc.Add("pad", s_padding);
    }

    [Fact]
    public void Leading_scalar_is_read_from_the_bytes_without_materialising()
    {
        BsonDocument doc = Lazy(Wide(1000));
        Assert.Equal(new ObjectId("0123456789abcdef01234567"), doc["_id"].AsObjectId);
        Assert.Equal(0, doc.IndexOfName("_id"));
        Assert.Equal(5, doc.IndexOfName("f5"));
        Assert.True(doc.Contains("f15"));
        Assert.Equal("value 3pppppppppp", doc.GetValueOrDefault("f3")!.AsString);
        Assert.False(doc.UnmaterializedBytes.IsEmpty);
    }

    [Fact]
    public void Name_beyond_the_peeked_elements_materialises_and_is_found()
    {
        BsonDocument doc = Lazy(Wide(1000));
        Assert.Equal("value 500pppppppppp", doc["f500"].AsString);
        Assert.True(doc.UnmaterializedBytes.IsEmpty);
        Assert.Equal(999, doc.IndexOfName("f999"));
    }

    [Fact]
    public void Absent_name_in_a_short_document_is_answered_from_the_bytes()
    {
        BsonDocument doc = Lazy(new BsonDocument { ["a"] = 1, ["pad"] = s_padding });
        Assert.False(doc.TryGetValue("missing", out _));
        Assert.Equal(-1, doc.IndexOfName("missing"));
        Assert.False(doc.UnmaterializedBytes.IsEmpty);

        // In a long document an absent name needs every element: the level is materialised and indexed.
        BsonDocument wide = Lazy(Wide(100));
        Assert.False(wide.Contains("missing"));
        Assert.True(wide.UnmaterializedBytes.IsEmpty);
    }

    [Fact]
    public void Container_lookup_materialises_so_edits_reach_the_document()
    {
        BsonDocument doc = Lazy(new BsonDocument { ["sub"] = new BsonDocument("x", 1), ["list"] = new BsonArray { 1 }, ["pad"] = s_padding });
        Assert.Equal(0, doc.IndexOfName("sub")); // the position alone hands nothing out
        Assert.False(doc.UnmaterializedBytes.IsEmpty);

        BsonDocument sub = doc["sub"].AsDocument;
        Assert.True(doc.UnmaterializedBytes.IsEmpty);
        Assert.Same(sub, doc["sub"]);
        sub.Add("y", 2);
        doc["list"].AsArray.Add(2);
        BsonDocument again = BsonDocument.FromBytes(doc.ToBytes());
        Assert.Equal(2, again["sub"].AsDocument["y"].AsInt32);
        Assert.Equal(2, again["list"].AsArray.Count);
    }

    [Fact]
    public void Duplicate_names_give_the_first_as_the_materialised_lookup_does()
    {
        var source = new BsonDocument().Add("a", 1).Add("a", 2).Add("pad", s_padding).Add("a", 3);
        Assert.Equal(1, Lazy(source)["a"].AsInt32);
        Assert.Equal(0, Lazy(source).IndexOfName("a"));
    }

    [Fact]
    public void Set_on_a_still_encoded_document_replaces_the_peeked_element()
    {
        BsonDocument doc = Lazy(Wide(50));
        doc.Set("f2", "changed");
        Assert.Equal("changed", doc["f2"].AsString);
        Assert.Equal(2, doc.IndexOfName("f2"));
        Assert.Equal(51, doc.ElementCount);
    }

    [Fact]
    public void Non_ascii_names_match_by_their_utf8_and_unpaired_surrogates_never_match_a_replacement_character()
    {
        BsonDocument doc = Lazy(new BsonDocument { ["é🌍"] = 1, ["\uFFFD"] = 2, ["pad"] = s_padding });
        Assert.Equal(1, doc["é🌍"].AsInt32);
        Assert.Equal(2, doc["\uFFFD"].AsInt32);
        Assert.False(doc.Contains("\uD800"));
        Assert.False(doc.Contains(new string('x', 200))); // too long to compare as bytes: the materialised lookup answers
    }

    [Fact]
    public void Random_documents_answer_every_lookup_as_their_materialised_twin()
    {
        var random = new Random(2026);
        for (int i = 0; i < 300; i++)
        {
            BsonDocument original = TestDocuments.RandomDocument(random, maxDepth: 3, officialCompatible: false).Add("pad", s_padding);
            byte[] bytes = original.ToBytes();
            BsonDocument materialised = BsonDocument.FromBytes(bytes);
            BsonDecoder.MaterializeAll(materialised);
            var names = materialised.Names.Append("not there").Append(TestDocuments.RandomName(random)).ToList();
            foreach (string name in names)
            {
                BsonDocument lazy = BsonDocument.FromBytes(bytes);
                Assert.Equal(materialised.IndexOfName(name), lazy.IndexOfName(name));
                Assert.Equal(materialised.TryGetValue(name, out BsonValue? expected), lazy.TryGetValue(name, out BsonValue? actual));
                Assert.Equal(expected, actual);
                Assert.True(bytes.AsSpan().SequenceEqual(lazy.ToBytes()), $"seed 2026, document {i}, name {name}");
            }
        }
    }
}
