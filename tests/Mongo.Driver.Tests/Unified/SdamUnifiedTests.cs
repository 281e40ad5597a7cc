using Mongo.Testing.Unified;
using Xunit;

namespace Mongo.Driver.Tests.Unified;

/// <summary>Server and report shared by every SDAM unified test.</summary>
public sealed class SdamUnifiedFixture : UnifiedSuiteFixture
{
    /// <inheritdoc />
    protected override string SuiteName => "server-discovery-and-monitoring";

    /// <inheritdoc />
    /// <remarks>The replica-set tests count three members' heartbeats and step the primary down.</remarks>
    protected override int ReplicaSetMembers => 3;

    /// <inheritdoc />
    /// <remarks>The sharded and load-balanced tests are about monitoring, selection and logging, not data placement.</remarks>
    protected override bool RouterTopologiesInMemory => true;
}

/// <summary>MongoDB's unified SDAM tests (specs/server-discovery-and-monitoring/tests/unified), in sync and async modes.</summary>
public sealed class SdamUnifiedTests(SdamUnifiedFixture fixture) : IClassFixture<SdamUnifiedFixture>
{
    public static IEnumerable<object[]> Cases() => UnifiedSuite.Cases("server-discovery-and-monitoring/tests/unified");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Run(string file, int index, string description, bool async) =>
        UnifiedSuite.RunCaseAsync(fixture, file, index, description, async);
}
