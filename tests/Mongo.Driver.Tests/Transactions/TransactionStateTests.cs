using Mongo.Bson;
using Mongo.Driver.Operations;
using Mongo.Driver.Tests.Api;
using Xunit;
using static Mongo.Driver.Tests.Transactions.TransactionTestKit;

namespace Mongo.Driver.Tests.Transactions;

/// <summary>
/// The transactions spec's state machine and the commands a transaction sends, checked on what reaches the executor (a
/// scripted fake): txnNumber, startTransaction, readConcern placement, the concerns and read preference inside a transaction.
/// </summary>
public sealed class TransactionStateTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Misuse_raises_the_specs_errors_without_changing_the_state(bool async)
    {
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();

        Assert.Contains("No transaction started", (await Assert.ThrowsAsync<MongoClientException>(() => CommitAsync(session, async))).Message);
        Assert.Contains("No transaction started", (await Assert.ThrowsAsync<MongoClientException>(() => AbortAsync(session, async))).Message);
        Assert.Equal(TransactionState.None, session.TransactionState);

        session.StartTransaction();
        Assert.Contains("Transaction already in progress", Assert.Throws<MongoClientException>(() => session.StartTransaction()).Message);
        Assert.Equal(TransactionState.Starting, session.TransactionState);
        Assert.True(session.IsInTransaction);

        await AbortAsync(session, async);
        Assert.Equal(TransactionState.Aborted, session.TransactionState);
        Assert.Contains("Cannot call commitTransaction after calling abortTransaction", (await Assert.ThrowsAsync<MongoClientException>(() => CommitAsync(session, async))).Message);
        Assert.Contains("Cannot call abortTransaction twice", (await Assert.ThrowsAsync<MongoClientException>(() => AbortAsync(session, async))).Message);
        Assert.Equal(TransactionState.Aborted, session.TransactionState);

        session.StartTransaction();
        await CommitAsync(session, async);
        Assert.Equal(TransactionState.Committed, session.TransactionState);
        await CommitAsync(session, async); // committing an empty transaction again is allowed and sends nothing either
        Assert.Contains("Cannot call abortTransaction after calling commitTransaction", (await Assert.ThrowsAsync<MongoClientException>(() => AbortAsync(session, async))).Message);
        Assert.Equal(TransactionState.Committed, session.TransactionState);

        // A transaction that ran no command exists only in the driver: neither commit nor abort was sent.
        Assert.Empty(fake.Sent);
    }

    [Fact]
    public void StartTransaction_refuses_snapshot_sessions_and_unacknowledged_write_concerns()
    {
        var (_, client) = FakeClient();
        using (MongoSession snapshot = client.StartSession(new SessionOptions { Snapshot = true }))
        {
            Assert.Contains("Transactions are not supported in snapshot sessions", Assert.Throws<MongoClientException>(() => snapshot.StartTransaction()).Message);
            Assert.Equal(TransactionState.None, snapshot.TransactionState);
        }

        using MongoSession session = client.StartSession();
        var error = Assert.Throws<MongoClientException>(() => session.StartTransaction(new TransactionOptions { WriteConcern = WriteConcern.Unacknowledged }));
        Assert.Contains("transactions do not support unacknowledged write concerns", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(TransactionState.None, session.TransactionState);
        Assert.Equal(0, session.ServerSession.TxnNumber);

        using MongoSession defaulted = client.StartSession(new SessionOptions { DefaultTransactionOptions = new TransactionOptions { WriteConcern = WriteConcern.Unacknowledged } });
        Assert.Throws<MongoClientException>(() => defaulted.StartTransaction());

        var (_, w0Client) = FakeClient(new MongoClientSettings { WriteConcern = WriteConcern.Unacknowledged });
        using MongoSession inherited = w0Client.StartSession();
        Assert.Throws<MongoClientException>(() => inherited.StartTransaction());
        inherited.StartTransaction(new TransactionOptions { WriteConcern = WriteConcern.Acknowledged }); // the transaction's own wins
        Assert.Equal(TransactionState.Starting, inherited.TransactionState);
    }

    [Fact]
    public void MaxCommitTime_must_be_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TransactionOptions { MaxCommitTime = TimeSpan.Zero });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_command_carries_the_txnNumber_and_only_the_first_startTransaction(bool async)
    {
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();
        var collection = Collection(client, session);

        session.StartTransaction();
        await InsertAsync(collection, async, new BsonDocument("_id", 1));
        Assert.Equal(TransactionState.InProgress, session.TransactionState);
        fake.Reply(FakeExecutor.CursorReply(0, "db.c", []));
        await FindAsync(collection, async);
        await CommitAsync(session, async);

        CommandOperation insert = Sent(fake, "insert")[0], find = Sent(fake, "find")[0], commit = Sent(fake, "commitTransaction")[0];
        Assert.True(insert.Transaction!.StartTransaction);
        Assert.False(find.Transaction!.StartTransaction);
        Assert.False(commit.Transaction!.StartTransaction);
        Assert.All(new[] { insert, find, commit }, m => Assert.Equal(1, m.Transaction!.TxnNumber));
        Assert.All(new[] { insert, find, commit }, m => Assert.Same(session.ServerSession, m.Session));
        Assert.Equal("admin", commit.Database);
        Assert.Equal(new BsonDocument("commitTransaction", 1), commit.Body);

        // The next transaction gets the next number; an operation after it is outside any transaction again.
        session.StartTransaction();
        await InsertAsync(collection, async, new BsonDocument("_id", 2));
        await AbortAsync(session, async);
        Assert.Equal(2, Sent(fake, "insert")[1].Transaction!.TxnNumber);
        Assert.Equal(2, Sent(fake, "abortTransaction")[0].Transaction!.TxnNumber);
        Assert.Equal(new BsonDocument("abortTransaction", 1), Sent(fake, "abortTransaction")[0].Body);

        await InsertAsync(collection, async, new BsonDocument("_id", 3));
        Assert.Null(Sent(fake, "insert")[2].Transaction);
        Assert.Equal(TransactionState.None, session.TransactionState);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Only_the_first_command_carries_the_transactions_read_concern_with_afterClusterTime(bool async)
    {
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();
        var collection = Collection(client, session).WithReadConcern(ReadConcern.Local);
        var operationTime = new BsonTimestamp(42, 1);
        fake.Reply(new BsonDocument { { "ok", 1.0 }, { "operationTime", operationTime } });
        await InsertAsync(collection, async, new BsonDocument("_id", 0)); // outside: the session learns an operationTime

        session.StartTransaction(new TransactionOptions { ReadConcern = ReadConcern.Majority });

        // An operation's own read concern is refused before anything is sent, and the transaction is still starting.
        var refused = await Assert.ThrowsAsync<MongoClientException>(() => FindAsync(collection, async, new FindOptions { ReadConcern = ReadConcern.Local }));
        Assert.Contains("Cannot set read concern after starting a transaction", refused.Message);
        Assert.Equal(TransactionState.Starting, session.TransactionState);

        await InsertAsync(collection, async, new BsonDocument("_id", 1));
        fake.Reply(FakeExecutor.CursorReply(0, "db.c", []));
        await FindAsync(collection, async);

        BsonDocument first = Sent(fake, "insert")[1].Body;
        Assert.Equal(new BsonDocument { { "level", "majority" }, { "afterClusterTime", operationTime } }, first["readConcern"]);
        Assert.False(Sent(fake, "find")[0].Body.Contains("readConcern")); // nor the collection's "local"
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Inside_a_transaction_handle_write_concerns_are_ignored_and_an_operations_own_is_refused(bool async)
    {
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();
        var unacknowledged = Collection(client, session).WithWriteConcern(WriteConcern.Unacknowledged);
        session.StartTransaction();

        var refused = await Assert.ThrowsAsync<MongoClientException>(() => InsertAsync(unacknowledged, async, new BsonDocument("_id", 1), new InsertOneOptions { WriteConcern = WriteConcern.Acknowledged }));
        Assert.Contains("Cannot set write concern after starting a transaction", refused.Message);
        Assert.Equal(TransactionState.Starting, session.TransactionState);
        Assert.Empty(fake.Sent);

        InsertOneResult result = async ? await unacknowledged.InsertOneAsync(new BsonDocument("_id", 1)) : unacknowledged.InsertOne(new BsonDocument("_id", 1));
        Assert.True(result.IsAcknowledged);
        CommandOperation insert = Sent(fake, "insert")[0];
        Assert.False(insert.MoreToCome);
        Assert.False(insert.Body.Contains("writeConcern"));

        // Outside the transaction the handle's w:0 applies again.
        await CommitAsync(session, async);
        var unbound = client.GetDatabase("db").GetCollection("c").WithWriteConcern(WriteConcern.Unacknowledged);
        await InsertAsync(unbound, async, new BsonDocument("_id", 2));
        Assert.True(Sent(fake, "insert")[1].MoreToCome);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Commit_and_abort_carry_the_transactions_write_concern_and_commit_its_max_commit_time(bool async)
    {
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();
        var collection = Collection(client, session);
        var options = new TransactionOptions { WriteConcern = new WriteConcern(2, TimeSpan.FromSeconds(5)), MaxCommitTime = TimeSpan.FromSeconds(3) };

        session.StartTransaction(options);
        await InsertAsync(collection, async, new BsonDocument("_id", 1));
        await CommitAsync(session, async);
        session.StartTransaction(options);
        await InsertAsync(collection, async, new BsonDocument("_id", 2));
        await AbortAsync(session, async);

        Assert.Equal(new BsonDocument { { "commitTransaction", 1 }, { "writeConcern", new BsonDocument { { "w", 2 }, { "wtimeout", 5000L } } }, { "maxTimeMS", 3000 } },
            Sent(fake, "commitTransaction")[0].Body);
        Assert.Equal(new BsonDocument { { "abortTransaction", 1 }, { "writeConcern", new BsonDocument { { "w", 2 }, { "wtimeout", 5000L } } } },
            Sent(fake, "abortTransaction")[0].Body);
        Assert.All(Sent(fake, "insert"), m => Assert.False(m.Body.Contains("writeConcern")));
        Assert.All(fake.Sent.Where(m => m.CommandName is "commitTransaction" or "abortTransaction"), m => Assert.True(m.IsWrite));
    }

    [Fact]
    public void Options_come_from_the_transaction_then_the_session_defaults_then_the_client()
    {
        var settings = new MongoClientSettings { ReadConcern = ReadConcern.Majority, WriteConcern = WriteConcern.WMajority, ReadPreference = ReadPreference.Nearest };
        var (_, client) = FakeClient(settings);
        var defaults = new TransactionOptions { WriteConcern = WriteConcern.Acknowledged, MaxCommitTime = TimeSpan.FromSeconds(7) };
        using MongoSession session = client.StartSession(new SessionOptions { DefaultTransactionOptions = defaults });

        session.StartTransaction(new TransactionOptions { ReadConcern = ReadConcern.Local });
        TransactionOptions applied = session.TransactionOptions!;
        Assert.Equal(ReadConcern.Local, applied.ReadConcern);          // the transaction's
        Assert.Equal(WriteConcern.Acknowledged, applied.WriteConcern); // the session's default
        Assert.Equal(TimeSpan.FromSeconds(7), applied.MaxCommitTime);
        Assert.Equal(ReadPreference.Nearest, applied.ReadPreference);  // the client's
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reads_need_a_primary_read_preference_inside_a_transaction_but_writes_are_not_checked(bool async)
    {
        var (fake, client) = FakeClient(new MongoClientSettings { ReadPreference = ReadPreference.Secondary });
        using MongoSession session = client.StartSession();
        var collection = Collection(client, session); // inherits secondary from the client

        // The transaction's primary overrides the handle's secondary.
        session.StartTransaction(new TransactionOptions { ReadPreference = ReadPreference.Primary });
        fake.Reply(FakeExecutor.CursorReply(0, "db.c", []));
        await FindAsync(collection, async);
        Assert.Equal(ReadPreferenceMode.Primary, Sent(fake, "find")[0].ReadPreference!.Mode);

        // An operation's own read preference wins, and must be primary too.
        var own = await Assert.ThrowsAsync<MongoClientException>(() => FindAsync(collection, async, new FindOptions { ReadPreference = ReadPreference.SecondaryPreferred }));
        Assert.Contains("read preference in a transaction must be primary", own.Message, StringComparison.OrdinalIgnoreCase);
        await AbortAsync(session, async);

        // Inherited from the client (no transaction option): writes run, reads fail before anything is sent.
        session.StartTransaction();
        await InsertAsync(collection, async, new BsonDocument("_id", 1));
        int sent = fake.Sent.Count;
        var read = await Assert.ThrowsAsync<MongoClientException>(() => FindAsync(collection, async));
        Assert.Contains("read preference in a transaction must be primary", read.Message, StringComparison.OrdinalIgnoreCase);
        var command = await Assert.ThrowsAsync<MongoClientException>(() => async
            ? collection.Database.RunCommandAsync(new BsonDocument("ping", 1))
            : Task.FromResult(collection.Database.RunCommand(new BsonDocument("ping", 1))));
        Assert.Contains("read preference in a transaction must be primary", command.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(sent, fake.Sent.Count);
        Assert.Equal(TransactionState.InProgress, session.TransactionState);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cursor_opened_in_a_transaction_sends_its_getMore_in_it(bool async)
    {
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();
        var collection = Collection(client, session);
        session.StartTransaction();
        fake.Reply(FakeExecutor.CursorReply(7, "db.c", [new BsonDocument("_id", 1)]));
        fake.Reply(FakeExecutor.CursorReply(0, "db.c", [new BsonDocument("_id", 2)], first: false));

        List<BsonDocument> all = await FindAsync(collection, async, new FindOptions { BatchSize = 1 });

        Assert.Equal(2, all.Count);
        CommandOperation getMore = Sent(fake, "getMore")[0];
        Assert.NotNull(getMore.Transaction);
        Assert.False(getMore.Transaction!.StartTransaction);
        Assert.Equal(1, getMore.Transaction.TxnNumber);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ending_a_session_aborts_its_open_transaction(bool async)
    {
        var (fake, client) = FakeClient();
        MongoSession session = client.StartSession();
        session.StartTransaction();
        await InsertAsync(Collection(client, session), async, new BsonDocument("_id", 1));
        fake.Reply(Error(251, "NoSuchTransaction", "TransientTransactionError")); // ignored: ending a session never fails

        if (async)
        {
            await session.DisposeAsync();
        }
        else
        {
            session.Dispose();
        }

        Assert.Single(Sent(fake, "abortTransaction"));
        Assert.Equal(TransactionState.Aborted, session.TransactionState);

        // A transaction that sent nothing needs no abort.
        MongoSession starting = client.StartSession();
        starting.StartTransaction();
        starting.Dispose();
        Assert.Single(Sent(fake, "abortTransaction"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_client_side_error_leaves_an_in_progress_transaction_in_progress(bool async)
    {
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();
        var collection = Collection(client, session);
        session.StartTransaction();
        await InsertAsync(collection, async, new BsonDocument("_id", 1));

        await Assert.ThrowsAsync<ArgumentException>(() => async
            ? collection.UpdateOneAsync(new BsonDocument("_id", 1), new BsonDocument("x", 1))
            : Task.FromResult(collection.UpdateOne(new BsonDocument("_id", 1), new BsonDocument("x", 1))));

        Assert.Equal(TransactionState.InProgress, session.TransactionState);
        Assert.Single(fake.Sent);
    }
}
