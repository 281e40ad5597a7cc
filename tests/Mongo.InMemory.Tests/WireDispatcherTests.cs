using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Server;
using Mongo.InMemory.Wire;
using Xunit;

namespace Mongo.InMemory.Tests;

/// <summary>
/// The dispatcher with a counting fake "insert" handler: retryable-write memory, onPrimaryTransactionalWrite and
/// the error labels a 4.4+ server adds.
/// </summary>
public sealed class WireDispatcherTests : IDisposable
{
    private readonly ServerState _state = new(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
    private readonly CountingInsert _insert = new();
    private readonly CommandDispatcher _dispatcher;
    private readonly ConnectionInfo _connection = new() { Id = 1 };
    private readonly byte[] _sessionId = Guid.NewGuid().ToByteArray();

    public WireDispatcherTests() => _dispatcher = new CommandDispatcher(_state, [_insert]);

    public void Dispose() => _state.Dispose();

    private sealed class CountingInsert : ICommandHandler
    {
        public int Executions;

        public IReadOnlyList<string> Names { get; } = ["insert"];

        public BsonDocument Execute(CommandContext context)
        {
            int n = Interlocked.Increment(ref Executions);
            return new BsonDocument("n", n);
        }
    }

    private BsonDocument Insert(long? txnNumber)
    {
        var command = new BsonDocument { { "insert", "c" }, { "documents", new BsonArray { new BsonDocument("_id", 1) } } };
        command.Add("lsid", new BsonDocument("id", new BsonBinaryData(_sessionId, BsonBinarySubType.UuidStandard)));
        if (txnNumber is long txn)
        {
            command.Add("txnNumber", new BsonInt64(txn));
        }

        command.Add("$db", "test");
        return command;
    }

    private async Task<DispatchResult> RunAsync(BsonDocument command) =>
        await _dispatcher.ExecuteAsync(
            new WireRequest { RequestId = 1, OpCode = OpCode.Msg, Command = command, Database = command["$db"].AsString },
            _connection,
            CancellationToken.None);

    private Task<DispatchResult> ConfigureAsync(BsonDocument command)
    {
        command.Add("$db", "admin");
        return RunAsync(command);
    }

    [Fact]
    public async Task Retry_of_a_retryable_write_returns_the_first_reply_without_writing_again()
    {
        var first = await RunAsync(Insert(5));
        var retry = await RunAsync(Insert(5));
        Assert.Equal(1, _insert.Executions);
        Assert.Equal(first.Reply!["n"], retry.Reply!["n"]);
        Assert.Equal(1.0, retry.Reply["ok"].ToDouble());

        await RunAsync(Insert(6));
        Assert.Equal(2, _insert.Executions);

        var old = await RunAsync(Insert(5));
        Assert.Equal(225, old.Reply!["code"].AsInt32);
        Assert.Equal(2, _insert.Executions);

        await RunAsync(Insert(null)); // not retryable: always runs
        await RunAsync(Insert(null));
        Assert.Equal(4, _insert.Executions);
    }

    [Fact]
    public async Task OnPrimaryTransactionalWrite_commits_then_drops_the_connection()
    {
        await ConfigureAsync(new BsonDocument { { "configureFailPoint", "onPrimaryTransactionalWrite" }, { "mode", new BsonDocument("times", 1) } });
        var first = await RunAsync(Insert(1));
        Assert.True(first.CloseConnection);
        Assert.Equal(1, _insert.Executions);

        var retry = await RunAsync(Insert(1));
        Assert.False(retry.CloseConnection);
        Assert.Equal(1.0, retry.Reply!["ok"].ToDouble());
        Assert.Equal(1, _insert.Executions); // the retry did not write twice
    }

    [Fact]
    public async Task OnPrimaryTransactionalWrite_failBeforeCommit_does_not_write()
    {
        await ConfigureAsync(new BsonDocument
        {
            { "configureFailPoint", "onPrimaryTransactionalWrite" },
            { "mode", new BsonDocument("times", 1) },
            { "data", new BsonDocument("failBeforeCommitExceptionCode", 1) },
        });
        var first = await RunAsync(Insert(1));
        Assert.True(first.CloseConnection);
        Assert.Equal(0, _insert.Executions);
        var retry = await RunAsync(Insert(1));
        Assert.Equal(1.0, retry.Reply!["ok"].ToDouble());
        Assert.Equal(1, _insert.Executions);
    }

    [Fact]
    public async Task Retryable_error_on_a_retryable_write_gets_the_RetryableWriteError_label()
    {
        await ConfigureAsync(new BsonDocument
        {
            { "configureFailPoint", "failCommand" },
            { "mode", new BsonDocument("times", 2) },
            { "data", new BsonDocument { { "failCommands", new BsonArray { "insert" } }, { "errorCode", 91 } } },
        });
        var retryable = await RunAsync(Insert(1));
        Assert.Equal(91, retryable.Reply!["code"].AsInt32);
        Assert.Equal("ShutdownInProgress", retryable.Reply["codeName"].AsString);
        Assert.Equal(new BsonArray { "RetryableWriteError" }, retryable.Reply["errorLabels"]);

        var plain = await RunAsync(Insert(null));
        Assert.Equal(91, plain.Reply!["code"].AsInt32);
        Assert.False(plain.Reply.Contains("errorLabels"));
        Assert.True(plain.Reply.Contains("$clusterTime")); // replica-set mode gossips cluster time, errors included
        Assert.Equal(0, _insert.Executions);
    }

    [Fact]
    public async Task WriteConcernError_is_added_after_the_write_with_labels_at_the_top_level()
    {
        await ConfigureAsync(new BsonDocument
        {
            { "configureFailPoint", "failCommand" },
            { "mode", new BsonDocument("times", 1) },
            {
                "data", new BsonDocument
                {
                    { "failCommands", new BsonArray { "insert" } },
                    { "writeConcernError", new BsonDocument { { "code", 91 }, { "errmsg", "Replication is being shut down" }, { "errorLabels", new BsonArray { "RetryableWriteError" } } } },
                }
            },
        });
        var result = await RunAsync(Insert(1));
        Assert.Equal(1, _insert.Executions);
        Assert.Equal(1.0, result.Reply!["ok"].ToDouble());
        var wce = result.Reply["writeConcernError"].AsDocument;
        Assert.Equal(91, wce["code"].AsInt32);
        Assert.False(wce.Contains("codeName")); // as mongod: the fail point's document as given (the command-monitoring spec expects {code: 91} exactly)
        Assert.Equal("Replication is being shut down", wce["errmsg"].AsString);
        Assert.False(wce.Contains("errorLabels"));
        Assert.Equal(new BsonArray { "RetryableWriteError" }, result.Reply["errorLabels"]);
    }
}
