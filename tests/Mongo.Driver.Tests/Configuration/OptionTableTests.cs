using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using Mongo.Driver.Topology;
using Xunit;

namespace Mongo.Driver.Tests.Configuration;

/// <summary>
/// The one option table drives parsing, <see cref="MongoClientSettings.FromUrl"/>, <see cref="MongoClientSettings.ToString"/>
/// and redaction: every option round-trips connection string -> settings -> connection string, and every secret stays hidden.
/// </summary>
public sealed class OptionTableTests
{
    private const string Base = "mongodb://alice:pw@h1:27017/db";
    private const string SrvBase = "mongodb+srv://c.example.com/db";
    private const string Secret = "s3cr3tvalue";

    /// <summary>
    /// A non-default value for every option (with what it needs: proxyPort needs proxyHost). An option added to the table
    /// without an entry here fails <see cref="Every_option_has_an_example"/>.
    /// </summary>
    private static readonly Dictionary<string, string> Examples = new(StringComparer.Ordinal)
    {
        ["appName"] = "appName=my%20app",
        ["authMechanism"] = "authMechanism=PLAIN",
        ["authMechanismProperties"] = "authMechanism=GSSAPI&authMechanismProperties=SERVICE_NAME:" + Secret,
        ["authSource"] = "authSource=other",
        ["compressors"] = "compressors=zstd,snappy",
        ["zlibCompressionLevel"] = "zlibCompressionLevel=5",
        ["connectTimeoutMS"] = "connectTimeoutMS=1234",
        ["directConnection"] = "directConnection=true",
        ["heartbeatFrequencyMS"] = "heartbeatFrequencyMS=1500",
        ["journal"] = "journal=true",
        ["loadBalanced"] = "loadBalanced=true",
        ["localThresholdMS"] = "localThresholdMS=20",
        ["maxIdleTimeMS"] = "maxIdleTimeMS=60000",
        ["maxPoolSize"] = "maxPoolSize=7",
        ["minPoolSize"] = "minPoolSize=3",
        ["maxConnecting"] = "maxConnecting=4",
        ["maxStalenessSeconds"] = "readPreference=secondary&maxStalenessSeconds=120",
        ["readConcernLevel"] = "readConcernLevel=majority",
        ["readPreference"] = "readPreference=nearest",
        ["readPreferenceTags"] = "readPreference=secondary&readPreferenceTags=dc:ny,rack:1&readPreferenceTags=",
        ["replicaSet"] = "replicaSet=rs1",
        ["retryReads"] = "retryReads=false",
        ["retryWrites"] = "retryWrites=false",
        ["serverMonitoringMode"] = "serverMonitoringMode=poll",
        ["serverSelectionTimeoutMS"] = "serverSelectionTimeoutMS=4000",
        ["serverSelectionTryOnce"] = "serverSelectionTryOnce=false",
        ["socketTimeoutMS"] = "socketTimeoutMS=7000",
        ["srvMaxHosts"] = "srvMaxHosts=2",
        ["srvServiceName"] = "srvServiceName=custom",
        ["timeoutMS"] = "timeoutMS=2500",
        ["tls"] = "ssl=true",
        ["tlsAllowInvalidCertificates"] = "tlsAllowInvalidCertificates=true",
        ["tlsAllowInvalidHostnames"] = "tlsAllowInvalidHostnames=true",
        ["tlsCAFile"] = "tlsCAFile=/etc/ca.pem",
        ["tlsCertificateKeyFile"] = "tlsCertificateKeyFile=/etc/client.pem",
        ["tlsCertificateKeyFilePassword"] = "tlsCertificateKeyFile=/etc/client.pem&tlsCertificateKeyFilePassword=" + Secret,
        ["tlsInsecure"] = "tlsInsecure=true",
        ["tlsDisableOCSPEndpointCheck"] = "tlsDisableOCSPEndpointCheck=true",
        ["tlsDisableCertificateRevocationCheck"] = "tlsDisableCertificateRevocationCheck=true",
        ["w"] = "w=majority",
        ["wTimeoutMS"] = "wTimeoutMS=500",
        ["wtimeout"] = "wtimeout=700",
        ["waitQueueTimeoutMS"] = "waitQueueTimeoutMS=9000",
        ["gssapiServiceName"] = "authMechanism=GSSAPI&gssapiServiceName=svc",
        ["proxyHost"] = "proxyHost=proxy.local",
        ["proxyPort"] = "proxyHost=proxy.local&proxyPort=1090",
        ["proxyUsername"] = "proxyHost=proxy.local&proxyUsername=pu&proxyPassword=pp",
        ["proxyPassword"] = "proxyHost=proxy.local&proxyUsername=pu&proxyPassword=" + Secret,
        ["uuidRepresentation"] = "uuidRepresentation=javaLegacy",
        ["maxAdaptiveRetries"] = "maxAdaptiveRetries=5",
        ["enableOverloadRetargeting"] = "enableOverloadRetargeting=true",
    };

