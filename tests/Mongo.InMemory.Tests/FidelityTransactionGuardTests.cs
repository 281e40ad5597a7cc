using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>
/// Nothing sent within a transaction is applied outside one: on a standalone server every txnNumber gets mongod's
/// IllegalOperation; on a replica set a transaction's writes stay invisible until it commits and vanish when it
/// aborts; malformed session fields get mongod's own validation errors. Each case checks the collection is unchanged.
/// </summary>
public sealed class FidelityTransactionGuardTests
{
    private const string Db = "txnguard";
    private const string Coll = "c";
    private static readonly O.BsonDocument s_seed = new() { { "_id", 0 }, { "x", 0 } };

    public static TheoryData<string> Writes() => new() { "insert", "update", "delete", "findAndModify" };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task On_a_standalone_a_write_that_starts_a_transaction_is_refused_and_not_applied(string write)
    {
        await using InMemoryMongoServer server = await StartSeededAsync(replicaSet: false);
        O.BsonDocument command = Write(write);
        AddTransactionFields(command, txnNumber: 1, startTransaction: true);

        O.BsonDocument reply = await RunAsync(server, command);

        AssertError(reply, 20, "IllegalOperation", "Transaction numbers are only allowed on a replica set member or mongos");
        Assert.False(reply.Contains("errorLabels")); // nothing a driver's withTransaction would retry
        await AssertUnchangedAsync(server);
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task On_a_replica_set_a_write_that_starts_a_transaction_is_not_applied_until_commit_and_never_after_abort(string write)
    {
        await using InMemoryMongoServer server = await StartSeededAsync(replicaSet: true);
        O.BsonDocument lsid = Lsid();
        O.BsonDocument command = Write(write);
        command.Add("lsid", lsid);
        AddTransactionFields(command, txnNumber: 1, startTransaction: true, withLsid: false);

        O.BsonDocument reply = await RunAsync(server, command);

        Assert.Equal(1.0, reply["ok"].ToDouble());
        await AssertUnchangedAsync(server); // run in the transaction: nothing visible outside it
        var abort = new O.BsonDocument { { "abortTransaction", 1 }, { "lsid", lsid }, { "txnNumber", new O.BsonInt64(1) }, { "autocommit", false }, { "$db", "admin" } };
        Assert.Equal(1.0, (await RunAsync(server, abort))["ok"].ToDouble());
        await AssertUnchangedAsync(server);
    }

    [Theory]
    [InlineData("insert", false)]
    [InlineData("insert", true)]
    [InlineData("update", true)]
    [InlineData("delete", true)]
    [InlineData("findAndModify", true)]
    public async Task A_later_statement_of_a_transaction_that_was_never_started_is_refused_and_not_applied(string write, bool replicaSet)
    {
        await using InMemoryMongoServer server = await StartSeededAsync(replicaSet);
        O.BsonDocument command = Write(write);
        AddTransactionFields(command, txnNumber: 1, startTransaction: false);

        O.BsonDocument reply = await RunAsync(server, command);

        if (replicaSet)
        {
            AssertError(reply, 251, "NoSuchTransaction", "Given transaction number 1 does not match any in-progress transactions. The active transaction number is -1");
            Assert.Equal(new O.BsonArray { "TransientTransactionError" }, reply["errorLabels"].AsBsonArray);
        }
        else
        {
            AssertError(reply, 20, "IllegalOperation");
        }

        await AssertUnchangedAsync(server);
    }

    [Fact]
    public async Task A_retryable_write_on_a_standalone_server_is_refused_as_mongod_refuses_it()
    {
        await using InMemoryMongoServer server = await StartSeededAsync(replicaSet: false);
        O.BsonDocument command = Write("insert");
        command.Add("lsid", Lsid());
        command.Add("txnNumber", new O.BsonInt64(1));

        O.BsonDocument reply = await RunAsync(server, command);

        AssertError(reply, 20, "IllegalOperation", "Transaction numbers are only allowed on a replica set member or mongos");
        await AssertUnchangedAsync(server);
    }

    [Fact]
    public async Task On_a_standalone_commitTransaction_and_abortTransaction_are_refused_and_nothing_is_committed()
    {
        await using InMemoryMongoServer server = await StartSeededAsync(replicaSet: false);
        O.BsonDocument lsid = Lsid();
        O.BsonDocument insert = Write("insert");
        insert.Add("lsid", lsid);
        AddTransactionFields(insert, txnNumber: 3, startTransaction: true, withLsid: false);
        await RunAsync(server, insert);

        foreach (string name in new[] { "commitTransaction", "abortTransaction" })
        {
            var command = new O.BsonDocument { { name, 1 }, { "lsid", lsid }, { "txnNumber", new O.BsonInt64(3) }, { "autocommit", false }, { "$db", "admin" } };
            O.BsonDocument reply = await RunAsync(server, command);
            AssertError(reply, 20, "IllegalOperation");
        }

        await AssertUnchangedAsync(server);
    }

    [Theory]
    [InlineData("commitTransaction", "admin", 125, "CommandFailed", "commitTransaction must be run within a transaction")]
    [InlineData("abortTransaction", "admin", 125, "CommandFailed", "abortTransaction must be run within a transaction")]
    [InlineData("commitTransaction", Db, 13, "Unauthorized", "commitTransaction may only be run against the admin database.")]
    public async Task CommitTransaction_without_session_fields_is_answered_as_mongod_answers_it(string name, string db, int code, string codeName, string message)
    {
        await using InMemoryMongoServer server = await StartSeededAsync(replicaSet: true);

        O.BsonDocument reply = await RunAsync(server, new O.BsonDocument { { name, 1 }, { "$db", db } });

        AssertError(reply, code, codeName, message);
    }

    public static TheoryData<string, int, string, string> InvalidSessionFields() => new()
    {
        // mongod's initializeOperationSessionInfo, in its order.
        { "autocommit=true", 72, "InvalidOptions", "Specifying autocommit=true is not allowed." },
        { "autocommit without txnNumber", 72, "InvalidOptions", "'autocommit' field requires a transaction number to also be specified" },
        { "startTransaction without autocommit", 72, "InvalidOptions", "'startTransaction' field requires 'autocommit' field to also be specified" },
        { "startTransaction=false", 72, "InvalidOptions", "Specifying startTransaction=false is not allowed." },
        { "txnNumber without lsid", 72, "InvalidOptions", "Transaction number requires a session ID to also be specified" },
        { "negative txnNumber", 72, "InvalidOptions", "Transaction number cannot be negative" },
        { "autocommit of type int", 14, "TypeMismatch", "BSON field 'OperationSessionInfo.autocommit' is the wrong type 'int', expected type 'bool'" },
    };

    [Theory]
    [MemberData(nameof(InvalidSessionFields))]
    public async Task Invalid_session_fields_get_mongods_validation_error_and_nothing_is_written(string @case, int code, string codeName, string message)
    {
        await using InMemoryMongoServer server = await StartSeededAsync(replicaSet: true);
        O.BsonDocument command = Write("insert");
        switch (@case)
        {
            case "autocommit=true":
                command.AddRange(new O.BsonDocument { { "lsid", Lsid() }, { "txnNumber", new O.BsonInt64(1) }, { "autocommit", true } });
                break;
            case "autocommit without txnNumber":
                command.AddRange(new O.BsonDocument { { "lsid", Lsid() }, { "autocommit", false }, { "startTransaction", true } });
                break;
            case "startTransaction without autocommit":
                command.AddRange(new O.BsonDocument { { "lsid", Lsid() }, { "txnNumber", new O.BsonInt64(1) }, { "startTransaction", true } });
                break;
            case "startTransaction=false":
                command.AddRange(new O.BsonDocument { { "lsid", Lsid() }, { "txnNumber", new O.BsonInt64(1) }, { "autocommit", false }, { "startTransaction", false } });
                break;
            case "txnNumber without lsid":
                command.AddRange(new O.BsonDocument { { "txnNumber", new O.BsonInt64(1) }, { "autocommit", false }, { "startTransaction", true } });
                break;
            case "negative txnNumber":
                command.AddRange(new O.BsonDocument { { "lsid", Lsid() }, { "txnNumber", new O.BsonInt64(-1) } });
                break;
            case "autocommit of type int":
                command.AddRange(new O.BsonDocument { { "lsid", Lsid() }, { "txnNumber", new O.BsonInt64(1) }, { "autocommit", 0 } });
                break;
        }

        O.BsonDocument reply = await RunAsync(server, command);

        AssertError(reply, code, codeName, message);
        await AssertUnchangedAsync(server);
    }

    [Fact]
    public async Task A_txnNumber_on_a_command_that_is_not_a_retryable_write_is_refused()
    {
        await using InMemoryMongoServer server = await StartSeededAsync(replicaSet: true);
        var find = new O.BsonDocument { { "find", Coll }, { "lsid", Lsid() }, { "txnNumber", new O.BsonInt64(1) }, { "$db", Db } };

        O.BsonDocument reply = await RunAsync(server, find);

        AssertError(reply, 50768, "NotARetryableWriteCommand",
            "txnNumber may only be provided for multi-document transactions and retryable write commands. autocommit:false was not provided, and find is not a retryable write command.");
    }

    [Theory]
    [InlineData("txnNumber", 50889, "Location50889", "It is illegal to provide a txnNumber for this command")]
    [InlineData("autocommit", 263, "OperationNotSupportedInTransaction", "This command is not supported in transactions")]
    public async Task A_command_that_needs_no_authentication_takes_no_transaction_fields(string field, int code, string codeName, string message)
    {
        await using InMemoryMongoServer server = await StartSeededAsync(replicaSet: true);
        var ping = new O.BsonDocument { { "ping", 1 }, { "lsid", Lsid() }, { "$db", "admin" } };
        ping.Add(field, field == "txnNumber" ? new O.BsonInt64(1) : false);

        AssertError(await RunAsync(server, ping), code, codeName, message);
    }

    [Fact]
    public async Task A_transaction_cannot_start_with_commitTransaction()
    {
        await using InMemoryMongoServer server = await StartSeededAsync(replicaSet: true);
        var command = new O.BsonDocument { { "commitTransaction", 1 }, { "$db", "admin" } };
        AddTransactionFields(command, txnNumber: 1, startTransaction: true);

        AssertError(await RunAsync(server, command), 263, "OperationNotSupportedInTransaction", "Cannot start a transaction with a commit");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_official_drivers_aborted_transaction_leaves_nothing_behind(bool async)
    {
        await using InMemoryMongoServer server = await StartSeededAsync(replicaSet: true);
        using var client = new MongoClient(server.ConnectionString);
        IMongoCollection<O.BsonDocument> collection = client.GetDatabase(Db).GetCollection<O.BsonDocument>(Coll);
        using IClientSessionHandle session = async ? await client.StartSessionAsync() : client.StartSession();

        session.StartTransaction();
        if (async)
        {
            await collection.InsertOneAsync(session, new O.BsonDocument("_id", 1));
            await collection.UpdateOneAsync(session, new O.BsonDocument("_id", 0), new O.BsonDocument("$set", new O.BsonDocument("x", 1)));
            await session.AbortTransactionAsync();
        }
        else
        {
            collection.InsertOne(session, new O.BsonDocument("_id", 1));
            collection.UpdateOne(session, new O.BsonDocument("_id", 0), new O.BsonDocument("$set", new O.BsonDocument("x", 1)));
            session.AbortTransaction();
        }

        await AssertUnchangedAsync(server);
    }

    [Fact]
    public async Task The_official_drivers_WithTransaction_commits_once()
    {
        await using InMemoryMongoServer server = await StartSeededAsync(replicaSet: true);
        using var client = new MongoClient(server.ConnectionString);
        IMongoCollection<O.BsonDocument> collection = client.GetDatabase(Db).GetCollection<O.BsonDocument>(Coll);
        using IClientSessionHandle session = await client.StartSessionAsync();

        int attempts = 0;
        await session.WithTransactionAsync(async (s, ct) =>
        {
            attempts++;
            await collection.InsertOneAsync(s, new O.BsonDocument("_id", 1), cancellationToken: ct);
            return true;
        });

        Assert.Equal(1, attempts);
        O.BsonDocument reply = await RunAsync(server, new O.BsonDocument { { "find", Coll }, { "$db", Db } });
        Assert.Equal(2, reply["cursor"]["firstBatch"].AsBsonArray.Count);
    }

    private static async Task<InMemoryMongoServer> StartSeededAsync(bool replicaSet)
    {
        InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = replicaSet ? "rs0" : null });
        O.BsonDocument reply = await RunAsync(server, new O.BsonDocument { { "insert", Coll }, { "documents", new O.BsonArray { s_seed } }, { "$db", Db } });
        Assert.Equal(1, reply["n"].ToInt32());
        return server;
    }

