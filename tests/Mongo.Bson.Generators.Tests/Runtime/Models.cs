using Mongo.Bson.Serialization;

namespace Mongo.Bson.Generators.Tests.Runtime;

// POCO shapes the runtime tests generate serializers for; Twins.cs holds the same shapes for the official driver.

public class Person
{
    public ObjectId Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public int Age { get; set; }

    public long Visits;

    public double Score { get; set; }

    public bool Active { get; set; }

    public decimal Balance { get; set; }

    public DateTime Born { get; set; }

    public Guid Key { get; set; }

    public string? Nickname { get; set; }

    public Address? Home { get; set; }

    public BsonDocument? Meta { get; set; }

    public Decimal128 Precise { get; set; }

    public BsonValue? Anything { get; set; }
}

public class Address
{
    public string Street { get; set; } = string.Empty;

    public string? City { get; set; }
}

public record Point(int X, int Y);

public sealed record Labelled(string Label, int Weight = 5)
{
    public bool Visible { get; init; } = true;
}

public struct Vector
{
    public double X;

    public double Y;
}

public readonly struct Pair
{
    public Pair(int left, string right)
    {
        Left = left;
        Right = right;
    }

    public int Left { get; }

    public string Right { get; }
}

public class Attributed
{
    [BsonId]
    public string Code { get; set; } = string.Empty;

    [BsonElement("nm")]
    public string Name { get; set; } = string.Empty;

    [BsonIgnore]
    public int Ignored { get; set; }

    [BsonIgnoreIfNull]
    public string? Optional { get; set; }

    [BsonIgnoreIfDefault]
    public int Zero { get; set; }

    [BsonRequired]
    public int Must { get; set; }

    [BsonElement("first", Order = 1)]
    public int Later { get; set; }

    [BsonElement]
    private int _secret;

    [BsonElement("hidden")]
    internal int Internal { get; private set; }

    public int Secret => _secret;

    public void SetSecret(int value)
    {
        _secret = value;
        Internal = value * 2;
    }
}

public class InitOnly
{
    public required string Name { get; init; }

    public int Count { get; init; } = 7;

    public Address? NotTouched { get; set; }
}

public class WithExtras
{
    public int Id { get; set; }

    public string Name { get; set; } = string.Empty;

    [BsonExtraElements]
    public BsonDocument? Extras { get; set; }
}

public class Constructed
{
    [BsonConstructor]
    public Constructed(string name, int size)
    {
        Name = name;
        Size = size;
    }

    public Constructed(string name)
        : this(name, 0)
    {
    }

    public string Name { get; }

    public int Size { get; }

    public bool Flag { get; set; }
}

[BsonKnownTypes(typeof(Cat), typeof(Dog))]
public abstract class Animal
{
    public int Id { get; set; }

    public string Name { get; set; } = string.Empty;
}

public class Cat : Animal
{
    public int Lives { get; set; }
}

[BsonDiscriminator("doggo")]
[BsonKnownTypes(typeof(Puppy))]
public class Dog : Animal
{
    public bool Good { get; set; }
}

public class Puppy : Dog
{
    public int AgeInWeeks { get; set; }
}

public class Zoo
{
    public ObjectId Id { get; set; }

    public Animal? Star { get; set; }

    public Dog? Keeper { get; set; }
}

public class Node
{
    public string Name { get; set; } = string.Empty;

    public Node? Next { get; set; }
}

[BsonSerializable(typeof(Person))]
[BsonSerializable(typeof(Point))]
[BsonSerializable(typeof(Labelled))]
[BsonSerializable(typeof(Vector))]
[BsonSerializable(typeof(Pair))]
[BsonSerializable(typeof(Attributed))]
[BsonSerializable(typeof(InitOnly))]
[BsonSerializable(typeof(WithExtras))]
[BsonSerializable(typeof(Constructed))]
[BsonSerializable(typeof(Zoo))]
[BsonSerializable(typeof(Node))]
public partial class TestBson : BsonSerializerContext
{
}

[BsonSourceGenerationOptions(NamingConvention = BsonNamingConvention.CamelCase, UnknownElementHandling = BsonUnknownElementHandling.Error)]
[BsonSerializable(typeof(Person))]
internal partial class CamelBson : BsonSerializerContext
{
}
