using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Transactions;

/// <summary>
/// A fresh single-member replica set ("rs0") per test, an official MongoDB.Driver client on it, and raw commands
/// (each on its own connection, answered exactly as the server sends them, errors included) for the wire details.
/// </summary>
public abstract class TransactionTestBase : IAsyncLifetime
{
    protected const string Db = "txn";

    protected InMemoryMongoServer Server { get; private set; } = null!;

    protected MongoClient Client { get; private set; } = null!;

    protected IMongoCollection<O.BsonDocument> Accounts => Client.GetDatabase(Db).GetCollection<O.BsonDocument>("accounts");

    /// <summary>Options of the server the test starts (a replica set unless a test says otherwise).</summary>
    protected virtual InMemoryMongoServerOptions Options() => new() { ReplicaSetName = "rs0" };

    public virtual async Task InitializeAsync()
    {
        Server = await InMemoryMongoServer.StartAsync(Options());
        var settings = MongoClientSettings.FromConnectionString(Server.ConnectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        Client = new MongoClient(settings);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Seeds accounts {_id: 1, balance: 100} and {_id: 2, balance: 100}.</summary>
    protected async Task SeedAccountsAsync()
    {
        var reply = await RunAsync(new O.BsonDocument
        {
            { "insert", "accounts" },
            { "documents", new O.BsonArray { new O.BsonDocument { { "_id", 1 }, { "balance", 100 } }, new O.BsonDocument { { "_id", 2 }, { "balance", 100 } } } },
            { "$db", Db },
        });
        Assert.Equal(2, reply["n"].ToInt32());
    }

    /// <summary>Sends one command on a new connection and returns the reply as sent (ok: 0 included).</summary>
    protected async Task<O.BsonDocument> RunAsync(O.BsonDocument command)
    {
        using RawWireClient client = await RawWireClient.ConnectAsync(Server.Port);
        await client.SendAsync(RawWireClient.OpMsg(command));
        RawWireClient.Reply? reply = await client.ReceiveAsync(30_000);
        Assert.NotNull(reply);
        return reply.Document;
    }

    protected static O.BsonDocument NewLsid() => new("id", new O.BsonBinaryData(Guid.NewGuid(), O.GuidRepresentation.Standard));

    /// <summary>Adds a transaction's session fields to <paramref name="command"/> (startTransaction on the first command only).</summary>
    protected static O.BsonDocument InTxn(O.BsonDocument command, O.BsonDocument lsid, long txnNumber, bool start = false)
    {
        command.Set("lsid", lsid);
        command.Set("txnNumber", new O.BsonInt64(txnNumber));
        if (start)
        {
            command.Set("startTransaction", true);
        }

        command.Set("autocommit", false);
        return command;
    }

    protected static O.BsonDocument Insert(string collection, params O.BsonDocument[] documents) =>
        new() { { "insert", collection }, { "documents", new O.BsonArray(documents) }, { "$db", Db } };

    protected static O.BsonDocument Find(string collection, O.BsonDocument? filter = null) =>
        new() { { "find", collection }, { "filter", filter ?? new O.BsonDocument() }, { "$db", Db } };

    protected static O.BsonDocument UpdateOne(string collection, O.BsonDocument filter, O.BsonDocument update) =>
        new()
        {
            { "update", collection },
            { "updates", new O.BsonArray { new O.BsonDocument { { "q", filter }, { "u", update } } } },
            { "$db", Db },
        };

    protected static O.BsonDocument Commit(O.BsonDocument lsid, long txnNumber) =>
        InTxn(new O.BsonDocument { { "commitTransaction", 1 }, { "$db", "admin" } }, lsid, txnNumber);

    protected static O.BsonDocument Abort(O.BsonDocument lsid, long txnNumber) =>
        InTxn(new O.BsonDocument { { "abortTransaction", 1 }, { "$db", "admin" } }, lsid, txnNumber);

    /// <summary>The documents of a find reply's first batch.</summary>
    protected static List<O.BsonDocument> Batch(O.BsonDocument reply)
    {
        AssertOk(reply);
        return reply["cursor"]["firstBatch"].AsBsonArray.Select(v => v.AsBsonDocument).ToList();
    }

    /// <summary>The collection's documents as seen outside any transaction, in natural order.</summary>
    protected async Task<List<O.BsonDocument>> ReadAllAsync(string collection, string db = Db)
    {
        var reply = await RunAsync(new O.BsonDocument { { "find", collection }, { "$db", db } });
        return Batch(reply);
    }

    protected static void AssertOk(O.BsonDocument reply) =>
        Assert.True(reply["ok"].ToDouble() == 1.0, "expected ok: 1 but got " + reply);

    protected static void AssertError(O.BsonDocument reply, int code, string codeName, string? message = null)
    {
        Assert.True(reply["ok"].ToDouble() == 0.0, "expected an error but got " + reply);
        Assert.Equal(code, reply["code"].AsInt32);
        Assert.Equal(codeName, reply["codeName"].AsString);
        if (message is not null)
        {
            Assert.Equal(message, reply["errmsg"].AsString);
        }
    }

    protected static O.BsonArray Labels(O.BsonDocument reply) =>
        reply.TryGetValue("errorLabels", out O.BsonValue? labels) ? labels.AsBsonArray : [];

    protected static void AssertTransient(O.BsonDocument reply) =>
        Assert.Contains(new O.BsonString("TransientTransactionError"), Labels(reply));

    protected static void AssertNoLabels(O.BsonDocument reply) => Assert.Empty(Labels(reply));
}
