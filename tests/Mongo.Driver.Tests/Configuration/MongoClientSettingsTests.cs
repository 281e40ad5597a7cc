using Xunit;

namespace Mongo.Driver.Tests.Configuration;

public sealed class MongoClientSettingsTests
{
    [Fact]
    public void DefaultsFollowTheSpecs()
    {
        var s = new MongoClientSettings();
        Assert.Equal("localhost:27017", Assert.Single(s.Servers).ToString());
        Assert.Equal(TimeSpan.FromSeconds(10), s.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), s.HeartbeatFrequency);
        Assert.Equal(TimeSpan.FromMilliseconds(15), s.LocalThreshold);
        Assert.Equal(TimeSpan.FromSeconds(30), s.ServerSelectionTimeout);
        Assert.Equal(100, s.MaxPoolSize);
        Assert.Equal(2, s.MaxConnecting);
        Assert.True(s.RetryReads);
        Assert.True(s.RetryWrites);
        Assert.False(s.UseTls);
        Assert.Equal(ReadPreference.Primary, s.ReadPreference);
        Assert.True(s.WriteConcern.IsServerDefault);
    }

    [Fact]
    public void FromConnectionStringAppliesOptions()
    {
        var s = MongoClientSettings.FromConnectionString(
            "mongodb://u:p@a,b:27018/app?replicaSet=rs&connectTimeoutMS=0&socketTimeoutMS=2500&w=majority&journal=true&readConcernLevel=majority" +
            "&compressors=zstd,snappy&tlsInsecure=true&timeoutMS=0&appName=svc&maxPoolSize=7&minPoolSize=2");
        Assert.Equal(2, s.Servers.Count);
        Assert.Equal("rs", s.ReplicaSetName);
        Assert.Equal(Timeout.InfiniteTimeSpan, s.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), s.SocketTimeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, s.Timeout);
        Assert.True(s.WriteConcern.W!.Value.IsMajority);
        Assert.True(s.WriteConcern.Journal);
        Assert.Equal("majority", s.ReadConcern.Level);
        Assert.Equal([MongoCompressor.Zstd, MongoCompressor.Snappy], s.Compressors);
        Assert.True(s.TlsAllowInvalidCertificates);
        Assert.True(s.TlsAllowInvalidHostnames);
        Assert.Equal("svc", s.ApplicationName);
        Assert.Equal("app", s.Credential!.Source);
        Assert.Equal("app", s.DefaultDatabase);
        Assert.Equal(7, s.MaxPoolSize);
        s.Validate();
    }

    [Fact]
    public void CloneIsIndependent()
    {
        var s = MongoClientSettings.FromConnectionString("mongodb://a,b/?maxPoolSize=5");
        var copy = s.Clone();
        copy.MaxPoolSize = 9;
        copy.Servers = [new MongoServerAddress("c")];
        Assert.Equal(5, s.MaxPoolSize);
        Assert.Equal(2, s.Servers.Count);
        Assert.Equal(9, copy.MaxPoolSize);
    }

    [Fact]
    public void SettersValidateAndNameTheOption()
    {
        var s = new MongoClientSettings();
        Assert.Contains("heartbeatFrequencyMS", Assert.Throws<MongoConfigurationException>(() => s.HeartbeatFrequency = TimeSpan.FromMilliseconds(10)).Message,
            StringComparison.Ordinal);
        Assert.Contains("maxConnecting", Assert.Throws<MongoConfigurationException>(() => s.MaxConnecting = 0).Message, StringComparison.Ordinal);
        Assert.Throws<MongoConfigurationException>(() => s.ConnectTimeout = TimeSpan.FromSeconds(-2));
        s.ConnectTimeout = Timeout.InfiniteTimeSpan;
        s.LoadBalanced = true;
        s.ReplicaSetName = "rs";
        Assert.Throws<MongoConfigurationException>(s.Validate);
    }

    [Fact]
    public void SrvSchemeImpliesTlsUnlessTurnedOff()
    {
        var s = MongoClientSettings.FromConnectionString("mongodb+srv://c.example.com/");
        Assert.Equal(ConnectionStringScheme.MongoDBPlusSrv, s.Scheme);
        Assert.True(s.UseTls);
        s.UseTls = false;
        Assert.False(s.UseTls);
    }
}
