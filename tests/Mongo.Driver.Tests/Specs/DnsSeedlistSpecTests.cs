using System.Text.Json;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Specs;

/// <summary>
/// initial-dns-seedlist-discovery/tests (replica-set, load-balanced, sharded) against a real DNS server (dnsmasq):
/// seeds, numSeeds, options, parsed_options and error are asserted, in sync and async mode. hosts, numHosts and
/// ping need a live deployment: see <see cref="SpecSkips.SkippedAssertions"/>.
/// </summary>
public sealed class DnsSeedlistSpecTests(SeedlistDnsFixture dns) : IClassFixture<SeedlistDnsFixture>
{
    public static TheoryData<string, bool> Cases
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (string file in SpecJson.Files(
                "initial-dns-seedlist-discovery/tests/replica-set",
                "initial-dns-seedlist-discovery/tests/load-balanced",
                "initial-dns-seedlist-discovery/tests/sharded"))
            {
                data.Add(file, false);
                data.Add(file, true);
            }

            return data;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public async Task Seedlist(string file, bool async)
    {
        var test = SpecJson.LoadFile(file);
        Skip.If(dns.Resolver is null, dns.SkipReason);
        foreach (var property in test.EnumerateObject())
        {
            if (property.Name is not ("uri" or "seeds" or "numSeeds" or "hosts" or "numHosts" or "options" or "parsed_options" or "error" or "comment" or "ping"))
            {
                throw new InvalidOperationException($"{file}: unknown field '{property.Name}' (fail loudly).");
            }
        }

        string uri = test.GetProperty("uri").GetString()!;
        var resolver = new SrvResolver(dns.Resolver);
        bool expectError = test.TryGetProperty("error", out var error) && error.GetBoolean();
        MongoUrl resolved;
        try
        {
            var url = MongoUrl.Parse(uri);
            resolved = async ? await resolver.ResolveAsync(url) : resolver.Resolve(url);
        }
        catch (MongoException ex) when (expectError)
        {
            Assert.True(ex is MongoConfigurationException or MongoConnectionException, ex.GetType().Name);
            return;
        }

        Assert.False(expectError, $"Expected an error for {uri}; resolved to {resolved}");
        if (test.TryGetProperty("seeds", out var seeds))
        {
            var expected = seeds.EnumerateArray().Select(s => s.GetString()!).Order(StringComparer.Ordinal).ToList();
            var actual = resolved.Hosts.Select(h => h.ToString()).Order(StringComparer.Ordinal).ToList();
            if (!test.TryGetProperty("numSeeds", out _) || expected.Count == actual.Count)
            {
                Assert.Equal(expected, actual);
            }
            else
            {
                Assert.All(actual, a => Assert.Contains(a, expected));
            }
        }

        if (test.TryGetProperty("numSeeds", out var numSeeds))
        {
            Assert.Equal(numSeeds.GetInt32(), resolved.Hosts.Count);
        }

        SpecOptions.AssertOptions(test, resolved);
        if (test.TryGetProperty("parsed_options", out var parsed))
        {
            foreach (var p in parsed.EnumerateObject())
            {
                object? value = p.Name switch
                {
                    "user" => resolved.Username,
                    "password" => resolved.Password,
                    "db" or "auth_database" or "defaultDatabase" => resolved.DatabaseName,
                    _ => throw new InvalidOperationException($"{file}: unknown parsed option '{p.Name}'."),
                };
                SpecJson.AssertEqual(p.Value, value, "parsed_options." + p.Name);
            }
        }

        // The same resolution through client settings must agree on seeds and the TXT-derived options.
        var settings = MongoClientSettings.FromConnectionString(uri);
        var resolvedSettings = async ? await resolver.ResolveAsync(settings) : resolver.Resolve(settings);
        Assert.Equal(ConnectionStringScheme.MongoDB, resolvedSettings.Scheme);
        Assert.Equal(resolved.Hosts.Count, resolvedSettings.Servers.Count);
        Assert.Equal(resolved.ReplicaSet, resolvedSettings.ReplicaSetName);
        Assert.Equal(resolved.LoadBalanced ?? false, resolvedSettings.LoadBalanced);
        Assert.Equal(resolved.Tls ?? false, resolvedSettings.UseTls);
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NonexistentSrvNameIsAConfigurationErrorNamingTheHost(bool async)
    {
        // test4 is deliberately absent from the served zone: dnsmasq answers NXDOMAIN.
        Skip.If(dns.Resolver is null, dns.SkipReason);
        var url = MongoUrl.Parse("mongodb+srv://test4.test.build.10gen.cc/?connectTimeoutMS=5000");
        var resolver = new SrvResolver(dns.Resolver);
        MongoConfigurationException ex = async
            ? await Assert.ThrowsAsync<MongoConfigurationException>(() => resolver.ResolveAsync(url))
            : Assert.Throws<MongoConfigurationException>(() => resolver.Resolve(url));
        Assert.Contains("test4.test.build.10gen.cc", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no SRV records", ex.Message, StringComparison.Ordinal);
    }
}
