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
