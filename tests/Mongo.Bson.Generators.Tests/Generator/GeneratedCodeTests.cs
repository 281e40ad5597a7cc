using Mongo.Bson.Serialization;
using Xunit;

namespace Mongo.Bson.Generators.Tests.Generator;

/// <summary>The generated code compiles with nullable enabled and every warning an error, and has the documented shape.</summary>
public class GeneratedCodeTests
{
    private const string Shapes = """
        using System;
        using Mongo.Bson;
        using Mongo.Bson.Serialization;

        namespace App.Models
        {
            public class Person
            {
                public ObjectId Id { get; set; }
                public string Name { get; set; } = "";
                public string? Nickname { get; set; }
                public int Age { get; set; }
                public long Visits;
                public double Score { get; set; }
                public bool Active { get; set; }
                public decimal Balance { get; set; }
                public DateTime Born { get; set; }
                public Guid Key { get; set; }
                public Address Home { get; set; }
                public BsonDocument? Meta { get; set; }
                [BsonIgnoreIfNull] public string? Optional { get; set; }
                [BsonIgnoreIfDefault] public int Zero { get; set; }
                [BsonRequired, BsonElement("must")] public int Must { get; set; }
                [BsonElement] private int _secret;
                [BsonElement] internal int Hidden { get; private set; }
                [BsonExtraElements] public BsonDocument? Extra { get; set; }
                public int Secret() => _secret;
                public void SetSecret(int value) => _secret = value;
            }

            public struct Address
            {
                public string Street;
                public string? City { get; init; }
            }

            public record Point(int X, int Y = 3);

            public class Needs
            {
                public required string Name { get; init; }
                public int Count { get; init; } = 7;
            }

            [BsonKnownTypes(typeof(Cat))]
            public abstract class Animal { public string Name { get; set; } = ""; }

            [BsonDiscriminator("cat")]
            public sealed class Cat : Animal { public int Lives { get; set; } }

            public class Holder { public Animal? Pet { get; set; } public Holder? Next { get; set; } public string @event { get; set; } = ""; public int @class; }
        }

        namespace App
        {
            public static partial class Outer
            {
                [BsonSourceGenerationOptions(NamingConvention = BsonNamingConvention.CamelCase, UnknownElementHandling = BsonUnknownElementHandling.Error)]
                [BsonSerializable(typeof(App.Models.Person))]
                [BsonSerializable(typeof(App.Models.Point))]
                [BsonSerializable(typeof(App.Models.Needs))]
                [BsonSerializable(typeof(App.Models.Holder))]
                internal partial class AppBson : BsonSerializerContext
                {
                }
            }
        }
        """;

    [Fact]
    public void Generated_code_compiles_without_any_diagnostic()
    {
        var (generator, compilation, run) = GeneratorHarness.Run(Shapes);
        Assert.Empty(generator);
        Assert.Empty(compilation);
        Assert.Single(run.GeneratedTrees);
        Assert.EndsWith("App.Outer.AppBson.g.cs", run.GeneratedTrees[0].FilePath, StringComparison.Ordinal);
    }

    [Fact]
    public void Context_has_Default_a_property_per_reached_type_and_GetTypeInfo()
    {
        var (_, _, run) = GeneratorHarness.Run(Shapes);
        string code = run.GeneratedTrees[0].ToString();
        Assert.Contains("public static AppBson Default =>", code, StringComparison.Ordinal);
        Assert.Contains("public AppBson()", code, StringComparison.Ordinal);
        Assert.Contains("public override global::Mongo.Bson.Serialization.BsonTypeInfo? GetTypeInfo(global::System.Type type)", code, StringComparison.Ordinal);
        foreach (string property in new[] { "Person", "Address", "Point", "Needs", "Holder", "Animal", "Cat", "ObjectId", "String", "Int32", "BsonDocument" })
        {
            Assert.Contains($"BsonTypeInfo<", code, StringComparison.Ordinal);
            Assert.Matches($@"public global::Mongo\.Bson\.Serialization\.BsonTypeInfo<[^>]+> {property} =>", code);
        }

        // Names are matched as UTF-8 literals, never as strings; the elements follow the naming convention.
        Assert.Contains("\"nickname\"u8", code, StringComparison.Ordinal);
        Assert.Contains("\"must\"u8", code, StringComparison.Ordinal);
        Assert.DoesNotContain("GetName() ==", code, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Reflection", code, StringComparison.Ordinal);
    }

    [Fact]
    public void Context_in_the_global_namespace_and_a_file_without_nullable_compile()
    {
        const string source = """
            #nullable disable
            using Mongo.Bson.Serialization;
            public class Thing { public string Name { get; set; } public int Count { get; set; } }
            [BsonSerializable(typeof(Thing))]
            public partial class GlobalBson : BsonSerializerContext { }
            """;
        var (generator, compilation, _) = GeneratorHarness.Run(source);
        Assert.Empty(generator);
        Assert.Empty(compilation);
    }

    [Fact]
    public void Context_nested_in_a_record_compiles()
    {
        const string source = """
            using Mongo.Bson.Serialization;
            namespace N;
            public class Thing { public int Count { get; set; } }
            public partial record Holder(int X)
            {
                [BsonSerializable(typeof(Thing))]
                internal partial class InnerBson : BsonSerializerContext { }
            }
            """;
        var (generator, compilation, run) = GeneratorHarness.Run(source);
        Assert.Empty(generator);
        Assert.Empty(compilation);
        Assert.EndsWith("N.Holder.InnerBson.g.cs", run.GeneratedTrees[0].FilePath, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Id", BsonNamingConvention.CamelCase)]
    [InlineData("URLValue", BsonNamingConvention.CamelCase)]
    [InlineData("already", BsonNamingConvention.CamelCase)]
    [InlineData("HTTPServer2Name", BsonNamingConvention.SnakeCaseLower)]
    [InlineData("FirstName", BsonNamingConvention.SnakeCaseLower)]
    [InlineData("ABC", BsonNamingConvention.SnakeCaseLower)]
    [InlineData("X", BsonNamingConvention.AsDeclared)]
    public void Generator_naming_rules_equal_the_runtime_rules(string name, BsonNamingConvention convention) =>
        Assert.Equal(BsonNaming.Convert(name, convention), Naming.Convert(name, (int)convention));
}
