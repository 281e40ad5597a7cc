using Mongo.Bson;
using Mongo.InMemory.Engine;
using Xunit;

namespace Mongo.InMemory.Tests.ReplicaSet;

/// <summary>The structural snapshots lagging members read: exact, independent of later writes, and sharing what did not change.</summary>
public sealed class ReplicaSnapshotTests
{
    [Fact]
    public void A_snapshot_keeps_the_state_it_was_taken_in_and_shares_unchanged_collections()
    {
        var storage = new Storage();
        CollectionData a = storage.GetOrCreateCollection("db", "a", out _);
        CollectionData b = storage.GetOrCreateCollection("db", "b", out _);
        a.Insert(CollectionData.PrepareForInsert(new BsonDocument { { "_id", 1 }, { "x", 1 } }));
        b.Insert(CollectionData.PrepareForInsert(new BsonDocument("_id", 1)));
        a.AddIndex(new IndexData(new BsonDocument { { "v", 2 }, { "key", new BsonDocument("x", 1) }, { "name", "x_1" }, { "unique", true } }));

        Storage first = storage.ReplicaSnapshot(null);
        BsonDocument stored = a.Documents[0];
        a.Replace(stored, CollectionData.PrepareForInsert(new BsonDocument { { "_id", 1 }, { "x", 2 } }));
        a.Insert(CollectionData.PrepareForInsert(new BsonDocument { { "_id", 2 }, { "x", 3 } }));
        storage.GetOrCreateCollection("db", "c", out _);

        CollectionData oldA = first.GetCollection("db", "a")!;
        Assert.Equal(1, oldA.Count);
        Assert.Equal(1, oldA.Documents[0]["x"].ToInt32());
        Assert.Same(stored, oldA.Documents[0]); // documents are shared, never copied
        Assert.Equal(a.Uuid, oldA.Uuid);
        Assert.Equal(["_id_", "x_1"], oldA.Indexes.Select(i => i.Name));
        Assert.NotNull(oldA.IdIndex.Lookup(new BsonInt32(1)));
        Assert.Null(first.GetCollection("db", "c"));
        Assert.True(oldA.IsReplicaCopy);

        Storage second = storage.ReplicaSnapshot(first);
        Assert.Same(first.GetCollection("db", "b"), second.GetCollection("db", "b")); // unchanged: shared with the previous snapshot
        Assert.NotSame(oldA, second.GetCollection("db", "a"));
        Assert.Equal(2, second.GetCollection("db", "a")!.Count);
        Assert.NotNull(second.GetCollection("db", "c"));

        // collMod-style changes in place (options, index specifications) are seen too.
        b.Options.Set("validator", new BsonDocument("x", new BsonDocument("$exists", true)));
        Storage third = storage.ReplicaSnapshot(second);
        Assert.NotSame(second.GetCollection("db", "b"), third.GetCollection("db", "b"));
        Assert.True(third.GetCollection("db", "b")!.Options.Contains("validator"));
        Assert.False(second.GetCollection("db", "b")!.Options.Contains("validator"));

        // A dropped and recreated collection of the same name is not mistaken for the old one.
        storage.GetDatabase("db")!.Drop("b");
        storage.GetOrCreateCollection("db", "b", out _);
        Storage fourth = storage.ReplicaSnapshot(third);
        Assert.NotSame(third.GetCollection("db", "b"), fourth.GetCollection("db", "b"));
    }
}
