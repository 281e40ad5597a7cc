using Mongo.Testing.Unified;
using Xunit;

namespace Mongo.Driver.Tests.Unified;

/// <summary>Server and report shared by every retryable-writes unified test.</summary>
public sealed class RetryableWritesUnifiedFixture : UnifiedSuiteFixture
{
    /// <inheritdoc />
    protected override string SuiteName => "retryable-writes";

    /// <inheritdoc />
    /// <remarks>About retries, not monitoring: a state-change error's retry need not wait for the next streamed hello.</remarks>
    public override bool PollingMonitorsInFailPointTests => true;
}

/// <summary>MongoDB's unified retryable-writes tests (specs/retryable-writes/tests/unified), in sync and async modes.</summary>
public sealed class RetryableWritesUnifiedTests(RetryableWritesUnifiedFixture fixture) : IClassFixture<RetryableWritesUnifiedFixture>
{
    public static IEnumerable<object[]> Cases() => UnifiedSuite.Cases("retryable-writes/tests/unified");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Run(string file, int index, string description, bool async) =>
        UnifiedSuite.RunCaseAsync(fixture, file, index, description, async);
}
