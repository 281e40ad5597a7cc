using Mongo.Bson.Serialization;
using Xunit;
using OfficialBson = MongoDB.Bson;

namespace Mongo.Bson.Generators.Tests.Runtime;

/// <summary>Generated serializers write the bytes the official class-map serializer writes, and read them back.</summary>
public class OracleBytesTests
{
    private static readonly TestBson Context = TestBson.Default;
    private const string Oid = "65a1b2c3d4e5f60718293a4b";

    [Fact]
    public void Person_with_every_scalar_matches_the_official_bytes_and_round_trips()
    {
        var born = new DateTime(2001, 2, 3, 4, 5, 6, 789, DateTimeKind.Utc);
        var key = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var ours = new Person
        {
            Id = ObjectId.Parse(Oid), Name = "Ada", Age = 36, Visits = 1L << 40, Score = 2.5, Active = true, Balance = 12.34m,
            Born = born, Key = key, Nickname = null, Home = new Address { Street = "Main", City = "Paris" },
            Meta = new BsonDocument("k", 1), Precise = Decimal128.Parse("1.000000000000000000000000000000001"), Anything = new BsonString("x"),
        };
        var twin = new Twins.Person
        {
            Id = OfficialBson.ObjectId.Parse(Oid), Name = "Ada", Age = 36, Visits = 1L << 40, Score = 2.5, Active = true, Balance = 12.34m,
            Born = born, Key = key, Nickname = null, Home = new Twins.Address { Street = "Main", City = "Paris" },
            Meta = new OfficialBson.BsonDocument("k", 1), Precise = OfficialBson.Decimal128.Parse("1.000000000000000000000000000000001"), Anything = new OfficialBson.BsonString("x"),
        };

        byte[] bytes = Bytes.Write(Context.Person, ours);
        Bytes.Same(Oracle.ToBson(twin), bytes);

        Person back = Bytes.Read(Context.Person, bytes);
        Assert.Equal(ours.Id, back.Id);
        Assert.Equal("Ada", back.Name);
        Assert.Equal(1L << 40, back.Visits);
        Assert.Equal(12.34m, back.Balance);
        Assert.Equal(born, back.Born);
        Assert.Equal(DateTimeKind.Utc, back.Born.Kind);
        Assert.Equal(key, back.Key);
        Assert.Null(back.Nickname);
        Assert.Equal("Paris", back.Home!.City);
        Assert.Equal(1, back.Meta!["k"].AsInt32);
        Assert.Equal(ours.Precise, back.Precise);
        Assert.Equal("x", back.Anything!.AsString);

        // And the official serializer reads what we wrote.
        Twins.Person official = Oracle.FromBson<Twins.Person>(bytes);
        Assert.Equal(36, official.Age);
        Assert.Equal("Main", official.Home!.Street);
    }

    [Fact]
    public void CamelCase_context_matches_the_official_camel_case_convention()
    {
        var ours = new Person { Id = ObjectId.Parse(Oid), Name = "B", Home = new Address { Street = "S" } };
        var twin = new CamelTwins.Person { Id = OfficialBson.ObjectId.Parse(Oid), Name = "B", Home = new Twins.Address { Street = "S" } };
        byte[] bytes = Bytes.Write(CamelBson.Default.Person, ours);

        // A root document starts with the id; then fields before properties, as in the official class map.
        BsonDocument document = BsonDocument.FromBytes(bytes);
        Assert.Equal(["_id", "visits", "name", "age", "score", "active", "balance", "born", "key", "nickname", "home", "meta", "precise", "anything"], document.Names);
        byte[] official = Oracle.ToBson(twin);
        Assert.Equal(
            BsonDocument.FromBytes(official).Names,
            document.Names);
        Assert.Equal("S", Bytes.Read(CamelBson.Default.Person, bytes).Home!.Street);
    }

    [Fact]
    public void Records_structs_and_constructors_match_the_official_bytes()
    {
        Bytes.Same(Oracle.ToBson(new Twins.Point(1, -2)), Bytes.Write(Context.Point, new Point(1, -2)));
        Assert.Equal(new Point(1, -2), Bytes.Read(Context.Point, Bytes.Write(Context.Point, new Point(1, -2))));

        var labelled = new Labelled("l") { Visible = false };
        Bytes.Same(Oracle.ToBson(new Twins.Labelled("l") { Visible = false }), Bytes.Write(Context.Labelled, labelled));
        Assert.Equal(labelled, Bytes.Read(Context.Labelled, Bytes.Write(Context.Labelled, labelled)));

        Bytes.Same(Oracle.ToBson(new Twins.Vector { X = 1.5, Y = -3 }), Bytes.Write(Context.Vector, new Vector { X = 1.5, Y = -3 }));
        Assert.Equal(-3, Bytes.Read(Context.Vector, Bytes.Write(Context.Vector, new Vector { X = 1.5, Y = -3 })).Y);

        Pair pair = Bytes.Read(Context.Pair, Bytes.Write(Context.Pair, new Pair(4, "four")));
        Assert.Equal((4, "four"), (pair.Left, pair.Right));

        // Constructor-bound get-only members come after the read-write ones, as in the official class map.
        var constructed = new Constructed("c", 3) { Flag = true };
        Assert.Equal(["Flag", "Name", "Size"], BsonDocument.FromBytes(Bytes.Write(Context.Constructed, constructed)).Names);
        Constructed back = Bytes.Read(Context.Constructed, Bytes.Write(Context.Constructed, constructed));
        Assert.Equal(("c", 3, true), (back.Name, back.Size, back.Flag));
    }

