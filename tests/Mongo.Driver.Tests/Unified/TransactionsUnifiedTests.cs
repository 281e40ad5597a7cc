using Mongo.Testing.Unified;
using Xunit;

namespace Mongo.Driver.Tests.Unified;

/// <summary>Server and report shared by every transactions unified test.</summary>
public sealed class TransactionsUnifiedFixture : UnifiedSuiteFixture
{
    /// <inheritdoc />
    protected override string SuiteName => "transactions";
}

/// <summary>MongoDB's unified transactions tests (specs/transactions/tests/unified), in sync and async modes.</summary>
public sealed class TransactionsUnifiedTests(TransactionsUnifiedFixture fixture) : IClassFixture<TransactionsUnifiedFixture>
{
    public static IEnumerable<object[]> Cases() => UnifiedSuite.Cases("transactions/tests/unified");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Run(string file, int index, string description, bool async) =>
        UnifiedSuite.RunCaseAsync(fixture, file, index, description, async);
}
