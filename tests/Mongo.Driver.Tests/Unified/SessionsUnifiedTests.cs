using Mongo.Testing.Unified;
using Xunit;

namespace Mongo.Driver.Tests.Unified;

/// <summary>Server and report shared by every sessions unified test.</summary>
public sealed class SessionsUnifiedFixture : UnifiedSuiteFixture
{
    /// <inheritdoc />
    protected override string SuiteName => "sessions";
}

/// <summary>MongoDB's unified sessions tests (specs/sessions/tests), in sync and async modes.</summary>
public sealed class SessionsUnifiedTests(SessionsUnifiedFixture fixture) : IClassFixture<SessionsUnifiedFixture>
{
    public static IEnumerable<object[]> Cases() => UnifiedSuite.Cases("sessions/tests");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Run(string file, int index, string description, bool async) =>
        UnifiedSuite.RunCaseAsync(fixture, file, index, description, async);
}
