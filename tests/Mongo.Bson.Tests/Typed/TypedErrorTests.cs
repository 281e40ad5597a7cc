using Mongo.Bson.Serialization;
using Xunit;

namespace Mongo.Bson.Tests.Typed;

/// <summary>Rule 12: every failure names the CLR type, the member, the element path and the byte offset.</summary>
public class TypedErrorTests
{
    private static BsonSerializationException Read<T>(BsonDocument document, BsonReflectionResolver? resolver = null) =>
        Assert.Throws<BsonSerializationException>(() => BsonSerializer.Deserialize(document.ToBytes(), (resolver ?? TypedDifferentialTests.Ours).GetTypeInfo<T>()));

    [Fact]
    public void Type_mismatch_names_type_member_path_and_offset()
    {
        var ex = Read<Person>(new BsonDocument { { "Name", "Ada" }, { "Home", new BsonDocument { { "City", "x" }, { "Zip", "not a number" } } } });
        Assert.Equal(typeof(Address), ex.ClrType);
        Assert.Equal("Zip", ex.MemberName);
        Assert.Equal("Home.Zip", ex.Path);
        Assert.NotNull(ex.ByteOffset);
        Assert.Contains("Zip", ex.Message);
        Assert.Contains("Mongo.Bson.Tests.Typed.Address", ex.Message);
        // The position is stated once, not once by the inner error and again by the wrapper.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(ex.Message, "path 'Home.Zip'"));
    }

    [Fact]
    public void Null_for_a_non_nullable_value_type_is_an_error()
    {
        var ex = Read<Person>(new BsonDocument { { "Age", BsonNull.Value } });
        Assert.Equal("Age", ex.MemberName);
        Assert.Equal("Age", ex.Path);
    }

    [Fact]
    public void Missing_required_member()
    {
        var ex = Read<Account>(new BsonDocument { { "Balance", 1 }, { "Branch", "b" } });
        Assert.Equal("Owner", ex.MemberName);
        Assert.Contains("required", ex.Message);

        var bsonRequired = Read<Account>(new BsonDocument { { "Owner", "o" } });
        Assert.Equal("Branch", bsonRequired.MemberName);
    }

    [Fact]
    public void Missing_constructor_argument_without_default()
    {
        var ex = Read<Point>(new BsonDocument { { "X", 1 } });
        Assert.Equal("Y", ex.MemberName);
        Assert.Equal(typeof(Point), ex.ClrType);

        // A parameter with a default value may be absent.
        Point point = BsonSerializer.Deserialize(new BsonDocument { { "X", 1 }, { "Y", 2 } }.ToBytes(), TypedDifferentialTests.Ours.GetTypeInfo<Point>());
        Assert.Equal(new Point(1, 2), point);
    }

    [Fact]
    public void Unknown_element_in_error_mode()
    {
        var strict = new BsonReflectionResolver(new BsonSerializerOptions { UnknownElementHandling = BsonUnknownElementHandling.Error });
        var ex = Read<Address>(new BsonDocument { { "City", "x" }, { "Planet", "Mars" } }, strict);
        Assert.Contains("'Planet'", ex.Message);
        Assert.Equal("Planet", ex.Path);
        Assert.NotNull(ex.ByteOffset);
    }

    [Fact]
    public void Unknown_discriminator()
    {
        var ex = Read<Animal>(new BsonDocument { { "Name", "Nessie" }, { "_t", "Plesiosaur" } });
        Assert.Contains("Plesiosaur", ex.Message);
        Assert.Contains("Dog", ex.Message);
        Assert.Equal(typeof(Animal), ex.ClrType);
    }

    [Fact]
    public void Discriminator_is_found_anywhere_and_unknown_runtime_types_are_rejected()
    {
        Animal cat = BsonSerializer.Deserialize(new BsonDocument { { "Name", "Tom" }, { "Lives", 9 }, { "_t", "kitty" } }.ToBytes(), TypedDifferentialTests.Ours.GetTypeInfo<Animal>());
        Assert.Equal(9, Assert.IsType<Cat>(cat).Lives);
        Assert.IsType<Animal>(BsonSerializer.Deserialize(new BsonDocument("Name", "plain").ToBytes(), TypedDifferentialTests.Ours.GetTypeInfo<Animal>()));

        var ex = Assert.Throws<BsonSerializationException>(() => BsonSerializer.Serialize<Animal>(new Puppy(), TypedDifferentialTests.Ours.GetTypeInfo<Animal>()));
        Assert.Contains("BsonKnownTypes", ex.Message);
    }

    [Fact]
    public void Ulong_above_long_max_is_an_error()
    {
        Assert.Throws<BsonException>(() => BsonSerializer.Serialize(new Numbers { UInt64 = ulong.MaxValue }, TypedDifferentialTests.Ours.GetTypeInfo<Numbers>()));
    }

    [Fact]
    public void Unknown_type_without_reflection_names_bson_serializable()
    {
        var ex = Assert.Throws<BsonSerializationException>(() => BsonSerializer.Serialize(new Address(), BsonTypeInfoResolver.Combine()));
        Assert.Contains("Add [BsonSerializable(typeof(Address))] to a BsonSerializerContext and set MongoClientSettings.SerializerContext", ex.Message);
    }

    public class Puppy : Dog
    {
    }
}
