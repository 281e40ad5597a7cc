using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Transactions;

/// <summary>Collections and indexes created inside transactions (as 8.0 allows), and cursors that belong to a transaction.</summary>
public sealed class TransactionCatalogAndCursorTests : TransactionTestBase
{
    [Fact]
    public async Task A_collection_created_explicitly_in_a_transaction_exists_only_after_commit()
    {
        using IClientSessionHandle session = await Client.StartSessionAsync();
        session.StartTransaction();
        await Client.GetDatabase(Db).CreateCollectionAsync(session, "fresh");
        Assert.DoesNotContain("fresh", await (await Client.GetDatabase(Db).ListCollectionNamesAsync()).ToListAsync());
        await session.CommitTransactionAsync();
        Assert.Contains("fresh", await (await Client.GetDatabase(Db).ListCollectionNamesAsync()).ToListAsync());
    }

    [Fact]
    public async Task A_collection_created_by_an_insert_in_an_aborted_transaction_does_not_exist()
    {
        using IClientSessionHandle session = await Client.StartSessionAsync();
        session.StartTransaction();
        await Client.GetDatabase(Db).GetCollection<O.BsonDocument>("fresh").InsertOneAsync(session, new O.BsonDocument("_id", 1));
        await session.AbortTransactionAsync();
        Assert.DoesNotContain("fresh", await (await Client.GetDatabase(Db).ListCollectionNamesAsync()).ToListAsync());
    }

    [Fact]
    public async Task An_index_on_a_collection_created_in_the_transaction_is_built_and_enforced_after_commit()
    {
        using IClientSessionHandle session = await Client.StartSessionAsync();
        var users = Client.GetDatabase(Db).GetCollection<O.BsonDocument>("users");
        session.StartTransaction();
        await users.Indexes.CreateOneAsync(session, new CreateIndexModel<O.BsonDocument>(new O.BsonDocument("email", 1), new CreateIndexOptions { Unique = true }));
        await users.InsertOneAsync(session, new O.BsonDocument { { "_id", 1 }, { "email", "a@x" } });
        var inside = await Assert.ThrowsAsync<MongoWriteException>(() => users.InsertOneAsync(session, new O.BsonDocument { { "_id", 2 }, { "email", "a@x" } }));
        Assert.Equal(ServerErrorCategory.DuplicateKey, inside.WriteError.Category);
        await session.AbortTransactionAsync();

        session.StartTransaction();
        await users.Indexes.CreateOneAsync(session, new CreateIndexModel<O.BsonDocument>(new O.BsonDocument("email", 1), new CreateIndexOptions { Unique = true }));
        await users.InsertOneAsync(session, new O.BsonDocument { { "_id", 1 }, { "email", "a@x" } });
        await session.CommitTransactionAsync();

        var names = (await (await users.Indexes.ListAsync()).ToListAsync()).Select(i => i["name"].AsString);
        Assert.Contains("email_1", names);
        var outside = await Assert.ThrowsAsync<MongoWriteException>(() => users.InsertOneAsync(new O.BsonDocument { { "_id", 2 }, { "email", "a@x" } }));
        Assert.Equal(ServerErrorCategory.DuplicateKey, outside.WriteError.Category);
    }