    public static TheoryData<string> OptionNames => [.. MongoUrl.OptionTable.Select(o => o.Name)];

    public static TheoryData<string> SensitiveNames => [.. MongoUrl.OptionTable.Where(o => o.Sensitive).Select(o => o.Name)];

    private static string BaseFor(string name) => name is "srvMaxHosts" or "srvServiceName" ? SrvBase : Base;

    private static MongoUrl.OptionDescriptor Option(string name) => Assert.Single(MongoUrl.OptionTable, o => o.Name == name);

    private static string[] Rendered(MongoUrl.OptionDescriptor option, MongoClientSettings settings) => [.. option.Render!(settings)];

    [Fact]
    public void Every_option_has_an_example() =>
        Assert.Equal(MongoUrl.OptionTable.Select(o => o.Name).Order(StringComparer.Ordinal), Examples.Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void Names_and_aliases_are_unique_case_insensitively()
    {
        var keys = MongoUrl.OptionTable.SelectMany(o => o.Aliases.Prepend(o.Name)).Select(k => k.ToLowerInvariant()).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(MongoUrl.OptionTable, o => Assert.True(o.Render is not null || o.RenderedAs is not null, o.Name + " neither renders nor names its replacement"));
    }

    [Theory]
    [MemberData(nameof(OptionNames))]
    public void Every_option_round_trips_uri_settings_uri(string name)
    {
        string uri = BaseFor(name) + "?" + Examples[name];
        var defaults = MongoClientSettings.FromConnectionString(BaseFor(name));
        var settings = MongoClientSettings.FromConnectionString(uri);
        Assert.DoesNotContain(settings.ConnectionStringWarnings, w => !w.Contains("deprecated", StringComparison.OrdinalIgnoreCase));

        // The option reached the settings: what renders for it differs from the default.
        var option = Option(name);
        var shown = Option(option.RenderedAs ?? name);
        string[] value = Rendered(shown, settings);
        Assert.NotEqual(Rendered(shown, defaults), value);

        // ToString shows it (by its canonical name), and the unredacted form parses back to equal settings.
        string text = settings.ToConnectionString(redact: false);
        Assert.Contains(shown.Name + "=", text, StringComparison.Ordinal);
        Assert.Contains(shown.Name + "=", settings.ToString(), StringComparison.Ordinal);
        var again = MongoClientSettings.FromConnectionString(text);
        foreach (var each in MongoUrl.OptionTable.Where(o => o.Render is not null))
        {
            Assert.Equal(Rendered(each, settings), Rendered(each, again));
        }

        Assert.Equal(text, again.ToConnectionString(redact: false));
        Assert.Equal(settings.Scheme, again.Scheme);
        Assert.Equal(settings.Credential?.Username, again.Credential?.Username);
        Assert.Equal(settings.Credential?.Password, again.Credential?.Password);
        Assert.Equal(settings.DefaultDatabase, again.DefaultDatabase);
    }

    [Theory]
    [MemberData(nameof(SensitiveNames))]
    public void Redaction_covers_every_sensitive_option(string name)
    {
        string uri = Base + "?" + Examples[name];
        Assert.Contains(Secret, uri, StringComparison.Ordinal);
        var url = MongoUrl.Parse(uri);
        var settings = MongoClientSettings.FromUrl(url);

        Assert.DoesNotContain(Secret, url.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, settings.ToString(), StringComparison.Ordinal);
        Assert.Contains(name + "=<redacted>", settings.ToString(), StringComparison.Ordinal);
        Assert.Contains(Secret, settings.ToConnectionString(redact: false), StringComparison.Ordinal);
        Assert.True(MongoUrl.IsSensitiveOption(name.ToLowerInvariant()));
    }

    [Fact]
    public void The_secret_options_are_the_ones_the_specs_name()
    {
        // A guard against an entry losing its flag: these values carry passwords or tokens.
        Assert.Equal(["authMechanismProperties", "proxyPassword", "tlsCertificateKeyFilePassword"],
            MongoUrl.OptionTable.Where(o => o.Sensitive).Select(o => o.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_txt_record_may_set_the_options_the_table_allows()
    {
        Assert.Equal(["authsource", "loadbalanced", "replicaset"], MongoUrl.TxtAllowedOptions.Order(StringComparer.Ordinal));
        var ex = Assert.Throws<MongoConfigurationException>(() => Mongo.Driver.Srv.SrvHostRules.ParseTxtOptions("c.example.com", "ssl=true"));
        Assert.Contains("'ssl'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("rs0", Assert.Single(Mongo.Driver.Srv.SrvHostRules.ParseTxtOptions("c.example.com", "replicaSet=rs0")).Value);
    }

    [Fact]
    public void An_invalid_secret_value_is_not_echoed()
    {
        var ex = Assert.Throws<MongoConfigurationException>(() => MongoUrl.Parse(Base + "?authMechanism=MONGODB-AWS&authMechanismProperties=" + Secret));
        Assert.DoesNotContain(Secret, ex.Message, StringComparison.Ordinal);
        Assert.Contains("authmechanismproperties", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Settings_built_in_code_render_as_a_connection_string()
    {
        var settings = new MongoClientSettings
        {
            Servers = [new MongoServerAddress("a", 27017), new MongoServerAddress("b", 27018)],
            MaxConnecting = 5,
            Credential = MongoCredential.CreateScramSha256("bob", "pa/ss"),
            ProxyHost = "p",
            ProxyPort = 1080,
            ProxyUsername = "u",
            ProxyPassword = "hidden",
        };
        Assert.Equal("mongodb://bob:<redacted>@a:27017,b:27018/?authMechanism=SCRAM-SHA-256&maxConnecting=5&proxyHost=p&proxyPort=1080&proxyUsername=u&proxyPassword=<redacted>",
            settings.ToString());
        var again = MongoClientSettings.FromConnectionString(settings.ToConnectionString(redact: false));
        Assert.Equal("pa/ss", again.Credential!.Password);
        Assert.Equal(5, again.MaxConnecting);
        Assert.Equal("hidden", again.ProxyPassword);
    }

    [Theory]
    [MemberData(nameof(OptionNames))]
    public void What_the_topology_receives_matches_each_options_use(string name)
    {
        var option = Option(name);
        string example = Examples[name];
        if (option.Use == MongoUrl.OptionUse.NotImplemented)
        {
            // Refused when the client is created, never silently ignored.
            var ex = Assert.Throws<MongoNotSupportedException>(() => new MongoClient(Base + "?" + example));
            Assert.Contains("not implemented", ex.Message, StringComparison.Ordinal);
            Assert.Contains("'proxy", ex.Message, StringComparison.Ordinal);
            return;
        }

        // Before: the same connection string without the option itself (but with what it needs, and TLS on so that the
        // TLS options can show). After: with it. Only topology options may change what the cluster, pools and connections get.
        string[] needs = [.. example.Split('&').Where(pair => !IsOccurrenceOf(option, pair[..pair.IndexOf('=')]))];
        string prefix = name == "tls" ? string.Empty : "tls=true&";
        string before = Fingerprint(MongoClientSettings.FromConnectionString(BaseFor(name) + "?" + prefix + string.Join("&", needs)));
        string after = Fingerprint(MongoClientSettings.FromConnectionString(BaseFor(name) + "?" + prefix + example));
        if (option.Use == MongoUrl.OptionUse.Topology)
        {
            Assert.NotEqual(before, after);
        }
        else
        {
            Assert.Equal(before, after);
        }
    }

    private static bool IsOccurrenceOf(MongoUrl.OptionDescriptor option, string key) =>
        option.Aliases.Prepend(option.Name).Contains(key, StringComparer.OrdinalIgnoreCase);

    /// <summary>Everything <c>ClusterSettings.From</c> hands the cluster, its pools and connections, as text.</summary>
    private static string Fingerprint(MongoClientSettings settings)
    {
        var sb = new StringBuilder();
        Describe(sb, "cluster", ClusterSettings.From(settings), 0);
        return sb.ToString();
    }

    private static void Describe(StringBuilder sb, string path, object? value, int depth)
    {
        switch (value)
        {
            case null:
                sb.Append(path).Append("=null;");
                return;
            case string or ValueType:
                sb.Append(path).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append(';');
                return;
            case Delegate or MongoClientSettings or Mongo.Bson.BsonValue or Mongo.Driver.Diagnostics.EventPublisher:
                return; // callbacks, the SRV source (resolved later), computed handshake metadata, event plumbing
            case IEnumerable items:
                int i = 0;
                foreach (object? item in items)
                {
                    Describe(sb, path + "[" + i++ + "]", item, depth + 1);
                }

                return;
        }

        Assert.True(depth < 8, "too deep at " + path);
        foreach (PropertyInfo property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0)
            {
                Describe(sb, path + "." + property.Name, property.GetValue(value), depth + 1);
            }
        }
    }
}
