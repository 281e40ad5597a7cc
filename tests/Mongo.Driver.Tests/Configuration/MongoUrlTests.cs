using Microsoft.Extensions.Logging;
using Xunit;

namespace Mongo.Driver.Tests.Configuration;

public sealed class MongoUrlTests
{
    [Theory]
    [InlineData("mongodb://h/?connectTimeoutMS=abc", "connecttimeoutms")]
    [InlineData("mongodb://h/?maxPoolSize=-1", "maxpoolsize")]
    [InlineData("mongodb://h/?heartbeatFrequencyMS=499", "heartbeatfrequencyms")]
    [InlineData("mongodb://h/?readPreference=fastest", "readpreference")]
    [InlineData("mongodb://h/?zlibCompressionLevel=10", "zlibcompressionlevel")]
    [InlineData("mongodb://h/?retryWrites=maybe", "retrywrites")]
    public void StrictModeRejectsInvalidValuesNamingTheOption(string uri, string option)
    {
        var ex = Assert.Throws<MongoConfigurationException>(() => MongoUrl.Parse(uri));
        Assert.Contains($"'{option}'", ex.Message, StringComparison.Ordinal);

        var lenient = MongoUrl.Parse(uri, new MongoUrlParseOptions { IgnoreInvalidValues = true });
        Assert.Contains(lenient.Warnings, w => w.Contains($"'{option}'", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownOptionsWarnInBothModesAndAreLogged()
    {
        var logger = new ListLogger();
        var url = MongoUrl.Parse("mongodb://h/?connectMS=5&compressors=zlib,lz4", new MongoUrlParseOptions { Logger = logger });
        Assert.Equal(2, url.Warnings.Count);
        Assert.Contains(url.Warnings, w => w.Contains("connectMS", StringComparison.Ordinal));
        Assert.Contains(url.Warnings, w => w.Contains("lz4", StringComparison.Ordinal));
        Assert.Equal([MongoCompressor.Zlib], url.Compressors);
        Assert.Equal(2, logger.Messages.Count);
        Assert.All(logger.Levels, l => Assert.Equal(LogLevel.Warning, l));
    }

    [Fact]
    public void KeysAreCaseInsensitive()
    {
        var url = MongoUrl.Parse("mongodb://h/?REPLICASET=rs0&ReadPreference=SECONDARY&maxStalenessSeconds=120");
        Assert.Equal("rs0", url.ReplicaSet);
        Assert.Equal(ReadPreferenceMode.Secondary, url.ReadPreference!.Mode);
        Assert.Equal(TimeSpan.FromSeconds(120), url.ReadPreference.MaxStaleness);
    }

    [Fact]
    public void PasswordsNeverAppearInToStringOrErrors()
    {
        const string uri = "mongodb://alice:s3cr%40t@h1,h2:27018/db?tlsCertificateKeyFilePassword=k3yp4ss&proxyHost=p&proxyUsername=u&proxyPassword=pr0xyp4ss&appName=x";
        var url = MongoUrl.Parse(uri);
        string text = url.ToString();
        Assert.DoesNotContain("s3cr", text, StringComparison.Ordinal);
        Assert.DoesNotContain("k3yp4ss", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pr0xyp4ss", text, StringComparison.Ordinal);
        Assert.Contains("alice", text, StringComparison.Ordinal);
        Assert.Contains("h2:27018", text, StringComparison.Ordinal);
        Assert.Equal("s3cr@t", url.Password);

        var settings = MongoClientSettings.FromUrl(url);
        string settingsText = settings.ToString();
        Assert.DoesNotContain("s3cr", settingsText, StringComparison.Ordinal);
        Assert.DoesNotContain("k3yp4ss", settingsText, StringComparison.Ordinal);
        Assert.DoesNotContain("pr0xyp4ss", settingsText, StringComparison.Ordinal);

        var ex = Assert.Throws<MongoConfigurationException>(() => MongoUrl.Parse("mongodb://alice:s3cr:et@h"));
        Assert.DoesNotContain("s3cr", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<MongoConfigurationException>(() => MongoUrl.Parse("mongodb://alice:s3cret@h/?authMechanism=MONGODB-X509"));
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnixSocketsAndIpLiterals()
    {
        var url = MongoUrl.Parse("mongodb://%2Ftmp%2Fmongodb-27017.sock,[fe80::1]:27018,Example.COM/admin");
        Assert.True(url.Hosts[0].IsUnixSocket);
        Assert.Equal("/tmp/mongodb-27017.sock", url.Hosts[0].Host);
        Assert.Equal(MongoServerAddressType.IPLiteral, url.Hosts[1].Type);
        Assert.Equal("[fe80::1]:27018", url.Hosts[1].ToString());
        Assert.Equal("example.com:27017", url.Hosts[2].ToString());
        Assert.Equal("admin", url.DatabaseName);
        Assert.Null(url.Credential);
    }

    [Fact]
    public void SrvUrlDefaultsTlsAndKeepsHost()
    {
        var url = MongoUrl.Parse("mongodb+srv://Cluster0.Example.com/?srvServiceName=custom&srvMaxHosts=2");
        Assert.True(url.IsSrv);
        Assert.Equal("cluster0.example.com", url.SrvHost);
        Assert.True(url.Tls);
        Assert.Equal("custom", url.SrvServiceName);
        Assert.False(MongoUrl.Parse("mongodb+srv://c.example.com/?tls=false").Tls);
        Assert.Throws<MongoConfigurationException>(() => MongoUrl.Parse("mongodb+srv://c.example.com/?directConnection=true"));
    }

    [Fact]
    public void DeprecatedWTimeoutIsUsedOnlyWithoutReplacement()
    {
        var url = MongoUrl.Parse("mongodb://h/?wtimeout=5");
        Assert.Equal(TimeSpan.FromMilliseconds(5), url.WriteConcern.WTimeout);
        Assert.Contains(url.Warnings, w => w.Contains("Deprecated", StringComparison.Ordinal));
    }

    [Fact]
    public void TryParseReportsTheReason()
    {
        Assert.False(MongoUrl.TryParse("mongodb://h:0", out var url, out string? error));
        Assert.Null(url);
        Assert.Contains("port", error, StringComparison.OrdinalIgnoreCase);
        Assert.True(MongoUrl.TryParse("mongodb://h", out url, out error));
        Assert.NotNull(url);
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Messages { get; } = [];

        public List<LogLevel> Levels { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Levels.Add(logLevel);
            Messages.Add(formatter(state, exception));
        }
    }
}
