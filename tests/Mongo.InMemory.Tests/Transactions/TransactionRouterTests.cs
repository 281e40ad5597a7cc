using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Transactions;

/// <summary>Transactions on the router (mongos) mode: the same behaviour, and the recoveryToken a mongos sends.</summary>
public sealed class TransactionRouterTests : TransactionTestBase
{
    protected override InMemoryMongoServerOptions Options() => new() { Sharded = true };

    [Fact]
    public async Task Replies_in_a_transaction_carry_a_recoveryToken()
    {
        var lsid = NewLsid();
        var insert = await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 1)), lsid, 1, start: true));
        AssertOk(insert);
        Assert.True(insert["recoveryToken"].IsBsonDocument);
        var commit = await RunAsync(Commit(lsid, 1));
        AssertOk(commit);
        Assert.True(commit.Contains("recoveryToken"));
        Assert.False((await RunAsync(Find("c"))).Contains("recoveryToken")); // not outside transactions
    }

    [Fact]
    public async Task The_official_driver_commits_and_aborts_through_the_router()
    {
        using IClientSessionHandle session = await Client.StartSessionAsync();
        session.StartTransaction();
        await Accounts.InsertOneAsync(session, new O.BsonDocument("_id", 1));
        await session.AbortTransactionAsync();
        session.StartTransaction();
        await Accounts.InsertOneAsync(session, new O.BsonDocument("_id", 2));
        await session.CommitTransactionAsync();
        Assert.Equal(new[] { 2 }, (await ReadAllAsync("accounts")).Select(d => d["_id"].AsInt32));
    }
}
