using Microsoft.CodeAnalysis;
using Xunit;

namespace Mongo.Bson.Generators.Tests.Generator;

/// <summary>Each diagnostic fires once, at the code the user must change, with a message that says what to change.</summary>
public class DiagnosticTests
{
    private const string Usings = "using System; using System.Collections.Generic; using Mongo.Bson; using Mongo.Bson.Serialization;\n";

    [Theory]
    [InlineData("public Dictionary<int, string> ByNumber { get; set; } = new();", "ByNumber", "keys must be strings")]
    [InlineData("public int[,] Grid { get; set; } = new int[1, 1];", "Grid", "multi-dimensional")]
    [InlineData("public Action? Callback { get; set; }", "Callback", "delegates")]
    [InlineData("public unsafe int* Pointer;", "Pointer", "pointers")]
    [InlineData("public IntPtr Handle { get; set; }", "Handle", "native-sized")]
    public void Unsupported_member_type_points_at_the_member(string member, string name, string why)
    {
        Diagnostic diagnostic = Single(Usings + "public class Model { " + member + " }\n[BsonSerializable(typeof(Model))] public partial class Ctx : BsonSerializerContext { }", "MONGOGEN001", name);
        Assert.Contains(why, diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("[BsonIgnore]", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Context_not_partial()
    {
        Diagnostic diagnostic = Single(Usings + "public class M { public int A { get; set; } }\n[BsonSerializable(typeof(M))] public class Ctx : BsonSerializerContext { public Ctx() : base(null) { } public override BsonTypeInfo? GetTypeInfo(Type type) => null; }", "MONGOGEN002", "Ctx");
        Assert.Contains("partial", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Context_not_deriving_from_BsonSerializerContext() =>
        Single(Usings + "public class M { public int A { get; set; } }\n[BsonSerializable(typeof(M))] public partial class Ctx { }", "MONGOGEN003", "Ctx");

    [Theory]
    [InlineData("[BsonRepresentation(BsonType.Boolean)] public int Count { get; set; }", "Count")]
    [InlineData("[BsonRepresentation(BsonType.Int32)] public ObjectId Ref { get; set; }", "Ref")]
    [InlineData("[BsonRepresentation(BsonType.String)] public Inner? Nested { get; set; }", "Nested")]
    public void Unsupported_representation_points_at_the_member(string member, string name)
    {
        Diagnostic diagnostic = Single(Usings + "public class Inner { public int A { get; set; } }\npublic class Model { " + member + " }\n[BsonSerializable(typeof(Model))] public partial class Ctx : BsonSerializerContext { }", "MONGOGEN004", name);
        Assert.Contains("Supported:", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void No_usable_constructor_points_at_the_type()
    {
        Diagnostic diagnostic = Single(Usings + "public class Model { public Model(int a) { A = a; } public Model(string b) { } public int A { get; } }\n[BsonSerializable(typeof(Model))] public partial class Ctx : BsonSerializerContext { }", "MONGOGEN005", "Model");
        Assert.Contains("[BsonConstructor]", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_parameter_without_a_member_points_at_the_parameter() =>
        Single(Usings + "public class Model { public Model(int unknown) { } public int A { get; set; } }\n[BsonSerializable(typeof(Model))] public partial class Ctx : BsonSerializerContext { }", "MONGOGEN005", "unknown");

    [Fact]
    public void Known_type_not_derived_points_at_the_attribute() =>
        Single(Usings + "[BsonKnownTypes(typeof(Other))] public class Base { public int A { get; set; } }\npublic class Other { }\n[BsonSerializable(typeof(Base))] public partial class Ctx : BsonSerializerContext { }", "MONGOGEN006", "BsonKnownTypes(typeof(Other))");

    [Fact]
    public void Duplicate_element_name_points_at_the_second_member()
    {
        Diagnostic diagnostic = Single(Usings + "public class Model { public int A { get; set; } [BsonElement(\"A\")] public int B { get; set; } }\n[BsonSerializable(typeof(Model))] public partial class Ctx : BsonSerializerContext { }", "MONGOGEN007", "B");
        Assert.Contains("'A'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Inaccessible_member_type_points_at_the_member() =>
        Single(Usings + "public class Model { private sealed class Secret { public int A { get; set; } } [BsonElement] private Secret? _hidden; public bool Has => _hidden is not null; }\n[BsonSerializable(typeof(Model))] public partial class Ctx : BsonSerializerContext { }", "MONGOGEN008", "_hidden");

    [Fact]
    public void Init_only_member_of_a_generic_type_points_at_the_member() =>
        Single(Usings + "public class Wrapper<T> { public T? Value { get; init; } }\npublic class Model { public Wrapper<int>? W { get; set; } }\n[BsonSerializable(typeof(Model))] public partial class Ctx : BsonSerializerContext { }", "MONGOGEN009", "Value");

    [Fact]
    public void Non_public_member_of_a_generic_type_points_at_the_member() =>
        Single(Usings + "public class Wrapper<T> { [BsonElement] private int _count; public int Count => _count; public T? Value { get; set; } }\n[BsonSerializable(typeof(Wrapper<string>))] public partial class Ctx : BsonSerializerContext { }", "MONGOGEN009", "_count");

    [Fact]
    public void Settable_and_required_members_of_a_generic_type_need_no_accessor_and_compile_clean()
    {
        var (generator, compilation, _) = GeneratorHarness.Run(Usings + "public class Wrapper<T> { public T? Value { get; set; } public required string Name { get; init; } }\n[BsonSerializable(typeof(Wrapper<int>))] public partial class Ctx : BsonSerializerContext { }");
        Assert.Empty(generator);
        Assert.Empty(compilation.Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void A_context_with_errors_still_declares_Default_so_only_the_diagnostic_is_reported()
    {
        var (generator, compilation, _) = GeneratorHarness.Run(Usings + "public class Model { public Action? Callback { get; set; } }\n[BsonSerializable(typeof(Model))] public partial class Ctx : BsonSerializerContext { }\npublic static class Use { public static object Get() => Ctx.Default; }");
        Assert.Equal("MONGOGEN001", Assert.Single(generator).Id);
        Assert.Empty(compilation);
    }

    private static Diagnostic Single(string source, string id, string locationText)
    {
        var (generator, _, _) = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(generator);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);

        // The pipeline keeps locations as values (path and span) so its model stays equatable.
        FileLinePositionSpan lines = diagnostic.Location.GetLineSpan();
        Assert.Equal("Input0.cs", lines.Path);
        Assert.Equal(locationText, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        return diagnostic;
    }
}
