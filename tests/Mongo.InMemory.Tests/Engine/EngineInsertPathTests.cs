using System.Text;
using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Engine;
using Xunit;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// The insert path's shortcuts (single-field index keys, documents stored without a copy) give the same keys, the
/// same stored documents and the same errors as the general code they bypass.
/// </summary>
public sealed class EngineInsertPathTests
{
    private static readonly string[] s_values =
    [
        "ObjectId('0123456789abcdef01234567')", "ObjectId('ffffffffffffffffffffffff')", "0", "1", "-1", "2147483647",
        "-2147483648", "NumberLong(1)", "NumberLong('9223372036854775807')", "NumberLong('-9223372036854775808')", "1.0",
        "1.5", "NumberDecimal('1')", "'a'", "''", "'é|x'", "null", "true", "{a: 1, b: 'x'}", "{}", "[1, 2, 1]", "[]",
        "[[1]]", "[{a: 1}]", "ISODate('2020-01-01')", "Timestamp(1, 2)", "BinData(0, 'AQI=')", "MinKey", "MaxKey", "/a|b/i",
    ];

    public static TheoryData<string> IndexSpecs => new()
    {
        "{key: {_id: 1}, name: '_id_'}",
        "{key: {x: 1}, unique: true}",
        "{key: {x: 1}, unique: true, sparse: true}",
        "{key: {x: 1}, name: 'p', unique: true, partialFilterExpression: {q: true}}",
    };

    [Theory]
    [MemberData(nameof(IndexSpecs))]
    public void Single_field_keys_equal_the_general_product(string spec)
    {
        var index = new IndexData(IndexData.NormalizeSpec(Json.Doc(spec)));
        string field = index.Key.GetElement(0).Name;
        foreach (string value in s_values)
        {
            foreach (string shape in new[] { "{F: V}", "{a: 1, F: V, q: true}", "{q: true, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, F: V}", "{a: 1}" })
            {
                var doc = Json.Doc(shape.Replace("F", field, StringComparison.Ordinal).Replace("V", value, StringComparison.Ordinal));
                var actual = index.KeysOf(doc);
                bool excluded = index.Partial is not null && !index.Partial.Matches(doc);
                var expected = excluded ? new List<(string Key, BsonDocument KeyValue)>() : index.GeneralKeys(doc);
                Assert.Equal(expected.Count, actual.Count);
                for (int i = 0; i < expected.Count; i++)
                {
                    Assert.Equal(expected[i].Key, actual.KeyAt(i));
                    Assert.Equal(expected[i].KeyValue, actual.KeyValueAt(i));
                }
            }
        }
    }

    [Fact]
    public void Key_strings_match_the_general_format()
    {
        foreach (string value in s_values)
        {
            var v = Json.Value(value);
            var sb = new StringBuilder();
            BsonOrder.AppendKey(sb, v);
            Assert.Equal(sb.Append('|').ToString(), IndexData.KeyString(v));
        }

        Assert.Equal("N|", IndexData.KeyString(null));
        var id = ObjectId.GenerateNewId();
        Assert.Equal("o" + id + "|", IndexData.KeyString(new BsonObjectId(id)));
    }

    [Fact]
    public void Non_unique_indexes_keep_no_keys()
    {
        var index = new IndexData(IndexData.NormalizeSpec(Json.Doc("{key: {x: 1}}")));
        Assert.Equal(0, index.KeysOf(Json.Doc("{x: 1}")).Count);
    }

    [Fact]
    public void Numerically_equal_ids_are_duplicates_and_the_error_names_the_key()
    {
        var c = new DatabaseData(new Storage(), "d").Create("c", new BsonDocument());
        c.Insert(CollectionData.PrepareOwnedForInsert(Json.Doc("{_id: 1}")));
        foreach (string duplicate in new[] { "{_id: NumberLong(1)}", "{_id: 1.0}", "{_id: NumberDecimal('1.0')}", "{a: 2, _id: 1}" })
        {
            var e = Assert.Throws<CommandException>(() => c.Insert(CollectionData.PrepareOwnedForInsert(Json.Doc(duplicate))));
            Assert.Equal(11000, e.Code);
            Assert.StartsWith("E11000 duplicate key error collection: d.c index: _id_ dup key: { _id: ", e.Message);
            Assert.Equal<BsonValue>(Json.Doc("{_id: 1}"), e.Extra!["keyPattern"]);
            Assert.Equal(Json.Doc(duplicate)["_id"], e.Extra["keyValue"].AsDocument["_id"]);
        }

        Assert.Equal(1, c.Count);
    }

