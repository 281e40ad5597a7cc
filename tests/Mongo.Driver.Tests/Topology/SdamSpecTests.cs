using Mongo.Bson;
using Mongo.Driver.Topology;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Topology;

/// <summary>
/// Runs the SDAM spec's single/rs/sharded JSON tests against <see cref="TopologyDescription.Apply"/>: each phase feeds
/// hello replies (an empty reply is a network error) and checks the resulting topology. The monitoring folder runs in
/// <see cref="SdamMonitoringSpecTests"/>.
/// </summary>
public sealed class SdamSpecTests
{
    private const string Root = "server-discovery-and-monitoring/tests";

    /// <summary>Folders and cases not run, with the reason (one place).</summary>
    internal static readonly Dictionary<string, string> NotRun = new(StringComparer.Ordinal)
    {
        ["errors/*"] = "application-error handling (pool generations, topologyVersion) is implemented in Server.HandleError but has no runner yet",
        ["load-balanced/*"] = "load-balanced topology description is built directly (no hello), covered by unit behaviour only",
        ["unified/*"] = "needs the unified test runner with SDAM events",
    };

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string folder in new[] { "single", "rs", "sharded" })
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
        var url = MongoUrl.Parse(test["uri"].AsString);
        string? setName = url.ReplicaSet;
        bool direct = url.DirectConnection ?? false;
        TopologyType type = direct ? TopologyType.Single : setName is not null ? TopologyType.ReplicaSetNoPrimary : TopologyType.Unknown;
        var servers = new Dictionary<MongoServerAddress, ServerDescription>();
        foreach (MongoServerAddress seed in url.Hosts)
        {
            servers[seed] = new ServerDescription(seed);
        }

        var topology = new TopologyDescription(type, servers, setName, seedCount: url.Hosts.Count);
        int phaseIndex = 0;
        foreach (BsonValue phaseValue in test["phases"].AsArray)
        {
            BsonDocument phase = phaseValue.AsDocument;
            Assert.True(phase.Names.All(n => n is "responses" or "outcome"), file + ": unsupported phase keys " + string.Join(",", phase.Names));
            if (phase.TryGetValue("responses", out BsonValue? responses))
            {
                foreach (BsonValue response in responses.AsArray)
                {
                    var address = MongoServerAddress.Parse(response.AsArray[0].AsString);
                    BsonDocument hello = response.AsArray[1].AsDocument;
                    ServerDescription description = hello.ElementCount == 0
                        ? new ServerDescription(address, ServerType.Unknown, new MongoConnectionException("network error"))
                        : ServerDescription.FromHello(address, hello, TimeSpan.FromMilliseconds(1));
                    topology = topology.Apply(description, setName);
                }
            }

            Check(file + " phase " + phaseIndex++, phase["outcome"].AsDocument, topology);
        }
    }

    private static void Check(string where, BsonDocument outcome, TopologyDescription topology)
    {
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
                    Assert.True(expected.ToInt32() == topology.MaxSetVersion, $"{where}: maxSetVersion {topology.MaxSetVersion}, expected {expected}");
                    break;
                case "maxElectionId":
                    Assert.True(expected.AsObjectId.Equals(topology.MaxElectionId), $"{where}: maxElectionId {topology.MaxElectionId}, expected {expected}");
                    break;
                case "logicalSessionTimeoutMinutes":
                    Assert.True((expected.IsBsonNull ? null : expected.ToInt32()) == topology.LogicalSessionTimeoutMinutes, $"{where}: logicalSessionTimeoutMinutes {topology.LogicalSessionTimeoutMinutes}, expected {expected}");
                    break;
                case "compatible":
                    Assert.True(expected.AsBoolean == (topology.CompatibilityError is null), $"{where}: compatible expected {expected}; {topology.CompatibilityError}");
                    break;
                case "servers":
                    CheckServers(where, expected.AsDocument, topology);
                    break;
                default:
                    throw new InvalidOperationException(where + ": unknown outcome field " + element.Name);
            }
        }
    }

    private static void CheckServers(string where, BsonDocument expected, TopologyDescription topology)
    {
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
                    case "error":
                        break; // messages are ours
                    default:
                        throw new InvalidOperationException(where + ": unknown server field " + field.Name);
                }
            }
        }
    }
}
