using Mongo.Testing.Unified;
using Xunit;

namespace Mongo.Driver.Tests.Unified;

/// <summary>Server and report shared by every server-selection logging unified test.</summary>
public sealed class ServerSelectionLoggingUnifiedFixture : UnifiedSuiteFixture
{
    /// <inheritdoc />
    protected override string SuiteName => "server-selection-logging";

    /// <inheritdoc />
    /// <remarks>The replica-set tests count three members' heartbeats and step the primary down.</remarks>
    protected override int ReplicaSetMembers => 3;

    /// <inheritdoc />
    /// <remarks>The sharded and load-balanced tests are about monitoring, selection and logging, not data placement.</remarks>
    protected override bool RouterTopologiesInMemory => true;
}

/// <summary>MongoDB's unified server-selection logging tests (specs/server-selection/tests/logging), in sync and async modes.</summary>
public sealed class ServerSelectionLoggingUnifiedTests(ServerSelectionLoggingUnifiedFixture fixture) : IClassFixture<ServerSelectionLoggingUnifiedFixture>
{
    public static IEnumerable<object[]> Cases() => UnifiedSuite.Cases("server-selection/tests/logging");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Run(string file, int index, string description, bool async) =>
        UnifiedSuite.RunCaseAsync(fixture, file, index, description, async);
}
