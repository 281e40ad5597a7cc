using Mongo.Bson;
using Mongo.Bson.Serialization;
using MA = Mongo.Bson.Serialization;
using OA = MongoDB.Bson.Serialization.Attributes;

namespace Mongo.Driver.Tests.Typed;

// The POCOs carry our attributes (read by the reflection resolver) and the official driver's (read by its class maps,
// the oracle of the result tests), so both sides agree on element names and representations; the hand-built
// TestResolver below models the same names for the translation tests.
public enum Color
{
    Red,
    Green,
    Blue,
}

public sealed class Address
{
    [MA.BsonElement("city")]
    [OA.BsonElement("city")]
    public string City { get; set; } = "";

    [MA.BsonElement("zip")]
    [OA.BsonElement("zip")]
    public string Zip { get; set; } = "";
}

public sealed class Item
{
    [MA.BsonElement("sku")]
    [OA.BsonElement("sku")]
    public string Sku { get; set; } = "";

    [MA.BsonElement("qty")]
    [OA.BsonElement("qty")]
    public int Qty { get; set; }
}

public sealed class Person
{
    public int Id { get; set; }

    [MA.BsonElement("name")]
    [OA.BsonElement("name")]
    public string Name { get; set; } = "";

    [MA.BsonElement("age")]
    [OA.BsonElement("age")]
    public int Age { get; set; }

    [MA.BsonElement("score")]
    [OA.BsonElement("score")]
    public int? Score { get; set; }

    [MA.BsonElement("active")]
    [OA.BsonElement("active")]
    public bool Active { get; set; }

    [MA.BsonElement("fav")]
    [OA.BsonElement("fav")]
    [MA.BsonRepresentation(BsonType.String)]
    [OA.BsonRepresentation(MongoDB.Bson.BsonType.String)]
    public Color Favorite { get; set; }

    [MA.BsonElement("home")]
    [OA.BsonElement("home")]
    public Address Home { get; set; } = new();

    [MA.BsonElement("tags")]
    [OA.BsonElement("tags")]
    public List<string> Tags { get; set; } = [];

    [MA.BsonElement("items")]
    [OA.BsonElement("items")]
    public List<Item> Items { get; set; } = [];

    [MA.BsonElement("nums")]
    [OA.BsonElement("nums")]
    public int[] Nums { get; set; } = [];

    [MA.BsonElement("born")]
    [OA.BsonElement("born")]
    public DateTime Born { get; set; }

    /// <summary>Not in the model (computed): expressions on it must be rejected.</summary>
    [MA.BsonIgnore]
    [OA.BsonIgnore]
    public string Display => Name + " (" + Age + ")";
}

/// <summary>
/// A hand-built resolver (BsonMetadataServices) for the test POCOs, standing in for the reflection resolver and the
/// generated contexts: element names as the attributes above say, Favorite stored as a string.
/// </summary>
public sealed class TestResolver : IBsonTypeInfoResolver
{
    // Options first: static initializers run in order, and the constructor uses them.
    private static readonly BsonSerializerOptions Options = new();

    public static readonly TestResolver Instance = new();
    private readonly Dictionary<Type, BsonTypeInfo> _infos = [];

    private TestResolver()
    {
        var int32 = BsonMetadataServices.CreateValueInfo(Options, BsonSerializers.Int32);
        var text = BsonMetadataServices.CreateValueInfo(Options, BsonSerializers.String);
        var boolean = BsonMetadataServices.CreateValueInfo(Options, BsonSerializers.Boolean);
        var date = BsonMetadataServices.CreateValueInfo(Options, BsonSerializers.DateTime);
        var nullableInt = BsonMetadataServices.CreateValueInfo<int?>(Options, new DomSerializer<int?>(v => v is { } i ? i : BsonNull.Value));
        var color = BsonMetadataServices.CreateValueInfo<Color>(Options, new DomSerializer<Color>(v => v.ToString()));
        var tags = BsonMetadataServices.CreateCollectionInfo(Options, text, new DomSerializer<List<string>>(v => new BsonArray(v.Select(s => (BsonValue)s))));
        var nums = BsonMetadataServices.CreateCollectionInfo(Options, int32, new DomSerializer<int[]>(v => new BsonArray(v.Select(i => (BsonValue)i))));

        BsonTypeInfo<Address> address = null!;
        address = Object<Address>(() =>
        [
            Member<Address, string>("City", "city", text, a => a.City),
            Member<Address, string>("Zip", "zip", text, a => a.Zip),
        ]);
        var item = Object<Item>(() =>
        [
            Member<Item, string>("Sku", "sku", text, i => i.Sku),
            Member<Item, int>("Qty", "qty", int32, i => i.Qty),
        ]);
        var items = BsonMetadataServices.CreateCollectionInfo(Options, item, new DomSerializer<List<Item>>(v => new BsonArray(v.Select(i => item.ToBsonValue(i)))));
        var person = Object<Person>(() =>
        [
            Member<Person, int>("Id", "_id", int32, p => p.Id, isId: true),
            Member<Person, string>("Name", "name", text, p => p.Name),
            Member<Person, int>("Age", "age", int32, p => p.Age),
            Member<Person, int?>("Score", "score", nullableInt, p => p.Score),
            Member<Person, bool>("Active", "active", boolean, p => p.Active),
            Member<Person, Color>("Favorite", "fav", color, p => p.Favorite),
            Member<Person, Address>("Home", "home", address, p => p.Home),
            Member<Person, List<string>>("Tags", "tags", tags, p => p.Tags),
            Member<Person, List<Item>>("Items", "items", items, p => p.Items),
            Member<Person, int[]>("Nums", "nums", nums, p => p.Nums),
            Member<Person, DateTime>("Born", "born", date, p => p.Born),
        ]);
        _infos[typeof(Person)] = person;
        _infos[typeof(Address)] = address;
        _infos[typeof(Item)] = item;
    }

    public BsonTypeInfo? GetTypeInfo(Type type) => _infos.GetValueOrDefault(type);

    private static BsonTypeInfo<T> Object<T>(Func<BsonMemberInfo[]> members)
    {
        BsonTypeInfo<T> info = null!;
        info = BsonMetadataServices.CreateObjectInfo(Options, new BsonObjectInfoValues<T>
        {
            MembersFactory = members,
            FastPathSerializer = new DomSerializer<T>(value =>
            {
                var document = new BsonDocument();
                foreach (var member in info.Members)
                {
                    document.Add(member.ElementName, member.MemberTypeInfo.ToBsonValue(member.GetValue(value!)));
                }

                return document;
            }),
        });
        return info;
    }

    private static BsonMemberInfo Member<TDeclaring, TMember>(string name, string element, BsonTypeInfo<TMember> type, Func<TDeclaring, TMember> getter, bool isId = false) =>
        BsonMetadataServices.CreateMemberInfo(new BsonMemberInfoValues<TDeclaring, TMember>
        {
            Name = name,
            ElementName = element,
            TypeInfo = type,
            Getter = getter,
            IsId = isId,
        });

    /// <summary>Writes through the DOM: enough for rendering values (the tests never decode through these).</summary>
    private sealed class DomSerializer<T>(Func<T, BsonValue> encode) : IBsonSerializer<T>
    {
        public void Serialize(BsonWriter writer, T value) => writer.WriteValue(value is null ? BsonNull.Value : encode(value));

        public T Deserialize(ref BsonReader reader) => throw new NotSupportedException("Test models only encode.");
    }
}