    [Fact]
    public async Task Creating_an_existing_collection_or_an_index_on_one_is_refused_in_a_transaction()
    {
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument("_id", 1))));
        var lsid = NewLsid();
        AssertError(await RunAsync(InTxn(new O.BsonDocument { { "create", "c" }, { "$db", Db } }, lsid, 1, start: true)), 48, "NamespaceExists");
        var index = new O.BsonDocument
        {
            { "createIndexes", "c" },
            { "indexes", new O.BsonArray { new O.BsonDocument { { "key", new O.BsonDocument("x", 1) }, { "name", "x_1" } } } },
            { "$db", Db },
        };
        AssertError(await RunAsync(InTxn(index, lsid, 2, start: true)), 263, "OperationNotSupportedInTransaction",
            "Cannot create new indexes on existing collection txn.c in a multi-document transaction.");
        var view = new O.BsonDocument { { "create", "v" }, { "viewOn", "c" }, { "pipeline", new O.BsonArray() }, { "$db", Db } };
        AssertError(await RunAsync(InTxn(view, lsid, 3, start: true)), 263, "OperationNotSupportedInTransaction");
    }

    [Fact]
    public async Task Two_transactions_creating_one_collection_conflict_and_an_outside_create_waits()
    {
        O.BsonDocument first = NewLsid(), second = NewLsid();
        AssertOk(await RunAsync(InTxn(Insert("fresh", new O.BsonDocument("_id", 1)), first, 1, start: true)));
        AssertError(await RunAsync(InTxn(new O.BsonDocument { { "create", "fresh" }, { "$db", Db } }, second, 1, start: true)), 112, "WriteConflict");

        var outside = Insert("fresh", new O.BsonDocument("_id", 2));
        outside.Add("maxTimeMS", 200);
        AssertError(await RunAsync(outside), 50, "MaxTimeMSExpired");
        AssertOk(await RunAsync(Commit(first, 1)));
        outside.Remove("maxTimeMS");
        AssertOk(await RunAsync(outside));
        Assert.Equal(2, (await ReadAllAsync("fresh")).Count);
    }

    [Fact]
    public async Task A_cursor_opened_in_a_transaction_is_read_only_in_it()
    {
        AssertOk(await RunAsync(Insert("c", Enumerable.Range(0, 5).Select(i => new O.BsonDocument("_id", i)).ToArray())));
        var lsid = NewLsid();
        var find = InTxn(Find("c"), lsid, 1, start: true);
        find.Add("batchSize", 2);
        var first = await RunAsync(find);
        long cursorId = first["cursor"]["id"].ToInt64();
        Assert.NotEqual(0, cursorId);

        var getMore = new O.BsonDocument { { "getMore", cursorId }, { "collection", "c" }, { "batchSize", 2 }, { "$db", Db } };
        AssertError(await RunAsync((O.BsonDocument)getMore.DeepClone()), 50740, "Location50740",
            $"Cannot run getMore on cursor {cursorId}, which was created in transaction 1, without a txnNumber");
        var inTxn = await RunAsync(InTxn((O.BsonDocument)getMore.DeepClone(), lsid, 1));
        AssertOk(inTxn);
        Assert.Equal(2, inTxn["cursor"]["nextBatch"].AsBsonArray.Count);

        // A cursor opened outside is not read in a transaction.
        var plain = Find("c");
        plain.Add("batchSize", 1);
        long outsideId = (await RunAsync(plain))["cursor"]["id"].ToInt64();
        var foreign = new O.BsonDocument { { "getMore", outsideId }, { "collection", "c" }, { "$db", Db } };
        AssertError(await RunAsync(InTxn(foreign, lsid, 1)), 50739, "Location50739",
            $"Cannot run getMore on cursor {outsideId}, which was not created in a transaction, in transaction 1");

        // Aborting kills the transaction's cursors.
        AssertOk(await RunAsync(Abort(lsid, 1)));
        var afterAbort = await RunAsync(InTxn((O.BsonDocument)getMore.DeepClone(), lsid, 2, start: true));
        AssertError(afterAbort, 43, "CursorNotFound");
    }

    [Fact]
    public async Task KillCursors_runs_in_a_transaction_but_cannot_start_one()
    {
        AssertOk(await RunAsync(Insert("c", new O.BsonDocument("_id", 1), new O.BsonDocument("_id", 2))));
        var lsid = NewLsid();
        var kill = new O.BsonDocument { { "killCursors", "c" }, { "cursors", new O.BsonArray { new O.BsonInt64(1) } }, { "$db", Db } };
        AssertError(await RunAsync(InTxn((O.BsonDocument)kill.DeepClone(), lsid, 1, start: true)), 263, "OperationNotSupportedInTransaction",
            "Cannot run killCursors as the first operation in a multi-document transaction.");
        var find = InTxn(Find("c"), lsid, 2, start: true);
        find.Add("batchSize", 1);
        long id = (await RunAsync(find))["cursor"]["id"].ToInt64();
        kill["cursors"] = new O.BsonArray { new O.BsonInt64(id) };
        var killed = await RunAsync(InTxn(kill, lsid, 2));
        Assert.Equal(id, killed["cursorsKilled"][0].ToInt64());
    }

    [Fact]
    public async Task BulkWrite_findAndModify_and_deletes_run_inside_a_transaction()
    {
        await SeedAccountsAsync();
        using IClientSessionHandle session = await Client.StartSessionAsync();
        session.StartTransaction();
        await Accounts.BulkWriteAsync(session,
        [
            new InsertOneModel<O.BsonDocument>(new O.BsonDocument { { "_id", 3 }, { "balance", 1 } }),
            new UpdateManyModel<O.BsonDocument>(new O.BsonDocument(), new O.BsonDocument("$inc", new O.BsonDocument("balance", 1))),
            new DeleteOneModel<O.BsonDocument>(new O.BsonDocument("_id", 2)),
        ]);
        var before = await Accounts.FindOneAndUpdateAsync(session, new O.BsonDocument("_id", 1), new O.BsonDocument("$set", new O.BsonDocument("balance", 0)));
        Assert.Equal(101, before["balance"].AsInt32);
        var client = await Client.BulkWriteAsync(session, [new BulkWriteInsertOneModel<O.BsonDocument>(Db + ".accounts", new O.BsonDocument("_id", 4))]);
        Assert.Equal(1, client.InsertedCount);
        Assert.Equal(2, (await ReadAllAsync("accounts")).Count); // nothing visible yet
        await session.CommitTransactionAsync();

        var after = await ReadAllAsync("accounts");
        Assert.Equal(new[] { 1, 3, 4 }, after.Select(d => d["_id"].AsInt32));
        Assert.Equal(0, after[0]["balance"].AsInt32);
        Assert.Equal(2, after[1]["balance"].AsInt32);
    }
}
