using System.Collections.Immutable;
using Mongo.Bson.Serialization;
using Xunit;

namespace Mongo.Bson.Tests.Typed;

/// <summary>
/// Our reflection serializer against the official class-map serializer: same bytes, and each side reads what the other
/// wrote (checked by writing the read value again).
/// </summary>
public class TypedDifferentialTests
{
    internal static readonly BsonReflectionResolver Ours = new();
    internal static readonly BsonReflectionResolver Camel = new(new BsonSerializerOptions { NamingConvention = BsonNamingConvention.CamelCase });

    private static readonly DateTime When = new(2024, 2, 29, 13, 14, 15, 678, DateTimeKind.Utc);

    internal static void AssertSame<T>(T value, BsonReflectionResolver? resolver = null)
    {
        BsonTypeInfo<T> info = (resolver ?? Ours).GetTypeInfo<T>();
        byte[] theirs = OfficialOracle.Serialize(value);
        byte[] ours = BsonSerializer.Serialize(value, info);
        Assert.True(Json(theirs) == Json(ours), $"official: {Json(theirs)}\nours:     {Json(ours)}");
        Assert.Equal(theirs, ours);

        // Each side reads the other's bytes; writing what was read gives the same bytes again.
        T readByUs = BsonSerializer.Deserialize(theirs, info);
        T readByThem = OfficialOracle.Deserialize<T>(ours);
        Assert.Equal(Json(ours), Json(BsonSerializer.Serialize(readByUs, info)));
        Assert.Equal(Json(ours), Json(BsonSerializer.Serialize(readByThem, info)));
    }

    internal static string Json(byte[] bson) => BsonDocument.FromBytes(bson).ToJson();

    public static Person SamplePerson() => new()
    {
        Id = ObjectId.Parse("65f0a1b2c3d4e5f601234567"),
        Name = "Ada",
        Age = 36,
        Email = "ada@example.com",
        Tags = ["math", "engines"],
        Home = new Address { Street = "1 St James's Sq", City = "London", Zip = 1815 },
        Scores = [1, 2, 3],
        Nickname = "Countess",
        Status = Status.Suspended,
        StatusName = Status.Active,
        Flags = BigFlags.Huge,
        Counter = 42,
    };

    [Fact]
    public void Person_full() => AssertSame(SamplePerson());

    [Fact]
    public void Person_with_nulls_and_defaults() => AssertSame(new Person());

    [Fact]
    public void Numbers_extremes() => AssertSame(new Numbers
    {
        Int16 = short.MinValue,
        Byte = byte.MaxValue,
        SByte = sbyte.MinValue,
        UInt16 = ushort.MaxValue,
        UInt32 = 123456,
        UInt64 = long.MaxValue,
        Single = 1.5f,
        Double = -2.25e300,
        Int64 = long.MinValue,
        Char = 'é',
        Bool = true,
        Decimal = -7922816251426433759354395.0335m,
        MaybeInt = 5,
        MaybeDouble = null,
        Guid = Guid.Parse("01234567-89ab-cdef-0123-456789abcdef"),
        MaybeGuid = Guid.Empty,
        Bytes = [0, 1, 2, 255],
    });

    [Fact]
    public void Times_defaults() => AssertSame(new Times());

    [Fact]
    public void Times_values() => AssertSame(new Times
    {
        When = When,
        MaybeWhen = When.AddDays(-1000),
        Offset = new DateTimeOffset(2024, 2, 29, 13, 14, 15, 678, TimeSpan.FromHours(5.5)),
        Day = new DateOnly(1969, 7, 20),
        Clock = new TimeOnly(23, 59, 58, 999),
        Span = new TimeSpan(1, 2, 3, 4, 500),
    });

    [Fact]
    public void Collections_of_every_kind() => AssertSame(new Collections
    {
        IList = [1, 2],
        IReadOnlyList = ["a", "b"],
        ICollection = [long.MaxValue],
        IEnumerable = [3, 4, 5],
        IReadOnlyCollection = [6],
        HashSet = ["x", "y"],
        ISet = new HashSet<int> { 7, 8 },
        Addresses = [new Address { City = "Paris", Zip = 75001 }, new Address()],
        Dictionary = new() { ["one"] = 1, ["two"] = 2 },
        IDictionary = new Dictionary<string, string> { ["k"] = "v" },
        IReadOnlyDictionary = new Dictionary<string, Address> { ["home"] = new Address { City = "Rome" } },
        Nested = [[1], [], [2, 3]],
        NullableItems = [1, null, 3],
    });

    [Fact]
    public void Immutable_collections() => AssertSame(new Immutables
    {
        Array = [1, 2, 3],
        List = ["a"],
        HashSet = [9],
        Dictionary = ImmutableDictionary<string, int>.Empty.Add("a", 1),
    });

