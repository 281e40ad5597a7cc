using Xunit;

namespace Mongo.Bson.Tests.Binary;

public class SerializerTests
{
    private sealed record Point(int X, string Label);

    private sealed class PointSerializer : IBsonSerializer<Point>
    {
        public void Serialize(BsonWriter writer, Point value)
        {
            writer.WriteStartDocument();
            writer.WriteInt32("x", value.X);
            writer.WriteName("label");
            BsonSerializerRegistry.Default.Get<string>().Serialize(writer, value.Label);
            writer.WriteEndDocument();
        }

        public Point Deserialize(ref BsonReader reader)
        {
            int x = 0;
            string label = string.Empty;
            while (reader.Read() && reader.TokenType != BsonTokenType.EndDocument)
            {
                if (reader.NameEquals("x"u8))
                {
                    x = BsonSerializerRegistry.Default.Get<int>().Deserialize(ref reader);
                }
                else if (reader.NameEquals("label"u8))
                {
                    label = BsonSerializerRegistry.Default.Get<string>().Deserialize(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            return new Point(x, label);
        }
    }

    [Fact]
    public void Custom_serializer_round_trips_through_a_registry()
    {
        var registry = new BsonSerializerRegistry();
        Assert.False(registry.TryGet<Point>(out _));
        Assert.Throws<BsonException>(() => registry.Get<Point>());
        registry.Register(new PointSerializer());
        byte[] bytes = BsonSerializer.Serialize(new Point(3, "p"), registry);
        Assert.Equal(new BsonDocument { { "x", 3 }, { "label", "p" } }, BsonDocument.FromBytes(bytes));
        Assert.Equal(new Point(3, "p"), BsonSerializer.Deserialize<Point>(bytes, registry));
    }

    [Fact]
    public void Dom_serializers_round_trip()
    {
        BsonDocument doc = TestDocuments.EveryType();
        byte[] bytes = BsonSerializer.Serialize(doc);
        Assert.Equal(doc.ToBytes(), bytes);
        Assert.Equal(doc, BsonSerializer.Deserialize<BsonDocument>(bytes));
        Assert.Equal(doc, BsonSerializer.Deserialize<BsonValue>(bytes));
        Assert.Equal(bytes, BsonSerializer.Serialize(BsonSerializer.Deserialize<RawBsonDocument>(bytes)));
    }

    [Fact]
    public void Scalars_serialize_as_fields_and_read_exact_numbers()
    {
        var guid = Guid.NewGuid();
        var when = new DateTime(2024, 5, 6, 7, 8, 9, 10, DateTimeKind.Utc);
        var oid = ObjectId.GenerateNewId();
        var registry = BsonSerializerRegistry.Default;
        using var writer = new BsonWriter();
        writer.WriteStartDocument();
        writer.WriteName("i"); registry.Get<int>().Serialize(writer, 5);
        writer.WriteName("l"); registry.Get<long>().Serialize(writer, 1L << 40);
        writer.WriteName("d"); registry.Get<double>().Serialize(writer, 2.5);
        writer.WriteName("s"); registry.Get<string>().Serialize(writer, "x");
        writer.WriteName("n"); registry.Get<string>().Serialize(writer, null!);
        writer.WriteName("b"); registry.Get<bool>().Serialize(writer, true);
        writer.WriteName("m"); registry.Get<decimal>().Serialize(writer, 12.34m);
        writer.WriteName("o"); registry.Get<ObjectId>().Serialize(writer, oid);
        writer.WriteName("t"); registry.Get<DateTime>().Serialize(writer, when);
        writer.WriteName("g"); registry.Get<Guid>().Serialize(writer, guid);
        writer.WriteEndDocument();
        BsonDocument doc = BsonDocument.FromBytes(writer.WrittenSpan);
        Assert.Equal(BsonBinaryData.FromGuid(guid, GuidRepresentation.Standard), doc["g"]);
        Assert.Equal(new BsonDateTime(when), doc["t"]);
        Assert.Equal(BsonType.Decimal128, doc["m"].BsonType);
        Assert.Equal(BsonNull.Value, doc["n"]);

        var reader = new BsonReader(writer.WrittenSpan);
        reader.Read();
        reader.Read();
        Assert.Equal(5, registry.Get<int>().Deserialize(ref reader));
        Assert.Equal(5.0, registry.Get<double>().Deserialize(ref reader));
        reader.Read();
        Assert.Throws<BsonException>(() => Deserialize<int>(writer.WrittenMemory, "l"));
        Assert.Equal(1L << 40, registry.Get<long>().Deserialize(ref reader));
        Assert.Equal(2.5, Deserialize<double>(writer.WrittenMemory, "d"));
        Assert.Throws<BsonException>(() => Deserialize<long>(writer.WrittenMemory, "d"));
        Assert.Equal("x", Deserialize<string>(writer.WrittenMemory, "s"));
        Assert.Null(Deserialize<string>(writer.WrittenMemory, "n"));
        Assert.True(Deserialize<bool>(writer.WrittenMemory, "b"));
        Assert.Equal(12.34m, Deserialize<decimal>(writer.WrittenMemory, "m"));
        Assert.Equal(oid, Deserialize<ObjectId>(writer.WrittenMemory, "o"));
        Assert.Equal(when, Deserialize<DateTime>(writer.WrittenMemory, "t"));
        Assert.Equal(DateTimeKind.Utc, Deserialize<DateTime>(writer.WrittenMemory, "t").Kind);
        Assert.Equal(guid, Deserialize<Guid>(writer.WrittenMemory, "g"));
        var ex = Assert.Throws<BsonException>(() => Deserialize<Guid>(writer.WrittenMemory, "s"));
        Assert.Equal("s", ex.Path);
    }

    [Fact]
    public void Legacy_uuid_subtype_is_not_guessed()
    {
        byte[] bytes = new BsonDocument("g", new BsonBinaryData(new byte[16], BsonBinarySubType.UuidLegacy)).ToBytes();
        Assert.Throws<BsonException>(() => Deserialize<Guid>(bytes, "g"));
    }

    [Fact]
    public void Dictionary_maps_to_natural_clr_types()
    {
        var guid = Guid.NewGuid();
        var dict = new Dictionary<string, object?>
        {
            ["i"] = 1, ["l"] = 2L, ["s"] = "x", ["n"] = null, ["g"] = guid, ["bytes"] = new byte[] { 1 },
            ["nested"] = new Dictionary<string, object?> { ["a"] = true },
            ["list"] = new List<object?> { 1, "two" },
        };
        byte[] bytes = BsonSerializer.Serialize(dict);
        var back = BsonSerializer.Deserialize<Dictionary<string, object?>>(bytes);
        Assert.Equal(1, back["i"]);
        Assert.Equal(2L, back["l"]);
        Assert.Equal("x", back["s"]);
        Assert.Null(back["n"]);
        Assert.Equal(guid, back["g"]);
        Assert.Equal(new byte[] { 1 }, back["bytes"]);
        Assert.Equal(true, ((Dictionary<string, object?>)back["nested"]!)["a"]);
        Assert.Equal(new List<object?> { 1, "two" }, back["list"]);
    }

    [Fact]
    public void Serialize_of_a_non_document_fails()
    {
        Assert.Throws<BsonException>(() => BsonSerializer.Serialize(5));
    }

    private static T Deserialize<T>(ReadOnlyMemory<byte> bson, string name)
    {
        var reader = new BsonReader(bson.Span);
        reader.Read();
        while (reader.Read())
        {
            if (reader.NameEquals(name))
            {
                return BsonSerializerRegistry.Default.Get<T>().Deserialize(ref reader);
            }

            reader.Skip();
        }

        throw new InvalidOperationException(name);
    }
}
