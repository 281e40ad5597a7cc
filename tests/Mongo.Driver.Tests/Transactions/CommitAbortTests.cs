using Mongo.Bson;
using Mongo.Driver.Operations;
using Mongo.Driver.Tests.Api;
using Xunit;
using static Mongo.Driver.Tests.Transactions.TransactionTestKit;

namespace Mongo.Driver.Tests.Transactions;

/// <summary>
/// commitTransaction and abortTransaction against a scripted executor: the one retry (with w:majority for commit), the error
/// labels the transactions spec asks the driver to add, swallowed abort errors, mongos pinning and the recoveryToken.
/// </summary>
public sealed class CommitAbortTests
{
    private static async Task<(FakeExecutor Fake, MongoSession Session)> InProgressAsync(bool async, TransactionOptions? options = null, Mongo.Driver.Topology.ServerType serverType = Mongo.Driver.Topology.ServerType.RSPrimary)
    {
        var (fake, client) = FakeClient();
        fake.ServerType = serverType;
        MongoSession session = client.StartSession();
        session.StartTransaction(options);
        await InsertAsync(Collection(client, session), async, new BsonDocument("_id", 1));
        return (fake, session);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_commit_that_fails_with_a_network_error_is_retried_once_with_w_majority_and_wtimeout(bool async)
    {
        var (fake, session) = await InProgressAsync(async, new TransactionOptions { WriteConcern = new WriteConcern(2, TimeSpan.FromSeconds(5), journal: true) });
        fake.Reply(NetworkError());

        await CommitAsync(session, async);

        List<CommandOperation> commits = Sent(fake, "commitTransaction");
        Assert.Equal(2, commits.Count);
        Assert.Equal(new BsonDocument { { "w", 2 }, { "j", true }, { "wtimeout", 5000L } }, commits[0].Body["writeConcern"]);
        // Majority replaces w; the transaction's other write concern options stay.
        Assert.Equal(new BsonDocument { { "w", "majority" }, { "j", true }, { "wtimeout", 5000L } }, commits[1].Body["writeConcern"]);
        Assert.Equal(commits[0].Transaction!.TxnNumber, commits[1].Transaction!.TxnNumber);
        Assert.Equal(TransactionState.Committed, session.TransactionState);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Committing_again_asks_for_majority_with_a_ten_second_wtimeout(bool async)
    {
        var (fake, session) = await InProgressAsync(async);

        await CommitAsync(session, async);
        await CommitAsync(session, async);

        List<CommandOperation> commits = Sent(fake, "commitTransaction");
        Assert.False(commits[0].Body.Contains("writeConcern"));
        Assert.Equal(new BsonDocument { { "w", "majority" }, { "wtimeout", 10000L } }, commits[1].Body["writeConcern"]);
    }

    public static TheoryData<string, bool> CommitFailures()
    {
        var data = new TheoryData<string, bool>();
        foreach (string failure in new[] { "network", "retryableLabel", "maxTimeMS", "writeConcernTimeout", "unsatisfiableWriteConcern", "unknownReplWriteConcern", "interrupted", "noSuchTransaction", "serverSelection" })
        {
            data.Add(failure, false);
            data.Add(failure, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CommitFailures))]
    public async Task Commit_errors_get_the_labels_the_transactions_spec_lists(string failure, bool async)
    {
        var (fake, session) = await InProgressAsync(async);
        static BsonDocument WriteConcernError(int code) =>
            new() { { "ok", 1.0 }, { "writeConcernError", new BsonDocument { { "code", code }, { "errmsg", "scripted write concern error" } } } };

        // (reply of each attempt, commits expected, labels expected, labels not expected)
        (Func<CommandOperation, BsonDocument> Reply, int Attempts, string[] Has, string[] HasNot) scenario = failure switch
        {
            "network" => (NetworkError(), 2, ["UnknownTransactionCommitResult", "RetryableWriteError"], ["TransientTransactionError"]),
            "retryableLabel" => (_ => Error(10107, "NotWritablePrimary", "RetryableWriteError"), 2, ["UnknownTransactionCommitResult", "RetryableWriteError"], ["TransientTransactionError"]),
            "maxTimeMS" => (_ => Error(50, "MaxTimeMSExpired"), 1, ["UnknownTransactionCommitResult"], ["RetryableWriteError"]),
            "writeConcernTimeout" => (_ => WriteConcernError(64), 1, ["UnknownTransactionCommitResult"], ["RetryableWriteError"]),
            "unsatisfiableWriteConcern" => (_ => WriteConcernError(100), 1, [], ["UnknownTransactionCommitResult"]),
            "unknownReplWriteConcern" => (_ => WriteConcernError(79), 1, [], ["UnknownTransactionCommitResult"]),
            "interrupted" => (_ => Error(11601, "Interrupted"), 1, [], ["UnknownTransactionCommitResult", "RetryableWriteError", "TransientTransactionError"]),
            "noSuchTransaction" => (_ => Error(251, "NoSuchTransaction", "TransientTransactionError"), 1, ["TransientTransactionError"], ["UnknownTransactionCommitResult"]),
            "serverSelection" => (_ => throw new MongoTimeoutException("scripted server selection timeout"), 1, ["UnknownTransactionCommitResult"], ["TransientTransactionError", "RetryableWriteError"]),
            _ => throw new ArgumentOutOfRangeException(nameof(failure)),
        };
        fake.Reply(scenario.Reply).Reply(scenario.Reply);

        var error = await Assert.ThrowsAnyAsync<MongoException>(() => CommitAsync(session, async));

        Assert.Equal(scenario.Attempts, Sent(fake, "commitTransaction").Count);
        Assert.All(scenario.Has, label => Assert.True(error.HasErrorLabel(label), failure + " lacks " + label));
        Assert.All(scenario.HasNot, label => Assert.False(error.HasErrorLabel(label), failure + " has " + label));
        Assert.Equal(TransactionState.Committed, session.TransactionState); // even on error
        if (failure.Contains("WriteConcern", StringComparison.OrdinalIgnoreCase))
        {
            Assert.IsType<MongoWriteConcernException>(error);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_retried_commit_that_wrote_nothing_reports_the_first_error(bool async)
    {
        var (fake, session) = await InProgressAsync(async);
        fake.Reply(_ => Error(91, "ShutdownInProgress", "RetryableWriteError"));
        fake.Reply(_ => Error(10107, "NotWritablePrimary", "RetryableWriteError", "NoWritesPerformed"));

        var error = await Assert.ThrowsAnyAsync<MongoServerException>(() => CommitAsync(session, async));

        Assert.Equal(91, error.Code);
        Assert.True(error.HasErrorLabel("UnknownTransactionCommitResult"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Abort_errors_are_swallowed_and_a_retryable_one_is_retried_once(bool async)
    {
        var (fake, session) = await InProgressAsync(async);
        fake.Reply(_ => Error(112, "WriteConflict"));
        await AbortAsync(session, async);
        Assert.Single(Sent(fake, "abortTransaction"));
        Assert.Equal(TransactionState.Aborted, session.TransactionState);

        var (retried, again) = await InProgressAsync(async);
        retried.Reply(NetworkError()).Reply(NetworkError());
        await AbortAsync(again, async);
        Assert.Equal(2, Sent(retried, "abortTransaction").Count);
        Assert.Equal(TransactionState.Aborted, again.TransactionState);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Network_errors_inside_a_transaction_are_TransientTransactionErrors_and_move_it_in_progress(bool async)
    {
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();
        session.StartTransaction();
        fake.Reply(NetworkError());

        var error = await Assert.ThrowsAsync<MongoConnectionException>(() => InsertAsync(Collection(client, session), async, new BsonDocument("_id", 1)));

        Assert.True(error.HasErrorLabel("TransientTransactionError"));
        fake.Reply(_ => throw new MongoTimeoutException("scripted server selection timeout"));
        var selection = await Assert.ThrowsAsync<MongoTimeoutException>(() => InsertAsync(Collection(client, session), async, new BsonDocument("_id", 2)));
        Assert.True(selection.HasErrorLabel("TransientTransactionError"));
        Assert.False(error.HasErrorLabel("RetryableWriteError"));
        Assert.Equal(TransactionState.InProgress, session.TransactionState); // the first command completed, even on error
        Assert.Equal(2, Sent(fake, "insert").Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_sharded_transaction_is_pinned_to_its_first_mongos_until_the_next_one_starts(bool async)
    {
        var (fake, client) = FakeClient();
        fake.ServerType = Mongo.Driver.Topology.ServerType.Mongos;
        fake.Server = new MongoServerAddress("mongos-a", 27017);
        using MongoSession session = client.StartSession();
        var collection = Collection(client, session);

        session.StartTransaction();
        Assert.Null(session.PinnedServer);
        await InsertAsync(collection, async, new BsonDocument("_id", 1));
        Assert.Equal(fake.Server, session.PinnedServer);
        await InsertAsync(collection, async, new BsonDocument("_id", 2));
        await CommitAsync(session, async);

        Assert.Null(Sent(fake, "insert")[0].PinnedServer);
        Assert.Equal(fake.Server, Sent(fake, "insert")[1].PinnedServer);
        Assert.Equal(fake.Server, Sent(fake, "commitTransaction")[0].PinnedServer);
        Assert.Equal(fake.Server, session.PinnedServer); // commit may be called again: it does not unpin

        session.StartTransaction();
        Assert.Null(session.PinnedServer);
        await AbortAsync(session, async);

        // A replica set member never pins.
        fake.ServerType = Mongo.Driver.Topology.ServerType.RSPrimary;
        session.StartTransaction();
        await InsertAsync(collection, async, new BsonDocument("_id", 3));
        Assert.Null(session.PinnedServer);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_transient_error_or_an_unknown_commit_result_unpins_and_an_operation_outside_unpins(bool async)
    {
        var (fake, session) = await InProgressAsync(async, serverType: Mongo.Driver.Topology.ServerType.Mongos);
        var collection = Collection(session.Client, session);
        Assert.NotNull(session.PinnedServer);
        fake.Reply(_ => Error(112, "WriteConflict", "TransientTransactionError"));
        await Assert.ThrowsAsync<MongoCommandException>(() => InsertAsync(collection, async, new BsonDocument("_id", 2)));
        Assert.Null(session.PinnedServer);
        await AbortAsync(session, async);

        session.StartTransaction();
        await InsertAsync(collection, async, new BsonDocument("_id", 3));
        Assert.NotNull(session.PinnedServer);
        fake.Reply(NetworkError()); // the retry of commit goes through server selection again, unpinned
        await CommitAsync(session, async);
        List<CommandOperation> commits = Sent(fake, "commitTransaction");
        Assert.NotNull(commits[0].PinnedServer);
        Assert.Null(commits[1].PinnedServer);

        session.StartTransaction();
        await InsertAsync(collection, async, new BsonDocument("_id", 4));
        await AbortAsync(session, async);
        Assert.Null(session.PinnedServer); // aborting unpins

        session.StartTransaction();
        await InsertAsync(collection, async, new BsonDocument("_id", 5));
        await CommitAsync(session, async);
        Assert.NotNull(session.PinnedServer);
        fake.Reply(FakeExecutor.CursorReply(0, "db.c", []));
        await FindAsync(collection, async); // an operation outside any transaction
        Assert.Null(session.PinnedServer);
        Assert.Null(Sent(fake, "find")[0].PinnedServer);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_latest_recoveryToken_is_sent_with_commit_and_abort_and_dropped_by_the_next_transaction(bool async)
    {
        var (fake, client) = FakeClient();
        fake.ServerType = Mongo.Driver.Topology.ServerType.Mongos;
        using MongoSession session = client.StartSession();
        var collection = Collection(client, session);
        session.StartTransaction();
        fake.Reply(new BsonDocument { { "ok", 1.0 }, { "n", 1 }, { "recoveryToken", new BsonDocument("token", 1) } });
        fake.Reply(new BsonDocument { { "ok", 1.0 }, { "n", 1 }, { "recoveryToken", new BsonDocument("token", 2) } });
        await InsertAsync(collection, async, new BsonDocument("_id", 1));
        await InsertAsync(collection, async, new BsonDocument("_id", 2));
        await CommitAsync(session, async);
        Assert.Equal(new BsonDocument("token", 2), Sent(fake, "commitTransaction")[0].Body["recoveryToken"]);

        session.StartTransaction();
        await InsertAsync(collection, async, new BsonDocument("_id", 3));
        await AbortAsync(session, async);
        Assert.False(Sent(fake, "abortTransaction")[0].Body.Contains("recoveryToken"));

        session.StartTransaction();
        fake.Reply(new BsonDocument { { "ok", 1.0 }, { "n", 1 }, { "recoveryToken", new BsonDocument("token", 3) } });
        await InsertAsync(collection, async, new BsonDocument("_id", 4));
        await AbortAsync(session, async);
        Assert.Equal(new BsonDocument("token", 3), Sent(fake, "abortTransaction")[1].Body["recoveryToken"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_client_bulk_write_with_a_session_runs_in_its_transaction(bool async)
    {
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();
        session.StartTransaction();
        var models = new ClientBulkWriteModel[] { new ClientInsertOneModel<BsonDocument>(new CollectionNamespace("db", "c"), new BsonDocument("_id", 1)) };
        fake.Reply(new BsonDocument { { "ok", 1.0 }, { "nErrors", 0 }, { "nInserted", 1 }, { "nMatched", 0 }, { "nModified", 0 }, { "nUpserted", 0 }, { "nDeleted", 0 },
            { "cursor", new BsonDocument { { "id", 0L }, { "firstBatch", new BsonArray() }, { "ns", "admin.$cmd.bulkWrite" } } } });

        var refused = await Assert.ThrowsAsync<MongoClientException>(() => async
            ? client.BulkWriteAsync(session, models, new ClientBulkWriteOptions { WriteConcern = WriteConcern.WMajority })
            : Task.FromResult(client.BulkWrite(session, models, new ClientBulkWriteOptions { WriteConcern = WriteConcern.WMajority })));
        Assert.Contains("Cannot set write concern after starting a transaction", refused.Message);

        ClientBulkWriteResult result = async ? await client.BulkWriteAsync(session, models) : client.BulkWrite(session, models);

        Assert.Equal(1, result.InsertedCount);
        CommandOperation bulk = Sent(fake, "bulkWrite")[0];
        Assert.True(bulk.Transaction!.StartTransaction);
        Assert.Same(session.ServerSession, bulk.Session);
        Assert.False(bulk.Body.Contains("writeConcern"));
    }
}
