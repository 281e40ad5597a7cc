using System.Collections.Immutable;
using M = Mongo.Bson.Serialization;
using O = MongoDB.Bson.Serialization.Attributes;
using OB = MongoDB.Bson;

namespace Mongo.Bson.Tests.Typed;

// Each shape carries our attributes (M.) and the official driver's (O.) so both serializers read the same class; the
// official registry is bridged for our ObjectId/BsonDocument/BsonValue types (OfficialOracle).
public enum Status
{
    Unknown = 0,
    Active = 1,
    Suspended = 7,
}

public enum BigFlags : long
{
    None = 0,
    Huge = 1L << 40,
}

public class Address
{
    public string? Street { get; set; }

    public string City { get; set; } = "";

    public int Zip { get; set; }
}

public class Person
{
    public ObjectId Id { get; set; }

    public string Name { get; set; } = "";

    public int Age { get; set; }

    [M.BsonIgnoreIfNull, O.BsonIgnoreIfNull]
    public string? Email { get; set; }

    public List<string> Tags { get; set; } = [];

    public Address? Home { get; set; }

    public int[]? Scores { get; set; }

    [M.BsonElement("nick"), O.BsonElement("nick")]
    public string? Nickname { get; set; }

    [M.BsonIgnore, O.BsonIgnore]
    public string Secret { get; set; } = "not stored";

    public Status Status { get; set; }

    [M.BsonRepresentation(BsonType.String), O.BsonRepresentation(OB.BsonType.String)]
    public Status StatusName { get; set; }

    public BigFlags Flags { get; set; }

    public int Counter;
}

public class Numbers
{
    public short Int16 { get; set; }

    public byte Byte { get; set; }

    public sbyte SByte { get; set; }

    public ushort UInt16 { get; set; }

    public uint UInt32 { get; set; }

    public ulong UInt64 { get; set; }

    public float Single { get; set; }

    public double Double { get; set; }

    public long Int64 { get; set; }

    public char Char { get; set; }

    public bool Bool { get; set; }

    public decimal Decimal { get; set; }

    public int? MaybeInt { get; set; }

    public double? MaybeDouble { get; set; }

    public Guid Guid { get; set; }

    public Guid? MaybeGuid { get; set; }

    public byte[]? Bytes { get; set; }
}

public class Times
{
    public DateTime When { get; set; }

    public DateTime? MaybeWhen { get; set; }

    public DateTimeOffset Offset { get; set; }

    public DateOnly Day { get; set; }

    public TimeOnly Clock { get; set; }

    public TimeSpan Span { get; set; }
}

public class Collections
{
    public IList<int> IList { get; set; } = [];

    public IReadOnlyList<string> IReadOnlyList { get; set; } = [];

    public ICollection<long> ICollection { get; set; } = [];

    public IEnumerable<int> IEnumerable { get; set; } = [];

    public IReadOnlyCollection<int> IReadOnlyCollection { get; set; } = [];

    public HashSet<string> HashSet { get; set; } = [];

    public ISet<int> ISet { get; set; } = new HashSet<int>();

    public List<Address> Addresses { get; set; } = [];

    public Dictionary<string, int> Dictionary { get; set; } = [];

    public IDictionary<string, string> IDictionary { get; set; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, Address> IReadOnlyDictionary { get; set; } = new Dictionary<string, Address>();

    public List<List<int>> Nested { get; set; } = [];

    public List<int?> NullableItems { get; set; } = [];
}

public class Immutables
{
    public ImmutableArray<int> Array { get; set; } = [];

    public ImmutableList<string> List { get; set; } = [];

    public ImmutableHashSet<int> HashSet { get; set; } = [];

    public ImmutableDictionary<string, int> Dictionary { get; set; } = ImmutableDictionary<string, int>.Empty;
}

public record Point(int X, int Y, string? Label = null);

public record Line(Point From, Point To)
{
    public string Color { get; init; } = "black";
}

public struct Money
{
    public decimal Amount { get; set; }

    public string Currency { get; set; }
}

public class Wallet
{
    public int Id { get; set; }

    public Money Cash { get; set; }

    public Money? Savings { get; set; }

    public List<Money> History { get; set; } = [];
}

public class Account
{
    public required string Owner { get; init; }

    public int Balance { get; init; }

