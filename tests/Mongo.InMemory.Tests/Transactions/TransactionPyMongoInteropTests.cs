using System.Diagnostics;
using Xunit;

namespace Mongo.InMemory.Tests.Transactions;

/// <summary>
/// Interop with another language's official driver: PyMongo's with_transaction commits a transfer, an aborted
/// transaction leaves nothing, and a write conflict carries TransientTransactionError. The issue that asked for
/// transactions was found this way (the server used to apply writes sent in a transaction at once).
/// </summary>
public sealed class TransactionPyMongoInteropTests : TransactionTestBase
{
    private const string Script = """
        import sys, pymongo
        client = pymongo.MongoClient(sys.argv[1], serverSelectionTimeoutMS=5000)
        accounts = client.txn.accounts
        accounts.insert_many([{'_id': 1, 'balance': 100}, {'_id': 2, 'balance': 100}])

        def transfer(session):
            accounts.update_one({'_id': 1}, {'$inc': {'balance': -30}}, session=session)
            accounts.update_one({'_id': 2}, {'$inc': {'balance': 30}}, session=session)

        with client.start_session() as session:
            session.with_transaction(transfer)

        with client.start_session() as session:
            session.start_transaction()
            accounts.insert_one({'_id': 3, 'balance': 1}, session=session)
            accounts.update_one({'_id': 1}, {'$set': {'balance': 0}}, session=session)
            session.abort_transaction()

        first, second = client.start_session(), client.start_session()
        first.start_transaction()
        accounts.update_one({'_id': 1}, {'$set': {'x': 1}}, session=first)
        second.start_transaction()
        try:
            accounts.update_one({'_id': 1}, {'$set': {'x': 2}}, session=second)
            print('conflict none')
        except pymongo.errors.OperationFailure as e:
            print('conflict', e.code, e.has_error_label('TransientTransactionError'))
        second.abort_transaction()
        first.commit_transaction()
        print('balances', ','.join(str(d['balance']) for d in accounts.find().sort('_id', 1)))
        print('x', accounts.find_one({'_id': 1})['x'])
        """;

    [SkippableFact]
    public async Task PyMongo_with_transaction_commits_abort_leaves_nothing_and_conflicts_are_labelled()
    {
        string? python = FindPythonWithPyMongo();
        Skip.If(python is null, "PyMongo is not installed (apt-get install python3-pymongo): the PyMongo interop test cannot run");

        var start = new ProcessStartInfo(python!) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(Server.ConnectionString);
        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        string stdout = await output;
        Assert.True(process.ExitCode == 0, "PyMongo script failed: " + stdout + await errors);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["conflict 112 True", "balances 70,130", "x 1"], lines);
    }

    /// <summary>A python3 that can import pymongo (the system one first: Debian's python3-pymongo installs there).</summary>
    private static string? FindPythonWithPyMongo()
    {
        foreach (string candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                var check = new ProcessStartInfo(candidate) { RedirectStandardOutput = true, RedirectStandardError = true };
                check.ArgumentList.Add("-c");
                check.ArgumentList.Add("import pymongo");
                using var process = Process.Start(check);
                if (process is null)
                {
                    continue;
                }

                process.WaitForExit(10_000);
                if (process.HasExited && process.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed
            }
        }

        return null;
    }
}
