using Mongo.Testing.Unified;
using Xunit;

namespace Mongo.Driver.Tests.Unified;

/// <summary>Server and report shared by every unified-test-format unified test.</summary>
public sealed class UnifiedFormatUnifiedFixture : UnifiedSuiteFixture
{
    /// <inheritdoc />
    protected override string SuiteName => "unified-test-format";
}

/// <summary>The unified test format's own valid-pass conformance tests (specs/unified-test-format/tests/valid-pass), in sync and async modes.</summary>
public sealed class UnifiedFormatUnifiedTests(UnifiedFormatUnifiedFixture fixture) : IClassFixture<UnifiedFormatUnifiedFixture>
{
    public static IEnumerable<object[]> Cases() => UnifiedSuite.Cases("unified-test-format/tests/valid-pass");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Run(string file, int index, string description, bool async) =>
        UnifiedSuite.RunCaseAsync(fixture, file, index, description, async);
}