    [Fact]
    public void Deleted_and_replaced_documents_release_their_keys()
    {
        var c = new DatabaseData(new Storage(), "d").Create("c", new BsonDocument());
        c.AddIndex(new IndexData(IndexData.NormalizeSpec(Json.Doc("{key: {x: 1}, unique: true}"))));
        var first = CollectionData.PrepareOwnedForInsert(Json.Doc("{_id: 1, x: 1}"));
        c.Insert(first);
        Assert.Equal(11000, Assert.Throws<CommandException>(() => c.Insert(CollectionData.PrepareOwnedForInsert(Json.Doc("{_id: 2, x: 1}")))).Code);
        var replacement = CollectionData.PrepareOwnedForInsert(Json.Doc("{_id: 1, x: 5}"));
        c.Replace(first, replacement);
        c.Insert(CollectionData.PrepareOwnedForInsert(Json.Doc("{_id: 2, x: 1}")));
        Assert.Same(replacement, Assert.Single(c.Candidates(Json.Doc("{_id: 1}"))));
        c.Delete(replacement);
        Assert.Empty(c.Candidates(Json.Doc("{_id: 1}")));
        c.Insert(CollectionData.PrepareOwnedForInsert(Json.Doc("{_id: 1, x: 5}")));
        Assert.Equal(2, c.Count);
    }

    [Fact]
    public void Owned_documents_are_stored_as_they_are_with_id_first()
    {
        var doc = Json.Doc("{a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, _id: 5}");
        var stored = CollectionData.PrepareOwnedForInsert(doc);
        Assert.Same(doc, stored);
        Assert.Equal(Json.Doc("{_id: 5, a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9}"), stored);

        var generated = CollectionData.PrepareOwnedForInsert(Json.Doc("{a: 1}"));
        Assert.Equal("_id", generated.GetElement(0).Name);
        Assert.Equal(BsonType.ObjectId, generated[0].BsonType);

        // Only the first _id counts, as with a lookup by name.
        var twice = CollectionData.PrepareOwnedForInsert(new BsonDocument { { "a", 1 }, { "_id", 1 }, { "_id", 2 } });
        Assert.Equal(1, twice[0].AsInt32);

        Assert.Equal(53, Assert.Throws<CommandException>(() => CollectionData.PrepareOwnedForInsert(Json.Doc("{a: 1, _id: [1]}"))).Code);
        Assert.Equal(53, Assert.Throws<CommandException>(() => CollectionData.PrepareOwnedForInsert(Json.Doc("{_id: /x/}"))).Code);
    }

    [Fact]
    public void Copying_and_owned_preparation_store_equal_documents()
    {
        foreach (string json in new[] { "{a: 1}", "{a: 1, _id: 2}", "{_id: {x: 1}, y: [1, {z: 2}]}", "{a: 1, b: {_id: 3}}" })
        {
            var copied = CollectionData.PrepareForInsert(Json.Doc(json));
            var owned = CollectionData.PrepareOwnedForInsert(Json.Doc(json));
            if (copied[0] is BsonObjectId)
            {
                owned[0] = copied[0];
            }

            Assert.Equal(copied, owned);
        }
    }

    [Fact]
    public void Size_is_checked_unless_the_message_bounds_it_below_the_limit()
    {
        // {a: "x" * n} is n + 13 bytes; with a generated _id, n + 30: one byte over the limit.
        int n = CollectionData.MaxDocumentSize - 29;
        static BsonDocument Big(int n) => new() { { "a", new string('x', n) } };
        Assert.Equal(2, Assert.Throws<CommandException>(() => CollectionData.PrepareOwnedForInsert(Big(n))).Code);
        Assert.Equal(2, Assert.Throws<CommandException>(() => CollectionData.PrepareOwnedForInsert(Big(n), receivedIn: n + 13)).Code);
        Assert.Equal(2, Assert.Throws<CommandException>(() => CollectionData.PrepareForInsert(Big(n))).Code);
        Assert.Equal(2, Assert.Throws<CommandException>(() => CollectionData.PrepareOwnedForInsert(Big(n), receivedIn: CollectionData.MaxDocumentSize - 16)).Code);

        // A message of at most the limit less a generated _id cannot carry a document over the limit: not measured.
        var small = CollectionData.PrepareOwnedForInsert(Json.Doc("{a: 1}"), receivedIn: CollectionData.MaxDocumentSize - 17);
        Assert.Equal("_id", small.GetElement(0).Name);
        Assert.Equal(53, Assert.Throws<CommandException>(() => CollectionData.PrepareOwnedForInsert(Json.Doc("{_id: [1]}"), receivedIn: 100)).Code);
    }

    [Fact]
    public void Reserving_room_keeps_the_collection_and_its_keys()
    {
        var c = new DatabaseData(new Storage(), "d").Create("c", new BsonDocument());
        c.AddIndex(new IndexData(IndexData.NormalizeSpec(Json.Doc("{key: {x: 1}, unique: true}"))));
        for (int batch = 0; batch < 3; batch++)
        {
            c.Reserve(100);
            for (int i = 0; i < 100; i++)
            {
                c.Insert(CollectionData.PrepareOwnedForInsert(Json.Doc("{x: " + ((batch * 100) + i) + "}")));
            }
        }

        Assert.Equal(300, c.Count);
        Assert.Equal(11000, Assert.Throws<CommandException>(() => c.Insert(CollectionData.PrepareOwnedForInsert(Json.Doc("{x: 150}")))).Code);
        var id = c.Documents[42]["_id"];
        Assert.Same(c.Documents[42], Assert.Single(c.Candidates(new BsonDocument("_id", id))));
    }
}
