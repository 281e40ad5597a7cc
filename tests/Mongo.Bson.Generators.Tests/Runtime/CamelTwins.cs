using Official = MongoDB.Bson;

namespace Mongo.Bson.Generators.Tests.Runtime.CamelTwins;

// Twins.Person for the official camelCase convention pack (conventions bind to a class map by namespace).

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

    public Twins.Address? Home { get; set; }

    public Official.BsonDocument? Meta { get; set; }

    public Official.Decimal128 Precise { get; set; }

    public Official.BsonValue? Anything { get; set; }
}