    /// <summary>A write that would change the seeded collection whatever it is: add a document, change or remove the seed.</summary>
    private static O.BsonDocument Write(string name) => name switch
    {
        "insert" => new O.BsonDocument { { "insert", Coll }, { "documents", new O.BsonArray { new O.BsonDocument("_id", 1) } }, { "$db", Db } },
        "update" => new O.BsonDocument
        {
            { "update", Coll },
            { "updates", new O.BsonArray { new O.BsonDocument { { "q", new O.BsonDocument("_id", 0) }, { "u", new O.BsonDocument("$set", new O.BsonDocument("x", 1)) } } } },
            { "$db", Db },
        },
        "delete" => new O.BsonDocument
        {
            { "delete", Coll },
            { "deletes", new O.BsonArray { new O.BsonDocument { { "q", new O.BsonDocument() }, { "limit", 0 } } } },
            { "$db", Db },
        },
        "findAndModify" => new O.BsonDocument
        {
            { "findAndModify", Coll },
            { "query", new O.BsonDocument("_id", 0) },
            { "update", new O.BsonDocument("$set", new O.BsonDocument("x", 1)) },
            { "$db", Db },
        },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>The fields a driver adds to a statement of a transaction (startTransaction only on the first).</summary>
    private static void AddTransactionFields(O.BsonDocument command, long txnNumber, bool startTransaction, bool withLsid = true)
    {
        if (withLsid)
        {
            command.Add("lsid", Lsid());
        }

        command.Add("txnNumber", new O.BsonInt64(txnNumber));
        if (startTransaction)
        {
            command.Add("startTransaction", true);
        }

        command.Add("autocommit", false);
    }

    private static O.BsonDocument Lsid() => new("id", new O.BsonBinaryData(Guid.NewGuid(), O.GuidRepresentation.Standard));

    private static async Task<O.BsonDocument> RunAsync(InMemoryMongoServer server, O.BsonDocument command)
    {
        using RawWireClient client = await RawWireClient.ConnectAsync(server.Port);
        await client.SendAsync(RawWireClient.OpMsg(command));
        RawWireClient.Reply? reply = await client.ReceiveAsync();
        Assert.NotNull(reply);
        return reply.Document;
    }

    private static void AssertError(O.BsonDocument reply, int code, string codeName, string? message = null)
    {
        Assert.Equal(0.0, reply["ok"].ToDouble());
        Assert.Equal(code, reply["code"].AsInt32);
        Assert.Equal(codeName, reply["codeName"].AsString);
        if (message is not null)
        {
            Assert.Equal(message, reply["errmsg"].AsString);
        }
    }

    private static async Task AssertUnchangedAsync(InMemoryMongoServer server)
    {
        O.BsonDocument reply = await RunAsync(server, new O.BsonDocument { { "find", Coll }, { "$db", Db } });
        O.BsonArray batch = reply["cursor"]["firstBatch"].AsBsonArray;
        Assert.Equal(s_seed, Assert.Single(batch).AsBsonDocument);
    }
}
