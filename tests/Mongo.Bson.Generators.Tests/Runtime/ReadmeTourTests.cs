using Mongo.Bson.Serialization;
using Mongo.Driver;
using Mongo.InMemory;
using Xunit;

namespace Mongo.Bson.Generators.Tests.Runtime;

/// <summary>
/// The README's "Typed documents" tour, statement for statement, against Mongo.InMemory: the documented code compiles
/// with the generator and does what the comments say (stored names, generated id, translated filters).
/// </summary>
public class ReadmeTourTests
{
    [Fact]
    public async Task The_typed_tour_runs_as_documented()
    {
        await using var server = await InMemoryMongoServer.StartAsync();
        var settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
        settings.SerializerContext = TourBson.Default;
        await using var client = new MongoClient(settings);
        var people = client.GetDatabase("test").GetCollection<TourPerson>("people");

        var ann = new TourPerson { Name = "Ann", Age = 31, Tags = ["admin"], Home = new TourAddress("Oslo", "0150") };
        await people.InsertOneAsync(ann);
        Assert.NotEqual(default, ann.Id);
        string index = await people.CreateIndexAsync(Builders<TourPerson>.IndexKeys.Ascending(p => p.Home!.City));
        Assert.Equal("home.city_1", index);

        var found = await people.Find(p => p.Age > 30 && p.Name.StartsWith("A") && p.Tags.Contains("admin"))
                                .SortBy(p => p.Age).ToListAsync();
        Assert.Equal("Ann", Assert.Single(found).Name);

        await people.UpdateOneAsync(Builders<TourPerson>.Filter.Eq(p => p.Status, TourStatus.Active),
                                    Builders<TourPerson>.Update.Inc(p => p.Age, 1).Push(p => p.Tags, "veteran"));
        var names = new List<string>();
        await foreach (var p in people.Find(Builders<TourPerson>.Filter.Gte(p => p.Age, 18)))
        {
            names.Add(p.Name);
        }

        Assert.Equal(["Ann"], names);

        // What the server stores: camelCase names, the enum as its name, no nickname (ignored when null).
        var stored = await client.GetDatabase("test").GetCollection("people").FindOneAsync(Filter.Empty);
        Assert.NotNull(stored);
        Assert.Equal(32, stored["age"].AsInt32);
        Assert.Equal("Active", stored["status"].AsString);
        Assert.Equal(new BsonArray { "admin", "veteran" }, stored["tags"]);
        Assert.Equal("Oslo", stored["home"].AsDocument["city"].AsString);
        Assert.False(stored.Contains("nickname"));
        Assert.Equal(ann.Id, stored["_id"].AsObjectId);
    }
}

public sealed class TourPerson
{
    public ObjectId Id { get; set; }

    public required string Name { get; init; }

    public int Age { get; set; }

    [BsonRepresentation(BsonType.String)]
    public TourStatus Status { get; set; }

    public List<string> Tags { get; set; } = [];

    public TourAddress? Home { get; set; }

    [BsonIgnoreIfNull]
    public string? Nickname { get; set; }
}

public sealed record TourAddress(string City, string Zip);

public enum TourStatus
{
    Active,
    Retired,
}

[BsonSerializable(typeof(TourPerson))]
[BsonSourceGenerationOptions(NamingConvention = BsonNamingConvention.CamelCase)]
public partial class TourBson : BsonSerializerContext
{
}
