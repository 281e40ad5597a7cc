using Mongo.Bson.Serialization;
using Xunit;

namespace Mongo.Bson.Generators.Tests.Runtime;

/// <summary>The generated serializer and the reflection resolver agree on the shapes of MoreShapes.cs.</summary>
public class MoreShapesTests
{
    private static void AssertSameAsReflection<T>(T value, BsonTypeInfo<T> generated, BsonSerializerOptions? options = null)
    {
        BsonTypeInfo<T> reflected = BsonTypeInfoResolver.Reflection(options).GetRequiredTypeInfo<T>();
        byte[] ours = BsonSerializer.Serialize(value, generated);
        Bytes.Same(BsonSerializer.Serialize(value, reflected), ours);
        Bytes.Same(ours, BsonSerializer.Serialize(BsonSerializer.Deserialize(ours, generated), generated));
        Bytes.Same(ours, BsonSerializer.Serialize(BsonSerializer.Deserialize(ours, reflected), generated));
    }

    [Fact]
    public void Interface_hierarchy_dispatches_on_write_and_read()
    {
        var drawing = new Drawing { Shapes = [new Circle { Radius = 1 }, new Square { Side = 2 }], Main = new Square { Side = 3 } };
        AssertSameAsReflection(drawing, MoreBson.Default.Drawing);
        Drawing back = BsonSerializer.Deserialize(BsonSerializer.Serialize(drawing, MoreBson.Default.Drawing), MoreBson.Default.Drawing);
        Assert.IsType<Circle>(back.Shapes[0]);
        Assert.Equal(3, Assert.IsType<Square>(back.Main).Side);
        Assert.Contains("\"_t\":\"sq\"", BsonDocument.FromBytes(BsonSerializer.Serialize(drawing, MoreBson.Default.Drawing)).ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Private_struct_field_is_read_and_written_through_by_ref_accessors()
    {
        var counter = new Counter { Label = "c" };
        counter.Increment();
        counter.Increment();

        // Public members first, then the opted-in private field, as the official class map orders them (see
        // Reflection_orders_non_public_members_like_the_official_driver).
        Assert.Equal("""{"Label":"c","n":2}""", BsonDocument.FromBytes(BsonSerializer.Serialize(counter, MoreBson.Default.Counter)).ToJson());
        Counter back = BsonSerializer.Deserialize(BsonSerializer.Serialize(counter, MoreBson.Default.Counter), MoreBson.Default.Counter);
        Assert.Equal((2, "c"), (back.Count, back.Label));
    }

    [Fact]
    public void Reflection_orders_non_public_members_like_the_official_driver()
    {
        var attributed = new Attributed { Code = "c", Name = "n", Must = 1, Later = 2 };
        attributed.SetSecret(3);
        AssertSameAsReflection(attributed, TestBson.Default.Attributed);
    }

    [Fact]
    public void Closed_generic_types_get_their_own_models()
    {
        AssertSameAsReflection(new Wrapper<int> { Value = 3, Many = [1, 2] }, MoreBson.Default.WrapperInt32);
        AssertSameAsReflection(new Wrapper<Address> { Value = new Address { Street = "s" }, Many = [new Address()] }, MoreBson.Default.WrapperAddress);
    }

    [Fact]
    public void Enums_representations_private_setters_and_serialize_only_members()
    {
        var settings = new Settings
        {
            Colour = Colour.Green,
            MaybeColour = Colour.Red,
            Named = Colour.Green,
            Reference = ObjectId.Parse("65f0a1b2c3d4e5f601234567"),
            Link = "65f0a1b2c3d4e5f601234568",
        };
        settings.Rename("Ada Lovelace");
        AssertSameAsReflection(settings, MoreBson.Default.Settings);

        BsonDocument document = BsonDocument.FromBytes(BsonSerializer.Serialize(settings, MoreBson.Default.Settings));
        Assert.Equal(2, document["Colour"].AsInt32);
        Assert.Equal("Green", document["Named"].AsString);
        Assert.Equal("65f0a1b2c3d4e5f601234567", document["Reference"].AsString);
        Assert.Equal(BsonType.ObjectId, document["Link"].BsonType);
        Assert.Equal(12, document["Computed"].AsInt32);
        Assert.Equal("Ada Lovelace", BsonSerializer.Deserialize(document.ToBytes(), MoreBson.Default.Settings).FullName);
    }

    [Fact]
    public void Snake_case_and_enum_strings_come_from_the_context_options()
    {
        var settings = new Settings { Colour = Colour.Red };
        settings.Rename("x");
        var options = new BsonSerializerOptions { NamingConvention = BsonNamingConvention.SnakeCaseLower, EnumRepresentation = BsonEnumRepresentation.String };
        AssertSameAsReflection(settings, SnakeBson.Default.Settings, options);
        BsonDocument document = BsonDocument.FromBytes(BsonSerializer.Serialize(settings, SnakeBson.Default.Settings));
        Assert.Equal("Red", document["colour"].AsString);
        Assert.True(document.Contains("full_name"));
        Assert.Equal(SnakeBson.Default.Options, options);
    }
}
