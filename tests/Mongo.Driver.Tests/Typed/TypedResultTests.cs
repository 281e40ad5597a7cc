using System.Linq.Expressions;
using Mongo.Bson;
using Mongo.Testing;
using MongoDB.Driver;
using Xunit;
using OB = MongoDB.Bson;
using OD = MongoDB.Driver;

namespace Mongo.Driver.Tests.Typed;

/// <summary>
/// The same queries through our typed builders/expressions and through the official MongoDB.Driver 3.14 typed
/// builders, against one server (Mongo.InMemory by default): both must return the same documents. Our side uses plain
/// typed collections: the models come from the reflection resolver through the collection's TypeResolver.
/// </summary>
public sealed class TypedResultTests : IClassFixture<MongoServerFixture>
{
    private const string DatabaseName = "driver_typed_results";
    private static readonly FilterDefinitionBuilder<Person> F = Builders<Person>.Filter;
    private static readonly OD.FilterDefinitionBuilder<Person> OF = OD.Builders<Person>.Filter;
    private readonly MongoServerFixture _server;

    public TypedResultTests(MongoServerFixture server) => _server = server;

    private static Person[] People() =>
    [
        new() { Id = 1, Name = "Ada", Age = 36, Score = 9, Active = true, Favorite = Color.Green, Home = new() { City = "London", Zip = "N1" }, Tags = ["x", "math"], Items = [new() { Sku = "a", Qty = 3 }], Nums = [1, 7], Born = new DateTime(1815, 12, 10, 0, 0, 0, DateTimeKind.Utc) },
        new() { Id = 2, Name = "Alan", Age = 41, Score = null, Active = false, Favorite = Color.Blue, Home = new() { City = "Wilmslow", Zip = "SK9" }, Tags = ["x"], Items = [new() { Sku = "b", Qty = 1 }, new() { Sku = "a", Qty = 5 }], Nums = [2], Born = new DateTime(1912, 6, 23, 0, 0, 0, DateTimeKind.Utc) },
        new() { Id = 3, Name = "Grace", Age = 85, Score = 7, Active = true, Favorite = Color.Red, Home = new() { City = "New York", Zip = "10001" }, Tags = [], Items = [], Nums = [], Born = new DateTime(1906, 12, 9, 0, 0, 0, DateTimeKind.Utc) },
        new() { Id = 4, Name = "Andrew", Age = 25, Score = 3, Active = true, Favorite = Color.Green, Home = new() { City = "London", Zip = "E1" }, Tags = ["y", "x"], Items = [new() { Sku = "c", Qty = 0 }], Nums = [9, 3], Born = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
        new() { Id = 5, Name = "edsger", Age = 72, Score = 2, Active = false, Favorite = Color.Blue, Home = new() { City = "Nuenen", Zip = "5671" }, Tags = ["a.b*"], Items = [new() { Sku = "b", Qty = 8 }], Nums = [6], Born = new DateTime(1930, 5, 11, 0, 0, 0, DateTimeKind.Utc) },
    ];

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in Queries.Keys)
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }

    private static readonly Dictionary<string, (FilterDefinition Ours, OD.FilterDefinition<Person> Theirs)> Queries = new()
    {
        ["issue-example"] = (F.Where(p => p.Age > 30 && p.Name.StartsWith("A") && p.Tags.Contains("x")), OF.Where(p => p.Age > 30 && p.Name.StartsWith("A") && p.Tags.Contains("x"))),
        ["enum-as-string"] = (F.Where(p => p.Favorite == Color.Green), OF.Eq(p => p.Favorite, Color.Green)),
        ["enum-builder-in"] = (F.In(p => p.Favorite, [Color.Red, Color.Blue]), OF.In(p => p.Favorite, [Color.Red, Color.Blue])),
        ["nested-member"] = (F.Where(p => p.Home.City == "London"), OF.Eq(p => p.Home.City, "London")),
        ["elem-match-objects"] = (F.Where(p => p.Items.Any(i => i.Sku == "a" && i.Qty > 4)), OF.ElemMatch(p => p.Items, i => i.Sku == "a" && i.Qty > 4)),
        ["elem-match-scalars"] = (F.Where(p => p.Nums.Any(n => n > 5)), OF.Where(p => p.Nums.Any(n => n > 5))),
        ["array-index"] = (F.Eq(p => p.Items[0].Sku, "a"), OF.Eq("items.0.sku", "a")),
        ["null-check"] = (F.Where(p => p.Score == null), OF.Eq(p => p.Score, null)),
        ["has-value-and-gt"] = (F.Where(p => p.Score.HasValue && p.Score.Value > 2), OF.Gt(p => p.Score, 2)),
        ["not-bool"] = (F.Where(p => !p.Active), OF.Ne(p => p.Active, true)),
        ["size"] = (F.Where(p => p.Tags.Count == 2), OF.Size(p => p.Tags, 2)),
        ["any"] = (F.Where(p => p.Tags.Any()), OF.Where(p => p.Tags.Any())),
        ["local-contains"] = (F.Where(p => new[] { "Ada", "Grace" }.Contains(p.Name)), OF.In(p => p.Name, ["Ada", "Grace"])),
        ["escaped-regex"] = (F.Where(p => p.Tags.Any(t => t.EndsWith("a.b*"))), OF.AnyEq(p => p.Tags, "a.b*")),
        ["ignore-case"] = (F.Where(p => p.Name.StartsWith("e", StringComparison.OrdinalIgnoreCase)), OF.Regex(p => p.Name, new OB.BsonRegularExpression("^e", "i"))),
        ["date"] = (F.Where(p => p.Born >= new DateTime(1910, 1, 1, 0, 0, 0, DateTimeKind.Utc)), OF.Gte(p => p.Born, new DateTime(1910, 1, 1, 0, 0, 0, DateTimeKind.Utc))),
        ["or-not"] = (F.Where(p => p.Age < 30 || !(p.Age < 80)), OF.Or(OF.Lt(p => p.Age, 30), OF.Not(OF.Lt(p => p.Age, 80)))),
        ["builders-combined"] = (F.Gt(p => p.Age, 30) & F.AnyEq(p => p.Tags, "x") | F.ElemMatch(p => p.Items, i => i.Qty == 0), (OF.Gt(p => p.Age, 30) & OF.AnyEq(p => p.Tags, "x")) | OF.ElemMatch(p => p.Items, i => i.Qty == 0)),
        ["all"] = (F.All(p => p.Tags, ["x", "y"]), OF.All(p => p.Tags, ["x", "y"])),
    };

    private async Task<(MongoClient Ours, OD.IMongoCollection<Person> Theirs)> Seed(string name)
    {
        var official = new OD.MongoClient(_server.ConnectionString);
        var database = official.GetDatabase(DatabaseName);
        await database.DropCollectionAsync(name);
        var theirs = database.GetCollection<Person>(name);
        await theirs.InsertManyAsync(People());
        return (new MongoClient(_server.ConnectionString), theirs);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task FindReturnsWhatTheOfficialDriverReturns(string query, bool async)
    {
        var (ours, theirs) = await Seed("find_" + query + "_" + async);
        await using var _ = ours;
        var (filter, officialFilter) = Queries[query];
        var expected = (await theirs.Find(officialFilter).ToListAsync()).Select(p => p.Id).Order().ToList();
        var collection = ours.GetDatabase(DatabaseName).GetCollection<Person>(theirs.CollectionNamespace.CollectionName);
        var found = async ? await collection.Find(filter).ToListAsync() : collection.Find(filter).ToList();
        Assert.Equal(expected, found.Select(p => p.Id).Order().ToList());
        Assert.NotEmpty(expected);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExpressionOverloadsCountUpdateAndDeleteLikeTheOfficialDriver(bool async)
    {
        var (ours, theirs) = await Seed("writes_" + async);
        await using var _ = ours;
        var people = ours.GetDatabase(DatabaseName).GetCollection<Person>(theirs.CollectionNamespace.CollectionName);

        Expression<Func<Person, bool>> londoners = p => p.Home.City == "London";
        long count = async ? await people.CountDocumentsAsync(londoners) : people.CountDocuments(londoners);
        Assert.Equal(await theirs.CountDocumentsAsync(p => p.Home.City == "London"), count);

        var update = Builders<Person>.Update.Inc(p => p.Age, 1).Set(p => p.Favorite, Color.Red).Push(p => p.Tags, "moved");
        var result = async ? await people.UpdateManyAsync(londoners, update) : people.UpdateMany(londoners, update);
        Assert.Equal(2, result.ModifiedCount);
        var updated = await theirs.Find(p => p.Home.City == "London").SortBy(p => p.Id).ToListAsync();
        Assert.Equal([37, 26], updated.Select(p => p.Age));
        Assert.All(updated, p => Assert.Equal(Color.Red, p.Favorite));
        Assert.All(updated, p => Assert.Equal("moved", p.Tags[^1]));

        var positional = Builders<Person>.Update.Set(p => p.Items.FirstMatchingElement().Qty, 42);
        var matched = async
            ? await people.UpdateOneAsync(p => p.Items.Any(i => i.Sku == "a"), positional)
            : people.UpdateOne(p => p.Items.Any(i => i.Sku == "a"), positional);
        Assert.Equal(1, matched.ModifiedCount);
        Assert.Equal(42, (await theirs.Find(p => p.Id == 1).SingleAsync()).Items[0].Qty);

        var colors = async ? await people.DistinctAsync(p => p.Favorite) : people.Distinct(p => p.Favorite);
        Assert.Equal((await (await theirs.DistinctAsync(p => p.Favorite, OF.Empty)).ToListAsync()).Order(), colors.Order());
        var cities = async ? await people.DistinctAsync(p => p.Home.City, p => p.Active) : people.Distinct(p => p.Home.City, p => p.Active);
        Assert.Equal(["London", "New York"], cities.Order());

        var deleted = async ? await people.DeleteManyAsync(p => !p.Active) : people.DeleteMany(p => !p.Active);
        Assert.Equal(2, deleted.DeletedCount);
        Assert.Equal([1, 3, 4], (await theirs.Find(OF.Empty).ToListAsync()).Select(p => p.Id).Order());

        var first = async ? await people.FindOneAsync(p => p.Tags.Contains("moved") && p.Age > 30) : people.FindOne(p => p.Tags.Contains("moved") && p.Age > 30);
        Assert.Equal(("Ada", Color.Red, 42), (first!.Name, first.Favorite, first.Items[0].Qty));
        Assert.Equal(await theirs.CountDocumentsAsync(p => p.Age > 30), async ? await people.CountDocumentsAsync(p => p.Age > 30) : people.CountDocuments(p => p.Age > 30));

        var plain = ours.GetDatabase(DatabaseName).GetCollection(theirs.CollectionNamespace.CollectionName);
        var sorted = plain.Find(F.Gt(p => p.Age, 0)).Sort(Builders<Person>.Sort.Descending(p => p.Age)).Project(Builders<Person>.Projection.Include(p => p.Name).Exclude(p => p.Id));
        var names = async ? await sorted.ToListAsync() : sorted.ToList();
        Assert.Equal(["Grace", "Ada", "Andrew"], names.Select(d => d["name"].AsString));
        Assert.All(names, d => Assert.False(d.Contains("_id")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TypedIndexKeysUseElementNames(bool async)
    {
        var (ours, theirs) = await Seed("indexes_" + async);
        await using var _ = ours;
        var collection = ours.GetDatabase(DatabaseName).GetCollection(theirs.CollectionNamespace.CollectionName);
        var keys = Builders<Person>.IndexKeys.Ascending(p => p.Home.City).Descending(p => p.Age);
        var name = async ? await collection.CreateIndexAsync(keys) : collection.CreateIndex(keys);
        Assert.Equal("home.city_1_age_-1", name);
        var officialIndexes = await (await theirs.Indexes.ListAsync()).ToListAsync();
        Assert.Contains(officialIndexes, i => i["key"] == new OB.BsonDocument { { "home.city", 1 }, { "age", -1 } });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheCollectionsContextDecidesElementNames(bool async)
    {
        // The same predicate counts different documents depending on the model the collection renders with: a context
        // in the collection settings names X "ex", the reflection fallback keeps "X".
        await using var client = new MongoClient(_server.ConnectionString);
        var database = client.GetDatabase(DatabaseName);
        var name = "context_names_" + async;
        database.DropCollection(name);
        database.GetCollection(name).InsertMany([new BsonDocument("ex", 1), new BsonDocument("ex", 1), new BsonDocument("X", 1)]);
        var withContext = database.GetCollection<Renamed>(name, new MongoCollectionSettings { SerializerContext = RenamedContext.Instance });
        var withReflection = database.GetCollection<Renamed>(name);
        Assert.Equal(2, async ? await withContext.CountDocumentsAsync(r => r.X == 1) : withContext.CountDocuments(r => r.X == 1));
        Assert.Equal(1, async ? await withReflection.CountDocumentsAsync(r => r.X == 1) : withReflection.CountDocuments(r => r.X == 1));
        var deleted = async ? await withContext.DeleteManyAsync(Builders<Renamed>.Filter.Eq(r => r.X, 1)) : withContext.DeleteMany(Builders<Renamed>.Filter.Eq(r => r.X, 1));
        Assert.Equal(2, deleted.DeletedCount);
    }

    public sealed class Renamed
    {
        public int X { get; set; }
    }

    private sealed class RenamedContext : Mongo.Bson.Serialization.IBsonTypeInfoResolver
    {
        public static readonly RenamedContext Instance = new();
        private readonly Mongo.Bson.Serialization.BsonTypeInfo _info;

        private RenamedContext()
        {
            var options = new Mongo.Bson.Serialization.BsonSerializerOptions();
            var int32 = Mongo.Bson.Serialization.BsonMetadataServices.CreateValueInfo(options, Mongo.Bson.Serialization.BsonSerializers.Int32);
            _info = Mongo.Bson.Serialization.BsonMetadataServices.CreateObjectInfo(options, new Mongo.Bson.Serialization.BsonObjectInfoValues<Renamed>
            {
                ObjectCreator = () => new Renamed(),
                MembersFactory = () =>
                [
                    Mongo.Bson.Serialization.BsonMetadataServices.CreateMemberInfo(new Mongo.Bson.Serialization.BsonMemberInfoValues<Renamed, int>
                    {
                        Name = "X",
                        ElementName = "ex",
                        TypeInfo = int32,
                        Getter = r => r.X,
                        Setter = (ref Renamed r, int value) => r.X = value,
                    }),
                ],
            });
        }

        public Mongo.Bson.Serialization.BsonTypeInfo? GetTypeInfo(Type type) => type == typeof(Renamed) ? _info : null;
    }

    [Fact]
    public void FindFluentIsNotAnEnumerable()
    {
        // Being both IEnumerable<T> and IAsyncEnumerable<T> makes .Where ambiguous on .NET 10 and lets LINQ to objects
        // run the query silently: only the async interface stays, ToEnumerable() is explicit.
        Assert.False(typeof(System.Collections.IEnumerable).IsAssignableFrom(typeof(FindFluent<BsonDocument>)));
        Assert.False(typeof(IEnumerable<BsonDocument>).IsAssignableFrom(typeof(FindFluent<BsonDocument>)));
        Assert.True(typeof(IAsyncEnumerable<BsonDocument>).IsAssignableFrom(typeof(FindFluent<BsonDocument>)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FindFluentTypedSortAndEnumeration(bool async)
    {
        var (ours, theirs) = await Seed("fluent_" + async);
        await using var _ = ours;
        var collection = ours.GetDatabase(DatabaseName).GetCollection<Person>(theirs.CollectionNamespace.CollectionName);
        var query = collection.Find(p => p.Age > 30).SortBy(p => p.Active).ThenByDescending(p => p.Age);
        var ids = new List<int>();
        if (async)
        {
            await foreach (var person in query)
            {
                ids.Add(person.Id);
            }
        }
        else
        {
            ids.AddRange(query.ToEnumerable().Select(p => p.Id));
        }

        var expected = await theirs.Find(p => p.Age > 30).SortBy(p => p.Active).ThenByDescending(p => p.Age).ToListAsync();
        Assert.Equal(expected.Select(p => p.Id), ids);

        var projected = collection.Find(p => p.Age > 30).SortBy(p => p.Age).Project<NameOnly>(Builders<Person>.Projection.Include(p => p.Name).Exclude(p => p.Id));
        var names = async ? await projected.ToListAsync() : projected.ToList();
        Assert.Equal(["Ada", "Alan", "edsger", "Grace"], names.Select(n => n.Name));
    }

    public sealed class NameOnly
    {
        [Mongo.Bson.Serialization.BsonElement("name")]
        public string Name { get; set; } = "";
    }
}
