using Xunit;

namespace Mongo.Bson.Tests.Dom;

/// <summary>Documents and arrays keep their items in an inline growable array; these pin down its list semantics.</summary>
public class ContainerStorageTests
{
    [Fact]
    public void Document_insert_remove_and_positions_behave_like_a_list()
    {
        var doc = new BsonDocument();
        for (int i = 0; i < 20; i++)
        {
            doc.Add($"k{i}", i); // grows past the initial capacity several times
        }

        doc.InsertAt(0, new BsonElement("first", "x"));
        doc.InsertAt(doc.ElementCount, new BsonElement("last", "y"));
        doc.RemoveAt(5);
        Assert.Equal(21, doc.ElementCount);
        Assert.Equal("first", doc.GetElement(0).Name);
        Assert.Equal("last", doc.GetElement(20).Name);
        Assert.Equal(-1, doc.IndexOfName("k4"));
        Assert.Equal(5, doc.IndexOfName("k5")); // the name index is rebuilt after removals

        Assert.Throws<ArgumentOutOfRangeException>(() => doc[21]);
        Assert.Throws<ArgumentOutOfRangeException>(() => doc.RemoveAt(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => doc.InsertAt(23, new BsonElement("z", 1)));

        Assert.True(doc.Remove("k7"));
        Assert.False(doc.Contains("k7"));
        doc.Clear();
        Assert.Equal(0, doc.ElementCount);
        Assert.Empty(doc);
    }

    [Fact]
    public void Looking_up_the_first_name_of_a_large_document_builds_no_index()
    {
        var doc = new BsonDocument("_id", 1);
        for (int i = 0; i < 50; i++)
        {
            doc.Add($"f{i}", i);
        }

        Assert.Equal(1, doc["_id"].AsInt32);
        Assert.False(doc.HasNameIndex);
        Assert.Equal(49, doc["f49"].AsInt32);
        Assert.True(doc.HasNameIndex);
    }

    [Fact]
    public void Elements_is_a_live_view_and_enumeration_sees_the_start_state()
    {
        var doc = new BsonDocument { ["a"] = 1, ["b"] = 2 };
        IReadOnlyList<BsonElement> view = doc.Elements;

        var seen = new List<string>();
        foreach (BsonElement element in doc)
        {
            seen.Add(element.Name);
            if (element.Name == "a")
            {
                doc.Add("c", 3);
            }
        }

        Assert.Equal(["a", "b"], seen);
        Assert.Equal(3, view.Count);
        Assert.Equal("c", view[2].Name);
    }

    [Fact]
    public void Array_list_operations()
    {
        var array = new BsonArray();
        for (int i = 0; i < 10; i++)
        {
            array.Add(i);
        }

        array.Insert(0, "head");
        Assert.True(array.Remove(5));
        Assert.False(array.Remove(42));
        array.RemoveAt(array.Count - 1);
        Assert.Equal(9, array.Count);
        Assert.Equal("head", array[0].AsString);
        Assert.Equal(2, array.IndexOf(1)); // values compare by BSON type and value
        Assert.DoesNotContain(new BsonInt32(5), array);

        var copy = new BsonValue[11];
        array.CopyTo(copy, 2);
        Assert.Equal(array[0], copy[2]);
        Assert.Null(copy[1]);

        Assert.Throws<ArgumentOutOfRangeException>(() => array[9]);
        Assert.Throws<ArgumentOutOfRangeException>(() => array.Insert(10, 1));
        Assert.Throws<ArgumentNullException>(() => array.Add(null!));

        array.Clear();
        Assert.Empty(array);
    }
}
