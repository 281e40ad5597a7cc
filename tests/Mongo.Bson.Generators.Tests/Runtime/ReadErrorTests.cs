using Mongo.Bson.Serialization;
using Xunit;

namespace Mongo.Bson.Generators.Tests.Runtime;

/// <summary>Reading errors name the CLR type, the member, the element path and the byte offset (shared model, rule 12).</summary>
public class ReadErrorTests
{
    private static readonly TestBson Context = TestBson.Default;

    [Fact]
    public void Missing_required_member_names_the_element_and_member()
    {
        byte[] bytes = new BsonDocument { { "_id", "c" }, { "nm", "n" } }.ToBytes();
        var ex = Assert.Throws<BsonSerializationException>(() => Bytes.Read(Context.Attributed, bytes));
        Assert.Equal(typeof(Attributed), ex.ClrType);
        Assert.Equal("Must", ex.MemberName);
        Assert.Contains("'Must'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_constructor_argument_without_default_is_required()
    {
        var ex = Assert.Throws<BsonSerializationException>(() => Bytes.Read(Context.Point, new BsonDocument("X", 1).ToBytes()));
        Assert.Equal("Y", ex.MemberName);
    }

    [Fact]
    public void Missing_csharp_required_member_throws()
    {
        var ex = Assert.Throws<BsonSerializationException>(() => Bytes.Read(Context.InitOnly, new BsonDocument("Count", 1).ToBytes()));
        Assert.Equal("Name", ex.MemberName);
    }

    [Fact]
    public void Type_mismatch_names_member_path_and_offset()
    {
        byte[] bytes = new BsonDocument { { "Name", "n" }, { "Home", new BsonDocument("Street", 5) } }.ToBytes();
        var ex = Assert.Throws<BsonSerializationException>(() => Bytes.Read(Context.Person, bytes));
        Assert.Equal(typeof(Address), ex.ClrType);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(ex.Message, "path '"));
        Assert.Equal("Street", ex.MemberName);
        Assert.Equal("Home.Street", ex.Path);
        Assert.NotNull(ex.ByteOffset);
    }

    [Fact]
    public void Null_for_a_value_type_member_throws()
    {
        var ex = Assert.Throws<BsonSerializationException>(() => Bytes.Read(Context.Person, new BsonDocument("Age", BsonNull.Value).ToBytes()));
        Assert.Equal("Age", ex.MemberName);
    }

    [Fact]
    public void Unknown_elements_are_ignored_by_default_and_rejected_when_the_options_say_so()
    {
        byte[] bytes = new BsonDocument { { "Name", "n" }, { "surprise", 1 } }.ToBytes();
        Assert.Equal("n", Bytes.Read(Context.Person, bytes).Name);

        byte[] camel = new BsonDocument { { "name", "n" }, { "surprise", 1 } }.ToBytes();
        var ex = Assert.Throws<BsonSerializationException>(() => Bytes.Read(CamelBson.Default.Person, camel));
        Assert.Contains("surprise", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_discriminator_throws_and_no_discriminator_on_an_abstract_base_throws()
    {
        byte[] unknown = new BsonDocument("Star", new BsonDocument { { "Name", "x" }, { "_t", "Bird" } }).ToBytes();
        var ex = Assert.Throws<BsonSerializationException>(() => Bytes.Read(Context.Zoo, unknown));
        Assert.Equal(typeof(Animal), ex.ClrType);

        byte[] none = new BsonDocument("Star", new BsonDocument("Name", "x")).ToBytes();
        Assert.Throws<BsonSerializationException>(() => Bytes.Read(Context.Zoo, none));
    }

    [Fact]
    public void Discriminator_is_found_anywhere_in_the_document_and_duplicates_keep_the_last_value()
    {
        using var writer = new BsonWriter();
        writer.WriteStartDocument();
        writer.WriteStartDocument("Keeper");
        writer.WriteString("Name", "a");
        writer.WriteString("Name", "b");
        writer.WriteInt32("AgeInWeeks", 3);
        writer.WriteString("_t", "Puppy");
        writer.WriteEndDocument();
        writer.WriteEndDocument();
        byte[] bytes = writer.ToArray();
        Puppy puppy = Assert.IsType<Puppy>(Bytes.Read(Context.Zoo, bytes).Keeper);
        Assert.Equal(("b", 3), (puppy.Name, puppy.AgeInWeeks));
    }

    [Fact]
    public void Struct_members_read_null_as_an_error()
    {
        var ex = Assert.Throws<BsonSerializationException>(() => Bytes.Read(Context.Vector, new BsonDocument("X", BsonNull.Value).ToBytes()));
        Assert.Equal("X", ex.MemberName);
    }

    [Fact]
    public void Member_metadata_exposes_names_flags_and_typed_accessors()
    {
        BsonTypeInfo<Attributed> info = Context.Attributed;
        Assert.Equal(BsonTypeInfoKind.Object, info.Kind);
        Assert.Equal(["first", "_id", "nm", "Optional", "Zero", "Must", "_secret", "hidden"], info.Members.Select(m => m.ElementName));
        Assert.Equal("Code", info.IdMember!.Name);
        Assert.True(info.GetMember("Must")!.IsRequired);
        Assert.True(info.GetMember("Optional")!.IgnoreIfNull);

        var target = new Attributed();
        info.GetMember("Code")!.SetValue(target, "set");
        Assert.Equal("set", target.Code);
        var secret = (BsonMemberInfo<Attributed, int>)info.GetMember("_secret")!;
        secret.Setter!(ref target, 42);
        Assert.Equal(42, secret.Getter(target));

        Assert.Same(Context.Person, Context.GetTypeInfo(typeof(Person)));
        Assert.Same(Context.Address, Context.GetTypeInfo<Address>());
        Assert.Null(Context.GetTypeInfo(typeof(Uri)));
        Assert.Equal(["Cat", "Dog", "Puppy"], Context.Animal.DerivedTypes.Select(d => d.Type.Name).Order());
        Assert.Equal("doggo", Context.Dog.Discriminator);
    }
}
