using Mongo.Bson;
using Mongo.Driver.Connections;
using Xunit;

namespace Mongo.Driver.Tests.Connections;

/// <summary>The handshake's client metadata (handshake spec): contents and the 512-byte limit with its truncation order.</summary>
public sealed class ClientMetadataTests
{
    [Fact]
    public void MetadataNamesTheDriverOsAndPlatformWithinTheLimit()
    {
        BsonDocument metadata = ClientMetadata.Create("my-app");
        Assert.Equal("my-app", metadata["application"].AsDocument["name"].AsString);
        Assert.Equal(ClientMetadata.DriverName, metadata["driver"].AsDocument["name"].AsString);
        Assert.False(string.IsNullOrEmpty(metadata["driver"].AsDocument["version"].AsString));
        Assert.False(string.IsNullOrEmpty(metadata["os"].AsDocument["type"].AsString));
        Assert.Contains(".NET", metadata["platform"].AsString, StringComparison.Ordinal);
        Assert.InRange(metadata.ToBytes().Length, 1, ClientMetadata.MaxSize);
    }

    [Fact]
    public void WrapperInfoIsAppendedAndAnOversizePlatformIsCutToFit()
    {
        var extra = new BsonDocument { { "name", "odm" }, { "version", "2.0" }, { "platform", new string('p', 1_000) } };
        BsonDocument metadata = ClientMetadata.Create("my-app", extra);
        Assert.Equal(ClientMetadata.DriverName + "|odm", metadata["driver"].AsDocument["name"].AsString);
        Assert.EndsWith("|2.0", metadata["driver"].AsDocument["version"].AsString, StringComparison.Ordinal);
        Assert.True(metadata.ToBytes().Length <= ClientMetadata.MaxSize, metadata.ToBytes().Length + " bytes");
        Assert.True(metadata["os"].AsDocument.Contains("type"), "os.type is never dropped");
        Assert.Equal("my-app", metadata["application"].AsDocument["name"].AsString);
    }

    [Fact]
    public void TruncationDropsEnvDetailsThenOsDetailsFirst()
    {
        var document = new BsonDocument
        {
            { "driver", new BsonDocument { { "name", "Mongo" }, { "version", "1.0" } } },
            { "os", new BsonDocument { { "type", "Linux" }, { "name", new string('o', 150) } } },
            { "platform", ".NET 10" },
            { "env", new BsonDocument { { "name", "aws.lambda" }, { "region", new string('r', 300) } } },
        };

        BsonDocument truncated = ClientMetadata.Truncate(document);
        Assert.True(truncated.ToBytes().Length <= ClientMetadata.MaxSize);
        Assert.Equal(new BsonDocument("name", "aws.lambda"), truncated["env"].AsDocument); // env kept its name only
        Assert.Equal(new string('o', 150), truncated["os"].AsDocument["name"].AsString); // that was enough: os untouched
        Assert.Equal(".NET 10", truncated["platform"].AsString);
    }
}
