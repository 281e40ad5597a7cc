using Mongo.Testing;

namespace Mongo.Driver.Tests.Specs;

/// <summary>
/// dnsmasq serving the records that initial-dns-seedlist-discovery/tests/README.md lists under test.build.10gen.cc
/// (test4 and test9 are deliberately absent). <c>local=/10gen.cc/</c> makes every other name there NXDOMAIN.
/// </summary>
public sealed class SeedlistDnsFixture : IDisposable
{
    private const string Domain = "test.build.10gen.cc";

    public SeedlistDnsFixture()
    {
        var lines = new List<string>
        {
            "local=/10gen.cc/",
            $"host-record=localhost.{Domain},127.0.0.1",
            $"host-record=localhost.sub.{Domain},127.0.0.1",
        };

        void Srv(string service, string name, string target, int port) =>
            lines.Add($"srv-host=_{service}._tcp.{name}.{Domain},{target},{port}");

        Srv("mongodb", "test1", $"localhost.{Domain}", 27017);
        Srv("mongodb", "test1", $"localhost.{Domain}", 27018);
        Srv("mongodb", "test2", $"localhost.{Domain}", 27018);
        Srv("mongodb", "test2", $"localhost.{Domain}", 27019);
        foreach (string name in (string[])["test3", "test5", "test6", "test7", "test8", "test10", "test11", "test20", "test21"])
        {
            Srv("mongodb", name, $"localhost.{Domain}", 27017);
        }

        Srv("mongodb", "test12", "localhost.build.10gen.cc", 27017);
        Srv("mongodb", "test13", "test.build.10gen.cc", 27017);
        Srv("mongodb", "test14", "localhost.not-test.build.10gen.cc", 27017);
        Srv("mongodb", "test15", "localhost.test.not-build.10gen.cc", 27017);
        Srv("mongodb", "test16", "localhost.test.build.not-10gen.cc", 27017);
        Srv("mongodb", "test17", "localhost.test.build.10gen.not-cc", 27017);
        Srv("mongodb", "test18", $"localhost.sub.{Domain}", 27017);
        Srv("mongodb", "test19", "localhost.evil.build.10gen.cc", 27017);
        Srv("mongodb", "test19", $"localhost.{Domain}", 27017);
        Srv("customname", "test22", $"localhost.{Domain}", 27017);

        // The README lists one _customname record, but replica-set/srv-service-name.json expects two seeds (27017 and
        // 27018), as the live test.build.10gen.cc zone has; the test file wins.
        Srv("customname", "test22", $"localhost.{Domain}", 27018);
        Srv("mongodb", "test23", $"localhost.{Domain}", 8000);
        Srv("mongodb", "test24", $"localhost.{Domain}", 8000);

        void Txt(string name, params string[] strings) =>
            lines.Add($"txt-record={name}.{Domain}," + string.Join(",", strings.Select(s => "\"" + s + "\"")));

        Txt("test5", "replicaSet=repl0&authSource=thisDB");
        Txt("test6", "replicaSet=repl0");
        Txt("test6", "authSource=otherDB");
        Txt("test7", "ssl=false");
        Txt("test8", "authSource");
        Txt("test10", "socketTimeoutMS=500");
        Txt("test11", "replicaS", "et=rep", "l0");
        Txt("test20", "loadBalanced=true");
        Txt("test21", "loadBalanced=false");
        Txt("test24", "loadBalanced=true");

        Server = DnsmasqServer.TryStart(lines, out string? reason);
        SkipReason = reason;
        Resolver = Server is null ? null : new DnsClientResolver([Server.EndPoint], TimeSpan.FromSeconds(2));
    }

    /// <summary>The running server, or null (see <see cref="SkipReason"/>).</summary>
    public DnsmasqServer? Server { get; }

    /// <summary>Why DNS tests skip, when they do.</summary>
    public string? SkipReason { get; }

    /// <summary>A resolver asking only this server.</summary>
    public DnsClientResolver? Resolver { get; }

    public void Dispose() => Server?.Dispose();
}
