using System.Collections.Immutable;
using Mongo.Bson.Serialization;
using Mongo.Bson.Tests.Typed;
using Xunit;

namespace Mongo.Bson.Generators.Tests.Runtime;

[BsonSerializable(typeof(Mongo.Bson.Tests.Typed.Person))]
[BsonSerializable(typeof(Numbers))]
[BsonSerializable(typeof(Times))]
[BsonSerializable(typeof(Collections))]
[BsonSerializable(typeof(Immutables))]
[BsonSerializable(typeof(Mongo.Bson.Tests.Typed.Point))]
[BsonSerializable(typeof(Line))]
[BsonSerializable(typeof(Money))]
[BsonSerializable(typeof(Wallet))]
[BsonSerializable(typeof(Account))]
[BsonSerializable(typeof(Policies))]
[BsonSerializable(typeof(Ordered))]
[BsonSerializable(typeof(InterfaceImmutables))]
[BsonSerializable(typeof(Mongo.Bson.Tests.Typed.Zoo))]
[BsonSerializable(typeof(Mongo.Bson.Tests.Typed.Animal))]
[BsonSerializable(typeof(Dom))]
[BsonSerializable(typeof(Tree))]
[BsonSerializable(typeof(ValueHolder<Coordinates>))]
[BsonSerializable(typeof(ValueHolder<Mongo.Bson.Tests.Typed.Range>))]
[BsonSerializable(typeof(Built))]
[BsonSerializable(typeof(Mongo.Bson.Tests.Typed.Drawing))]
internal partial class ShapesBson : BsonSerializerContext
{
}

[BsonSourceGenerationOptions(NamingConvention = BsonNamingConvention.CamelCase)]
[BsonSerializable(typeof(CamelPoco))]
internal partial class CamelShapesBson : BsonSerializerContext
{
}

/// <summary>A document around a value, so structs and records are compared as embedded documents.</summary>
public class ValueHolder<T>
{
    public T? Value { get; set; }
}

/// <summary>
/// The generated serializer, the reflection resolver and the official driver write the same bytes for every shape the
/// reflection path is checked on (tests/Mongo.Bson.Tests/Typed/TypedShapes.cs), and each reads the others' bytes.
/// </summary>
public class GeneratedVsReflectionTests
{
    private static readonly BsonReflectionResolver Reflection = BsonTypeInfoResolver.Reflection();
    private static readonly BsonReflectionResolver CamelReflection = BsonTypeInfoResolver.Reflection(new BsonSerializerOptions { NamingConvention = BsonNamingConvention.CamelCase });
    private static readonly DateTime When = new(2024, 2, 29, 13, 14, 15, 678, DateTimeKind.Utc);

    private static void AssertSame<T>(T value, BsonSerializerContext? context = null, BsonReflectionResolver? reflection = null, bool official = true)
    {
        BsonTypeInfo<T> generated = (context ?? ShapesBson.Default).GetTypeInfo<T>()!;
        BsonTypeInfo<T> reflected = (reflection ?? Reflection).GetRequiredTypeInfo<T>();
        Assert.NotSame(reflected.Serializer.GetType(), generated.Serializer.GetType());

        byte[] ours = BsonSerializer.Serialize(value, generated);
        byte[] viaReflection = BsonSerializer.Serialize(value, reflected);
        Bytes.Same(viaReflection, ours);
        Bytes.Same(ours, BsonSerializer.Serialize(BsonSerializer.Deserialize(ours, reflected), generated));
        Bytes.Same(ours, BsonSerializer.Serialize(BsonSerializer.Deserialize(ours, generated), reflected));
        if (official)
        {
            // Generated code reads what the official driver wrote, and the other way round; written again, nothing changes.
            byte[] theirs = OfficialOracle.Serialize(value);
            Bytes.Same(theirs, ours);
            Bytes.Same(ours, BsonSerializer.Serialize(BsonSerializer.Deserialize(theirs, generated), generated));
            Bytes.Same(ours, BsonSerializer.Serialize(OfficialOracle.Deserialize<T>(ours), generated));
        }
    }

    [Fact]
    public void Person_full() => AssertSame(new Mongo.Bson.Tests.Typed.Person
    {
        Id = ObjectId.Parse("65f0a1b2c3d4e5f601234567"),
        Name = "Ada",
        Age = 36,
        Email = "ada@example.com",
        Tags = ["math", "engines"],
        Home = new Mongo.Bson.Tests.Typed.Address { Street = "1 St James's Sq", City = "London", Zip = 1815 },
        Scores = [1, 2, 3],
        Nickname = "Countess",
        Status = Status.Suspended,
        StatusName = Status.Active,
        Flags = BigFlags.Huge,
        Counter = 42,
    });

