using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Mongo.Driver.Tests.Srv;

public sealed class SrvResolverTests
{
    // Prose test 1: SRV names with fewer than three labels are accepted before DNS is asked.
    [Theory]
    [InlineData("mongodb+srv://localhost")]
    [InlineData("mongodb+srv://mongo.local")]
    public void FewerThanThreePartsParse(string uri) => Assert.True(MongoUrl.Parse(uri).IsSrv);

    // Prose tests 2-4: targets outside the SRV domain, equal to a short SRV name, or missing the '.' boundary.
    [Theory]
    [InlineData("localhost", "localhost.mongodb")]
    [InlineData("mongo.local", "test_1.evil.local")]
    [InlineData("blogs.mongodb.com", "blogs.evil.com")]
    [InlineData("localhost", "localhost")]
    [InlineData("mongo.local", "mongo.local")]
    [InlineData("localhost", "test_1.cluster_1localhost")]
    [InlineData("mongo.local", "test_1.my_hostmongo.local")]
    [InlineData("blogs.mongodb.com", "cluster.testmongodb.com")]
    public async Task InvalidTargetsAreRejected(string srvHost, string target)
    {
        var dns = new StubDnsResolver();
        dns.SetSrv("_mongodb._tcp." + srvHost, (target, 27017));
        var resolver = new SrvResolver(dns);
        var ex = await Assert.ThrowsAsync<MongoConfigurationException>(() => resolver.ResolveAsync(MongoUrl.Parse("mongodb+srv://" + srvHost)));
        Assert.Contains(srvHost, ex.Message, StringComparison.Ordinal);
        Assert.Throws<MongoConfigurationException>(() => resolver.Resolve(MongoUrl.Parse("mongodb+srv://" + srvHost)));
    }

