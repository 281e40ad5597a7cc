using System.Text.Json;
using Xunit;

namespace Mongo.Driver.Tests.Specs;

/// <summary>
/// connection-string/tests and uri-options/tests. Both suites follow the spec's lenient rule (invalid values are
/// warnings), so they run with <see cref="MongoUrlParseOptions.IgnoreInvalidValues"/>.
/// </summary>
public sealed class ConnectionStringSpecTests
{
    private static readonly MongoUrlParseOptions s_lenient = new() { IgnoreInvalidValues = true };

    public static TheoryData<string, int, string> ConnectionStringCases => SpecJson.Cases("connection-string/tests");

    public static TheoryData<string, int, string> UriOptionsCases => SpecJson.Cases("uri-options/tests");

    [SkippableTheory]
    [MemberData(nameof(ConnectionStringCases))]
    public void ConnectionString(string file, int index, string description)
    {
        var test = SpecJson.Load(file, index, description);
        var url = SpecOptions.ParseAndCheck(test, s_lenient);
        if (url is null)
        {
            return;
        }

        if (!test.IsNull("hosts"))
        {
            var hosts = test.GetProperty("hosts");
            Assert.Equal(hosts.GetArrayLength(), url.Hosts.Count);
            for (int i = 0; i < url.Hosts.Count; i++)
            {
                var expected = hosts[i];
                var actual = url.Hosts[i];
                Assert.Equal(expected.GetProperty("host").GetString(), actual.Host);
                if (!expected.IsNull("port"))
                {
                    Assert.Equal(expected.GetProperty("port").GetInt32(), actual.Port);
                }

                if (!expected.IsNull("type"))
                {
                    string type = actual.Type switch
                    {
                        MongoServerAddressType.IPv4 => "ipv4",
                        MongoServerAddressType.IPLiteral => "ip_literal",
                        MongoServerAddressType.UnixSocket => "unix",
                        _ => "hostname",
                    };
                    Assert.Equal(expected.GetProperty("type").GetString(), type);
                }
            }
        }

        if (!test.IsNull("auth"))
        {
            var auth = test.GetProperty("auth");
            SpecJson.AssertEqual(auth.GetProperty("username"), url.Username, "auth.username");
            SpecJson.AssertEqual(auth.GetProperty("password"), url.Password, "auth.password");
            SpecJson.AssertEqual(auth.GetProperty("db"), url.DatabaseName, "auth.db");
        }

        SpecOptions.AssertOptions(test, url);
    }

    [SkippableTheory]
    [MemberData(nameof(UriOptionsCases))]
    public void UriOptions(string file, int index, string description)
    {
        var test = SpecJson.Load(file, index, description);
        var url = SpecOptions.ParseAndCheck(test, s_lenient);
        if (url is not null)
        {
            SpecOptions.AssertOptions(test, url);

            // Whatever parses must also become client settings without error.
            _ = MongoClientSettings.FromUrl(url);
        }
    }
}
