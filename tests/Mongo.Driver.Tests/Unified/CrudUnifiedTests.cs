using Mongo.Testing;
using Mongo.Testing.Unified;
using Xunit;

namespace Mongo.Driver.Tests.Unified;

/// <summary>Server and report shared by every CRUD unified test; prints the per-file summary at the end.</summary>
public sealed class CrudUnifiedFixture : MongoServerFixture, IAsyncLifetime
{
    /// <summary>Pass/skip/fail per file.</summary>
    public UnifiedReport Report { get; } = new();

    Task IAsyncLifetime.InitializeAsync() => InitializeAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        Report.Write("crud");
        await DisposeAsync();
    }
}

/// <summary>MongoDB's unified CRUD tests (specs/crud/tests/unified), each test a case, in sync and async modes.</summary>
public sealed class CrudUnifiedTests : IClassFixture<CrudUnifiedFixture>
{
    private const string Folder = "crud/tests/unified";
    private readonly CrudUnifiedFixture _fixture;

    public CrudUnifiedTests(CrudUnifiedFixture fixture) => _fixture = fixture;

    public static IEnumerable<object[]> Cases() =>
        UnifiedTestRunner.Cases(Folder).SelectMany(c => new[] { (object[])[.. c, false], [.. c, true] });

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public async Task Run(string file, int index, string description, bool async)
    {
        Skip.If(index < 0, description);
        var name = Path.GetFileName(file) + " #" + index + " " + description + (async ? " (async)" : " (sync)");
        await using var runner = new UnifiedTestRunner(_fixture.ConnectionString, _fixture.Kind == MongoBackendKind.InMemory);
        try
        {
            await runner.RunAsync(file, index, async);
        }
        catch (UnifiedSkipException skip)
        {
            _fixture.Report.Record(Path.GetFileName(file), name, "skip", skip.Message);
            Skip.If(true, skip.Message);
        }
        catch (Exception ex)
        {
            _fixture.Report.Record(Path.GetFileName(file), name, "fail", ex.GetType().Name + ": " + ex.Message);
            throw;
        }

        _fixture.Report.Record(Path.GetFileName(file), name, "pass");
    }
}
