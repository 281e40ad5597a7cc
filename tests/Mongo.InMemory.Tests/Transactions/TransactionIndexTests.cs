using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Transactions;

/// <summary>
/// Secondary indexes under transactions: the transaction's snapshot shares the indexes copy-on-write, its own writes
/// are found through its copy of the index, others do not see them until commit, an abort leaves the server's index
/// untouched, and the committed changes reach the server's index.
/// </summary>
public sealed class TransactionIndexTests : TransactionTestBase
{
    private static O.BsonDocument D(string json) => O.BsonDocument.Parse(json);

    private static List<int> Ids(IEnumerable<O.BsonDocument> docs) => docs.Select(d => d["_id"].ToInt32()).Order().ToList();

    [Fact]
    public async Task Indexed_finds_see_the_transaction_writes_inside_and_only_after_commit_outside()
    {
        var c = Client.GetDatabase(Db).GetCollection<O.BsonDocument>("indexed");
        await c.Indexes.CreateOneAsync(new CreateIndexModel<O.BsonDocument>(D("{k: 1}")));
        await c.InsertManyAsync([D("{_id: 1, k: 'x'}"), D("{_id: 2, k: 'y'}")]);
        var hint = new FindOptions { Hint = "k_1" };

        using (var aborted = await Client.StartSessionAsync())
        {
            aborted.StartTransaction();
            await c.UpdateOneAsync(aborted, D("{_id: 1}"), D("{$set: {k: 'z'}}"));
            Assert.Equal([1], Ids(await c.Find(aborted, D("{k: 'z'}"), hint).ToListAsync()));
            await aborted.AbortTransactionAsync();
        }

        Assert.Empty(await c.Find(D("{k: 'z'}"), hint).ToListAsync());
        Assert.Equal([1], Ids(await c.Find(D("{k: 'x'}"), hint).ToListAsync()));

        using var session = await Client.StartSessionAsync();
        session.StartTransaction();
        await c.InsertOneAsync(session, D("{_id: 3, k: 'x'}"));
        await c.UpdateOneAsync(session, D("{_id: 2}"), D("{$set: {k: 'x'}}"));
        await c.DeleteOneAsync(session, D("{_id: 1}"));
        Assert.Equal([2, 3], Ids(await c.Find(session, D("{k: 'x'}"), hint).ToListAsync()));
        Assert.Empty(await c.Find(session, D("{k: 'y'}"), hint).ToListAsync());
        // Outside the transaction the server's index is unchanged.
        Assert.Equal([1], Ids(await c.Find(D("{k: 'x'}"), hint).ToListAsync()));
        Assert.Equal([2], Ids(await c.Find(D("{k: 'y'}"), hint).ToListAsync()));
        await session.CommitTransactionAsync();

        Assert.Equal([2, 3], Ids(await c.Find(D("{k: 'x'}"), hint).ToListAsync()));
        Assert.Empty(await c.Find(D("{k: 'y'}"), hint).ToListAsync());
        Assert.Equal([2, 3], Ids(await c.Find(D("{k: {$gte: 'x'}}")).ToListAsync()));
    }
}
