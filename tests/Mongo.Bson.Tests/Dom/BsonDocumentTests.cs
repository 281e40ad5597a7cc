using Mongo.Bson;
using Xunit;

namespace Mongo.Bson.Tests.Dom;

public class BsonDocumentTests
{
    [Fact]
    public void Indexer_initializer_and_collection_initializer_build_ordered_documents()
    {
        var a = new BsonDocument { ["x"] = 10, ["y"] = "s" };
        var b = new BsonDocument { { "x", 10 }, { "y", "s" } };
        Assert.Equal(a, b);
        Assert.Equal(["x", "y"], a.Names);
        Assert.Equal(10, a["x"].AsInt32);
        Assert.Equal("s", a["y"].AsString);
    }

    [Fact]
    public void Missing_name_throws_key_not_found_naming_the_key()
    {
        var doc = new BsonDocument("a", 1);
        var ex = Assert.Throws<KeyNotFoundException>(() => doc["zz"]);
        Assert.Contains("zz", ex.Message);
        Assert.Null(doc.GetValueOrDefault("zz"));
        Assert.False(doc.TryGetValue("zz", out _));
    }

    [Fact]
    public void Duplicates_are_kept_and_lookup_finds_the_first_in_small_and_large_documents()
    {
        foreach (int filler in new[] { 0, 20 })
        {
            var doc = new BsonDocument();
            for (int i = 0; i < filler; i++)
            {
                doc.Add($"f{i}", i);
            }

            doc.Add("dup", 1).Add("dup", 2);
            Assert.Equal(filler + 2, doc.ElementCount);
            Assert.Equal(1, doc["dup"].AsInt32);
            Assert.Equal(filler, doc.IndexOfName("dup"));

            // Set replaces the first occurrence only.
            doc["dup"] = 3;
            Assert.Equal(3, doc[filler].AsInt32);
            Assert.Equal(2, doc[filler + 1].AsInt32);

            // After removal the index must not point at stale positions.
            Assert.True(doc.Remove("dup"));
            Assert.False(doc.Contains("dup"));
            doc.Add("late", true);
            Assert.Equal(filler, doc.IndexOfName("late"));
        }
    }

    [Fact]
    public void Remove_drops_every_duplicate_keeps_the_order_of_the_rest_and_allocates_nothing()
    {
        var doc = new BsonDocument();
        doc.Add("_id", 1);
        doc.Add("a", 2);
        doc.Add("_id", 3);
        doc.Add("b", 4);
        doc.Add("_id", 5);
        Assert.True(doc.Remove("_id"));
        Assert.Equal(["a", "b"], doc.Names);
        Assert.Equal(4, doc["b"].AsInt32);
        Assert.False(doc.Remove("_id"));
        Assert.Equal(2, doc.ElementCount);

        // Removing and re-inserting a first element (what insert benchmarks do per document) costs no allocation.
        var id = new BsonElement("_id", 7);
        doc.InsertAt(0, id);
        doc.Remove("_id");
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            doc.InsertAt(0, id);
            doc.Remove("_id");
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(["a", "b"], doc.Names);
    }

    [Fact]
    public void InsertAt_and_RemoveAt_keep_lookup_consistent_for_indexed_documents()
    {
        var doc = new BsonDocument();
        for (int i = 0; i < 16; i++)
        {
            doc.Add($"k{i}", i);
        }

        Assert.Equal(5, doc.IndexOfName("k5"));
        doc.InsertAt(0, new BsonElement("first", 0));
        Assert.Equal(6, doc.IndexOfName("k5"));
        doc.RemoveAt(0);
        doc.RemoveAt(0);
        Assert.Equal(4, doc.IndexOfName("k5"));
        Assert.Equal(-1, doc.IndexOfName("k0"));
    }

    [Fact]
    public void DeepClone_copies_nested_containers()
    {
        var doc = new BsonDocument { ["a"] = new BsonDocument("b", new BsonArray { 1, 2 }) };
        var clone = (BsonDocument)doc.DeepClone();
        Assert.Equal(doc, clone);
        clone["a"].AsDocument["b"].AsArray.Add(3);
        Assert.Equal(2, doc["a"].AsDocument["b"].AsArray.Count);
        Assert.NotEqual(doc, clone);
    }

    [Fact]
    public void Equality_is_by_type_and_value_and_order()
    {
        Assert.NotEqual<BsonValue>(1, 1.0);
        Assert.NotEqual<BsonValue>(1, 1L);
        Assert.Equal<BsonValue>(double.NaN, double.NaN);
        Assert.NotEqual(new BsonDocument { ["a"] = 1, ["b"] = 2 }, new BsonDocument { ["b"] = 2, ["a"] = 1 });
        Assert.Equal(new BsonDocument("a", 1).GetHashCode(), new BsonDocument("a", 1).GetHashCode());
    }

    [Fact]
    public void Casting_to_the_wrong_type_throws_invalid_cast()
    {
        BsonValue value = "text";
        var ex = Assert.Throws<InvalidCastException>(() => value.AsInt32);
        Assert.Contains("String", ex.Message);
    }

    [Fact]
    public void Create_maps_clr_values_and_rejects_unknown_types()
    {
        var doc = (BsonDocument)BsonValue.Create(new Dictionary<string, object?> { ["n"] = null, ["l"] = new List<object> { 1, "a" } });
        Assert.Equal(BsonNull.Value, doc["n"]);
        Assert.Equal(new BsonArray { 1, "a" }, doc["l"]);
        Assert.Throws<ArgumentException>(() => BsonValue.Create(new object()));
    }
}
