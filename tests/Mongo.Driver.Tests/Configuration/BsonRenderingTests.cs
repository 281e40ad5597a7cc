using Mongo.Bson;
using Xunit;

namespace Mongo.Driver.Tests.Configuration;

public sealed class BsonRenderingTests
{
    [Fact]
    public void ReadPreferenceRendersAndRoundTrips()
    {
        var rp = new ReadPreference(ReadPreferenceMode.SecondaryPreferred,
            [new TagSet([new ReadPreferenceTag("dc", "ny"), new ReadPreferenceTag("rack", "1")]), TagSet.Empty],
            TimeSpan.FromSeconds(120), new ReadPreferenceHedge(true));
        var doc = rp.ToBsonDocument();
        Assert.Equal(BsonDocument.Parse("""{"mode": "secondaryPreferred", "tags": [{"dc": "ny", "rack": "1"}, {}], "maxStalenessSeconds": 120, "hedge": {"enabled": true}}"""), doc);
        Assert.Equal(rp, ReadPreference.FromBsonDocument(doc));
        Assert.Equal(BsonDocument.Parse("""{"mode": "primary"}"""), ReadPreference.Primary.ToBsonDocument());
        Assert.Throws<MongoConfigurationException>(() => ReadPreference.FromBsonDocument(BsonDocument.Parse("""{"mode": "primary", "tags": [{"a": "b"}]}""")));
    }

    [Fact]
    public void WriteConcernAcceptsTheServerForm()
    {
        var wc = WriteConcern.FromBsonDocument(BsonDocument.Parse("""{"w": "majority", "wtimeout": 100, "j": true}"""));
        Assert.True(wc.W!.Value.IsMajority);
        Assert.Equal(TimeSpan.FromMilliseconds(100), wc.WTimeout);
        Assert.Equal(BsonDocument.Parse("""{"w": "majority", "wtimeout": 100, "j": true}"""), wc.ToBsonDocument());
        Assert.Throws<MongoConfigurationException>(() => WriteConcern.FromBsonDocument(BsonDocument.Parse("""{"fsync": true}""")));
    }

    [Fact]
    public void UuidRepresentationOption()
    {
        var settings = MongoClientSettings.FromConnectionString("mongodb://h/?uuidRepresentation=javaLegacy");
        Assert.Equal(GuidRepresentation.JavaLegacy, settings.UuidRepresentation);
        Assert.Throws<MongoConfigurationException>(() => MongoUrl.Parse("mongodb://h/?uuidRepresentation=weird"));
    }
}