    [Fact]
    public void Missing_constructor_argument_with_a_default_takes_the_default_and_init_members_keep_their_initializers()
    {
        byte[] bytes = new BsonDocument("Label", "only").ToBytes();
        Labelled back = Bytes.Read(Context.Labelled, bytes);
        Assert.Equal(5, back.Weight);
        Assert.True(back.Visible);

        InitOnly init = Bytes.Read(Context.InitOnly, new BsonDocument("Name", "n").ToBytes());
        Assert.Equal(("n", 7), (init.Name, init.Count));
        InitOnly set = Bytes.Read(Context.InitOnly, new BsonDocument { { "Name", "n" }, { "Count", 9 } }.ToBytes());
        Assert.Equal(9, set.Count);
    }

    [Fact]
    public void Attributes_match_the_official_bytes()
    {
        var ours = new Attributed { Code = "c1", Name = "n", Ignored = 5, Optional = null, Zero = 0, Must = 2, Later = 3 };
        ours.SetSecret(11);
        var twin = new Twins.Attributed { Code = "c1", Name = "n", Ignored = 5, Optional = null, Zero = 0, Must = 2, Later = 3 };
        twin.SetSecret(11);
        byte[] bytes = Bytes.Write(Context.Attributed, ours);
        Bytes.Same(Oracle.ToBson(twin), bytes);

        Attributed back = Bytes.Read(Context.Attributed, bytes);
        Assert.Equal(("c1", "n", 0, 2, 3, 11), (back.Code, back.Name, back.Ignored, back.Must, back.Later, back.Secret));

        ours.Optional = "o";
        ours.Zero = 1;
        twin.Optional = "o";
        twin.Zero = 1;
        Bytes.Same(Oracle.ToBson(twin), Bytes.Write(Context.Attributed, ours));
    }

    [Fact]
    public void Extra_elements_are_kept_and_written_after_the_members()
    {
        byte[] input = new BsonDocument { { "_id", 1 }, { "x", "y" }, { "Name", "n" }, { "z", new BsonDocument("a", 1) } }.ToBytes();
        WithExtras back = Bytes.Read(Context.WithExtras, input);
        Assert.Equal("n", back.Name);
        Assert.Equal(2, back.Extras!.ElementCount);

        byte[] written = Bytes.Write(Context.WithExtras, back);
        Twins.WithExtras twin = Oracle.FromBson<Twins.WithExtras>(input);
        Bytes.Same(Oracle.ToBson(twin), written);
    }

    [Fact]
    public void Polymorphic_members_write_the_discriminator_where_the_official_driver_does()
    {
        var ours = new Zoo { Id = ObjectId.Parse(Oid), Star = new Cat { Id = 1, Name = "Tom", Lives = 9 }, Keeper = new Puppy { Id = 2, Name = "Rex", Good = true, AgeInWeeks = 8 } };
        var twin = new Twins.Zoo { Id = OfficialBson.ObjectId.Parse(Oid), Star = new Twins.Cat { Id = 1, Name = "Tom", Lives = 9 }, Keeper = new Twins.Puppy { Id = 2, Name = "Rex", Good = true, AgeInWeeks = 8 } };
        byte[] bytes = Bytes.Write(Context.Zoo, ours);
        Bytes.Same(Oracle.ToBson(twin), bytes);

        Zoo back = Bytes.Read(Context.Zoo, bytes);
        Assert.Equal(9, Assert.IsType<Cat>(back.Star).Lives);
        Assert.Equal(8, Assert.IsType<Puppy>(back.Keeper).AgeInWeeks);

        var dog = new Zoo { Star = new Dog { Name = "d", Good = true }, Keeper = new Dog { Name = "k" } };
        var dogTwin = new Twins.Zoo { Star = new Twins.Dog { Name = "d", Good = true }, Keeper = new Twins.Dog { Name = "k" } };
        Bytes.Same(Oracle.ToBson(dogTwin), Bytes.Write(Context.Zoo, dog));
        Assert.IsType<Dog>(Bytes.Read(Context.Zoo, Bytes.Write(Context.Zoo, dog)).Star);
    }

    [Fact]
    public void Recursive_types_round_trip()
    {
        var list = new Node { Name = "a", Next = new Node { Name = "b", Next = new Node { Name = "c" } } };
        byte[] bytes = Bytes.Write(Context.Node, list);
        Bytes.Same(Oracle.ToBson(new Twins.Node { Name = "a", Next = new Twins.Node { Name = "b", Next = new Twins.Node { Name = "c" } } }), bytes);
        Assert.Equal("c", Bytes.Read(Context.Node, bytes).Next!.Next!.Name);
    }
}
