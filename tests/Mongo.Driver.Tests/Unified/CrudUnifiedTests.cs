using Mongo.Testing.Unified;
using Xunit;

namespace Mongo.Driver.Tests.Unified;

/// <summary>Server and report shared by every crud unified test.</summary>
public sealed class CrudUnifiedFixture : UnifiedSuiteFixture
{
    /// <inheritdoc />
    protected override string SuiteName => "crud";
}

/// <summary>MongoDB's unified CRUD tests (specs/crud/tests/unified), each test a case, in sync and async modes.</summary>
public sealed class CrudUnifiedTests(CrudUnifiedFixture fixture) : IClassFixture<CrudUnifiedFixture>
{
    public static IEnumerable<object[]> Cases() => UnifiedSuite.Cases("crud/tests/unified");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Run(string file, int index, string description, bool async) =>
        UnifiedSuite.RunCaseAsync(fixture, file, index, description, async);
}
