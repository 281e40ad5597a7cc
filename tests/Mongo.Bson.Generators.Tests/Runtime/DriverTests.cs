using Mongo.Driver;
using Mongo.InMemory;
using Xunit;

namespace Mongo.Bson.Generators.Tests.Runtime;

/// <summary>A generated context handed to the driver: typed insert and find against Mongo.InMemory.</summary>
public class DriverTests
{
    [Fact]
    public async Task Generated_context_drives_typed_insert_and_find_and_the_generated_id_is_set_back()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        MongoClientSettings settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
        settings.SerializerContext = TestBson.Default;
        using var client = new MongoClient(settings);
        MongoCollection<Person> people = client.GetDatabase("gen").GetCollection<Person>("people");

        var ada = new Person { Name = "Ada", Age = 36, Home = new Address { Street = "Main", City = "London" } };
        await people.InsertOneAsync(ada);
        Assert.NotEqual(default, ada.Id);

        List<Person> found = await people.Find(new BsonDocument("Name", "Ada")).ToListAsync();
        Person back = Assert.Single(found);
        Assert.Equal((ada.Id, 36, "London"), (back.Id, back.Age, back.Home!.City));

        MongoCollection<Zoo> zoos = client.GetDatabase("gen").GetCollection<Zoo>("zoos");
        await zoos.InsertOneAsync(new Zoo { Star = new Cat { Name = "Tom", Lives = 9 } });
        Zoo zoo = Assert.Single(await zoos.Find(new BsonDocument("Star._t", "Cat")).ToListAsync());
        Assert.Equal(9, Assert.IsType<Cat>(zoo.Star).Lives);
    }
}