    [Theory]
    [InlineData("localhost", "test_1.localhost")]
    [InlineData("mongo.local", "test_1.mongo.local")]
    [InlineData("blogs.mongodb.com", "cluster.mongodb.com")]
    [InlineData("blogs.mongodb.com", "a.b.blogs.mongodb.com.")]
    public async Task ValidTargetsAreAccepted(string srvHost, string target)
    {
        var dns = new StubDnsResolver();
        dns.SetSrv("_mongodb._tcp." + srvHost, (target, 27017));
        var url = await new SrvResolver(dns).ResolveAsync(MongoUrl.Parse("mongodb+srv://" + srvHost));
        Assert.Equal(target.TrimEnd('.') + ":27017", Assert.Single(url.Hosts).ToString());
        Assert.True(url.Tls);
        Assert.True(url.IsSrvResolved);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LookupIsBoundedByConnectTimeoutAndNamesTheHost(bool async)
    {
        var dns = new StubDnsResolver { Hang = true };
        var resolver = new SrvResolver(dns);
        var url = MongoUrl.Parse("mongodb+srv://c.example.com/?connectTimeoutMS=100");
        var started = DateTime.UtcNow;
        var ex = async
            ? await Assert.ThrowsAsync<MongoConnectionException>(() => resolver.ResolveAsync(url))
            : Assert.Throws<MongoConnectionException>(() => resolver.Resolve(url));
        Assert.Contains("c.example.com", ex.Message, StringComparison.Ordinal);
        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task DnsFailuresBecomeConnectionErrorsNamingTheHost()
    {
        var dns = new StubDnsResolver { Failure = new IOException("SERVFAIL") };
        var ex = await Assert.ThrowsAsync<MongoConnectionException>(() => new SrvResolver(dns).ResolveAsync(MongoUrl.Parse("mongodb+srv://c.example.com")));
        Assert.Contains("c.example.com", ex.Message, StringComparison.Ordinal);
        Assert.IsType<IOException>(ex.InnerException);
    }

    [Fact]
    public async Task RealDnsClientTimesOutAgainstASilentServer()
    {
        // A bound UDP socket that never answers stands in for an unreachable DNS server.
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var dns = new DnsClientResolver([(IPEndPoint)silent.Client.LocalEndPoint!], TimeSpan.FromMilliseconds(200));
        var url = MongoUrl.Parse("mongodb+srv://c.example.com/?connectTimeoutMS=5000");
        var ex = await Assert.ThrowsAsync<MongoConnectionException>(() => new SrvResolver(dns).ResolveAsync(url));
        Assert.Contains("c.example.com", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RealDnsClientLookupIsBoundedByConnectTimeoutNotByDnsClientsOwnTimeout(bool async)
    {
        // The silent server never answers; DnsClient alone would wait 60 s (and retry), connectTimeoutMS says 300 ms.
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var dns = new DnsClientResolver([(IPEndPoint)silent.Client.LocalEndPoint!], TimeSpan.FromSeconds(60));
        var url = MongoUrl.Parse("mongodb+srv://slow.example.com/?connectTimeoutMS=300");
        var resolver = new SrvResolver(dns);
        var started = System.Diagnostics.Stopwatch.StartNew();
        MongoConnectionException ex = async
            ? await Assert.ThrowsAsync<MongoConnectionException>(() => resolver.ResolveAsync(url))
            : Assert.Throws<MongoConnectionException>(() => resolver.Resolve(url));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"took {started.Elapsed}");
        Assert.Contains("slow.example.com", ex.Message, StringComparison.Ordinal);
        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);

        // The same bound applies when the client resolves the host at construction.
        started.Restart();
        ex = Assert.Throws<MongoConnectionException>(() => new SrvResolver(dns).Resolve(MongoClientSettings.FromUrl(url)));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"took {started.Elapsed}");
        Assert.Contains("slow.example.com", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SrvMaxHostsPicksARandomSubsetOfValidHosts()
    {
        var dns = new StubDnsResolver();
        dns.SetSrv("_mongodb._tcp.c.example.com", ("a.example.com", 1), ("b.example.com", 2), ("c.example.com", 3), ("d.example.com", 4));
        var seen = new HashSet<string>();
        for (int seed = 0; seed < 20; seed++)
        {
            var url = new SrvResolver(dns, new Random(seed)).Resolve(MongoUrl.Parse("mongodb+srv://c.example.com/?srvMaxHosts=2"));
            Assert.Equal(2, url.Hosts.Count);
            Assert.Equal(2, url.Hosts.Distinct().Count());
            seen.UnionWith(url.Hosts.Select(h => h.ToString()));
        }

        Assert.Equal(4, seen.Count);
    }

    [Fact]
    public void SettingsResolutionKeepsExplicitValuesOverTxt()
    {
        var dns = new StubDnsResolver();
        dns.SetSrv("_mongodb._tcp.c.example.com", ("a.example.com", 27017));
        dns.Txt["c.example.com"] = [new DnsTxtRecord(["replicaSet=fromTxt&authSource=txtDb"])];
        var resolver = new SrvResolver(dns);

        var settings = MongoClientSettings.FromConnectionString("mongodb+srv://u:p@c.example.com/?replicaSet=mine");
        var resolved = resolver.Resolve(settings);
        Assert.Equal("mine", resolved.ReplicaSetName);
        Assert.Equal("txtDb", resolved.Credential!.Source);
        Assert.True(resolved.UseTls);
        Assert.Equal("a.example.com:27017", Assert.Single(resolved.Servers).ToString());
        Assert.Equal(ConnectionStringScheme.MongoDBPlusSrv, settings.Scheme);

        var explicitSource = resolver.Resolve(MongoClientSettings.FromConnectionString("mongodb+srv://u:p@c.example.com/?authSource=own&tls=false"));
        Assert.Equal("own", explicitSource.Credential!.Source);
        Assert.Equal("fromTxt", explicitSource.ReplicaSetName);
        Assert.False(explicitSource.UseTls);
    }

    [Fact]
    public void CustomServiceNameIsQueried()
    {
        var dns = new StubDnsResolver();
        dns.SetSrv("_custom._tcp.c.example.com", ("a.example.com", 27017));
        var url = new SrvResolver(dns).Resolve(MongoUrl.Parse("mongodb+srv://c.example.com/?srvServiceName=custom"));
        Assert.Single(url.Hosts);
        Assert.Throws<MongoConfigurationException>(() => new SrvResolver(dns).Resolve(MongoUrl.Parse("mongodb+srv://c.example.com")));
    }
}
