using Mongo.Driver.Srv;
using Xunit;

namespace Mongo.Driver.Tests.Srv;

/// <summary>The polling spec's prose tests, driven with a stub resolver and a manual clock.</summary>
public sealed class SrvPollerTests
{
    private const string Host = "test1.test.build.10gen.cc";
    private const string Name = "_mongodb._tcp." + Host;
    private const string Target = "localhost.test.build.10gen.cc";

    private sealed class Topology(params int[] ports) : ISrvPollingTarget
    {
        public bool IsPollingAllowed { get; set; } = true;

        public IReadOnlyList<MongoServerAddress> CurrentHosts { get; private set; } = [.. ports.Select(p => new MongoServerAddress(Target, p))];

        public int Updates { get; private set; }

        public void UpdateHosts(IReadOnlyList<MongoServerAddress> hosts)
        {
            Updates++;
            CurrentHosts = hosts;
        }

        public int[] Ports => [.. CurrentHosts.Select(h => h.Port).Order()];
    }

    private static (StubDnsResolver Dns, Topology Topology, SrvPoller Poller) Setup(int srvMaxHosts = 0, params int[] initial)
    {
        var dns = new StubDnsResolver();
        dns.SetSrv(Name, [.. (initial.Length == 0 ? [27017, 27018] : initial).Select(p => (Target, p))]);
        var topology = new Topology(initial.Length == 0 ? [27017, 27018] : initial);
        var poller = new SrvPoller(dns, Host, "mongodb", srvMaxHosts, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(300), topology,
            random: new Random(1), lookupTimeout: TimeSpan.FromMilliseconds(200));
        return (dns, topology, poller);
    }

    [Theory]
    [InlineData(new[] { 27017, 27018, 27019 }, new[] { 27017, 27018, 27019 })] // 1. addition
    [InlineData(new[] { 27017 }, new[] { 27017 })] // 2. removal
    [InlineData(new[] { 27017, 27019 }, new[] { 27017, 27019 })] // 3. replacement
    [InlineData(new[] { 27019 }, new[] { 27019 })] // 4. both replaced by one
    [InlineData(new[] { 27019, 27020 }, new[] { 27019, 27020 })] // 5. both replaced by two
    public async Task RecordChangesReachTheTopology(int[] records, int[] expected)
    {
        var (dns, topology, poller) = Setup();
        dns.SetSrv(Name, [.. records.Select(p => (Target, p))]);
        Assert.True(await poller.ScanOnceAsync());
        Assert.Equal(expected, topology.Ports);
        Assert.Equal(TimeSpan.FromSeconds(300), poller.RescanInterval);
    }

    [Fact]
    public async Task UnchangedHostsAreLeftAlone()
    {
        var (_, topology, poller) = Setup();
        var before = topology.CurrentHosts;
        Assert.False(await poller.ScanOnceAsync());
        Assert.Same(before, topology.CurrentHosts);
        Assert.Equal(0, topology.Updates);
    }

    [Theory]
    [InlineData("timeout")] // 6
    [InlineData("failure")] // 7
    [InlineData("empty")] // 8
    [InlineData("invalid")]
    public async Task FailuresChangeNothingAndPollAtHeartbeatFrequency(string kind)
    {
        var (dns, topology, poller) = Setup();
        switch (kind)
        {
            case "timeout": dns.Hang = true; break;
            case "failure": dns.Failure = new IOException("NXDOMAIN"); break;
            case "empty": dns.Srv.Remove(Name); break;
            default: dns.SetSrv(Name, ("localhost.evil.cc", 27019)); break;
        }

        Assert.False(await poller.ScanOnceAsync());
        Assert.Equal([27017, 27018], topology.Ports);
        Assert.Equal(TimeSpan.FromSeconds(10), poller.RescanInterval);

        // Once valid records return, the TTL-based interval comes back.
        dns.Hang = false;
        dns.Failure = null;
        dns.SetSrv(Name, (Target, 27017), (Target, 27018), ("localhost.evil.cc", 27020));
        Assert.False(await poller.ScanOnceAsync());
        Assert.Equal(TimeSpan.FromSeconds(300), poller.RescanInterval);
    }

    [Fact]
    public async Task TtlBelowSixtySecondsIsRaisedToSixty()
    {
        var (dns, _, poller) = Setup();
        dns.Srv[Name] = [new DnsSrvRecord(Target, 27017, TimeSpan.FromSeconds(5))];
        await poller.ScanOnceAsync();
        Assert.Equal(TimeSpan.FromSeconds(60), poller.RescanInterval);
    }

    [Fact]
    public async Task SrvMaxHostsZeroTakesAll() // 10
    {
        var (dns, topology, poller) = Setup(srvMaxHosts: 0);
        dns.SetSrv(Name, (Target, 27017), (Target, 27019), (Target, 27020));
        await poller.ScanOnceAsync();
        Assert.Equal([27017, 27019, 27020], topology.Ports);
    }

    [Fact]
    public async Task SrvMaxHostsNotSmallerThanRecordsTakesAll() // 11
    {
        var (dns, topology, poller) = Setup(srvMaxHosts: 2);
        dns.SetSrv(Name, (Target, 27019), (Target, 27020));
        await poller.ScanOnceAsync();
        Assert.Equal([27019, 27020], topology.Ports);
    }

    [Fact]
    public async Task SrvMaxHostsSmallerThanRecordsKeepsExistingAndFillsRandomly() // 12
    {
        var (dns, topology, poller) = Setup(srvMaxHosts: 2);
        dns.SetSrv(Name, (Target, 27017), (Target, 27019), (Target, 27020));
        await poller.ScanOnceAsync();
        var ports = topology.Ports;
        Assert.Equal(2, ports.Length);
        Assert.Contains(27017, ports);
        Assert.True(ports.Contains(27019) || ports.Contains(27020));
    }

    [Fact]
    public async Task LoopWaitsTheIntervalAndSkipsWhenPollingIsNotAllowed() // 9 (load balanced / not sharded)
    {
        var time = new ManualTimeProvider();
        var dns = new StubDnsResolver();
        dns.SetSrv(Name, (Target, 27017));
        var topology = new Topology(27017) { IsPollingAllowed = false };
        using var poller = new SrvPoller(dns, Host, "mongodb", 0, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(300), topology, time);
        poller.Start();
        dns.SetSrv(Name, (Target, 27017), (Target, 27018));

        await WaitUntil(() => time.PendingTimers == 1);
        time.Advance(TimeSpan.FromSeconds(600));
        await WaitUntil(() => time.PendingTimers == 1);
        Assert.Equal(0, dns.SrvQueries);
        Assert.Equal([27017], topology.Ports);

        topology.IsPollingAllowed = true;
        time.Advance(TimeSpan.FromSeconds(299));
        await Task.Delay(50);
        Assert.Equal(0, dns.SrvQueries); // not due yet
        time.Advance(TimeSpan.FromSeconds(1));
        await WaitUntil(() => dns.SrvQueries == 1 && time.PendingTimers == 1);
        Assert.Equal([27017, 27018], topology.Ports);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
