using Xunit;
using Xunit.Abstractions;

namespace Mongo.Driver.Tests.Specs;

/// <summary>Prints the list of deliberately skipped spec cases so a test run shows them in one place.</summary>
public sealed class SpecSkipListTests(ITestOutputHelper output)
{
    [Fact]
    public void SkipListNamesExistingCasesWithReasons()
    {
        foreach (var (key, reason) in SpecSkips.SkippedAssertions)
        {
            output.WriteLine($"ASSERTION NOT MADE {key}: {reason}");
        }

        // Whole folders the runners leave out (kept beside each runner, listed here too).
        foreach (var (key, reason) in Topology.SdamSpecTests.NotRun.Select(p => ("server-discovery-and-monitoring/tests/" + p.Key, p.Value))
            .Concat(Topology.ServerSelectionSpecTests.NotRun.Select(p => ("server-selection/tests/" + p.Key, p.Value))))
        {
            output.WriteLine($"NOT RUN {key}: {reason}");
            Assert.False(string.IsNullOrWhiteSpace(reason));
        }

        foreach (var (key, reason) in SpecSkips.All)
        {
            output.WriteLine($"SKIPPED {key}: {reason}");
            Assert.False(string.IsNullOrWhiteSpace(reason));
            string file = key.Split(": ")[0];
            if (Mongo.Testing.SpecData.Root is { } root)
            {
                Assert.True(File.Exists(Path.Combine(root, file)), $"skip list names a missing file: {file}");
            }
        }
    }
}
