using System.Collections.Immutable;
using Mongo.Bson.Serialization;
using Xunit;

namespace Mongo.Bson.Tests.Typed;

/// <summary>Shapes where we differ from the official defaults on purpose (rule 7) or that it cannot describe: our own round trips.</summary>
public class TypedRoundTripTests
{
    private static T RoundTrip<T>(T value, out string json)
    {
        BsonTypeInfo<T> info = TypedDifferentialTests.Ours.GetTypeInfo<T>();
        byte[] bytes = BsonSerializer.Serialize(value, info);
        json = TypedDifferentialTests.Json(bytes);
        return BsonSerializer.Deserialize(bytes, info);
    }

    [Fact]
    public void Interface_typed_immutables_and_memory_are_plain_arrays_and_documents()
    {
        var back = RoundTrip(new InterfaceImmutables
        {
            IList = ImmutableList.Create(1, 2),
            IDictionary = ImmutableDictionary<string, string>.Empty.Add("a", "b"),
            Memory = new byte[] { 1, 2, 3 },
        }, out string json);
        Assert.Equal("""{"IList":[1,2],"IDictionary":{"a":"b"},"Memory":{"$binary":{"base64":"AQID","subType":"00"}}}""", json);
        Assert.Equal([1, 2], back.IList);
        Assert.Equal("b", back.IDictionary["a"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, back.Memory.ToArray());
    }

    [Fact]
    public void DateTime_kinds_are_written_as_utc_and_read_as_utc()
    {
        var local = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Local);
        var back = RoundTrip(new Times { When = local, MaybeWhen = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified) }, out _);
        Assert.Equal(DateTimeKind.Utc, back.When.Kind);
        Assert.Equal(local.ToUniversalTime(), back.When);
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), back.MaybeWhen);
    }

    [Fact]
    public void Uint_above_int_max_is_written_as_int64()
    {
        var back = RoundTrip(new Numbers { UInt32 = uint.MaxValue }, out string json);
        Assert.Contains("\"UInt32\":4294967295", json);
        Assert.Equal(uint.MaxValue, back.UInt32);
    }

    [Fact]
    public void Unknown_elements_are_ignored_by_default_and_duplicates_last_wins()
    {
        byte[] bytes = new BsonDocument { { "Name", "a" }, { "Extra", new BsonDocument("x", 1) }, { "Name", "b" } }.ToBytes();
        Person person = BsonSerializer.Deserialize(bytes, TypedDifferentialTests.Ours.GetTypeInfo<Person>());
        Assert.Equal("b", person.Name);
    }

    [Fact]
    public void Extra_elements_as_bson_document_round_trip()
    {
        byte[] bytes = new BsonDocument { { "_id", 1 }, { "Known", "k" }, { "other", new BsonArray { 1, 2 } } }.ToBytes();
        var info = TypedDifferentialTests.Ours.GetTypeInfo<WithExtras>();
        WithExtras value = BsonSerializer.Deserialize(bytes, info);
        Assert.Equal("k", value.Known);
        Assert.Equal(new BsonArray { 1, 2 }, value.Rest!["other"]);
        Assert.Equal(bytes, BsonSerializer.Serialize(value, info));
    }

    [Fact]
    public void Model_exposes_members_for_builders()
    {
        BsonTypeInfo info = TypedDifferentialTests.Camel.GetTypeInfo<CamelPoco>();
        Assert.Equal(BsonTypeInfoKind.Object, info.Kind);
        Assert.Equal("firstName", info.GetMember("FirstName")!.ElementName);
        Assert.Equal("postCode", info.GetMember("HomeAddress")!.MemberTypeInfo.GetMember("PostCode")!.ElementName);
        Assert.Equal("_id", TypedDifferentialTests.Ours.GetTypeInfo<Policies>().IdMember!.ElementName);
        Assert.Equal(BsonTypeInfoKind.Collection, TypedDifferentialTests.Ours.GetTypeInfo<Person>().GetMember("Tags")!.MemberTypeInfo.Kind);
    }

    [Fact]
    public void Default_resolver_serializes_any_poco()
    {
        Person person = TypedDifferentialTests.SamplePerson();
        byte[] bytes = BsonSerializer.Serialize(person);
        Assert.Equal("Ada", BsonSerializer.Deserialize<Person>(bytes).Name);
        Assert.Same(BsonTypeInfoResolver.Default.GetTypeInfo(typeof(Person)), BsonTypeInfoResolver.Default.GetTypeInfo(typeof(Person)));
    }

    [Fact]
    public void Unsupported_representation_names_the_combination()
    {
        var ex = Assert.Throws<ArgumentException>(() => BsonSerializers.WithRepresentation<Guid>(BsonType.Int32));
        Assert.Contains("System.Guid", ex.Message);
        Assert.Contains("Int32", ex.Message);
    }

    [Fact]
    public void Generic_factories_compose()
    {
        var serializer = BsonSerializers.Dictionary<Dictionary<string, int?[]>, int?[]>(
            BsonSerializers.Array(BsonSerializers.Nullable(BsonSerializers.Int32)), d => d);
        var info = BsonMetadataServices.CreateValueInfo(BsonSerializerOptions.Default, serializer);
        var value = new Dictionary<string, int?[]> { ["a"] = [1, null] };
        byte[] bytes = BsonSerializer.Serialize(value, info);
        Assert.Equal("""{"a":[1,null]}""", TypedDifferentialTests.Json(bytes));
        Assert.Equal(value["a"], BsonSerializer.Deserialize(bytes, info)["a"]);
        Assert.Equal(Status.Suspended, BsonSerializer.Deserialize(
            new BsonDocument("v", "Suspended").ToBytes(),
            BsonMetadataServices.CreateValueInfo(BsonSerializerOptions.Default, BsonSerializers.Dictionary<Dictionary<string, Status>, Status>(BsonSerializers.Enum<Status>(BsonEnumRepresentation.String), d => d)))["v"]);
    }

    [Fact]
    public void Interface_with_known_types_and_options_for_enums_and_names()
    {
        var resolver = new BsonReflectionResolver(new BsonSerializerOptions { EnumRepresentation = BsonEnumRepresentation.String, NamingConvention = BsonNamingConvention.SnakeCaseLower });
        var info = resolver.GetTypeInfo<Drawing>();
        var drawing = new Drawing { Shapes = [new Circle { Radius = 1 }, new Square { Side = 2 }], Origin = new Coordinates(1, 2), Span = new Range(3, 4), Status = Status.Suspended };
        byte[] bytes = BsonSerializer.Serialize(drawing, info);
        Assert.Equal(
            """{"shapes":[{"_t":"Circle","radius":1.0},{"_t":"Square","side":2.0}],"origin":{"latitude":1.0,"longitude":2.0},"span":{"from":3,"to":4},"status":"Suspended"}""",
            TypedDifferentialTests.Json(bytes));
        Drawing back = BsonSerializer.Deserialize(bytes, info);
        Assert.Equal(2, Assert.IsType<Square>(back.Shapes[1]).Side);
        Assert.Equal((1.0, 2.0), (back.Origin.Latitude, back.Origin.Longitude));
        Assert.Equal(new Range(3, 4), back.Span);
        Assert.Equal(Status.Suspended, back.Status);

        // An interface cannot be created: a document without _t is an error naming the type.
        var ex = Assert.Throws<BsonSerializationException>(() => BsonSerializer.Deserialize(new BsonDocument("radius", 1.0).ToBytes(), resolver.GetTypeInfo<IShape>()));
        Assert.Equal(typeof(IShape), ex.ClrType);
    }

    public class WithExtras
    {
        public int Id { get; set; }

        public string? Known { get; set; }

        [BsonExtraElements]
        public BsonDocument? Rest { get; set; }
    }
}
