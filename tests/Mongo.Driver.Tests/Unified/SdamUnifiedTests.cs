using Mongo.Testing.Unified;
using Xunit;
using Xunit.Abstractions;

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
public sealed class SdamUnifiedTests(SdamUnifiedFixture fixture, ITestOutputHelper output) : IClassFixture<SdamUnifiedFixture>
{
    // Files whose clients use connectTimeoutMS of 250-500 ms with heartbeats every 500 ms, or a 250 ms socketTimeoutMS that
    // the operations after the expected timeout must also meet: on a loaded CI machine a healthy hello or insert can miss
    // that window once, which these tests rightly count as a failure. They get three attempts.
    private static readonly HashSet<string> s_timingSensitive = new(StringComparer.Ordinal)
    {
        "auth-network-timeout-error.json", "find-network-timeout-error.json", "hello-command-error.json", "hello-network-error.json",
        "hello-timeout.json", "interruptInUse-pool-clear.json",
    };

    public static IEnumerable<object[]> Cases() => UnifiedSuite.Cases("server-discovery-and-monitoring/tests/unified");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Run(string file, int index, string description, bool async) =>
        UnifiedSuite.RunCaseAsync(fixture, file, index, description, async, s_timingSensitive.Contains(Path.GetFileName(file)) ? 3 : 1, output.WriteLine);
}
