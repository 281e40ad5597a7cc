using Mongo.Bson;
using Mongo.Driver.Topology;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Topology;

/// <summary>
/// Runs the server-selection spec's server_selection/** and rtt tests, and the max-staleness spec's tests (same
/// format, plus heartbeatFrequencyMS, lastUpdateTime and lastWrite).
/// </summary>
public sealed class ServerSelectionSpecTests
{
    private const string Root = "server-selection/tests";

    /// <summary>Not run, with the reason (one place).</summary>
    internal static readonly Dictionary<string, string> NotRun = new(StringComparer.Ordinal)
    {
        ["logging/*"] = "unified-format log expectations with fail points (not in our unified runner); the server-selection log messages themselves are asserted in ClientMonitoringTests",
    };

    private const string MaxStalenessRoot = "max-staleness/tests";

    public static TheoryData<string> SelectionFiles() => AllFiles(Root + "/server_selection");

    public static TheoryData<string> MaxStalenessFiles() => AllFiles(MaxStalenessRoot);

    private static TheoryData<string> AllFiles(string root)
    {
        var data = new TheoryData<string>();
        string? folder = SpecData.Folder(root);
        if (folder is not null)
        {
            foreach (string file in Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(folder, file).Replace('\\', '/'));
            }
        }

        if (data.Count == 0)
        {
            data.Add("(spec data absent)");
        }

