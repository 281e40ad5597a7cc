using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Transactions;

/// <summary>What ends a transaction besides commit and abort: its lifetime limit and its session's end; counters; parameters.</summary>
public sealed class TransactionLifecycleTests : TransactionTestBase
{
    [Fact]
    public async Task A_transaction_open_past_transactionLifetimeLimitSeconds_is_aborted()
    {
        var set = await RunAsync(new O.BsonDocument { { "setParameter", 1 }, { "transactionLifetimeLimitSeconds", 1 }, { "$db", "admin" } });
        AssertOk(set);
        Assert.Equal(60, set["was"].ToInt32());
        var get = await RunAsync(new O.BsonDocument { { "getParameter", 1 }, { "transactionLifetimeLimitSeconds", 1 }, { "$db", "admin" } });
        Assert.Equal(1, get["transactionLifetimeLimitSeconds"].ToInt32());

        var lsid = NewLsid();
        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 1)), lsid, 1, start: true)));
        await WaitUntilAsync(async () => (await ServerStatusAsync())["transactions"]["totalAborted"].ToInt64() == 1, TimeSpan.FromSeconds(5));

        var commit = await RunAsync(Commit(lsid, 1));
        AssertError(commit, 251, "NoSuchTransaction");
        AssertTransient(commit);
        Assert.Empty(await ReadAllAsync("c"));
    }

    [Fact]
    public async Task The_lifetime_limit_can_be_set_in_the_options_and_is_checked_lazily_too()
    {
        await using var server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0", TransactionLifetimeLimitSeconds = 1 });
        var lsid = NewLsid();
        using RawWireClient client = await RawWireClient.ConnectAsync(server.Port);
        async Task<O.BsonDocument> Send(O.BsonDocument command)
        {
            await client.SendAsync(RawWireClient.OpMsg(command));
            return (await client.ReceiveAsync())!.Document;
        }

        var get = await Send(new O.BsonDocument { { "getParameter", 1 }, { "transactionLifetimeLimitSeconds", 1 }, { "$db", "admin" } });
        Assert.Equal(1, get["transactionLifetimeLimitSeconds"].ToInt32());
        AssertOk(await Send(InTxn(Insert("c", new O.BsonDocument("_id", 1)), lsid, 1, start: true)));
        await Task.Delay(1300);
        AssertError(await Send(InTxn(Insert("c", new O.BsonDocument("_id", 2)), lsid, 1)), 251, "NoSuchTransaction");
        Assert.Throws<ArgumentException>(() => new InMemoryMongoServerOptions { TransactionLifetimeLimitSeconds = 0 }.Validate());
    }

    [Fact]
    public async Task SetParameter_refuses_a_limit_below_one_and_unknown_parameters()
    {
        AssertError(await RunAsync(new O.BsonDocument { { "setParameter", 1 }, { "transactionLifetimeLimitSeconds", 0 }, { "$db", "admin" } }), 2, "BadValue");
        AssertError(await RunAsync(new O.BsonDocument { { "setParameter", 1 }, { "noSuchKnob", 3 }, { "$db", "admin" } }), 72, "InvalidOptions");
    }

    [Theory]
    [InlineData("endSessions")]
    [InlineData("killSessions")]
    [InlineData("killAllSessions")]
    public async Task Ending_or_killing_the_session_aborts_its_transaction(string command)
    {
        var lsid = NewLsid();
        var other = NewLsid();
        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 1)), lsid, 1, start: true)));
        AssertOk(await RunAsync(InTxn(Insert("d", new O.BsonDocument("_id", 1)), other, 1, start: true)));

        O.BsonValue target = command == "killAllSessions" ? new O.BsonArray() : new O.BsonArray { lsid };
        AssertOk(await RunAsync(new O.BsonDocument { { command, target }, { "$db", "admin" } }));

        AssertError(await RunAsync(Commit(lsid, 1)), 251, "NoSuchTransaction");
        var otherCommit = await RunAsync(Commit(other, 1));
        if (command == "killAllSessions")
        {
            AssertError(otherCommit, 251, "NoSuchTransaction");
        }
        else
        {
            AssertOk(otherCommit); // only the named session's transaction ends
        }

        Assert.Empty(await ReadAllAsync("c"));
    }

    [Fact]
    public async Task Disposing_an_official_driver_session_in_a_transaction_aborts_it()
    {
        IClientSessionHandle session = await Client.StartSessionAsync();
        session.StartTransaction();
        await Accounts.InsertOneAsync(session, new O.BsonDocument("_id", 1));
        session.Dispose();
        await WaitUntilAsync(async () => (await ServerStatusAsync())["transactions"]["currentOpen"].ToInt64() == 0, TimeSpan.FromSeconds(5));
        Assert.Empty(await ReadAllAsync("accounts"));
    }

    [Fact]
    public async Task ServerStatus_counts_started_committed_aborted_and_open_transactions()
    {
        AssertOk(await RunAsync(new O.BsonDocument { { "create", "c" }, { "$db", Db } })); // else both would create it: a conflict
        O.BsonDocument a = NewLsid(), b = NewLsid(), c = NewLsid();
        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 1)), a, 1, start: true)));
        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 2)), b, 1, start: true)));
        AssertOk(await RunAsync(InTxn(Find("c"), c, 1, start: true)));
        AssertOk(await RunAsync(Commit(a, 1)));
        AssertOk(await RunAsync(Abort(b, 1)));

        var transactions = (await ServerStatusAsync())["transactions"].AsBsonDocument;
        Assert.Equal(3L, transactions["totalStarted"].ToInt64());
        Assert.Equal(1L, transactions["totalCommitted"].ToInt64());
        Assert.Equal(1L, transactions["totalAborted"].ToInt64());
        Assert.Equal(1L, transactions["currentOpen"].ToInt64());
    }

    private async Task<O.BsonDocument> ServerStatusAsync() => await RunAsync(new O.BsonDocument { { "serverStatus", 1 }, { "$db", "admin" } });

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within " + timeout);
            await Task.Delay(50);
        }
    }
}
