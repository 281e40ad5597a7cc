using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Tests.Engine;
using Xunit;

namespace Mongo.InMemory.Tests.Transactions;

/// <summary>
/// <see cref="Storage.Snapshot"/>: a copy of the catalog independent of the original from then on, sharing the stored
/// documents (never changed in place) but not the lists and key maps; and <see cref="CollectionData.ApplyCommitted"/>.
/// </summary>
public sealed class StorageSnapshotTests
{
    [Fact]
    public void Writes_after_the_snapshot_are_not_seen_by_the_other_side()
    {
        var storage = new Storage();
        var original = storage.GetOrCreateCollection("d", "c", out _);
        var one = Stored(original, "{_id: 1, x: 1}");
        var two = Stored(original, "{_id: 2, x: 2}");

        var snapshot = storage.Snapshot();
        var copy = snapshot.GetCollection("d", "c")!;
        Assert.True(snapshot.IsSnapshot);
        Assert.False(storage.IsSnapshot);
        Assert.Same(original, copy.Origin);
        Assert.Equal(original.Uuid, copy.Uuid);
        Assert.Same(one, copy.Documents[0]); // documents are shared

        // The original changes: the copy keeps its state.
        original.Replace(one, CollectionData.PrepareForInsert(Json.Doc("{_id: 1, x: 10}")));
        original.Delete(two);
        Stored(original, "{_id: 3}");
        storage.GetOrCreateCollection("d", "new", out _);
        storage.GetOrCreateCollection("e", "c", out _);
        Assert.Equal(new[] { 1, 2 }, copy.Documents.Select(d => d["_id"].AsInt32));
        Assert.Same(one, copy.Documents[0]);
        Assert.Null(snapshot.GetCollection("d", "new"));
        Assert.Null(snapshot.GetDatabase("e"));

        // The copy changes: the original keeps its state.
        copy.Delete(copy.Documents[0]);
        Stored(copy, "{_id: 9}");
        Assert.Equal(new[] { 1, 3 }, original.Documents.Select(d => d["_id"].AsInt32));
        Assert.Equal(10, original.Documents[0]["x"].AsInt32);
        Assert.Equal(new[] { 2, 9 }, copy.Documents.Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public void A_snapshot_shares_the_document_list_until_one_side_writes_and_each_of_several_keeps_its_state()
    {
        var storage = new Storage();
        var original = storage.GetOrCreateCollection("d", "c", out _);
        Stored(original, "{_id: 1}");
        var first = storage.Snapshot().GetCollection("d", "c")!;
        var second = storage.Snapshot().GetCollection("d", "c")!;
        Assert.Same(original.Documents, first.Documents); // nothing copied yet
        Assert.Same(original.Documents, second.Documents);

        Stored(first, "{_id: 2}");
        Assert.NotSame(original.Documents, first.Documents);
        Assert.Same(original.Documents, second.Documents);
        Stored(original, "{_id: 3}");
        original.Delete(original.Documents[0]);
        Stored(second, "{_id: 4}");

        Assert.Equal(new[] { 3 }, original.Documents.Select(d => d["_id"].AsInt32));
        Assert.Equal(new[] { 1, 2 }, first.Documents.Select(d => d["_id"].AsInt32));
        Assert.Equal(new[] { 1, 4 }, second.Documents.Select(d => d["_id"].AsInt32));
        foreach (var (collection, present, absent) in new[] { (original, 3, 1), (first, 2, 3), (second, 4, 2) })
        {
            Assert.Single(collection.IdIndex.HoldersOf(IndexData.KeyString(new BsonInt32(present))));
            Assert.Empty(collection.IdIndex.HoldersOf(IndexData.KeyString(new BsonInt32(absent))));
        }

        // Truncating one side leaves the others' documents.
        var third = storage.Snapshot().GetCollection("d", "c")!;
        original.Truncate();
        Assert.Equal(new[] { 3 }, third.Documents.Select(d => d["_id"].AsInt32));
        Assert.Single(third.IdIndex.HoldersOf(IndexData.KeyString(new BsonInt32(3))));
    }

    [Fact]
    public void Unique_indexes_are_copied_and_enforced_on_each_side_alone()
    {
        var storage = new Storage();
        var original = storage.GetOrCreateCollection("d", "c", out _);
        original.AddIndex(new IndexData(IndexData.NormalizeSpec(Json.Doc("{key: {email: 1}, unique: true}"))));
        Stored(original, "{_id: 1, email: 'a'}");

        var copy = storage.Snapshot().GetCollection("d", "c")!;
        Assert.Equal(new[] { "_id_", "email_1" }, copy.Indexes.Select(i => i.Name));
        Assert.Equal(11000, Assert.Throws<CommandException>(() => Stored(copy, "{_id: 2, email: 'a'}")).Code);
        Assert.Equal(11000, Assert.Throws<CommandException>(() => Stored(copy, "{_id: 1}")).Code);

        // A key taken on one side is free on the other.
        Stored(original, "{_id: 5, email: 'b'}");
        Stored(copy, "{_id: 6, email: 'b'}");
        original.Delete(original.Documents[0]);
        Assert.Equal(11000, Assert.Throws<CommandException>(() => Stored(copy, "{_id: 7, email: 'a'}")).Code);
        Stored(original, "{_id: 8, email: 'a'}");
        Assert.Single(original.IdIndex.HoldersOf(IndexData.KeyString(new BsonInt32(8))));
        Assert.Empty(copy.IdIndex.HoldersOf(IndexData.KeyString(new BsonInt32(8))));
    }

    [Fact]
    public void Options_index_specifications_and_views_are_copied_not_shared()
    {
        var storage = new Storage();
        var db = storage.GetOrCreateDatabase("d");
        var original = db.Create("c", Json.Doc("{validator: {x: {$type: 'int'}}}"));
        original.AddIndex(new IndexData(IndexData.NormalizeSpec(Json.Doc("{key: {x: 1}, name: 'x_1'}"))));
        db.CreateView("v", "c", (BsonArray)Json.Doc("{p: [{$match: {x: 1}}]}")["p"], null);

        var snapshot = storage.Snapshot();
        var copy = snapshot.GetCollection("d", "c")!;
        original.Options.Set("validationLevel", "off");
        original.FindIndexByName("x_1")!.Spec.Set("hidden", true);
        db.GetView("v")!.Pipeline.Add(Json.Doc("{$limit: 1}"));

        Assert.False(copy.Options.Contains("validationLevel"));
        Assert.False(copy.FindIndexByName("x_1")!.Spec.Contains("hidden"));
        Assert.Single(snapshot.GetDatabase("d")!.GetView("v")!.Pipeline);
        Assert.Equal(121, Assert.Throws<CommandException>(() => copy.CheckValidator(Json.Doc("{_id: 1, x: 'no'}"))).Code);
    }

    [Fact]
    public void A_capped_collection_evicts_on_each_side_alone()
    {
        var storage = new Storage();
        var options = Json.Doc("{capped: true, size: 4096, max: 2}");
        CollectionData.NormalizeCappedOptions(options);
        var original = storage.GetOrCreateDatabase("d").Create("log", options);
        Stored(original, "{_id: 1}");
        Stored(original, "{_id: 2}");

        var copy = storage.Snapshot().GetCollection("d", "log")!;
        Assert.True(copy.IsCapped);
        Stored(original, "{_id: 3}");
        Assert.Equal(new[] { 2, 3 }, original.Documents.Select(d => d["_id"].AsInt32));
        Assert.Equal(new[] { 1, 2 }, copy.Documents.Select(d => d["_id"].AsInt32));
        Assert.Equal(2, copy.LastSequence);
        Stored(copy, "{_id: 4}");
        Assert.Equal(new[] { 2, 4 }, copy.Documents.Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public void Nothing_expires_in_a_snapshot()
    {
        var storage = new Storage();
        var original = storage.GetOrCreateCollection("d", "c", out _);
        original.AddIndex(new IndexData(IndexData.NormalizeSpec(Json.Doc("{key: {at: 1}, expireAfterSeconds: 0}"))));
        Stored(original, "{_id: 1, at: ISODate('2000-01-01')}");
        var copy = storage.Snapshot().GetCollection("d", "c")!;

        copy.SweepTtl();
        Assert.Equal(1, copy.Count);
        original.SweepTtl();
        Assert.Equal(0, original.Count);
        Assert.Equal(1, copy.Count);
    }

    [Fact]
    public void ApplyCommitted_replaces_in_place_deletes_and_appends()
    {
        var c = new Storage().GetOrCreateCollection("d", "c", out _);
        var one = Stored(c, "{_id: 1}");
        var two = Stored(c, "{_id: 2}");
        var three = Stored(c, "{_id: 3}");
        var newTwo = CollectionData.PrepareForInsert(Json.Doc("{_id: 2, changed: true}"));
        var four = CollectionData.PrepareForInsert(Json.Doc("{_id: 4}"));
        var five = CollectionData.PrepareForInsert(Json.Doc("{_id: 5}"));

        c.ApplyCommitted([(null, five), (two, newTwo), (one, null), (null, four)]);

        Assert.Equal(new[] { 2, 3, 5, 4 }, c.Documents.Select(d => d["_id"].AsInt32));
        Assert.Same(newTwo, c.Documents[0]);
        Assert.Same(three, c.Documents[1]);
        Assert.Empty(c.IdIndex.HoldersOf(IndexData.KeyString(new BsonInt32(1))));
        Assert.Same(newTwo, Assert.Single(c.IdIndex.HoldersOf(IndexData.KeyString(new BsonInt32(2)))));
    }

    [Fact]
    public void ApplyCommitted_checks_unique_keys_on_the_final_state_and_changes_nothing_on_a_duplicate()
    {
        var c = new Storage().GetOrCreateCollection("d", "c", out _);
        c.AddIndex(new IndexData(IndexData.NormalizeSpec(Json.Doc("{key: {u: 1}, unique: true}"))));
        var a = Stored(c, "{_id: 1, u: 'a'}");
        var b = Stored(c, "{_id: 2, u: 'b'}");

        // Swapping two unique values is fine when both change together.
        var a2 = CollectionData.PrepareForInsert(Json.Doc("{_id: 1, u: 'b'}"));
        var b2 = CollectionData.PrepareForInsert(Json.Doc("{_id: 2, u: 'a'}"));
        c.ApplyCommitted([(a, a2), (b, b2)]);
        Assert.Equal(new[] { "b", "a" }, c.Documents.Select(d => d["u"].AsString));

        // A value still held by a document that does not change is a duplicate: nothing is applied.
        var clash = CollectionData.PrepareForInsert(Json.Doc("{_id: 3, u: 'a'}"));
        var fine = CollectionData.PrepareForInsert(Json.Doc("{_id: 4, u: 'z'}"));
        var e = Assert.Throws<CommandException>(() => c.ApplyCommitted([(null, fine), (null, clash)]));
        Assert.Equal(11000, e.Code);
        Assert.Equal(2, c.Count);
        Assert.Empty(c.IdIndex.HoldersOf(IndexData.KeyString(new BsonInt32(4))));
    }

    private static BsonDocument Stored(CollectionData collection, string json)
    {
        var document = CollectionData.PrepareForInsert(Json.Doc(json));
        collection.Insert(document);
        return document;
    }
}
