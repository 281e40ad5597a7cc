using Mongo.Driver.Tests.Telemetry;
using Mongo.Testing.Unified;
using Xunit;

namespace Mongo.Driver.Tests.Unified;

/// <summary>Server and report shared by the OpenTelemetry unified tests.</summary>
public sealed class OpenTelemetryUnifiedFixture : UnifiedSuiteFixture
{
    /// <inheritdoc />
    protected override string SuiteName => "open-telemetry";
}

/// <summary>
/// MongoDB's OpenTelemetry tests (specs/open-telemetry/tests/operation and /transaction): observeTracingMessages and
/// expectTracingMessages, in sync and async modes. They run when the spec data has the folder and skip, saying so, when
/// it does not. In the telemetry collection: the runner attaches a listener to the driver's process-wide source, which
/// the allocation checks of that collection must not see.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class OpenTelemetryUnifiedTests(OpenTelemetryUnifiedFixture fixture) : IClassFixture<OpenTelemetryUnifiedFixture>
{
    public static IEnumerable<object[]> Cases() =>
        UnifiedSuite.Cases("open-telemetry/tests/operation").Concat(UnifiedSuite.Cases("open-telemetry/tests/transaction"));

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Run(string file, int index, string description, bool async) =>
        UnifiedSuite.RunCaseAsync(fixture, file, index, description, async);
}
