using System.Text.RegularExpressions;
using Bank;
using Mongo.InMemory;
using Xunit;

namespace Mongo.Driver.Tests.Samples;

/// <summary>samples/Bank in both modes: the total is conserved and the last line says so.</summary>
public sealed class BankSampleTests
{
    private static async Task<(int Exit, string[] Lines)> RunAsync(BankOptions options)
    {
        var output = new StringWriter();
        int exit;
        if (Environment.GetEnvironmentVariable("MONGODB_URI") is { Length: > 0 } uri)
        {
            exit = await BankRun.RunAsync(uri, options with { Database = "bank_test" }, output);
        }
        else
        {
            await using var server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
            exit = await BankRun.RunAsync(server.ConnectionString, options, output);
        }

        return (exit, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static void AssertConserved(int exit, string[] lines)
    {
        Assert.Equal(0, exit);
        var last = Regex.Match(lines[^1], @"^conserved: ([0-9,]+\.[0-9]{2}) == ([0-9,]+\.[0-9]{2})$");
        Assert.True(last.Success, lines[^1]);
        Assert.Equal(last.Groups[1].Value, last.Groups[2].Value);
        Assert.Equal(BankRun.AccountCount + 1, lines.SkipWhile(l => l != "balances before:").Skip(1).TakeWhile(l => l.StartsWith("ACC-", StringComparison.Ordinal) || l.StartsWith("total", StringComparison.Ordinal)).Count());
        Assert.Equal(BankRun.ClosedCount, lines.Count(l => l.StartsWith("closed ACC-", StringComparison.Ordinal)));
        Assert.Equal(BankRun.AccountCount - BankRun.ClosedCount + 1, lines.SkipWhile(l => l != "balances after:").Skip(1).TakeWhile(l => l.StartsWith("ACC-", StringComparison.Ordinal) || l.StartsWith("total", StringComparison.Ordinal)).Count());
    }

    [Fact]
    public async Task Sequential_mode_moves_half_a_balance_and_conserves_the_total()
    {
        var (exit, lines) = await RunAsync(new BankOptions(Seed: 11));
        AssertConserved(exit, lines);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^moved [0-9,]+\.[0-9]{2} from ACC-\S+ to ACC-\S+ in a transaction \(0 retries\)$"));
    }

    [Fact]
    public async Task Concurrent_mode_retries_write_conflicts_and_conserves_the_total()
    {
        var (exit, lines) = await RunAsync(new BankOptions(Concurrent: true, Rounds: 20, Seed: 5));
        AssertConserved(exit, lines);
        var summary = Regex.Match(Assert.Single(lines, l => l.StartsWith("concurrent:", StringComparison.Ordinal)), @"made (\d+) transfers among \d+ accounts; (\d+) retries");
        Assert.Equal(BankRun.Tasks * 20, int.Parse(summary.Groups[1].Value));
        // Eight tasks over six accounts collide: the retry loop is exercised, not just present.
        Assert.True(int.Parse(summary.Groups[2].Value) > 0, "no write conflict was retried");
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Equal(new BankOptions(Concurrent: true, Rounds: 3, Seed: 9), Bank.Program.Parse(["--concurrent", "--rounds", "3", "--seed", "9"]));
        Assert.Throws<ArgumentException>(() => Bank.Program.Parse(["--rounds", "0"]));
        Assert.Throws<ArgumentException>(() => Bank.Program.Parse(["--what"]));
    }
}
