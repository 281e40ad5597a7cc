using System.Collections.Concurrent;
using Mongo.Bson;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.Bson.Tests.Dom;

public class ObjectIdAndGuidTests
{
    [Fact]
    public void Generated_ids_are_unique_across_threads_and_carry_the_time()
    {
        var seen = new ConcurrentDictionary<ObjectId, byte>();
        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                Assert.True(seen.TryAdd(ObjectId.GenerateNewId(), 0));
            }
        });
        var id = ObjectId.GenerateNewId();
        Assert.InRange(id.CreationTime, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
    }

    [Fact]
    public void Hex_round_trips_and_matches_the_official_driver()
    {
        var official = O.ObjectId.GenerateNewId();
        var ours = ObjectId.Parse(official.ToString());
        Assert.Equal(official.ToString(), ours.ToString());
        Assert.Equal(official.ToByteArray(), ours.ToByteArray());
        Assert.Equal(official.Timestamp, ours.Timestamp);
        Assert.False(ObjectId.TryParse("zz0000000000000000000000", out _));
        Assert.False(ObjectId.TryParse("00", out _));
        Assert.Throws<FormatException>(() => ObjectId.Parse("xyz"));
    }

    [Theory]
    [InlineData(GuidRepresentation.Standard, O.GuidRepresentation.Standard)]
    [InlineData(GuidRepresentation.CSharpLegacy, O.GuidRepresentation.CSharpLegacy)]
    [InlineData(GuidRepresentation.JavaLegacy, O.GuidRepresentation.JavaLegacy)]
    [InlineData(GuidRepresentation.PythonLegacy, O.GuidRepresentation.PythonLegacy)]
    public void Guid_representations_match_the_official_driver(GuidRepresentation ours, O.GuidRepresentation theirs)
    {
        var guid = Guid.NewGuid();
        var encoded = BsonBinaryData.FromGuid(guid, ours);
        var official = new O.BsonBinaryData(guid, theirs);
        Assert.Equal(official.Bytes, encoded.Bytes);
        Assert.Equal((byte)official.SubType, (byte)encoded.SubType);
        Assert.Equal(guid, encoded.ToGuid(ours));
    }

    [Fact]
    public void Legacy_uuid_needs_an_explicit_representation()
    {
        var legacy = BsonBinaryData.FromGuid(Guid.NewGuid(), GuidRepresentation.CSharpLegacy);
        Assert.Throws<InvalidOperationException>(() => legacy.ToGuid());
        Assert.Throws<ArgumentException>(() => BsonBinaryData.FromGuid(Guid.Empty, GuidRepresentation.Unspecified));
        Assert.Throws<InvalidOperationException>(() => new BsonBinaryData([1, 2], BsonBinarySubType.UuidStandard).ToGuid());
    }
}
