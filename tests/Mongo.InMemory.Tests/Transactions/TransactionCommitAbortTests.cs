using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Transactions;

/// <summary>
/// Through the official driver: what a committed transaction wrote is there, what an aborted one wrote is not (the
/// "aborted transfer stays written" bug), and both work across collections and databases.
/// </summary>
public sealed class TransactionCommitAbortTests : TransactionTestBase
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_committed_transfer_is_visible_and_conserves_the_total(bool async)
    {
        await SeedAccountsAsync();
        using IClientSessionHandle session = async ? await Client.StartSessionAsync() : Client.StartSession();

        session.StartTransaction();
        await Transfer(session, from: 1, to: 2, amount: 30, async);
        // Not visible outside before the commit.
        Assert.Equal(new[] { 100, 100 }, (await ReadAllAsync("accounts")).Select(d => d["balance"].AsInt32));
        if (async)
        {
            await session.CommitTransactionAsync();
        }
        else
        {
            session.CommitTransaction();
        }

        var balances = (await ReadAllAsync("accounts")).Select(d => d["balance"].AsInt32).ToArray();
        Assert.Equal(new[] { 70, 130 }, balances);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_aborted_transfer_leaves_nothing_behind(bool async)
    {
        await SeedAccountsAsync();
        using IClientSessionHandle session = async ? await Client.StartSessionAsync() : Client.StartSession();

        session.StartTransaction();
        await Transfer(session, from: 1, to: 2, amount: 30, async);
        await Accounts.InsertOneAsync(session, new O.BsonDocument { { "_id", 3 }, { "balance", 5 } });
        if (async)
        {
            await session.AbortTransactionAsync();
        }
        else
        {
            session.AbortTransaction();
        }

        var documents = await ReadAllAsync("accounts");
        Assert.Equal(new[] { 1, 2 }, documents.Select(d => d["_id"].AsInt32));
        Assert.Equal(new[] { 100, 100 }, documents.Select(d => d["balance"].AsInt32));
    }

    [Fact]
    public async Task A_transaction_sees_its_own_writes_before_it_commits()
    {
        await SeedAccountsAsync();
        using IClientSessionHandle session = await Client.StartSessionAsync();
        session.StartTransaction();
        await Accounts.UpdateOneAsync(session, new O.BsonDocument("_id", 1), new O.BsonDocument("$inc", new O.BsonDocument("balance", -40)));
        await Accounts.InsertOneAsync(session, new O.BsonDocument { { "_id", 3 }, { "balance", 40 } });
        await Accounts.DeleteOneAsync(session, new O.BsonDocument("_id", 2));

        var inside = await Accounts.Find(session, new O.BsonDocument()).ToListAsync();
        Assert.Equal(new[] { 1, 3 }, inside.Select(d => d["_id"].AsInt32));
        Assert.Equal(60, inside[0]["balance"].AsInt32);
        PipelineDefinition<O.BsonDocument, O.BsonDocument> sum = new[] { new O.BsonDocument("$group", new O.BsonDocument { { "_id", O.BsonNull.Value }, { "sum", new O.BsonDocument("$sum", "$balance") } }) };
        var total = await (await Accounts.AggregateAsync(session, sum)).SingleAsync();
        Assert.Equal(100, total["sum"].AsInt32);
        Assert.Equal(2L, await Accounts.CountDocumentsAsync(session, new O.BsonDocument()));

        await session.CommitTransactionAsync();
        var after = await ReadAllAsync("accounts");
        Assert.Equal(new[] { 1, 3 }, after.Select(d => d["_id"].AsInt32));
        Assert.Equal(new[] { 60, 40 }, after.Select(d => d["balance"].AsInt32));
    }

    [Fact]
    public async Task A_transaction_spans_collections_and_databases_and_commits_them_together()
    {
        await SeedAccountsAsync();
        var ledger = Client.GetDatabase("audit").GetCollection<O.BsonDocument>("ledger");
        var orders = Client.GetDatabase(Db).GetCollection<O.BsonDocument>("orders");
        using IClientSessionHandle session = await Client.StartSessionAsync();

        session.StartTransaction();
        await Accounts.UpdateOneAsync(session, new O.BsonDocument("_id", 1), new O.BsonDocument("$inc", new O.BsonDocument("balance", -10)));
        await orders.InsertOneAsync(session, new O.BsonDocument { { "_id", "o1" }, { "amount", 10 } });
        await ledger.InsertOneAsync(session, new O.BsonDocument { { "_id", "l1" }, { "order", "o1" } });
        Assert.Empty(await ReadAllAsync("orders"));
        Assert.Empty(await ReadAllAsync("ledger", "audit"));
        await session.CommitTransactionAsync();

        Assert.Equal(90, (await ReadAllAsync("accounts"))[0]["balance"].AsInt32);
        Assert.Single(await ReadAllAsync("orders"));
        Assert.Single(await ReadAllAsync("ledger", "audit"));
    }

    [Fact]
    public async Task An_aborted_transaction_across_databases_leaves_every_one_unchanged()
    {
        await SeedAccountsAsync();
        var ledger = Client.GetDatabase("audit").GetCollection<O.BsonDocument>("ledger");
        using IClientSessionHandle session = await Client.StartSessionAsync();

        session.StartTransaction();
        await Accounts.DeleteManyAsync(session, new O.BsonDocument());
        await ledger.InsertOneAsync(session, new O.BsonDocument("_id", "l1"));
        await session.AbortTransactionAsync();

        Assert.Equal(2, (await ReadAllAsync("accounts")).Count);
        var databases = await (await Client.ListDatabaseNamesAsync()).ToListAsync();
        Assert.DoesNotContain("audit", databases); // the collection (and database) the transaction created is gone too
    }

    [Fact]
    public async Task A_read_only_transaction_commits()
    {
        await SeedAccountsAsync();
        using IClientSessionHandle session = await Client.StartSessionAsync();
        session.StartTransaction();
        Assert.Equal(2, (await Accounts.Find(session, new O.BsonDocument()).ToListAsync()).Count);
        await session.CommitTransactionAsync();
    }

    [Fact]
    public async Task Updated_documents_keep_their_place_and_inserted_ones_follow_in_order()
    {
        await SeedAccountsAsync();
        using IClientSessionHandle session = await Client.StartSessionAsync();
        session.StartTransaction();
        await Accounts.InsertOneAsync(session, new O.BsonDocument("_id", 5));
        await Accounts.UpdateOneAsync(session, new O.BsonDocument("_id", 1), new O.BsonDocument("$set", new O.BsonDocument("x", 1)));
        await Accounts.InsertOneAsync(session, new O.BsonDocument("_id", 4));
        await session.CommitTransactionAsync();

        Assert.Equal(new[] { 1, 2, 5, 4 }, (await ReadAllAsync("accounts")).Select(d => d["_id"].AsInt32));
    }

    private async Task Transfer(IClientSessionHandle session, int from, int to, int amount, bool async)
    {
        var debit = new O.BsonDocument("$inc", new O.BsonDocument("balance", -amount));
        var credit = new O.BsonDocument("$inc", new O.BsonDocument("balance", amount));
        if (async)
        {
            await Accounts.UpdateOneAsync(session, new O.BsonDocument("_id", from), debit);
            await Accounts.UpdateOneAsync(session, new O.BsonDocument("_id", to), credit);
        }
        else
        {
            Accounts.UpdateOne(session, new O.BsonDocument("_id", from), debit);
            Accounts.UpdateOne(session, new O.BsonDocument("_id", to), credit);
        }
    }
}