        return data;
    }

    public static TheoryData<string> RttFiles()
    {
        var data = new TheoryData<string>();
        foreach (string file in SpecData.Files(Root + "/rtt"))
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
    [MemberData(nameof(SelectionFiles))]
    public void Selection(string file) => RunSelection(Root + "/server_selection", file);

    [SkippableTheory]
    [MemberData(nameof(MaxStalenessFiles))]
    public void MaxStaleness(string file) => RunSelection(MaxStalenessRoot, file);

    private static void RunSelection(string root, string file)
    {
        Skip.If(SpecData.Root is null, SpecData.MissingReason);
        BsonDocument test = BsonDocument.Parse(File.ReadAllText(Path.Combine(SpecData.Folder(root)!, file)));
        TimeSpan? heartbeat = test.TryGetValue("heartbeatFrequencyMS", out BsonValue? hb) ? TimeSpan.FromMilliseconds(hb.ToDouble()) : null;
        BsonDocument topologyDoc = test["topology_description"].AsDocument;
        var servers = new Dictionary<MongoServerAddress, ServerDescription>();
        foreach (BsonValue server in topologyDoc["servers"].AsArray)
        {
            ServerDescription description = Server(server.AsDocument);
            servers[description.Address] = description;
        }

        var type = Enum.Parse<TopologyType>(topologyDoc["type"].AsString);
        var topology = new TopologyDescription(type, servers, seedCount: servers.Count);
        bool write = test.TryGetValue("operation", out BsonValue? operation) && operation.AsString == "write"; // absent in max-staleness files: a read
        ReadPreference? readPreference;
        try
        {
            readPreference = write ? null : ReadPreference(test["read_preference"].AsDocument);
        }
        catch (Exception ex) when (ex is MongoConfigurationException or ArgumentException)
        {
            Assert.True(test.TryGetValue("error", out BsonValue? error) && error.AsBoolean, file + ": unexpected invalid read preference: " + ex.Message);
            return;
        }

        bool expectError = test.TryGetValue("error", out BsonValue? expectedError) && expectedError.AsBoolean;
        ServerSelector selector = write ? ServerSelector.Write : ServerSelector.ForRead(readPreference);
        TimeSpan threshold = TimeSpan.FromMilliseconds(15);
        List<MongoServerAddress>? deprioritized = test.TryGetValue("deprioritized_servers", out BsonValue? d)
            ? [.. d.AsArray.Select(s => MongoServerAddress.Parse(s.AsDocument["address"].AsString))]
            : null;
        IReadOnlyList<ServerDescription> suitable, inWindow;
        try
        {
            suitable = selector.Select(topology, threshold, applyLatencyWindow: false, deprioritized, heartbeat);
            inWindow = selector.Select(topology, threshold, applyLatencyWindow: true, deprioritized, heartbeat);
        }
        catch (MongoConfigurationException ex)
        {
            // Some limits (maxStalenessSeconds against heartbeatFrequencyMS) are only known at selection time.
            Assert.True(expectError, file + ": unexpected selection error: " + ex.Message);
            return;
        }

        Assert.False(expectError, file + ": expected an error");
        AssertSameServers(file + " suitable", test["suitable_servers"].AsArray, suitable);
        AssertSameServers(file + " in window", test["in_latency_window"].AsArray, inWindow);
    }

    public static TheoryData<string> InWindowFiles()
    {
        var data = new TheoryData<string>();
        foreach (string file in SpecData.Files(Root + "/in_window"))
        {
            data.Add(Path.GetFileName(file));
        }

        if (data.Count == 0)
        {
            data.Add("(spec data absent)");
        }

        return data;
    }

    /// <summary>
    /// in_window: the servers in the latency window (nearest read) with mocked operation counts; over the file's
    /// iterations, each server's share of Cluster's power-of-two-choices picks must match the expected frequency.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(InWindowFiles))]
    public void InWindow(string file)
    {
        Skip.If(SpecData.Root is null, SpecData.MissingReason);
        BsonDocument test = BsonDocument.Parse(File.ReadAllText(Path.Combine(SpecData.Folder(Root + "/in_window")!, file)));
        BsonDocument topologyDoc = test["topology_description"].AsDocument;
        var servers = new Dictionary<MongoServerAddress, ServerDescription>();
        foreach (BsonValue server in topologyDoc["servers"].AsArray)
        {
            ServerDescription description = Server(server.AsDocument);
            servers[description.Address] = description;
        }

        var topology = new TopologyDescription(Enum.Parse<TopologyType>(topologyDoc["type"].AsString), servers, seedCount: servers.Count);
        var operationCounts = new Dictionary<MongoServerAddress, int>();
        foreach (BsonValue state in test["mocked_topology_state"].AsArray)
        {
            operationCounts[MongoServerAddress.Parse(state.AsDocument["address"].AsString)] = state.AsDocument["operation_count"].ToInt32();
        }

        IReadOnlyList<ServerDescription> window = ServerSelector.ForRead(Driver.ReadPreference.Nearest).Select(topology, TimeSpan.FromMilliseconds(15));
        int iterations = test["iterations"].ToInt32();
        var picks = new Dictionary<MongoServerAddress, int>();
        var random = new Random(12345); // fixed: the frequencies are checked with a tolerance, the run must not flake
        for (int n = 0; n < iterations; n++)
        {
            MongoServerAddress picked = window[Cluster.PowerOfTwoChoices(window.Count, i => operationCounts.GetValueOrDefault(window[i].Address), random)].Address;
            picks[picked] = picks.GetValueOrDefault(picked) + 1;
        }

        BsonDocument outcome = test["outcome"].AsDocument;
        double tolerance = outcome["tolerance"].ToDouble();
        foreach (BsonElement expected in outcome["expected_frequencies"].AsDocument)
        {
            double actual = (double)picks.GetValueOrDefault(MongoServerAddress.Parse(expected.Name)) / iterations;
            Assert.True(Math.Abs(actual - expected.Value.ToDouble()) <= tolerance, $"{file}: {expected.Name} picked {actual:0.000} of the time, expected {expected.Value} ± {tolerance}");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(RttFiles))]
    public void RoundTripTime(string file)
    {
        Skip.If(SpecData.Root is null, SpecData.MissingReason);
        BsonDocument test = BsonDocument.Parse(File.ReadAllText(Path.Combine(SpecData.Folder(Root + "/rtt")!, file)));
        BsonValue avg = test["avg_rtt_ms"];
        TimeSpan? previous = avg.IsString ? null : TimeSpan.FromMilliseconds(avg.ToDouble());
        TimeSpan next = ServerMonitor.NextAverageRoundTripTime(previous, TimeSpan.FromMilliseconds(test["new_rtt_ms"].ToDouble()));
        Assert.Equal(test["new_avg_rtt"].ToDouble(), next.TotalMilliseconds, 3);
    }

    private static void AssertSameServers(string where, BsonArray expected, IReadOnlyList<ServerDescription> actual)
    {
        string[] expectedAddresses = [.. expected.Select(s => MongoServerAddress.Parse(s.AsDocument["address"].AsString).ToString()).Order(StringComparer.Ordinal)];
        string[] actualAddresses = [.. actual.Select(s => s.Address.ToString()).Order(StringComparer.Ordinal)];
        Assert.True(expectedAddresses.SequenceEqual(actualAddresses), where + ": expected [" + string.Join(", ", expectedAddresses) + "] got [" + string.Join(", ", actualAddresses) + "]");
    }

    private static ServerDescription Server(BsonDocument spec)
    {
        var address = MongoServerAddress.Parse(spec["address"].AsString);
        TimeSpan? rtt = spec.TryGetValue("avg_rtt_ms", out BsonValue? r) ? TimeSpan.FromMilliseconds(r.ToDouble()) : null;
        var hello = new BsonDocument { { "ok", 1 }, { "minWireVersion", 0 }, { "maxWireVersion", spec.TryGetValue("maxWireVersion", out BsonValue? mw) ? mw.ToInt32() : 21 } };
        if (spec.TryGetValue("lastWrite", out BsonValue? lastWrite))
        {
            // The spec gives lastWriteDate as milliseconds; a server sends a BSON date.
            hello.Add("lastWrite", new BsonDocument("lastWriteDate", new BsonDateTime(lastWrite.AsDocument["lastWriteDate"].ToInt64())));
        }

        long lastUpdateTime = spec.TryGetValue("lastUpdateTime", out BsonValue? lut) ? lut.ToInt64() : 0;
        if (spec.TryGetValue("tags", out BsonValue? tags))
        {
            hello.Add("tags", tags);
        }

        switch (spec["type"].AsString)
        {
            case "RSPrimary":
                hello.Add("setName", "rs");
                hello.Add("isWritablePrimary", true);
                break;
            case "RSSecondary":
                hello.Add("setName", "rs");
                hello.Add("secondary", true);
                break;
            case "RSArbiter":
                hello.Add("setName", "rs");
                hello.Add("arbiterOnly", true);
                break;
            case "RSOther":
                hello.Add("setName", "rs");
                hello.Add("hidden", true);
                break;
            case "RSGhost":
                hello.Add("isreplicaset", true);
                break;
            case "Mongos":
                hello.Add("msg", "isdbgrid");
                break;
            case "Standalone":
                break;
            case "Unknown":
                return new ServerDescription(address);
            case "PossiblePrimary":
                return new ServerDescription(address, ServerType.PossiblePrimary);
            case "LoadBalancer":
                return new ServerDescription(address, ServerType.LoadBalancer);
            default:
                throw new InvalidOperationException("Unknown server type " + spec["type"]);
        }

        return ServerDescription.FromHello(address, hello, rtt, lastUpdateTime);
    }

    private static ReadPreference ReadPreference(BsonDocument spec)
    {
        // An absent mode is primary (max-staleness "MaxStalenessWithModePrimary").
        ReadPreferenceMode mode = ReadPreferenceMode.Primary;
        Assert.True(!spec.TryGetValue("mode", out BsonValue? modeValue) || Driver.ReadPreference.TryParseMode(modeValue.AsString, out mode), "mode " + modeValue);
        var tagSets = new List<TagSet>();
        if (spec.TryGetValue("tag_sets", out BsonValue? sets))
        {
            foreach (BsonValue set in sets.AsArray)
            {
                tagSets.Add(new TagSet(set.AsDocument.Select(e => new ReadPreferenceTag(e.Name, e.Value.AsString))));
            }
        }

        TimeSpan? maxStaleness = spec.TryGetValue("maxStalenessSeconds", out BsonValue? ms) ? TimeSpan.FromSeconds(ms.ToDouble()) : null;
        return new ReadPreference(mode, tagSets, maxStaleness);
    }
}