    [M.BsonRequired, O.BsonRequired]
    public string Branch { get; set; } = "";
}

public class Policies
{
    [M.BsonId, O.BsonId]
    [M.BsonRepresentation(BsonType.ObjectId), O.BsonRepresentation(OB.BsonType.ObjectId)]
    public string? Key { get; set; }

    [M.BsonIgnoreIfDefault, O.BsonIgnoreIfDefault]
    public int Zero { get; set; }

    [M.BsonIgnoreIfDefault, O.BsonIgnoreIfDefault]
    public string? Empty { get; set; }

    [M.BsonRepresentation(BsonType.String), O.BsonRepresentation(OB.BsonType.String)]
    public ObjectId Reference { get; set; }

    [M.BsonRepresentation(BsonType.Double), O.BsonRepresentation(OB.BsonType.Double)]
    public decimal Price { get; set; }

    [M.BsonRepresentation(BsonType.String), O.BsonRepresentation(OB.BsonType.String)]
    public decimal Exact { get; set; }

    [M.BsonRepresentation(BsonType.Int64), O.BsonRepresentation(OB.BsonType.Int64)]
    public int Widened { get; set; }

    [M.BsonRepresentation(BsonType.String), O.BsonRepresentation(OB.BsonType.String)]
    public List<Status> StatusNames { get; set; } = [];

    [M.BsonExtraElements, O.BsonExtraElements]
    public IDictionary<string, object?>? Extra { get; set; }
}

public class Ordered
{
    public string B { get; set; } = "b";

    [M.BsonElement(Order = 1), O.BsonElement(Order = 1)]
    public string A { get; set; } = "a";

    public string C = "c";

    public int Id { get; set; }
}

public class CamelPoco
{
    public string FirstName { get; set; } = "";

    public int BirthYear { get; set; }

    public CamelAddress? HomeAddress { get; set; }
}

public class CamelAddress
{
    public string PostCode { get; set; } = "";
}

public class InterfaceImmutables
{
    public IImmutableList<int> IList { get; set; } = ImmutableList<int>.Empty;

    public IImmutableDictionary<string, string> IDictionary { get; set; } = ImmutableDictionary<string, string>.Empty;

    public ReadOnlyMemory<byte> Memory { get; set; }
}

[M.BsonKnownTypes(typeof(Dog), typeof(Cat)), O.BsonKnownTypes(typeof(Dog), typeof(Cat))]
public class Animal
{
    public ObjectId Id { get; set; }

    public string Name { get; set; } = "";
}

public class Dog : Animal
{
    public string Breed { get; set; } = "";
}

[M.BsonDiscriminator("kitty"), O.BsonDiscriminator("kitty")]
public class Cat : Animal
{
    public int Lives { get; set; }
}

public class Zoo
{
    public int Id { get; set; }

    public List<Animal> Animals { get; set; } = [];

    public Animal? Star { get; set; }
}

public class Dom
{
    public int Id { get; set; }

    public BsonDocument? Document { get; set; }

    public BsonValue? Value { get; set; }

    public object? Anything { get; set; }

    public ObjectId? MaybeId { get; set; }
}

public class Tree
{
    public string Name { get; set; } = "";

    public List<Tree> Children { get; set; } = [];
}

public readonly struct Coordinates(double latitude, double longitude)
{
    public double Latitude { get; } = latitude;

    public double Longitude { get; } = longitude;
}

public readonly record struct Range(int From, int To);

public class Built
{
    [M.BsonConstructor, O.BsonConstructor]
    public Built(string name, int size = 7)
    {
        Name = name;
        Size = size;
    }

    public Built()
    {
        Name = "unused";
    }

    // The official class map needs [BsonElement] to map get-only properties; ours binds them through the constructor.
    [O.BsonElement]
    public string Name { get; }

    [O.BsonElement]
    public int Size { get; }

    public string? Note { get; set; }
}

[M.BsonKnownTypes(typeof(Circle), typeof(Square))]
public interface IShape
{
}

public class Circle : IShape
{
    public double Radius { get; set; }
}

public class Square : IShape
{
    public double Side { get; set; }
}

public class Drawing
{
    public List<IShape> Shapes { get; set; } = [];

    public Coordinates Origin { get; set; }

    public Range Span { get; set; }

    public Status Status { get; set; }
}
