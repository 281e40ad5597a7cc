using MongoDB.Bson.Serialization.Attributes;
using Official = MongoDB.Bson;

namespace Mongo.Bson.Generators.Tests.Runtime.Twins;

// The shapes of Models.cs for the official MongoDB.Bson 3.14 class-map serializer, the oracle for bytes.

public class Person
{
    public Official.ObjectId Id { get; set; }

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

    public Official.BsonDocument? Meta { get; set; }

    public Official.Decimal128 Precise { get; set; }

    public Official.BsonValue? Anything { get; set; }
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

    public void SetSecret(int value)
    {
        _secret = value;
        Internal = value * 2;
    }
}

public class WithExtras
{
    public int Id { get; set; }

    public string Name { get; set; } = string.Empty;

    [BsonExtraElements]
    public Official.BsonDocument? Extras { get; set; }
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
    public Official.ObjectId Id { get; set; }

    public Animal? Star { get; set; }

    public Dog? Keeper { get; set; }
}

public class Node
{
    public string Name { get; set; } = string.Empty;

    public Node? Next { get; set; }
}
