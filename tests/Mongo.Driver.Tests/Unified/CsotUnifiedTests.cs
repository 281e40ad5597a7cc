using Mongo.Testing.Unified;
using Xunit;
using Xunit.Abstractions;

namespace Mongo.Driver.Tests.Unified;

/// <summary>Server and report shared by every client-side operations timeout unified test.</summary>
public sealed class CsotUnifiedFixture : UnifiedSuiteFixture
{
    /// <inheritdoc />
    protected override string SuiteName => "client-side-operations-timeout";
}

/// <summary>Runs the timeout suite alone: its budgets are tens of milliseconds, which other test classes' load would eat.</summary>
[CollectionDefinition(nameof(CsotCollection), DisableParallelization = true)]
public sealed class CsotCollection;

/// <summary>MongoDB's unified client-side operations timeout tests (specs/client-side-operations-timeout/tests), in sync and async modes.</summary>
[Collection(nameof(CsotCollection))]
public sealed class CsotUnifiedTests(CsotUnifiedFixture fixture, ITestOutputHelper output) : IClassFixture<CsotUnifiedFixture>
{
    public static IEnumerable<object[]> Cases() => UnifiedSuite.Cases("client-side-operations-timeout/tests");

    // Every test races budgets of tens of milliseconds against blocked fail points: on a loaded CI machine one attempt
    // can lose that race although the driver is right. Three attempts; each failed one is printed, only the last counts.
    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Run(string file, int index, string description, bool async) =>
        UnifiedSuite.RunCaseAsync(fixture, file, index, description, async, attempts: 3, output.WriteLine);
}
