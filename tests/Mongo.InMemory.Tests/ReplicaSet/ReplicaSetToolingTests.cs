using System.Diagnostics;
using MongoDB.Driver;
using Xunit;
using static Mongo.InMemory.Tests.ExternalProcesses;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.ReplicaSet;

/// <summary>The replica set from the outside: mongosh's rs helpers (when mongosh is installed) and the process mode.</summary>
public sealed class ReplicaSetToolingTests
{
    [SkippableFact]
    public async Task Mongosh_rs_status_conf_and_stepDown_work()
    {
        string? mongosh = FindOnPath("mongosh");
        Skip.If(mongosh is null, "mongosh is not installed (npm i -g mongosh; .ci/run installs it when npm is available)");
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        const string script = """
            const s = rs.status();
            print(JSON.stringify({ set: s.set, myState: s.myState, members: s.members.map(m => [m._id, m.name, m.stateStr, m.health]) }));
            const c = rs.conf();
            print(JSON.stringify({ id: c._id, version: c.version, hosts: c.members.map(m => m.host) }));
            const down = rs.stepDown();
            print(JSON.stringify({ ok: down.ok }));
            """;
        string[] lines = await RunAsync(mongosh!, ["--quiet", "--norc", set.ConnectionString, "--eval", script]);

        var status = O.BsonDocument.Parse(lines[^3]);
        Assert.Equal("rs0", status["set"].AsString);
        Assert.Equal(1, status["myState"].ToInt32());
        Assert.Equal(
            set.Members.Select((m, i) => $"[{i}, \"{m.Host}\", \"{(i == 0 ? "PRIMARY" : "SECONDARY")}\", 1]"),
            status["members"].AsBsonArray.Select(m => $"[{m[0].ToInt32()}, \"{m[1].AsString}\", \"{m[2].AsString}\", {m[3].ToInt32()}]"));
        var config = O.BsonDocument.Parse(lines[^2]);
        Assert.Equal("rs0", config["id"].AsString);
        Assert.Equal(set.Members.Select(m => m.Host), config["hosts"].AsBsonArray.Select(h => h.AsString));
        Assert.Equal(1, O.BsonDocument.Parse(lines[^1])["ok"].ToInt32());
        Assert.NotSame(set.Members[0], set.Primary);
        Assert.Equal(2, set.Term);
    }

    [Fact]
    public async Task The_process_mode_runs_a_set_on_consecutive_ports()
    {
        using var process = StartTool("--port", "0", "--replSet", "procset", "--members", "3");
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            string? url = await process.StandardOutput.ReadLineAsync(cts.Token);
            Assert.NotNull(url);
            Assert.Matches(@"^mongodb://127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+/\?replicaSet=procset$", url);
            for (int i = 0; i < 3; i++)
            {
                Assert.EndsWith("/?directConnection=true", await process.StandardOutput.ReadLineAsync(cts.Token));
            }

            using var client = new MongoClient(url);
            O.BsonDocument hello = await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("hello", 1));
            Assert.Equal(3, hello["hosts"].AsBsonArray.Count);
            Assert.Equal("procset", hello["setName"].AsString);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task The_process_mode_refuses_members_without_a_set_name()
    {
        using var process = StartTool("--port", "0", "--members", "3");
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--members needs --replSet NAME", error);
    }
}
