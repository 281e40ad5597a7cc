using Mongo.Driver.Events;
using Mongo.Driver.Operations;
using Mongo.Driver.Topology;
using Mongo.Testing.Monitoring;
using Xunit;

namespace Mongo.Driver.Tests.Srv;

/// <summary>
/// mongodb+srv through <see cref="MongoClient"/>: the constructor does no DNS, the cluster resolves the host when it
/// starts with the resolver given in <see cref="MongoClientSettings.DnsResolver"/>, and errors reach the first operation.
/// </summary>
public sealed class ClientSrvDiscoveryTests
{
    [ThreadStatic]
    private static bool t_constructing;

    private static MongoClient Client(string uri, IDnsResolver dns)
    {
        var settings = MongoClientSettings.FromConnectionString(uri);
        settings.DnsResolver = dns;
        t_constructing = true;
        try
        {
            return new MongoClient(settings);
        }
        finally
        {
            t_constructing = false;
        }
    }

    private static Cluster ClusterOf(MongoClient client) => ((OperationExecutor)client.Executor).Cluster;

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("Timed out waiting for " + what);
            }
        }
    }

    [Fact]
    public async Task Constructor_returns_while_dns_has_not_answered_and_the_seeds_arrive_later()
    {
        var dns = new GatedResolver();
        dns.Stub.SetSrv("_mongodb._tcp.c.example.com", ("db1.example.com", 27017), ("db2.example.com", 27018));
        dns.Stub.Txt["c.example.com"] = [new DnsTxtRecord(["replicaSet=rs0"])];

        await using var client = Client("mongodb+srv://c.example.com/", dns);

        Assert.False(dns.QueriedDuringConstruction);
        Assert.Empty(client.TopologyDescription.Servers);
        dns.Release();
        await WaitForAsync(() => client.TopologyDescription.Servers.Count == 2, "the SRV seeds");
        var topology = client.TopologyDescription;
        Assert.Equal(["db1.example.com:27017", "db2.example.com:27018"], topology.Servers.Select(s => s.Address.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal("rs0", topology.SetName); // from the TXT record
        Assert.Equal(MongoTopologyType.ReplicaSetNoPrimary, topology.Type);
        Assert.NotNull(ClusterOf(client).SrvPoller); // not load-balanced: polling runs with the same resolver
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Unusable_records_fail_the_first_operation_with_a_configuration_error(bool async)
    {
        var dns = new StubDnsResolver();
        dns.SetSrv("_mongodb._tcp.c.example.com", ("db1.evil.com", 27017));

        // A long selection timeout: only a fail-fast configuration error (not a timeout) can end the wait here.
        await using var client = Client("mongodb+srv://c.example.com/?serverSelectionTimeoutMS=120000", dns);
        var ex = async
            ? await Assert.ThrowsAsync<MongoConfigurationException>(() => client.ListDatabaseNamesAsync())
            : Assert.Throws<MongoConfigurationException>(() => client.ListDatabaseNames());
        Assert.Contains("c.example.com", ex.Message, StringComparison.Ordinal);
        Assert.Contains("db1.evil.com", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_srv_record_is_a_configuration_error_naming_the_host_and_logged()
    {
        var logs = new LogCapture();
        var settings = MongoClientSettings.FromConnectionString("mongodb+srv://none.example.com/?serverSelectionTimeoutMS=120000");
        settings.DnsResolver = new StubDnsResolver();
        settings.LoggerFactory = logs;
        await using var client = new MongoClient(settings);
        var ex = await Assert.ThrowsAsync<MongoConfigurationException>(() => client.ListDatabaseNamesAsync());
        Assert.Contains("none.example.com", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no SRV records", ex.Message, StringComparison.Ordinal);
        Assert.Contains(logs.Logs, log => log.Level == Microsoft.Extensions.Logging.LogLevel.Warning &&
            log.Text.Contains("SRV resolution of 'none.example.com' failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dns_failure_is_retried_reported_on_timeout_and_recovers()
    {
        var dns = new StubDnsResolver { Failure = new InvalidOperationException("resolver offline") };
        await using var client = Client("mongodb+srv://c.example.com/?serverSelectionTimeoutMS=2000&heartbeatFrequencyMS=500", dns);

        var ex = await Assert.ThrowsAsync<MongoTimeoutException>(() => client.ListDatabaseNamesAsync());
        Assert.Contains("could not be resolved", ex.Message, StringComparison.Ordinal);
        Assert.Contains("resolver offline", ex.Message, StringComparison.Ordinal);
        Assert.IsType<MongoConnectionException>(ex.InnerException);

        await WaitForAsync(() => dns.SrvQueries >= 2, "a second lookup");
        dns.SetSrv("_mongodb._tcp.c.example.com", ("db1.example.com", 27017));
        dns.Failure = null;
        await WaitForAsync(() => client.TopologyDescription.Servers.Count == 1, "the seeds after DNS recovered");
        Assert.Null(ClusterOf(client).SrvFailure);
    }

    [Theory]
    [InlineData("serverSelectionTimeoutMS=300")]
    [InlineData("timeoutMS=300")]
    public async Task A_dns_server_that_never_answers_is_bounded_by_the_operation_timeouts(string option)
    {
        var dns = new StubDnsResolver { Hang = true };
        await using var client = Client("mongodb+srv://c.example.com/?connectTimeoutMS=120000&" + option, dns);
        var ex = await Assert.ThrowsAnyAsync<MongoTimeoutException>(() => client.ListDatabaseNamesAsync());
        Assert.Contains("have not been resolved yet", ex.ToString(), StringComparison.Ordinal); // timeoutMS may wrap the selection timeout
    }

    [Fact]
    public async Task A_txt_record_can_make_the_topology_load_balanced_and_then_nothing_polls()
    {
        var dns = new StubDnsResolver();
        dns.SetSrv("_mongodb._tcp.lb.example.com", ("proxy.example.com", 27017));
        dns.Txt["lb.example.com"] = [new DnsTxtRecord(["loadBalanced=true"])];
        await using var client = Client("mongodb+srv://lb.example.com/", dns);

        await WaitForAsync(() => client.TopologyDescription.Type == MongoTopologyType.LoadBalanced, "a load-balanced topology");
        Assert.Equal("proxy.example.com:27017", Assert.Single(client.TopologyDescription.Servers).Address.ToString());
        Assert.Null(ClusterOf(client).SrvPoller);
    }

    [Fact]
    public async Task Srv_polling_uses_the_resolver_from_the_settings()
    {
        var dns = new StubDnsResolver();
        dns.SetSrv("_mongodb._tcp.c.example.com", ("db1.example.com", 27017));
        await using var client = Client("mongodb+srv://c.example.com/?heartbeatFrequencyMS=500", dns);
        await WaitForAsync(() => ClusterOf(client).SrvPoller is not null, "the SRV poller");

        // A rescan (run now instead of after rescanSRVIntervalMS) moves the unknown topology to the new records.
        dns.SetSrv("_mongodb._tcp.c.example.com", ("db2.example.com", 27017), ("db3.example.com", 27017));
        Assert.True(await ClusterOf(client).SrvPoller!.ScanOnceAsync());
        Assert.Equal(["db2.example.com:27017", "db3.example.com:27017"],
            client.TopologyDescription.Servers.Select(s => s.Address.ToString()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("mongodb+srv://c.example.com:27017/")]
    [InlineData("mongodb+srv://a.example.com,b.example.com/")]
    [InlineData("mongodb+srv://c.example.com/?directConnection=true")]
    [InlineData("mongodb+srv://c.example.com/?srvMaxHosts=1&replicaSet=rs0")]
    public void Errors_the_spec_wants_before_dns_are_raised_by_the_constructor_without_a_lookup(string uri)
    {
        var dns = new StubDnsResolver();
        Assert.Throws<MongoConfigurationException>(() => Client(uri, dns));
        Assert.Equal(0, dns.SrvQueries);
    }

    [Fact]
    public async Task Settings_given_in_code_are_checked_before_dns_too()
    {
        var dns = new StubDnsResolver();
        var settings = MongoClientSettings.FromConnectionString("mongodb+srv://c.example.com/");
        settings.DnsResolver = dns;
        settings.DirectConnection = true;
        Assert.Throws<MongoConfigurationException>(() => new MongoClient(settings));
        await Task.Yield();
        Assert.Equal(0, dns.SrvQueries);
    }

    /// <summary>Blocks every lookup until released; notes a lookup made on the thread of a running constructor.</summary>
    private sealed class GatedResolver : IDnsResolver
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public StubDnsResolver Stub { get; } = new();

        public bool QueriedDuringConstruction { get; private set; }

        public void Release() => _gate.TrySetResult();

        public IReadOnlyList<DnsSrvRecord> ResolveSrv(string name, CancellationToken cancellationToken) =>
            ResolveSrvAsync(name, cancellationToken).GetAwaiter().GetResult();

        public async Task<IReadOnlyList<DnsSrvRecord>> ResolveSrvAsync(string name, CancellationToken cancellationToken)
        {
            Note();
            await _gate.Task.WaitAsync(cancellationToken);
            return await Stub.ResolveSrvAsync(name, cancellationToken);
        }

        public IReadOnlyList<DnsTxtRecord> ResolveTxt(string name, CancellationToken cancellationToken) =>
            ResolveTxtAsync(name, cancellationToken).GetAwaiter().GetResult();

        public async Task<IReadOnlyList<DnsTxtRecord>> ResolveTxtAsync(string name, CancellationToken cancellationToken)
        {
            Note();
            await _gate.Task.WaitAsync(cancellationToken);
            return await Stub.ResolveTxtAsync(name, cancellationToken);
        }

        private void Note() => QueriedDuringConstruction |= t_constructing;
    }
}
