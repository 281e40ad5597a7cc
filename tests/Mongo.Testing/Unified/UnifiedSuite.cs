using Mongo.InMemory;
using Xunit;

namespace Mongo.Testing.Unified;

/// <summary>
/// Server and report shared by every test of one unified suite; prints the per-file summary when the suite ends.
/// Each suite derives one sealed fixture naming itself.
/// </summary>
public abstract class UnifiedSuiteFixture : MongoServerFixture, IAsyncLifetime
{
    /// <summary>The suite's name in the printed report (e.g. <c>crud</c>).</summary>
    protected abstract string SuiteName { get; }

    /// <summary>
    /// How many members the in-memory replica set has (1 by default). Suites about discovery and failover (SDAM,
    /// server-selection logging) need several: their tests count the members' heartbeats and step the primary down.
    /// </summary>
    protected virtual int ReplicaSetMembers => 1;

    /// <summary>The user of the authenticated in-memory replica set (tests with runOnRequirements auth: true).</summary>
    private const string AuthUser = "unified", AuthPassword = "unified-pwd";

    private readonly SemaphoreSlim _replicaSetLock = new(1, 1);
    private InMemoryMongoServer? _replicaSet;
    private InMemoryReplicaSet? _multiMemberSet;
    private InMemoryMongoServer? _authReplicaSet;

    /// <summary>Pass/skip/fail per file.</summary>
    public UnifiedReport Report { get; } = new();

    /// <summary>
    /// When the backend is Mongo.InMemory: a second in-memory server in single-node replica-set mode (started on first
    /// use), for tests whose only unmet requirement is the topology. Null for external servers, which are what they are.
    /// </summary>
    public async Task<string?> ReplicaSetConnectionStringAsync(bool auth = false)
    {
        if (Kind != MongoBackendKind.InMemory)
        {
            return null;
        }

        await _replicaSetLock.WaitAsync();
        try
        {
            if (!auth && ReplicaSetMembers > 1)
            {
                _multiMemberSet ??= await InMemoryReplicaSet.StartAsync(ReplicaSetMembers);
                return _multiMemberSet.ConnectionString;
            }

            if (!auth)
            {
                _replicaSet ??= await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
                return _replicaSet.ConnectionString;
            }

            if (_authReplicaSet is null)
            {
                var options = new InMemoryMongoServerOptions { ReplicaSetName = "rs0" };
                options.Users.Add(new InMemoryMongoUser(AuthUser, AuthPassword));
                _authReplicaSet = await InMemoryMongoServer.StartAsync(options);
            }

            return _authReplicaSet.ConnectionString.Replace("mongodb://", $"mongodb://{AuthUser}:{AuthPassword}@", StringComparison.Ordinal);
        }
        finally
        {
            _replicaSetLock.Release();
        }
    }

    Task IAsyncLifetime.InitializeAsync() => InitializeAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        Report.Write(SuiteName);
        if (_replicaSet is not null)
        {
            await _replicaSet.DisposeAsync();
        }

        if (_authReplicaSet is not null)
        {
            await _authReplicaSet.DisposeAsync();
        }

        if (_multiMemberSet is not null)
        {
            await _multiMemberSet.DisposeAsync();
        }

        _replicaSetLock.Dispose();
        await DisposeAsync();
    }
}

/// <summary>Runs unified test cases for the suites' thin xunit classes, recording each outcome in the report.</summary>
public static class UnifiedSuite
{
    /// <summary>Every case of a spec folder, once in sync and once in async mode.</summary>
    public static IEnumerable<object[]> Cases(string folder) =>
        UnifiedTestRunner.Cases(folder).SelectMany(c => new[] { (object[])[.. c, false], [.. c, true] });

    /// <summary>Runs one case; skips (with the reason) what the runner or the data says to skip.</summary>
    public static async Task RunCaseAsync(UnifiedSuiteFixture fixture, string file, int index, string description, bool async)
    {
        Skip.If(index < 0, description);
        var name = Path.GetFileName(file) + " #" + index + " " + description + (async ? " (async)" : " (sync)");
        try
        {
            string? replicaSet = null;
            try
            {
                await using var runner = new UnifiedTestRunner(fixture.ConnectionString, fixture.Kind == MongoBackendKind.InMemory);
                await runner.RunAsync(file, index, async);
            }
            catch (UnifiedDeploymentSkipException deployment) when (fixture.Kind == MongoBackendKind.InMemory && deployment.Deployments.Any(d => d.Topologies.Contains("replicaset")))
            {
                // Nothing ran yet (requirements are checked first): run the test on an in-memory replica set instead,
                // with authentication when the requirement that accepts a replica set asks for it.
                var auth = deployment.Deployments.First(d => d.Topologies.Contains("replicaset")).Auth;
                replicaSet = await fixture.ReplicaSetConnectionStringAsync(auth);
            }

            if (replicaSet is not null)
            {
                await using var runner = new UnifiedTestRunner(replicaSet, inMemory: true);
                await runner.RunAsync(file, index, async);
            }
        }
        catch (UnifiedSkipException skip)
        {
            fixture.Report.Record(Path.GetFileName(file), name, "skip", skip.Message);
            Skip.If(true, skip.Message);
        }
        catch (Exception ex)
        {
            fixture.Report.Record(Path.GetFileName(file), name, "fail", ex.GetType().Name + ": " + ex.Message);
            throw;
        }

        fixture.Report.Record(Path.GetFileName(file), name, "pass");
    }
}
