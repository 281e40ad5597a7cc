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

    /// <summary>
    /// Whether tests that need a load balancer run on one in-memory load-balanced server when the backend is
    /// Mongo.InMemory (tests that need a sharded cluster always may run on one in-memory router). Off by default: only
    /// suites about monitoring, selection and logging opt in.
    /// </summary>
    protected virtual bool RouterTopologiesInMemory => false;

    /// <summary>
    /// Whether the suite's fail-point tests use polling monitors (<see cref="UnifiedTestRunner.PollingMonitorsInFailPointTests"/>).
    /// Off by default: suites about monitoring, selection and timeouts keep the streaming protocol they exercise.
    /// </summary>
    public virtual bool PollingMonitorsInFailPointTests => false;

    /// <summary>The user of the authenticated in-memory replica set (tests with runOnRequirements auth: true).</summary>
    private const string AuthUser = "unified", AuthPassword = "unified-pwd";

    private readonly SemaphoreSlim _replicaSetLock = new(1, 1);
    private InMemoryMongoServer? _replicaSet;
    private InMemoryReplicaSet? _multiMemberSet;
    private readonly Dictionary<string, InMemoryMongoServer> _otherServers = new(StringComparer.Ordinal);
    private InMemoryMongoServer? _authReplicaSet;
    private InMemoryShardedCluster? _shardedCluster;

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

    /// <summary>
    /// In-memory deployments that may meet a test's unmet topology requirement, in order of preference: a replica set
    /// (with a user when asked), a standalone with a user, and for suites that opt in (<see cref="RouterTopologiesInMemory"/>)
    /// a router or a load-balanced server. Each is started on first use; the runner tries them in turn until the test's
    /// requirements (file and test level) are met. Empty for external servers, which are what they are.
    /// </summary>
    public IEnumerable<Func<Task<string>>> InMemoryDeployments(UnifiedDeploymentSkipException unmet)
    {
        if (Kind != MongoBackendKind.InMemory)
        {
            yield break;
        }

        if (unmet.Deployments.FirstOrDefault(d => d.Topologies.Contains("replicaset")) is { Topologies: not null } replicaSet)
        {
            yield return async () => (await ReplicaSetConnectionStringAsync(replicaSet.Auth))!;
        }

        if (unmet.Deployments.Any(d => d.Auth && d.Topologies.Contains("single")))
        {
            // A standalone with a SCRAM user, for tests about authentication on a single server.
            yield return async () =>
            {
                var server = await StartOnceAsync("standalone with auth", () =>
                {
                    var options = new InMemoryMongoServerOptions();
                    options.Users.Add(new InMemoryMongoUser(AuthUser, AuthPassword));
                    return options;
                });
                return server.ConnectionString.Replace("mongodb://", $"mongodb://{AuthUser}:{AuthPassword}@", StringComparison.Ordinal);
            };
        }

        // Every suite may run sharded-only tests on an in-memory cluster of two routers (transactions' mongos pinning and
        // recovery tokens, for instance): clients with useMultipleMongoses get both routers, the others the first one.
        if (unmet.Deployments.Any(d => !d.Auth && d.Topologies.Contains("sharded")))
        {
            yield return ShardedClusterConnectionStringAsync;
        }

        if (RouterTopologiesInMemory && unmet.Deployments.Any(d => !d.Auth && d.Topologies.Contains("load-balanced")))
        {
            yield return async () => (await StartOnceAsync("load balancer", () => new InMemoryMongoServerOptions { LoadBalanced = true })).ConnectionString;
        }
    }

    /// <summary>The in-memory sharded cluster (two routers), started on first use (one per fixture).</summary>
    private async Task<string> ShardedClusterConnectionStringAsync()
    {
        await _replicaSetLock.WaitAsync();
        try
        {
            _shardedCluster ??= await InMemoryShardedCluster.StartAsync(routers: 2);
            return _shardedCluster.ConnectionString;
        }
        finally
        {
            _replicaSetLock.Release();
        }
    }

    /// <summary>Starts the in-memory server called <paramref name="name"/> on first use (one per fixture).</summary>
    private async Task<InMemoryMongoServer> StartOnceAsync(string name, Func<InMemoryMongoServerOptions> options)
    {
        await _replicaSetLock.WaitAsync();
        try
        {
            if (!_otherServers.TryGetValue(name, out var server))
            {
                server = await InMemoryMongoServer.StartAsync(options());
                _otherServers[name] = server;
            }

            return server;
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

        if (_shardedCluster is not null)
        {
            await _shardedCluster.DisposeAsync();
        }

        foreach (var server in _otherServers.Values)
        {
            await server.DisposeAsync();
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
        => await RunCaseAsync(fixture, file, index, description, async, attempts: 1, output: null);

    /// <summary>
    /// Runs one test, up to <paramref name="attempts"/> times while it fails: for tests that hinge on sub-second timeouts
    /// (a 250 ms connectTimeoutMS) a loaded machine can lose the race once. Every failed attempt is written to
    /// <paramref name="output"/>, and only the last outcome counts in the suite's report.
    /// </summary>
    public static async Task RunCaseAsync(UnifiedSuiteFixture fixture, string file, int index, string description, bool async, int attempts, Action<string>? output)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await RunOnceAsync(fixture, file, index, description, async, record: attempt == attempts);
                return;
            }
            catch (Exception ex) when (attempt < attempts && ex is not UnifiedSkipException and not SkipException)
            {
                output?.Invoke($"attempt {attempt} of {attempts} failed (retried: timing-sensitive test): {ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    private static async Task RunOnceAsync(UnifiedSuiteFixture fixture, string file, int index, string description, bool async, bool record)
    {
        Skip.If(index < 0, description);
        var name = Path.GetFileName(file) + " #" + index + " " + description + (async ? " (async)" : " (sync)");
        try
        {
            UnifiedDeploymentSkipException? unmet = null;
            try
            {
                await using var runner = new UnifiedTestRunner(fixture.ConnectionString, fixture.Kind == MongoBackendKind.InMemory) { PollingMonitorsInFailPointTests = fixture.PollingMonitorsInFailPointTests };
                await runner.RunAsync(file, index, async);
            }
            catch (UnifiedDeploymentSkipException deployment) when (fixture.Kind == MongoBackendKind.InMemory)
            {
                unmet = deployment;
            }

            if (unmet is not null)
            {
                // Nothing ran yet (requirements are checked first): run the test on an in-memory deployment of the kind
                // it needs, trying each candidate until the file's and the test's requirements are both met.
                UnifiedDeploymentSkipException last = unmet;
                bool ran = false;
                foreach (var deployment in fixture.InMemoryDeployments(unmet))
                {
                    try
                    {
                        await using var runner = new UnifiedTestRunner(await deployment(), inMemory: true) { PollingMonitorsInFailPointTests = fixture.PollingMonitorsInFailPointTests };
                        await runner.RunAsync(file, index, async);
                        ran = true;
                        break;
                    }
                    catch (UnifiedDeploymentSkipException next)
                    {
                        last = next;
                    }
                }

                if (!ran)
                {
                    throw last;
                }
            }
        }
        catch (UnifiedSkipException skip)
        {
            fixture.Report.Record(Path.GetFileName(file), name, "skip", skip.Message);
            Skip.If(true, skip.Message);
        }
        catch (Exception ex) when (ex is not UnifiedSkipException and not SkipException)
        {
            if (record)
            {
                fixture.Report.Record(Path.GetFileName(file), name, "fail", ex.GetType().Name + ": " + ex.Message);
            }

            throw;
        }

        fixture.Report.Record(Path.GetFileName(file), name, "pass");
    }
}
