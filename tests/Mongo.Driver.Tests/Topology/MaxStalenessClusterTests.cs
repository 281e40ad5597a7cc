using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Topology;
using Xunit;

namespace Mongo.Driver.Tests.Topology;

/// <summary>maxStalenessSeconds through <see cref="Cluster"/> selection: the client's heartbeatFrequencyMS sets the limit and the estimate.</summary>
public sealed class MaxStalenessClusterTests
{
    private static readonly MongoServerAddress A = MongoServerAddress.Parse("a:27017");
    private static readonly MongoServerAddress B = MongoServerAddress.Parse("b:27017");

    private static Cluster Start(string uri)
    {
        ClusterSettings settings = ClusterSettings.From(MongoClientSettings.FromConnectionString(uri));
        settings.StartMonitors = false;
        var cluster = new Cluster(settings);
        long now = 1_000_000;
        cluster.GetServer(A)!.Update(ServerDescription.FromHello(A, Hello(primary: true, lastWrite: now), TimeSpan.FromMilliseconds(1), now));
        // b last applied a write 200 s before the primary's, both checked at the same moment.
        cluster.GetServer(B)!.Update(ServerDescription.FromHello(B, Hello(primary: false, lastWrite: now - 200_000), TimeSpan.FromMilliseconds(1), now));
        return cluster;
    }

    private static BsonDocument Hello(bool primary, long lastWrite) => new()
    {
        { "ok", 1 }, { "setName", "rs" }, { primary ? "isWritablePrimary" : "secondary", true }, { "hosts", new BsonArray { "a:27017", "b:27017" } },
        { "minWireVersion", 0 }, { "maxWireVersion", 21 }, { "lastWrite", new BsonDocument("lastWriteDate", new BsonDateTime(lastWrite)) },
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AValueBelowHeartbeatPlusIdleWritePeriodFailsAtOnceNamingTheOption(bool async)
    {
        // heartbeatFrequencyMS=100000: the smallest allowed maxStalenessSeconds is 110.
        using Cluster cluster = Start("mongodb://a,b/?replicaSet=rs&heartbeatFrequencyMS=100000&serverSelectionTimeoutMS=100000");
        var selector = ServerSelector.ForRead(new ReadPreference(ReadPreferenceMode.SecondaryPreferred, maxStaleness: TimeSpan.FromSeconds(100)));
        var started = System.Diagnostics.Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<MongoConfigurationException>(async () => await cluster.SelectServerAsync(async, selector, Deadline.Infinite, CancellationToken.None));
        Assert.Contains("maxStalenessSeconds", ex.Message, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), "no waiting for serverSelectionTimeoutMS");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AStaleSecondaryIsPassedOverForThePrimary(bool async)
    {
        using Cluster cluster = Start("mongodb://a,b/?replicaSet=rs&serverSelectionTimeoutMS=10000");
        var fresh = ServerSelector.ForRead(new ReadPreference(ReadPreferenceMode.SecondaryPreferred, maxStaleness: TimeSpan.FromSeconds(90)));
        Assert.Equal(A, (await cluster.SelectServerAsync(async, fresh, Deadline.Infinite, CancellationToken.None)).Server.Address);

        // 200 s behind + a 10 s heartbeat is within 300 s: the secondary qualifies again.
        var lenient = ServerSelector.ForRead(new ReadPreference(ReadPreferenceMode.SecondaryPreferred, maxStaleness: TimeSpan.FromSeconds(300)));
        Assert.Equal(B, (await cluster.SelectServerAsync(async, lenient, Deadline.Infinite, CancellationToken.None)).Server.Address);
    }
}