    [Fact]
    public void Person_with_nulls_and_defaults() => AssertSame(new Mongo.Bson.Tests.Typed.Person());

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
    public void Times_defaults_and_values()
    {
        AssertSame(new Times());
        AssertSame(new Times
        {
            When = When,
            MaybeWhen = When.AddDays(-1000),
            Offset = new DateTimeOffset(2024, 2, 29, 13, 14, 15, 678, TimeSpan.FromHours(5.5)),
            Day = new DateOnly(1969, 7, 20),
            Clock = new TimeOnly(23, 59, 58, 999),
            Span = new TimeSpan(1, 2, 3, 4, 500),
        });
    }

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
        Addresses = [new Mongo.Bson.Tests.Typed.Address { City = "Paris", Zip = 75001 }, new Mongo.Bson.Tests.Typed.Address()],
        Dictionary = new() { ["one"] = 1, ["two"] = 2 },
        IDictionary = new Dictionary<string, string> { ["k"] = "v" },
        IReadOnlyDictionary = new Dictionary<string, Mongo.Bson.Tests.Typed.Address> { ["home"] = new Mongo.Bson.Tests.Typed.Address { City = "Rome" } },
        Nested = [[1], [], [2, 3]],
        NullableItems = [1, null, 3],
    });

    [Fact]
    public void Immutable_collections()
    {
        AssertSame(new Immutables { Array = [1, 2, 3], List = ["a"], HashSet = [9], Dictionary = ImmutableDictionary<string, int>.Empty.Add("a", 1) });

        // The official driver writes interface-typed immutables with _t/_v wrappers; ours are plain arrays and documents
        // (TypedRoundTripTests), so only the two paths of ours are compared here.
        AssertSame(new InterfaceImmutables { IList = ImmutableList.Create(1, 2), IDictionary = ImmutableDictionary<string, string>.Empty.Add("k", "v"), Memory = new byte[] { 1, 2 } }, official: false);
    }

    [Fact]
    public void Records_structs_and_required_members()
    {
        AssertSame(new Mongo.Bson.Tests.Typed.Point(3, -4));
        AssertSame(new Line(new Mongo.Bson.Tests.Typed.Point(1, 2, "start"), new Mongo.Bson.Tests.Typed.Point(3, 4)) { Color = "red" });
        AssertSame(new Wallet { Id = 1, Cash = new Money { Amount = 1.5m, Currency = "EUR" }, Savings = new Money { Amount = 100m, Currency = "USD" }, History = [new Money { Amount = 2m, Currency = "JPY" }] });
        AssertSame(new Wallet());
        AssertSame(new Money { Amount = 3.14m, Currency = "GBP" });
        AssertSame(new Account { Owner = "Grace", Balance = 10, Branch = "Arlington" });
    }

    [Fact]
    public void Representations_ignore_policies_and_extra_elements() => AssertSame(new Policies
    {
        Key = "65f0a1b2c3d4e5f601234567",
        Reference = ObjectId.Parse("65f0a1b2c3d4e5f601234568"),
        Price = 9.99m,
        Exact = 0.1m,
        Widened = 7,
        StatusNames = [Status.Active, Status.Suspended],
        Extra = new Dictionary<string, object?> { ["kept"] = "yes", ["n"] = 3 },
    });

    [Fact]
    public void Element_order_fields_and_naming()
    {
        AssertSame(new Ordered { Id = 3 });
        AssertSame(new CamelPoco { FirstName = "Alan", BirthYear = 1912, HomeAddress = new CamelAddress { PostCode = "NW1" } }, CamelShapesBson.Default, CamelReflection);
    }

    [Fact]
    public void Polymorphism_root_and_embedded()
    {
        AssertSame(new Mongo.Bson.Tests.Typed.Zoo
        {
            Id = 1,
            Animals = [new Mongo.Bson.Tests.Typed.Dog { Name = "Rex", Breed = "Lab" }, new Mongo.Bson.Tests.Typed.Cat { Name = "Tom", Lives = 9 }, new Mongo.Bson.Tests.Typed.Animal { Name = "Generic" }],
            Star = new Mongo.Bson.Tests.Typed.Cat { Name = "Star", Lives = 3 },
        });
        AssertSame<Mongo.Bson.Tests.Typed.Animal>(new Mongo.Bson.Tests.Typed.Dog { Id = ObjectId.Parse("65f0a1b2c3d4e5f601234567"), Name = "Root", Breed = "Pug" });
    }

    [Fact]
    public void Readonly_structs_record_structs_and_BsonConstructor()
    {
        AssertSame(new ValueHolder<Coordinates> { Value = new Coordinates(51.5, -0.12) });
        AssertSame(new ValueHolder<Mongo.Bson.Tests.Typed.Range> { Value = new Mongo.Bson.Tests.Typed.Range(1, 9) });
        AssertSame(new Built("box", 3) { Note = "n" });
        Assert.Equal(7, BsonSerializer.Deserialize(new BsonDocument("Name", "x").ToBytes(), ShapesBson.Default.Built).Size);
    }

    [Fact]
    public void Interface_hierarchy_with_struct_members() => AssertSame(
        new Mongo.Bson.Tests.Typed.Drawing
        {
            Shapes = [new Mongo.Bson.Tests.Typed.Circle { Radius = 1 }, new Mongo.Bson.Tests.Typed.Square { Side = 2 }],
            Origin = new Coordinates(1, 2),
            Span = new Mongo.Bson.Tests.Typed.Range(3, 4),
            Status = Status.Active,
        },
        official: false);

    [Fact]
    public void Dom_object_and_recursive_members()
    {
        AssertSame(new Dom { Id = 1, Document = new BsonDocument("a", 1), Value = new BsonString("s"), Anything = 5, MaybeId = ObjectId.Parse("65f0a1b2c3d4e5f601234567") });
        AssertSame(new Dom());
        AssertSame(new Tree { Name = "root", Children = [new Tree { Name = "leaf" }, new Tree { Name = "branch", Children = [new Tree()] }] });
    }
}
