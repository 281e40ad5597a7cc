using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Operations;
using Mongo.Driver.Topology;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Topology;

/// <summary>
/// Runs the SDAM spec's single/rs/sharded/errors/load-balanced JSON tests against a <see cref="Cluster"/> whose monitors
/// are not started: each phase feeds hello replies to the servers (an empty reply is a network error) and application
/// errors to <see cref="Server.HandleError"/>, then checks the topology and each server's pool generation. The
/// monitoring folder runs in <see cref="SdamMonitoringSpecTests"/>.
/// </summary>
public sealed class SdamSpecTests
{
    private const string Root = "server-discovery-and-monitoring/tests";

    /// <summary>Folders and cases not run, with the reason (one place).</summary>
    internal static readonly Dictionary<string, string> NotRun = new(StringComparer.Ordinal)
    {
        ["unified/*"] = "needs the unified test runner with SDAM events, fail points on hello and a replica set; Mongo.InMemory is a standalone without hello fail points",
    };

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string folder in new[] { "single", "rs", "sharded", "errors", "load-balanced" })
        {
            foreach (string file in SpecData.Files(Root + "/" + folder))
            {
                data.Add(folder + "/" + Path.GetFileName(file));
            }
        }

        if (data.Count == 0)
        {
            data.Add("(spec data absent)");
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void Run(string file)
    {
        Skip.If(SpecData.Root is null, SpecData.MissingReason);
        BsonDocument test = BsonDocument.Parse(File.ReadAllText(Path.Combine(SpecData.Folder(Root)!, file)));
        ClusterSettings settings = ClusterSettings.From(MongoClientSettings.FromConnectionString(test["uri"].AsString));
        settings.StartMonitors = false;
        using var cluster = new Cluster(settings);
        int phaseIndex = 0;
        foreach (BsonValue phaseValue in test["phases"].AsArray)
        {
            BsonDocument phase = phaseValue.AsDocument;
            string where = file + " phase " + phaseIndex++;
            Assert.True(phase.Names.All(n => n is "description" or "responses" or "applicationErrors" or "outcome"), where + ": unsupported phase keys " + string.Join(",", phase.Names));
            if (phase.TryGetValue("responses", out BsonValue? responses))
            {
                foreach (BsonValue response in responses.AsArray)
                {
                    var address = MongoServerAddress.Parse(response.AsArray[0].AsString);
                    BsonDocument hello = response.AsArray[1].AsDocument;
                    Server? server = cluster.GetServer(address);
                    if (server is null)
                    {
                        continue; // not (or no longer) in the topology: no monitor would report for it
                    }

                    server.Update(hello.ElementCount == 0
                        ? new ServerDescription(address, ServerType.Unknown, new MongoConnectionException("network error"))
                        : ServerDescription.FromHello(address, hello, TimeSpan.FromMilliseconds(1)));
                }
            }

            if (phase.TryGetValue("applicationErrors", out BsonValue? errors))
            {
                foreach (BsonValue error in errors.AsArray)
                {
                    ApplyError(where, cluster, error.AsDocument);
                }
            }

            Check(where, phase["outcome"].AsDocument, cluster);
        }
    }

    /// <summary>
    /// Builds the exception the driver would raise for a spec "applicationError" and hands it to the server's SDAM
    /// error handling, as the operation executor (after the handshake) or the pool (before it) does.
    /// </summary>
    private static void ApplyError(string where, Cluster cluster, BsonDocument spec)
    {
        var address = MongoServerAddress.Parse(spec["address"].AsString);
        Server server = cluster.GetServer(address) ?? throw new InvalidOperationException(where + ": no server " + address);
        int generation = spec.TryGetValue("generation", out BsonValue? g) ? g.ToInt32() : server.Pool.Generation;
        bool duringHandshake = spec["when"].AsString switch
        {
            "beforeHandshakeCompletes" => true,
            "afterHandshakeCompletes" => false,
            string other => throw new InvalidOperationException(where + ": unknown 'when' " + other),
        };
        MongoException error;
        switch (spec["type"].AsString)
        {
            case "command":
                BsonDocument reply = spec["response"].AsDocument;
                if (ExceptionFactory.IsOk(reply.ToBytes()))
                {
                    return; // ok:1 (e.g. with writeErrors) is no command error; nothing reaches SDAM
                }

                error = ExceptionFactory.CreateCommandException("find", reply, address);
                break;
            case "network":
                // What Connection raises for a reset/closed socket.
                error = new MongoConnectionException("Connection 1 to " + address + " failed: connection reset", new IOException("connection reset"));
                break;
            case "timeout":
                // What Connection raises when socketTimeoutMS / connectTimeoutMS runs out.
                error = new MongoConnectionException("A socket read or write to " + address + " timed out", new TimeoutException());
                break;
            default:
                throw new InvalidOperationException(where + ": unknown error type " + spec["type"]);
        }

        if (duringHandshake && error is not MongoCommandException)
        {
            // Connection.OpenAsync labels network errors and timeouts before the hello reply (backpressure).
            ConnectionErrors.AddBackpressureLabels(error);
        }

        server.HandleError(error, generation, duringHandshake);
    }

    private static void Check(string where, BsonDocument outcome, Cluster cluster)
    {
        TopologyDescription topology = cluster.Description;
        foreach (BsonElement element in outcome)
        {
            BsonValue expected = element.Value;
            switch (element.Name)
            {
                case "topologyType":
                    Assert.True(expected.AsString == topology.Type.ToString(), $"{where}: topology type {topology.Type}, expected {expected}; {topology}");
                    break;
                case "setName":
                    Assert.True((expected.IsBsonNull ? null : expected.AsString) == topology.SetName, $"{where}: setName {topology.SetName}, expected {expected}");
                    break;
                case "maxSetVersion":
                    Assert.True((expected.IsBsonNull ? null : expected.ToInt32()) == topology.MaxSetVersion, $"{where}: maxSetVersion {topology.MaxSetVersion}, expected {expected}");
                    break;
                case "maxElectionId":
                    Assert.True(expected.IsBsonNull ? topology.MaxElectionId is null : expected.AsObjectId.Equals(topology.MaxElectionId), $"{where}: maxElectionId {topology.MaxElectionId}, expected {expected}");
                    break;
                case "logicalSessionTimeoutMinutes":
                    Assert.True((expected.IsBsonNull ? null : expected.ToInt32()) == topology.LogicalSessionTimeoutMinutes, $"{where}: logicalSessionTimeoutMinutes {topology.LogicalSessionTimeoutMinutes}, expected {expected}");
                    break;
                case "compatible":
                    Assert.True(expected.AsBoolean == (topology.CompatibilityError is null), $"{where}: compatible expected {expected}; {topology.CompatibilityError}");
                    break;
                case "servers":
                    CheckServers(where, expected.AsDocument, cluster);
                    break;
                default:
                    throw new InvalidOperationException(where + ": unknown outcome field " + element.Name);
            }
        }
    }

    private static void CheckServers(string where, BsonDocument expected, Cluster cluster)
    {
        TopologyDescription topology = cluster.Description;
        Assert.True(expected.ElementCount == topology.Servers.Count, $"{where}: {topology.Servers.Count} servers, expected {expected.ElementCount}; {topology}");
        foreach (BsonElement element in expected)
        {
            var address = MongoServerAddress.Parse(element.Name);
            Assert.True(topology.Servers.TryGetValue(address, out ServerDescription? server), $"{where}: missing server {address}; {topology}");
            foreach (BsonElement field in element.Value.AsDocument)
            {
                BsonValue value = field.Value;
                switch (field.Name)
                {
                    case "type":
                        Assert.True(value.AsString == server!.Type.ToString(), $"{where}: {address} is {server.Type}, expected {value}; {topology}");
                        break;
                    case "setName":
                        Assert.True((value.IsBsonNull ? null : value.AsString) == server!.SetName, $"{where}: {address} setName {server.SetName}, expected {value}");
                        break;
                    case "setVersion":
                        Assert.True((value.IsBsonNull ? null : value.ToInt32()) == server!.SetVersion, $"{where}: {address} setVersion {server.SetVersion}, expected {value}");
                        break;
                    case "electionId":
                        Assert.True(value.IsBsonNull ? server!.ElectionId is null : value.AsObjectId.Equals(server!.ElectionId), $"{where}: {address} electionId {server.ElectionId}, expected {value}");
                        break;
                    case "topologyVersion":
                        Assert.True(value.IsBsonNull ? server!.TopologyVersion is null : value.Equals(server!.TopologyVersion), $"{where}: {address} topologyVersion {server.TopologyVersion}, expected {value}");
                        break;
                    case "logicalSessionTimeoutMinutes":
                        Assert.True((value.IsBsonNull ? null : value.ToInt32()) == server!.LogicalSessionTimeoutMinutes, $"{where}: {address} logicalSessionTimeoutMinutes {server.LogicalSessionTimeoutMinutes}, expected {value}");
                        break;
                    case "minWireVersion":
                    case "maxWireVersion":
                        // Null: never checked (no hello), as for a load balancer.
                        int actualWire = field.Name == "minWireVersion" ? server!.MinWireVersion : server!.MaxWireVersion;
                        Assert.True(value.IsBsonNull ? server.Hello is null : value.ToInt32() == actualWire, $"{where}: {address} {field.Name} {actualWire}, expected {value}");
                        break;
                    case "pool":
                        int generation = value.AsDocument["generation"].ToInt32();
                        Server? live = cluster.GetServer(address);
                        Assert.True(live is not null && live.Pool.Generation == generation, $"{where}: {address} pool generation {live?.Pool.Generation}, expected {generation}");
                        break;
                    case "error":
                        break; // messages are ours
                    default:
                        throw new InvalidOperationException(where + ": unknown server field " + field.Name);
                }
            }
        }
    }
}
