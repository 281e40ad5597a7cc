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

    /// <summary>The user of the authenticated in-memory replica set (tests with runOnRequirements auth: true).</summary>
    private const string AuthUser = "unified", AuthPassword = "unified-pwd";

    private readonly SemaphoreSlim _deploymentLock = new(1, 1);
    private readonly Dictionary<(string Topology, bool Auth), InMemoryMongoServer> _deployments = [];

    /// <summary>Pass/skip/fail per file.</summary>
    public UnifiedReport Report { get; } = new();

    /// <summary>
    /// When the backend is Mongo.InMemory: a second in-memory server in single-node replica-set mode (started on first
    /// use), for tests whose only unmet requirement is the topology. Null for external servers, which are what they are.
    /// </summary>
    public Task<string?> ReplicaSetConnectionStringAsync(bool auth = false) => InMemoryDeploymentAsync("replicaset", auth);

    /// <summary>
    /// When the backend is Mongo.InMemory: <paramref name="topology"/> ("replicaset": a single-node replica set, "sharded": a
    /// sharded cluster of one mongos) started on first use, with authentication when asked. Null for external servers.
    /// </summary>
    public async Task<string?> InMemoryDeploymentAsync(string topology, bool auth = false)
    {
        if (Kind != MongoBackendKind.InMemory)
        {
            return null;
        }

        await _deploymentLock.WaitAsync();
        try
        {
            if (!_deployments.TryGetValue((topology, auth), out var server))
            {
                var options = topology switch
                {
                    "replicaset" => new InMemoryMongoServerOptions { ReplicaSetName = "rs0" },
                    "sharded" => new InMemoryMongoServerOptions { Sharded = true },
                    _ => throw new ArgumentOutOfRangeException(nameof(topology), topology, "only replicaset and sharded in-memory deployments exist"),
                };
                if (auth)
                {
                    options.Users.Add(new InMemoryMongoUser(AuthUser, AuthPassword));
                }

                server = await InMemoryMongoServer.StartAsync(options);
                _deployments[(topology, auth)] = server;
            }

            return auth
                ? server.ConnectionString.Replace("mongodb://", $"mongodb://{AuthUser}:{AuthPassword}@", StringComparison.Ordinal)
                : server.ConnectionString;
        }
        finally
        {
            _deploymentLock.Release();
        }
    }

    Task IAsyncLifetime.InitializeAsync() => InitializeAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        Report.Write(SuiteName);
        foreach (var server in _deployments.Values)
        {
            await server.DisposeAsync();
        }

        _deploymentLock.Dispose();
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
            catch (UnifiedDeploymentSkipException deployment) when (fixture.Kind == MongoBackendKind.InMemory && InMemoryTopology(deployment) is { } topology)
            {
                // Nothing ran yet (requirements are checked first): run the test on an in-memory replica set (or, for tests
                // only a sharded cluster meets, an in-memory mongos) instead, with authentication when the requirement asks for it.
                replicaSet = await fixture.InMemoryDeploymentAsync(topology.Name, topology.Auth);
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

    /// <summary>The in-memory deployment that meets a requirement the default server did not: a replica set if any requirement accepts one, else a sharded cluster.</summary>
    private static (string Name, bool Auth)? InMemoryTopology(UnifiedDeploymentSkipException deployment)
    {
        foreach (var name in new[] { "replicaset", "sharded" })
        {
            foreach (var (topologies, auth) in deployment.Deployments)
            {
                if (topologies.Contains(name) || (name == "sharded" && topologies.Contains("sharded-replicaset")))
                {
                    return (name, auth);
                }
            }
        }

        return null;
    }
}