    [Fact]
    public void Positional_record_with_default_parameter() => AssertSame(new Point(3, -4));

    [Fact]
    public void Nested_records_with_init_member() => AssertSame(new Line(new Point(1, 2, "start"), new Point(3, 4)) { Color = "red" });

    [Fact]
    public void Struct_members() => AssertSame(new Wallet
    {
        Id = 7,
        Cash = new Money { Amount = 12.50m, Currency = "EUR" },
        Savings = new Money { Amount = 1000m, Currency = "CHF" },
        History = [new Money { Amount = 1m, Currency = "USD" }],
    });

    [Fact]
    public void Struct_at_top_level() => AssertSame(new Money { Amount = 3.14m, Currency = "GBP" });

    [Fact]
    public void Required_and_init_members() => AssertSame(new Account { Owner = "Grace", Balance = 10, Branch = "Arlington" });

    [Fact]
    public void Representations_ignore_policies_and_extra_elements() => AssertSame(new Policies
    {
        Key = "65f0a1b2c3d4e5f601234567",
        Reference = ObjectId.Parse("65f0a1b2c3d4e5f6012345ff"),
        Price = 9.99m,
        Exact = 0.1m,
        Widened = int.MinValue,
        StatusNames = [Status.Active, Status.Unknown],
        Extra = new Dictionary<string, object?> { ["unmapped"] = "kept", ["n"] = 5 },
    });

    [Fact]
    public void Element_order_and_fields() => AssertSame(new Ordered { Id = 3 });

    [Fact]
    public void Id_goes_first_in_a_root_document_only()
    {
        // The official class map keeps the id in declaration order (ToBson) and moves it first when an insert asks for
        // SerializeIdFirst: ours does the latter for every root document, and keeps declaration order when embedded.
        var value = new Ordered { Id = 3 };
        Assert.Equal("""{"A":"a","C":"c","B":"b","_id":3}""", Json(OfficialOracle.ToBson(value)));
        Assert.Equal("""{"_id":3,"A":"a","C":"c","B":"b"}""", Json(BsonSerializer.Serialize(value, Ours.GetTypeInfo<Ordered>())));
        AssertSame(new Holder<Ordered> { Value = value });
    }

    [Fact]
    public void Camel_case_naming() => AssertSame(new CamelPoco { FirstName = "Alan", BirthYear = 1912, HomeAddress = new CamelAddress { PostCode = "NW1" } }, Camel);

    [Fact]
    public void Polymorphic_members_and_discriminators() => AssertSame(new Zoo
    {
        Id = 1,
        Animals = [new Dog { Name = "Rex", Breed = "Collie" }, new Cat { Name = "Tom", Lives = 9 }, new Animal { Name = "Generic" }],
        Star = new Cat { Name = "Felix", Lives = 3 },
    });

    [Fact]
    public void Polymorphic_root_writes_discriminator_after_id() =>
        AssertSame<Animal>(new Dog { Id = ObjectId.Parse("65f0a1b2c3d4e5f601234567"), Name = "Rex", Breed = "Collie" });

    [Fact]
    public void Dom_and_object_members() => AssertSame(new Dom
    {
        Id = 1,
        Document = new BsonDocument { { "a", 1 }, { "b", new BsonArray { "x", true } } },
        Value = new BsonString("hello"),
        Anything = 42,
        MaybeId = ObjectId.Parse("65f0a1b2c3d4e5f601234567"),
    });

    [Fact]
    public void Decimal_max_value_differs_from_the_official_clamp()
    {
        // The official Decimal128 conversion writes decimal.MaxValue as Decimal128.MaxValue; ours writes the exact value.
        var value = new Numbers { Decimal = decimal.MaxValue };
        Assert.Contains("9.999999999999999999999999999999999E+6144", Json(OfficialOracle.Serialize(value)));
        Assert.Contains("79228162514264337593543950335", Json(BsonSerializer.Serialize(value, Ours.GetTypeInfo<Numbers>())));
    }

    [Fact]
    public void Polymorphic_embedded_document_writes_discriminator_first() =>
        AssertSame(new Holder<Animal> { Value = new Cat { Name = "Tom", Lives = 9 } });

    [Fact]
    public void Readonly_structs_with_constructors() => AssertSame(new Holder<Coordinates> { Value = new Coordinates(51.5, -0.12) });

    [Fact]
    public void Record_struct() => AssertSame(new Holder<Range> { Value = new Range(1, 9) });

    [Fact]
    public void BsonConstructor_with_get_only_members() => AssertSame(new Built("box", 3) { Note = "n" });

    [Fact]
    public void Recursive_type() => AssertSame(new Tree { Name = "root", Children = [new Tree { Name = "leaf" }, new Tree { Name = "branch", Children = [new Tree()] }] });

    public class Holder<T>
    {
        public T? Value { get; set; }
    }
}
