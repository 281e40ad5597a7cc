using Mongo.Testing.Unified;
using Xunit;

namespace Mongo.Driver.Tests.Unified;

/// <summary>Server and report shared by the command logging and monitoring unified tests.</summary>
public sealed class CommandLoggingUnifiedFixture : UnifiedSuiteFixture
{
    /// <inheritdoc />
    protected override string SuiteName => "command-logging";
}

/// <summary>Server and report shared by the command monitoring unified tests.</summary>
public sealed class CommandMonitoringUnifiedFixture : UnifiedSuiteFixture
{
    /// <inheritdoc />
    protected override string SuiteName => "command-monitoring";
}

/// <summary>
/// MongoDB's command logging tests (specs/command-logging-and-monitoring/tests/logging): observeLogMessages and
/// expectLogMessages, in sync and async modes.
/// </summary>
public sealed class CommandLoggingUnifiedTests(CommandLoggingUnifiedFixture fixture) : IClassFixture<CommandLoggingUnifiedFixture>
{
    public static IEnumerable<object[]> Cases() => UnifiedSuite.Cases("command-logging-and-monitoring/tests/logging");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Run(string file, int index, string description, bool async) =>
        UnifiedSuite.RunCaseAsync(fixture, file, index, description, async);
}

/// <summary>MongoDB's command monitoring tests (specs/command-logging-and-monitoring/tests/monitoring), in sync and async modes.</summary>
public sealed class CommandMonitoringUnifiedTests(CommandMonitoringUnifiedFixture fixture) : IClassFixture<CommandMonitoringUnifiedFixture>
{
    public static IEnumerable<object[]> Cases() => UnifiedSuite.Cases("command-logging-and-monitoring/tests/monitoring");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Run(string file, int index, string description, bool async) =>
        UnifiedSuite.RunCaseAsync(fixture, file, index, description, async);
}
