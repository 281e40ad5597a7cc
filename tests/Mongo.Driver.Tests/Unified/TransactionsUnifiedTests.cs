using Mongo.Testing.Unified;
using Xunit;
using Xunit.Abstractions;

namespace Mongo.Driver.Tests.Unified;

/// <summary>Server and report shared by every transactions unified test.</summary>
public sealed class TransactionsUnifiedFixture : UnifiedSuiteFixture
{
    /// <inheritdoc />
    protected override string SuiteName => "transactions";

    /// <inheritdoc />
    /// <remarks>About retries, not monitoring: a state-change error's retry need not wait for the next streamed hello.</remarks>
    public override bool PollingMonitorsInFailPointTests => true;
}

/// <summary>MongoDB's unified transactions tests (specs/transactions/tests/unified), in sync and async modes.</summary>
public sealed class TransactionsUnifiedTests(TransactionsUnifiedFixture fixture, ITestOutputHelper output) : IClassFixture<TransactionsUnifiedFixture>
{
    // A client with socketTimeoutMS of 100 ms whose last commit (w:majority on a replica set) must answer within it: on a
    // loaded CI machine a healthy commit can miss that window once. Every failed attempt is printed; the last one counts.
    private static readonly HashSet<string> s_timingSensitive = new(StringComparer.Ordinal) { "error-labels-blockConnection.json" };

    public static IEnumerable<object[]> Cases() => UnifiedSuite.Cases("transactions/tests/unified");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Run(string file, int index, string description, bool async) =>
        UnifiedSuite.RunCaseAsync(fixture, file, index, description, async, s_timingSensitive.Contains(Path.GetFileName(file)) ? 3 : 1, output.WriteLine);
}
