using Mongo.Testing.Unified;
using Xunit;

namespace Mongo.GridFS.Tests;

/// <summary>Server and report shared by every gridfs unified test.</summary>
public sealed class GridFSUnifiedFixture : UnifiedSuiteFixture
{
    /// <inheritdoc />
    protected override string SuiteName => "gridfs";
}

/// <summary>MongoDB's unified GridFS tests (specs/gridfs/tests), each test a case, in sync and async modes.</summary>
public sealed class UnifiedGridFSTests(GridFSUnifiedFixture fixture) : IClassFixture<GridFSUnifiedFixture>
{
    public static IEnumerable<object[]> Cases() => UnifiedSuite.Cases("gridfs/tests");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Run(string file, int index, string description, bool async) =>
        UnifiedSuite.RunCaseAsync(fixture, file, index, description, async);
}
