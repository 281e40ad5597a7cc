using Mongo.Testing.Unified;
using Xunit;

namespace Mongo.Driver.Tests.Unified;

/// <summary>Server and report shared by every client-side operations timeout unified test.</summary>
public sealed class CsotUnifiedFixture : UnifiedSuiteFixture
{
    /// <inheritdoc />
    protected override string SuiteName => "client-side-operations-timeout";
}

/// <summary>MongoDB's unified client-side operations timeout tests (specs/client-side-operations-timeout/tests), in sync and async modes.</summary>
public sealed class CsotUnifiedTests(CsotUnifiedFixture fixture) : IClassFixture<CsotUnifiedFixture>
{
    public static IEnumerable<object[]> Cases() => UnifiedSuite.Cases("client-side-operations-timeout/tests");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Run(string file, int index, string description, bool async) =>
        UnifiedSuite.RunCaseAsync(fixture, file, index, description, async);
}
