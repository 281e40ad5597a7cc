using System.Diagnostics;
using Xunit;
using static Mongo.InMemory.Tests.ExternalProcesses;

namespace Mongo.InMemory.Tests.Interop;

/// <summary>
/// The fidelity suite run by other languages' official drivers: PyMongo (Debian's python3-pymongo) and the Node.js
/// driver (npm mongodb, which .ci/run installs into a cache directory) each run the same CRUD, aggregation, index,
/// GridFS and transaction scenario against a single-member replica set, and every answer must be mongod 8.0's.
/// </summary>
public sealed class FidelitySuiteTests : IAsyncLifetime
{
    /// <summary>What mongod 8.0 answers to each step of the scenario (the same for every driver).</summary>
    private static readonly string[] s_expected =
    [
        """["inserted",5]""",
        """["find",[5,4,3]]""",
        """["update",1,1]""",
        """["updateMany",2,2]""",
        """["upsert",9]""",
        """["replace",1,{"_id":2,"sku":"b2","qty":1}]""",
        """["delete",2]""",
        """["count",4]""",
        """["findAndModify",31]""",
        """["aggregate",[["new",1,15],["x",3,96],["y",1,40],["z",1,40]]]""",
        """["index","sku_1"]""",
        """["dup",11000,{"sku":"a1"}]""",
        """["indexes",["_id_","sku_1"]]""",
        """["badGroup",15952]""",
        """["gridfs",true,3,600000]""",
        """["inside",-1,60]""",
        """["txn",[60,40]]""",
    ];

    private InMemoryReplicaSet _set = null!;

    public async Task InitializeAsync() => _set = await InMemoryReplicaSet.StartAsync(members: 1);

    public async Task DisposeAsync() => await _set.DisposeAsync();

    private static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Interop", name);

    [SkippableFact]
    public async Task PyMongo_runs_the_scenario_with_mongod_answers()
    {
        string? python = FindPython();
        Skip.If(python is null, "PyMongo is not installed (apt-get install python3-pymongo; .ci/run installs it): the PyMongo fidelity suite cannot run");
        string[] lines = await RunAsync(python!, [Script("fidelity_scenario.py"), _set.ConnectionString]);
        Assert.Equal(s_expected, lines);
    }

    [SkippableFact]
    public async Task Node_driver_runs_the_scenario_with_mongod_answers()
    {
        string? driver = FindNodeDriver();
        Skip.If(driver is null, "the Node.js driver is not installed (npm install mongodb into $MONGO_FIDELITY_NODE_MODULES/.. or ~/.cache/mongo-fidelity; .ci/run does): the Node fidelity suite cannot run");
        string[] lines = await RunAsync("node", [Script("fidelity_scenario.js"), driver!, _set.ConnectionString]);
        Assert.Equal(s_expected, lines);
    }

    /// <summary>A python3 that can import pymongo and gridfs (the system one first: Debian's python3-pymongo installs there).</summary>
    private static string? FindPython()
    {
        foreach (string candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                var check = new ProcessStartInfo(candidate) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                check.ArgumentList.Add("-c");
                check.ArgumentList.Add("import pymongo, gridfs");
                using var process = Process.Start(check);
                if (process is not null && process.WaitForExit(15_000) && process.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed
            }
        }

        return null;
    }

    /// <summary>
    /// The directory of the npm mongodb package: $MONGO_FIDELITY_NODE_MODULES/mongodb, else the cache .ci/run installs
    /// into ($XDG_CACHE_HOME or ~/.cache)/mongo-fidelity/node_modules/mongodb; null without it or without node.
    /// </summary>
    private static string? FindNodeDriver()
    {
        string? modules = Environment.GetEnvironmentVariable("MONGO_FIDELITY_NODE_MODULES");
        if (string.IsNullOrEmpty(modules))
        {
            string cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            modules = Path.Combine(cache, "mongo-fidelity", "node_modules");
        }

        string driver = Path.Combine(modules, "mongodb");
        bool hasNode = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Any(dir => File.Exists(Path.Combine(dir, "node")));
        return hasNode && File.Exists(Path.Combine(driver, "package.json")) ? driver : null;
    }
}
