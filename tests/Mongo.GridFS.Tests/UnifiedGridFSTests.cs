using Mongo.Testing;
using Mongo.Testing.Unified;
using Xunit;

namespace Mongo.GridFS.Tests;

/// <summary>Server and report shared by every GridFS unified test; prints the per-file summary at the end.</summary>
public sealed class GridFSUnifiedFixture : MongoServerFixture, IAsyncLifetime
{
    /// <summary>Pass/skip/fail per file.</summary>
    public UnifiedReport Report { get; } = new();

    Task IAsyncLifetime.InitializeAsync() => InitializeAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        Report.Write("gridfs");
        await DisposeAsync();
    }
}

/// <summary>MongoDB's unified GridFS tests (specs/gridfs/tests), each test a case, in sync and async modes.</summary>
public sealed class UnifiedGridFSTests : IClassFixture<GridFSUnifiedFixture>
{
    private const string Folder = "gridfs/tests";
    private readonly GridFSUnifiedFixture _fixture;

    public UnifiedGridFSTests(GridFSUnifiedFixture fixture) => _fixture = fixture;

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
