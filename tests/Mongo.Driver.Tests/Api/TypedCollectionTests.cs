using Mongo.Bson;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Api;

/// <summary>Collections of RawBsonDocument and of a type with a registered serializer, against the server fixture.</summary>
public sealed class TypedCollectionTests : IClassFixture<MongoServerFixture>
{
    private readonly MongoServerFixture _server;

    public TypedCollectionTests(MongoServerFixture server) => _server = server;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RawBsonDocumentCollectionInsertsWithGeneratedIdAndReadsRaw(bool async)
    {
        await using var client = new MongoClient(_server.ConnectionString);
        var database = client.GetDatabase("driver_api_typed");
        database.DropCollection("raw_" + async);
        var raw = database.GetCollection<RawBsonDocument>("raw_" + async);
        var document = new RawBsonDocument(new BsonDocument { { "x", 1 }, { "s", "a" } }.ToBytes());
        var result = async ? await raw.InsertOneAsync(document) : raw.InsertOne(document);
        Assert.True(result.InsertedId.IsObjectId);

        var read = async ? await raw.FindOneAsync(Filter.Empty) : raw.FindOne(Filter.Empty);
        Assert.NotNull(read);
        var expected = new BsonDocument { { "_id", result.InsertedId }, { "x", 1 }, { "s", "a" } };
        Assert.Equal(expected.ToBytes(), read!.Bytes.ToArray());
    }

    [Fact]
    public void RegisteredSerializerMapsATypeBothWays()
    {
        var registry = new BsonSerializerRegistry();
        registry.Register(new PersonSerializer());
        using var client = new MongoClient(MongoClientSettings.FromConnectionString(_server.ConnectionString), registry);
        var database = client.GetDatabase("driver_api_typed");
        database.DropCollection("people");
        var people = database.GetCollection<Person>("people");
        people.InsertMany([new Person("Ada", 36), new Person("Alan", 41)]);
        var older = people.Find(Filter.Gt("age", 40)).ToList();
        Assert.Equal([new Person("Alan", 41)], older);
        var before = people.FindOneAndUpdate(Filter.Eq("name", "Ada"), Update.Inc("age", 1), new FindOneAndModifyOptions { ReturnDocument = ReturnDocument.After });
        Assert.Equal(new Person("Ada", 37), before);
        // The same documents through the DOM: our serializer wrote the expected fields (and _id was generated).
        var raw = database.GetCollection("people").Find(Filter.Eq("name", "Alan")).FirstOrDefault();
        Assert.True(raw!["_id"].IsObjectId);
        Assert.Equal(41, raw["age"].AsInt32);
    }

    [Fact]
    public void UnregisteredRecordFallsBackToReflection()
    {
        // Without a registered serializer the reflection resolver maps the positional record (TypedPocoTests covers the rest).
        using var client = new MongoClient(_server.ConnectionString);
        var people = client.GetDatabase("driver_api_typed").GetCollection<Person>("people_reflection");
        people.Database.DropCollection(people.CollectionName);
        people.InsertOne(new Person("Grace", 85));
        Assert.Equal(new Person("Grace", 85), people.FindOne(Filter.Eq("Name", "Grace")));
    }

    private sealed record Person(string Name, int Age);

    private sealed class PersonSerializer : IBsonSerializer<Person>
    {
        public void Serialize(BsonWriter writer, Person value)
        {
            writer.WriteStartDocument();
            writer.WriteString("name", value.Name);
            writer.WriteInt32("age", value.Age);
            writer.WriteEndDocument();
        }

        public Person Deserialize(ref BsonReader reader)
        {
            string name = "";
            int age = 0;
            while (reader.Read() && reader.TokenType != BsonTokenType.EndDocument)
            {
                if (reader.TokenType is BsonTokenType.StartDocument or BsonTokenType.StartArray)
                {
                    reader.Skip();
                }
                else if (reader.NameEquals("name"u8))
                {
                    name = reader.GetString();
                }
                else if (reader.NameEquals("age"u8))
                {
                    age = reader.GetInt32();
                }
            }

            return new Person(name, age);
        }
    }
}
