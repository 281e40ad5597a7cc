using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Transactions;

/// <summary>
/// The error labels mongod computes for transactions (the transactions spec's error-labels tests rely on them), with
/// errors injected by the failCommand fail point.
/// </summary>
public sealed class TransactionErrorLabelTests : TransactionTestBase
{
    [Theory]
    [InlineData("insert", 10107, new[] { "TransientTransactionError" })] // a step-down inside a transaction: retry it whole
    [InlineData("insert", 112, new[] { "TransientTransactionError" })]
    [InlineData("insert", 251, new[] { "TransientTransactionError" })]
    [InlineData("aggregate", 50, new string[0])]
    [InlineData("commitTransaction", 251, new[] { "TransientTransactionError" })]
    [InlineData("commitTransaction", 91, new[] { "RetryableWriteError", "UnknownTransactionCommitResult" })]
    [InlineData("commitTransaction", 50, new[] { "UnknownTransactionCommitResult" })]
    [InlineData("abortTransaction", 91, new[] { "RetryableWriteError" })]
    public async Task Errors_in_a_transaction_get_mongods_labels(string command, int code, string[] labels)
    {
        var lsid = NewLsid();
        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 0)), lsid, 1, start: true)));
        await FailAsync(new O.BsonDocument { { "failCommands", new O.BsonArray { command } }, { "errorCode", code } });

        var reply = await RunAsync(Statement(command, lsid));

        AssertError(reply, code, reply["codeName"].AsString);
        Assert.Equal(labels, Labels(reply).Select(l => l.AsString));
    }

    [Theory]
    [InlineData("insert", 91, new string[0])] // a statement's write concern error is no transaction's business
    [InlineData("commitTransaction", 64, new[] { "UnknownTransactionCommitResult" })]
    [InlineData("commitTransaction", 50, new[] { "UnknownTransactionCommitResult" })]
    [InlineData("commitTransaction", 91, new[] { "RetryableWriteError", "UnknownTransactionCommitResult" })]
    [InlineData("commitTransaction", 100, new string[0])]
    [InlineData("commitTransaction", 79, new string[0])]
    public async Task Write_concern_errors_in_a_transaction_get_mongods_labels(string command, int code, string[] labels)
    {
        var lsid = NewLsid();
        AssertOk(await RunAsync(InTxn(Insert("c", new O.BsonDocument("_id", 0)), lsid, 1, start: true)));
        await FailAsync(new O.BsonDocument
        {
            { "failCommands", new O.BsonArray { command } },
            { "writeConcernError", new O.BsonDocument { { "code", code }, { "errmsg", "injected" } } },
        });

        var reply = await RunAsync(Statement(command, lsid));

        AssertOk(reply);
        Assert.Equal(code, reply["writeConcernError"]["code"].AsInt32);
        Assert.Equal(labels, Labels(reply).Select(l => l.AsString));
    }

    private static O.BsonDocument Statement(string command, O.BsonDocument lsid) => command switch
    {
        "insert" => InTxn(Insert("c", new O.BsonDocument("_id", 1)), lsid, 1),
        "aggregate" => InTxn(new O.BsonDocument { { "aggregate", "c" }, { "pipeline", new O.BsonArray() }, { "cursor", new O.BsonDocument() }, { "$db", Db } }, lsid, 1),
        "commitTransaction" => Commit(lsid, 1),
        _ => Abort(lsid, 1),
    };

    private async Task FailAsync(O.BsonDocument data) =>
        AssertOk(await RunAsync(new O.BsonDocument
        {
            { "configureFailPoint", "failCommand" },
            { "mode", new O.BsonDocument("times", 1) },
            { "data", data },
            { "$db", "admin" },
        }));
}
