using Mongo.Bson;
using Mongo.Driver.Events;
using Mongo.Driver.Topology;
using Mongo.Testing;
using Mongo.Testing.Monitoring;
using Xunit;

namespace Mongo.Driver.Tests.Topology;

/// <summary>
/// Runs the SDAM spec's monitoring tests: a <see cref="Cluster"/> (monitors not started) is fed the phases' hello
/// replies, and the public SDAM events it raises (topology/server opening, closed and description changed) are
/// compared with each phase's expected events.
/// </summary>
public sealed class SdamMonitoringSpecTests
{
    private const string Folder = "server-discovery-and-monitoring/tests/monitoring";

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string file in SpecData.Files(Folder))
        {
            data.Add(Path.GetFileName(file));
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
        BsonDocument test = BsonDocument.Parse(File.ReadAllText(Path.Combine(SpecData.Folder(Folder)!, file)));
        var recorder = new EventRecorder(type => type.Name.StartsWith("Topology", StringComparison.Ordinal) || type.Name.StartsWith("ServerOpening", StringComparison.Ordinal)
            || type.Name.StartsWith("ServerClosed", StringComparison.Ordinal) || type.Name.StartsWith("ServerDescription", StringComparison.Ordinal));
        MongoClientSettings client = MongoClientSettings.FromConnectionString(test["uri"].AsString);
        client.EventSubscribers = [recorder];
        ClusterSettings settings = ClusterSettings.From(client);
        settings.StartMonitors = false;
        int seen = 0;
        using var cluster = new Cluster(settings);
        int phaseIndex = 0;
        foreach (BsonValue phaseValue in test["phases"].AsArray)
        {
            BsonDocument phase = phaseValue.AsDocument;
            string where = file + " phase " + phaseIndex++;
            if (phase.TryGetValue("responses", out BsonValue? responses))
            {
                foreach (BsonValue response in responses.AsArray)
                {
                    var address = MongoServerAddress.Parse(response.AsArray[0].AsString);
                    BsonDocument hello = response.AsArray[1].AsDocument;
                    Server? server = cluster.GetServer(address);
                    if (server is null)
                    {
                        continue; // removed from the topology earlier in the phase: its monitor would be gone
                    }

                    server.Update(hello.ElementCount == 0
                        ? new ServerDescription(address, ServerType.Unknown, new MongoConnectionException("network error"))
                        : ServerDescription.FromHello(address, hello, TimeSpan.FromMilliseconds(1)));
                }
            }

            IReadOnlyList<object> all = recorder.Events;
            List<object> actual = [.. all.Skip(seen)];
            seen = all.Count;
            BsonArray expected = phase["outcome"].AsDocument["events"].AsArray;
            string Describe() => string.Join("\n", actual.Select(e => EventRecorder.SpecName(e) + " " + e));
            Assert.True(expected.Count == actual.Count, $"{where}: expected {expected.Count} events, got {actual.Count}:\n{Describe()}");
            for (int i = 0; i < expected.Count; i++)
            {
                CheckEvent($"{where} event {i}", expected[i].AsDocument.GetElement(0), actual[i]);
            }
        }
    }

    private static void CheckEvent(string where, BsonElement expected, object actual)
    {
        string name = string.Concat(expected.Name.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
        Assert.True(name == actual.GetType().Name, $"{where}: expected {name}, got {actual.GetType().Name}: {actual}");
        BsonDocument fields = expected.Value.AsDocument;
        foreach (BsonElement field in fields)
        {
            switch (field.Name)
            {
                case "topologyId":
                    break; // the spec uses a placeholder; ours is an ObjectId per cluster
                case "address":
                    MongoServerAddress address = actual switch
                    {
                        ServerOpeningEvent e => e.ServerAddress,
                        ServerClosedEvent e => e.ServerAddress,
                        ServerDescriptionChangedEvent e => e.ServerAddress,
                        _ => throw new InvalidOperationException(where + ": address on " + actual.GetType().Name),
                    };
                    Assert.True(MongoServerAddress.Parse(field.Value.AsString).Equals(address), $"{where}: address {address}, expected {field.Value}");
                    break;
                case "previousDescription":
                case "newDescription":
                    bool previous = field.Name == "previousDescription";
                    switch (actual)
                    {
                        case ServerDescriptionChangedEvent e:
                            CheckServer(where + " " + field.Name, field.Value.AsDocument, previous ? e.PreviousDescription : e.NewDescription);
                            break;
                        case TopologyDescriptionChangedEvent e:
                            CheckTopology(where + " " + field.Name, field.Value.AsDocument, previous ? e.PreviousDescription : e.NewDescription);
                            break;
                        default:
                            throw new InvalidOperationException(where + ": description on " + actual.GetType().Name);
                    }

                    break;
                default:
                    throw new InvalidOperationException(where + ": unknown event field " + field.Name);
            }
        }
    }

    private static void CheckTopology(string where, BsonDocument expected, MongoTopologyDescription actual)
    {
        foreach (BsonElement field in expected)
        {
            switch (field.Name)
            {
                case "topologyType":
                    Assert.True(field.Value.AsString == actual.Type.ToString(), $"{where}: topology type {actual.Type}, expected {field.Value}");
                    break;
                case "setName":
                    Assert.True(field.Value.AsString == actual.SetName, $"{where}: setName {actual.SetName}, expected {field.Value}");
                    break;
                case "servers":
                    BsonArray servers = field.Value.AsArray;
                    Assert.True(servers.Count == actual.Servers.Count, $"{where}: {actual.Servers.Count} servers, expected {servers.Count}: {actual}");
                    foreach (BsonValue server in servers)
                    {
                        var address = MongoServerAddress.Parse(server.AsDocument["address"].AsString);
                        MongoServerDescription? match = actual.Servers.FirstOrDefault(s => s.Address.Equals(address));
                        Assert.True(match is not null, $"{where}: no server {address} in {actual}");
                        CheckServer(where + " " + address, server.AsDocument, match!);
                    }

                    break;
                default:
                    throw new InvalidOperationException(where + ": unknown topology field " + field.Name);
            }
        }
    }

    private static void CheckServer(string where, BsonDocument expected, MongoServerDescription actual)
    {
        foreach (BsonElement field in expected)
        {
            BsonValue value = field.Value;
            switch (field.Name)
            {
                case "address":
                    Assert.True(MongoServerAddress.Parse(value.AsString).Equals(actual.Address), $"{where}: address {actual.Address}, expected {value}");
                    break;
                case "type":
                    Assert.True(value.AsString == actual.Type.ToString(), $"{where}: type {actual.Type}, expected {value}");
                    break;
                case "setName":
                    Assert.True(value.AsString == actual.SetName, $"{where}: setName {actual.SetName}, expected {value}");
                    break;
                case "primary":
                    Assert.True(value.AsString == actual.Primary, $"{where}: primary {actual.Primary}, expected {value}");
                    break;
                case "hosts":
                    SameHosts(where + " hosts", value.AsArray, actual.Hosts);
                    break;
                case "passives":
                    SameHosts(where + " passives", value.AsArray, actual.Passives);
                    break;
                case "arbiters":
                    SameHosts(where + " arbiters", value.AsArray, actual.Arbiters);
                    break;
                default:
                    throw new InvalidOperationException(where + ": unknown server field " + field.Name);
            }
        }
    }

    private static void SameHosts(string where, BsonArray expected, IReadOnlyList<string> actual)
    {
        string[] want = [.. expected.Select(h => h.AsString).Order(StringComparer.Ordinal)];
        string[] got = [.. actual.Order(StringComparer.Ordinal)];
        Assert.True(want.SequenceEqual(got), $"{where}: [{string.Join(", ", got)}], expected [{string.Join(", ", want)}]");
    }
}
