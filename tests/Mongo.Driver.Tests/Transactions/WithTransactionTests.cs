using System.Diagnostics;
using Mongo.Bson;
using Mongo.Driver.Tests.Api;
using Xunit;
using static Mongo.Driver.Tests.Transactions.TransactionTestKit;

namespace Mongo.Driver.Tests.Transactions;

/// <summary>
/// WithTransaction (transactions-convenient-api spec) against a scripted executor: what it retries (the whole transaction on
/// TransientTransactionError, the commit alone on UnknownTransactionCommitResult), what it propagates, its time limit and backoff.
/// The spec's prose tests are here too: a callback's own error, a callback's value, the time limit and the backoff.
/// </summary>
public sealed class WithTransactionTests
{
    /// <summary>Runs WithTransaction in sync or async mode with a callback that inserts one document and counts its runs.</summary>
    private static async Task<TResult> RunAsync<TResult>(MongoSession session, bool async, Func<MongoSession, TResult> body, TransactionOptions? options = null)
    {
        if (async)
        {
            return await session.WithTransactionAsync(async (s, ct) =>
            {
                await Task.Yield();
                return body(s);
            }, options);
        }

        return session.WithTransaction((s, ct) => body(s), options);
    }

    private static int InsertOne(MongoSession session, ref int runs)
    {
        runs++;
        Collection(session.Client, session).InsertOne(new BsonDocument("_id", runs));
        return runs;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_callbacks_value_is_returned_once_the_transaction_is_committed(bool async)
    {
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();
        int runs = 0;

        string value = await RunAsync(session, async, s => "value " + InsertOne(s, ref runs), new TransactionOptions { WriteConcern = WriteConcern.WMajority });

        Assert.Equal("value 1", value);
        Assert.Equal(["insert", "commitTransaction"], fake.Sent.Select(m => m.CommandName));
        Assert.Equal(new BsonDocument("w", "majority"), Sent(fake, "commitTransaction")[0].Body["writeConcern"]);
        Assert.Equal(TransactionState.Committed, session.TransactionState);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_non_generic_overloads_commit_too(bool async)
    {
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();
        if (async)
        {
            await session.WithTransactionAsync((s, ct) => Collection(s.Client, s).InsertOneAsync(new BsonDocument("_id", 1), cancellationToken: ct));
        }
        else
        {
            session.WithTransaction((s, ct) => Collection(s.Client, s).InsertOne(new BsonDocument("_id", 1), cancellationToken: ct));
        }

        Assert.Equal(["insert", "commitTransaction"], fake.Sent.Select(m => m.CommandName));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_callback_error_without_labels_aborts_the_transaction_and_propagates_as_is(bool async)
    {
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();
        var custom = new InvalidOperationException("the application's own error");
        int runs = 0;

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync<int>(session, async, s =>
        {
            InsertOne(s, ref runs);
            throw custom;
        }));

        Assert.Same(custom, thrown);
        Assert.Equal(1, runs);
        Assert.Equal(["insert", "abortTransaction"], fake.Sent.Select(m => m.CommandName));
        Assert.Equal(TransactionState.Aborted, session.TransactionState);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_TransientTransactionError_in_the_callback_runs_the_whole_transaction_again(bool async)
    {
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();
        fake.Reply(_ => Error(112, "WriteConflict", "TransientTransactionError"));
        int runs = 0;

        int result = await RunAsync(session, async, s => InsertOne(s, ref runs));

        Assert.Equal(2, result);
        Assert.Equal(["insert", "abortTransaction", "insert", "commitTransaction"], fake.Sent.Select(m => m.CommandName));
        Assert.Equal([1L, 1L, 2L, 2L], fake.Sent.Select(m => m.Transaction!.TxnNumber));
        Assert.Equal(2, session.LastTransactionAttempts);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_unknown_commit_result_commits_again_without_running_the_callback_again(bool async)
    {
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();
        fake.Reply(new BsonDocument { { "ok", 1.0 }, { "n", 1 } }); // the insert
        fake.Reply(NetworkError()).Reply(NetworkError());          // the commit and its own retry
        int runs = 0;

        await RunAsync(session, async, s => InsertOne(s, ref runs));

        Assert.Equal(1, runs);
        var commits = Sent(fake, "commitTransaction");
        Assert.Equal(3, commits.Count);
        Assert.Equal("majority", commits[2].Body["writeConcern"].AsDocument["w"].AsString);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MaxTimeMSExpired_on_commit_is_not_retried(bool async)
    {
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();
        fake.Reply(new BsonDocument { { "ok", 1.0 }, { "n", 1 } });
        fake.Reply(_ => Error(50, "MaxTimeMSExpired"));
        int runs = 0;

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => RunAsync(session, async, s => InsertOne(s, ref runs), new TransactionOptions { MaxCommitTime = TimeSpan.FromMilliseconds(1) }));

        Assert.Equal(50, error.Code);
        Assert.True(error.HasErrorLabel("UnknownTransactionCommitResult"));
        Assert.Single(Sent(fake, "commitTransaction"));
        Assert.Equal(1, Sent(fake, "commitTransaction")[0].Body["maxTimeMS"].ToInt32());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_TransientTransactionError_on_commit_runs_the_whole_transaction_again(bool async)
    {
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();
        fake.Reply(new BsonDocument { { "ok", 1.0 }, { "n", 1 } });
        fake.Reply(_ => Error(251, "NoSuchTransaction", "TransientTransactionError"));
        int runs = 0;

        await RunAsync(session, async, s => InsertOne(s, ref runs));

        Assert.Equal(2, runs);
        Assert.Equal(["insert", "commitTransaction", "insert", "commitTransaction"], fake.Sent.Select(m => m.CommandName));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_callback_that_ends_the_transaction_itself_is_not_committed_again(bool async)
    {
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();
        int runs = 0;
        await RunAsync(session, async, s =>
        {
            InsertOne(s, ref runs);
            s.AbortTransaction();
            return 0;
        });
        Assert.Equal(["insert", "abortTransaction"], fake.Sent.Select(m => m.CommandName));

        await RunAsync(session, async, s =>
        {
            InsertOne(s, ref runs);
            s.CommitTransaction();
            return 0;
        });
        Assert.Single(Sent(fake, "commitTransaction"));
    }

    [Fact]
    public void A_transaction_already_in_progress_is_refused()
    {
        var (_, client) = FakeClient();
        using MongoSession session = client.StartSession();
        session.StartTransaction();
        bool ran = false;
        Assert.Throws<MongoClientException>(() => session.WithTransaction((_, _) => ran = true));
        Assert.False(ran);
    }

    public static TheoryData<string, bool> Endless()
    {
        var data = new TheoryData<string, bool>();
        foreach (string where in new[] { "callback", "commitUnknown", "commitTransient" })
        {
            data.Add(where, false);
            data.Add(where, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Endless))]
    public async Task Retries_stop_at_the_time_limit_with_a_timeout_error_that_keeps_the_last_errors_labels(string where, bool async)
    {
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();
        session.WithTransactionTimeLimitOverride = TimeSpan.FromMilliseconds(300);
        session.BackoffJitter = () => 0.0; // no backoff: retries run until the limit itself (a backoff would give up earlier, per the spec)
        string label = where == "commitUnknown" ? "UnknownTransactionCommitResult" : "TransientTransactionError";
        fake.Otherwise = message => message.CommandName switch
        {
            "insert" when where == "callback" => Error(112, "WriteConflict", "TransientTransactionError"),
            "commitTransaction" when where == "commitUnknown" => throw new MongoConnectionException("scripted network error"),
            "commitTransaction" when where == "commitTransient" => Error(251, "NoSuchTransaction", "TransientTransactionError"),
            _ => null,
        };
        int runs = 0;
        var watch = Stopwatch.StartNew();

        var timeout = await Assert.ThrowsAsync<MongoTimeoutException>(() => RunAsync(session, async, s => InsertOne(s, ref runs)));

        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
        Assert.True(timeout.HasErrorLabel(label));
        var inner = Assert.IsAssignableFrom<MongoException>(timeout.InnerException);
        Assert.True(inner.HasErrorLabel(label));
        Assert.True(runs >= (where == "commitUnknown" ? 1 : 2), runs + " runs");
        Assert.False(session.IsInTransaction);
    }

    [Theory]
    [InlineData("collection")]
    [InlineData("database")]
    public void A_timeoutMS_of_its_own_inside_the_callback_is_refused_before_sending(string level)
    {
        var (fake, client) = FakeClient(new MongoClientSettings { Timeout = TimeSpan.FromSeconds(30) });
        using MongoSession session = client.StartSession();
        var own = TimeSpan.FromMilliseconds(100);

        // CSOT spec, convenient transactions: the callback's operations share WithTransaction's one deadline, so an operation
        // with a timeoutMS of its own is a client error, and nothing reaches the server (the abort has nothing to end).
        var error = Assert.Throws<MongoClientException>(() => session.WithTransaction((s, ct) =>
        {
            var collection = level == "collection"
                ? Collection(client, s).WithTimeout(own)
                : client.GetDatabase("db").WithTimeout(own).GetCollection("c").WithSession(s);
            collection.InsertOne(new BsonDocument("_id", 1), cancellationToken: ct);
        }));
        Assert.Contains("timeoutMS", error.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Sent);
        Assert.False(session.IsInTransaction);

        // The client's timeoutMS inherited by a handle is no override; outside WithTransaction a handle's own one is fine.
        session.WithTransaction((s, ct) => Collection(client, s).InsertOne(new BsonDocument("_id", 2), cancellationToken: ct));
        Collection(client, session).WithTimeout(own).InsertOne(new BsonDocument("_id", 3));
        Assert.Equal(["insert", "commitTransaction", "insert"], fake.Sent.Select(m => m.CommandName));
    }

    [Fact]
    public void The_clients_timeoutMS_is_the_time_limit()
    {
        var (fake, client) = FakeClient(new MongoClientSettings { Timeout = TimeSpan.FromMilliseconds(300) });
        using MongoSession session = client.StartSession();
        session.BackoffJitter = () => 0.0;
        fake.Otherwise = message => message.CommandName == "insert" ? Error(112, "WriteConflict", "TransientTransactionError") : null;
        int runs = 0;
        var watch = Stopwatch.StartNew();

        // timeoutMS is set: the timeout error keeps the last transient error as its cause, labels included.
        var error = Assert.Throws<MongoOperationTimeoutException>(() => session.WithTransaction((s, _) => InsertOne(s, ref runs)));
        Assert.True(error.HasErrorLabel("TransientTransactionError"));
        Assert.IsAssignableFrom<MongoException>(error.InnerException);

        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Attempts_are_separated_by_a_growing_backoff(bool async)
    {
        // With the jitter at its maximum, eight retries wait 5 ms x (1 + 1.5 + ... + 1.5^7) = 246 ms at least.
        var (fake, client) = FakeClient();
        using MongoSession session = client.StartSession();
        session.BackoffJitter = () => 1.0;
        int failures = 8;
        fake.Otherwise = message => message.CommandName == "insert" && failures-- > 0 ? Error(112, "WriteConflict", "TransientTransactionError") : null;
        int runs = 0;
        var watch = Stopwatch.StartNew();

        await RunAsync(session, async, s => InsertOne(s, ref runs));

        Assert.Equal(9, runs);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(240), watch.Elapsed.TotalMilliseconds + " ms");

        // Without jitter the attempts follow each other at once: every backoff is zero.
        failures = 8;
        var waits = new List<TimeSpan>();
        session.BackoffJitter = () => 0.0;
        session.BackoffWaited = waits.Add;
        await RunAsync(session, async, s => InsertOne(s, ref runs));
        Assert.Equal(Enumerable.Repeat(TimeSpan.Zero, 8), waits);

        // With full jitter each wait is 5 ms x 1.5^(attempt - 1).
        failures = 8;
        waits.Clear();
        session.BackoffJitter = () => 1.0;
        await RunAsync(session, async, s => InsertOne(s, ref runs));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => TimeSpan.FromMilliseconds(5 * Math.Pow(1.5, i))), waits);
    }
}
