using Xunit;

namespace Mongo.Driver.Tests.Configuration;

public sealed class ConcernAndPreferenceTests
{
    [Fact]
    public void WriteConcernValidation()
    {
        Assert.Throws<MongoConfigurationException>(() => new WriteConcern(0, journal: true));
        Assert.Throws<MongoConfigurationException>(() => new WriteConcern(wTimeout: TimeSpan.FromMilliseconds(-1)));
        Assert.Throws<MongoConfigurationException>(() => new WriteConcern(-1));
        Assert.False(WriteConcern.Unacknowledged.IsAcknowledged);
        Assert.True(new WriteConcern("dc-tag").IsAcknowledged);
        Assert.True(WriteConcern.Default.IsServerDefault);
        Assert.Equal("{ w: \"majority\", wtimeout: 500, j: true }", new WriteConcern(WriteConcernW.Majority, TimeSpan.FromMilliseconds(500), true).ToString());
    }

    [Fact]
    public void ReadPreferenceValidation()
    {
        var tags = new[] { new TagSet([new ReadPreferenceTag("dc", "ny")]) };
        Assert.Throws<MongoConfigurationException>(() => new ReadPreference(ReadPreferenceMode.Primary, tags));
        Assert.Throws<MongoConfigurationException>(() => new ReadPreference(ReadPreferenceMode.Primary, maxStaleness: TimeSpan.FromSeconds(120)));
        Assert.Throws<MongoConfigurationException>(() => new ReadPreference(ReadPreferenceMode.Primary, hedge: new ReadPreferenceHedge(true)));
        Assert.Throws<MongoConfigurationException>(() => new ReadPreference(ReadPreferenceMode.Secondary, maxStaleness: TimeSpan.Zero));
        Assert.Null(new ReadPreference(ReadPreferenceMode.Secondary, maxStaleness: TimeSpan.FromSeconds(-1)).MaxStaleness);
        Assert.Throws<MongoConfigurationException>(() => MongoUrl.Parse("mongodb://h/?maxStalenessSeconds=120"));
        var rp = new ReadPreference(ReadPreferenceMode.Nearest, tags, TimeSpan.FromSeconds(90));
        Assert.True(rp.TagSets[0].IsMatch(new Dictionary<string, string> { ["dc"] = "ny", ["rack"] = "1" }));
        Assert.False(rp.TagSets[0].IsMatch(new Dictionary<string, string> { ["dc"] = "NY" }));
    }

    [Fact]
    public void CredentialDefaultsAndRedaction()
    {
        var gssapi = MongoCredential.CreateGssapi("user@REALM");
        Assert.Equal("$external", gssapi.Source);
        Assert.Equal("mongodb", gssapi.MechanismProperties["service_name"]);
        var scram = MongoCredential.CreateScramSha256("u", "hunter2");
        Assert.Equal("admin", scram.Source);
        Assert.DoesNotContain("hunter2", scram.ToString(), StringComparison.Ordinal);
        Assert.Throws<MongoConfigurationException>(() => MongoCredential.CreateOidc("azure"));
        Assert.Equal("res", MongoCredential.CreateOidc("gcp", "res").MechanismProperties["TOKEN_RESOURCE"]);
    }
}
