using Mongo.Bson;
using Mongo.Bson.Serialization;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Api;

/// <summary>Typed collections of plain classes: no setup (reflection), a hand-made context through settings, id generation.</summary>
public sealed class TypedPocoTests(MongoServerFixture server) : ServerClientTestBase(server)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PocoWithNoSetupInsertsFindsAndReplaces(bool async)
    {
        var people = Client.GetDatabase("driver_api_poco").GetCollection<PocoPerson>("people_" + async);
        people.Database.DropCollection(people.CollectionName);

        var ada = new PocoPerson { Name = "Ada", Age = 36, Tags = ["math"], Home = new PocoAddress { City = "London" } };
        var result = async ? await people.InsertOneAsync(ada) : people.InsertOne(ada);
        Assert.NotEqual(default, ada.Id);
        Assert.Equal(new BsonObjectId(ada.Id), result.InsertedId);

        var found = async ? await people.FindOneAsync(Filter.Eq("_id", ada.Id)) : people.FindOne(Filter.Eq("_id", ada.Id));
        Assert.Equal(("Ada", 36, "London"), (found!.Name, found.Age, found.Home!.City));
        Assert.Equal(["math"], found.Tags);

        found.Age = 37;
        var replaced = async ? await people.ReplaceOneAsync(Filter.Eq("_id", ada.Id), found) : people.ReplaceOne(Filter.Eq("_id", ada.Id), found);
        Assert.Equal(1, replaced.ModifiedCount);
        var again = async ? await people.FindOneAsync(Filter.Eq("Name", "Ada")) : people.FindOne(Filter.Eq("Name", "Ada"));
        Assert.Equal(37, again!.Age);

        // The stored document is what the rules say: _id first, member names as declared.
        var raw = people.Database.GetCollection(people.CollectionName).FindOne(Filter.Empty)!;
        Assert.Equal(["_id", "Name", "Age", "Tags", "Home"], raw.Elements.Select(e => e.Name));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InsertManyGeneratesEveryKindOfId(bool async)
    {
        var database = Client.GetDatabase("driver_api_poco");
        var guids = database.GetCollection<GuidKeyed>("guids_" + async);
        var strings = database.GetCollection<StringKeyed>("strings_" + async);
        database.DropCollection(guids.CollectionName);
        database.DropCollection(strings.CollectionName);

        GuidKeyed[] g = [new() { Value = 1 }, new() { Value = 2 }];
        StringKeyed[] s = [new() { Value = 1 }, new() { Id = "65f0a1b2c3d4e5f601234567", Value = 2 }];
        if (async)
        {
            await guids.InsertManyAsync(g);
            await strings.InsertManyAsync(s);
        }
        else
        {
            guids.InsertMany(g);
            strings.InsertMany(s);
        }

        Assert.All(g, x => Assert.NotEqual(Guid.Empty, x.Id));
        Assert.NotEqual(g[0].Id, g[1].Id);
        Assert.True(ObjectId.TryParse(s[0].Id, out _));
        Assert.Equal("65f0a1b2c3d4e5f601234567", s[1].Id);
        var raw = database.GetCollection(strings.CollectionName).FindOne(Filter.Eq("Value", 1))!;
        Assert.Equal(ObjectId.Parse(s[0].Id!), raw["_id"].AsObjectId);
        Assert.Equal(g[1].Id, (async ? await guids.FindOneAsync(Filter.Eq("Value", 2)) : guids.FindOne(Filter.Eq("Value", 2)))!.Id);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClientBulkWriteUsesTheClientsContext(bool async)
    {
        // The context names Gadget.Name "label"; reflection would write and filter on "Name". Inserts, typed filters
        // and typed updates of a client-level bulk write must all follow the client's context.
        var settings = MongoClientSettings.FromConnectionString(Server.ConnectionString);
        settings.SerializerContext = new HandMadeContext();
        await using var client = new MongoClient(settings);
        var ns = new CollectionNamespace("driver_api_poco", "bulk_gadgets_" + async);
        client.GetDatabase(ns.DatabaseName).DropCollection(ns.CollectionName);

        var lamp = new Gadget { Name = "lamp" };
        var desk = new Gadget { Id = ObjectId.GenerateNewId(), Name = "desk" };
        ClientBulkWriteModel[] models =
        [
            new ClientInsertOneModel<Gadget>(ns, lamp),
            new ClientInsertOneModel<Gadget>(ns, desk),
            new ClientUpdateOneModel(ns, Builders<Gadget>.Filter.Eq(g => g.Name, "lamp"), Builders<Gadget>.Update.Set(g => g.Name, "lamp2")),
            new ClientReplaceOneModel<Gadget>(ns, Builders<Gadget>.Filter.Eq(g => g.Name, "desk"), new Gadget { Id = desk.Id, Name = "table" }),
            new ClientDeleteManyModel(ns, Builders<Gadget>.Filter.Eq(g => g.Name, "nothing")),
        ];
        var result = async ? await client.BulkWriteAsync(models) : client.BulkWrite(models);

        Assert.Equal((2, 2, 2), (result.InsertedCount, result.MatchedCount, result.ModifiedCount));
        Assert.NotEqual(default, lamp.Id);
        var raw = client.GetDatabase(ns.DatabaseName).GetCollection(ns.CollectionName).Find(Filter.Empty).Sort(Sort.Ascending("label")).ToList();
        Assert.Equal(["lamp2", "table"], raw.Select(d => d["label"].AsString));
        Assert.All(raw, d => Assert.False(d.Contains("Name")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ContextFromSettingsWinsOverReflection(bool async)
    {
        var settings = MongoClientSettings.FromConnectionString(Server.ConnectionString);
        settings.SerializerContext = new HandMadeContext();
        await using var client = new MongoClient(settings);
        var gadgets = client.GetDatabase("driver_api_poco").GetCollection<Gadget>("gadgets_" + async);
        gadgets.Database.DropCollection(gadgets.CollectionName);

        var gadget = new Gadget { Name = "lamp" };
        _ = async ? await gadgets.InsertOneAsync(gadget) : gadgets.InsertOne(gadget);
        Assert.NotEqual(default, gadget.Id);
        var raw = gadgets.Database.GetCollection(gadgets.CollectionName).FindOne(Filter.Empty)!;
        Assert.Equal("lamp", raw["label"].AsString); // the context's element name; reflection would have written "Name"
        var read = async ? await gadgets.FindOneAsync(Filter.Eq("label", "lamp")) : gadgets.FindOne(Filter.Eq("label", "lamp"));
        Assert.Equal(gadget.Id, read!.Id);
        Assert.Same(HandMadeContext.ContextOptions, gadgets.TypeResolver.GetTypeInfo(typeof(Gadget))!.Options);

        // A collection's own context comes before the client's.
        var byCollection = client.GetDatabase("driver_api_poco").GetCollection<Gadget>(
            gadgets.CollectionName, new MongoCollectionSettings { SerializerContext = new HandMadeContext("name2") });
        _ = async ? await byCollection.InsertOneAsync(new Gadget { Name = "desk" }) : byCollection.InsertOne(new Gadget { Name = "desk" });
        Assert.Equal("desk", gadgets.Database.GetCollection(gadgets.CollectionName).FindOne(Filter.Exists("name2"))!["name2"].AsString);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BulkWritesGenerateIdsToo(bool async)
    {
        var people = Client.GetDatabase("driver_api_poco").GetCollection<PocoPerson>("bulk_" + async);
        people.Database.DropCollection(people.CollectionName);
        var viaCollection = new PocoPerson { Name = "collection" };
        var viaClient = new PocoPerson { Name = "client" };
        WriteModel<PocoPerson>[] requests = [new InsertOneModel<PocoPerson>(viaCollection)];
        ClientBulkWriteModel[] models = [new ClientInsertOneModel<PocoPerson>(new CollectionNamespace("driver_api_poco", people.CollectionName), viaClient)];
        if (async)
        {
            await people.BulkWriteAsync(requests);
            await Client.BulkWriteAsync(models);
        }
        else
        {
            people.BulkWrite(requests);
            Client.BulkWrite(models);
        }

        Assert.NotEqual(default, viaCollection.Id);
        Assert.NotEqual(default, viaClient.Id);
        Assert.Equal("client", people.FindOne(Filter.Eq("_id", viaClient.Id))!.Name);
        Assert.Equal("collection", people.FindOne(Filter.Eq("_id", viaCollection.Id))!.Name);
    }

    [Fact]
    public void RegisteredSerializerStillWinsAndBsonDocumentKeepsItsPath()
    {
        var bson = Client.GetDatabase("driver_api_poco").GetCollection<BsonDocument>("docs");
        Assert.Null(bson.Codec.TypeInfo);
        Assert.Null(Client.GetDatabase("driver_api_poco").GetCollection<RawBsonDocument>("docs").Codec.TypeInfo);
    }
}

/// <summary>With the reflection switch off (as in a trimmed/AOT app), an unknown type names the missing [BsonSerializable].</summary>
[Collection(nameof(ReflectionSwitchCollection))]
public sealed class TypedPocoSwitchTests(MongoServerFixture server) : ServerClientTestBase(server)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReflectionOffGivesTheErrorAndContextsStillWork(bool async)
    {
        AppContext.SetSwitch(BsonTypeInfoResolver.IsReflectionEnabledByDefaultSwitch, false);
        try
        {
            Assert.False(BsonTypeInfoResolver.IsReflectionEnabledByDefault);
            var ex = Assert.Throws<BsonSerializationException>(() => Client.GetDatabase("driver_api_poco").GetCollection<PocoPerson>("off"));
            Assert.Contains("Add [BsonSerializable(typeof(PocoPerson))] to a BsonSerializerContext and set MongoClientSettings.SerializerContext", ex.Message);

            var settings = MongoClientSettings.FromConnectionString(Server.ConnectionString);
            settings.SerializerContext = new HandMadeContext();
            await using var client = new MongoClient(settings);
            var gadgets = client.GetDatabase("driver_api_poco").GetCollection<Gadget>("gadgets_off_" + async);
            _ = async ? await gadgets.InsertOneAsync(new Gadget { Name = "x" }) : gadgets.InsertOne(new Gadget { Name = "x" });
            Assert.Equal("x", (async ? await gadgets.FindOneAsync(Filter.Empty) : gadgets.FindOne(Filter.Empty))!.Name);
        }
        finally
        {
            AppContext.SetSwitch(BsonTypeInfoResolver.IsReflectionEnabledByDefaultSwitch, true);
        }
    }
}

[CollectionDefinition(nameof(ReflectionSwitchCollection), DisableParallelization = true)]
public sealed class ReflectionSwitchCollection : ICollectionFixture<MongoServerFixture>
{
}

public class PocoPerson
{
    public ObjectId Id { get; set; }

    public string Name { get; set; } = "";

    public int Age { get; set; }

    public List<string> Tags { get; set; } = [];

    public PocoAddress? Home { get; set; }
}

public class PocoAddress
{
    public string City { get; set; } = "";
}

public class GuidKeyed
{
    public Guid Id { get; set; }

    public int Value { get; set; }
}

public class StringKeyed
{
    [BsonRepresentation(BsonType.ObjectId)]
    public string? Id { get; set; }

    public int Value { get; set; }
}

public class Gadget
{
    public ObjectId Id { get; set; }

    public string Name { get; set; } = "";
}

/// <summary>What a generated context boils down to, written by hand with BsonMetadataServices.</summary>
public sealed class HandMadeContext(string nameElement = "label") : BsonSerializerContext(ContextOptions)
{
    public static readonly BsonSerializerOptions ContextOptions = new() { UnknownElementHandling = BsonUnknownElementHandling.Error };

    private BsonTypeInfo<Gadget>? _gadget;

    public override BsonTypeInfo? GetTypeInfo(Type type) => type == typeof(Gadget) ? Gadget : null;

    private BsonTypeInfo<Gadget> Gadget => _gadget ??= BsonMetadataServices.CreateObjectInfo(Options, new BsonObjectInfoValues<Gadget>
    {
        ObjectCreator = static () => new Gadget(),
        MembersFactory = () =>
        [
            BsonMetadataServices.CreateMemberInfo(new BsonMemberInfoValues<Gadget, ObjectId>
            {
                Name = nameof(Mongo.Driver.Tests.Api.Gadget.Id),
                ElementName = "_id",
                IsId = true,
                Getter = static g => g.Id,
                Setter = static (ref Gadget g, ObjectId v) => g.Id = v,
                TypeInfo = BsonMetadataServices.CreateValueInfo(Options, BsonSerializers.ObjectId),
            }),
            BsonMetadataServices.CreateMemberInfo(new BsonMemberInfoValues<Gadget, string>
            {
                Name = nameof(Mongo.Driver.Tests.Api.Gadget.Name),
                ElementName = nameElement,
                Getter = static g => g.Name,
                Setter = static (ref Gadget g, string v) => g.Name = v,
                TypeInfo = BsonMetadataServices.CreateValueInfo(Options, BsonSerializers.String),
            }),
        ],
    });
}
