using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Mongo.Bson.Generators.Tests.Generator;

/// <summary>Edits that do not change a context's model do not regenerate it.</summary>
public class IncrementalTests
{
    private const string Context = """
        using Mongo.Bson.Serialization;
        public class Model { public int A { get; set; } public string B { get; set; } = ""; }
        [BsonSerializable(typeof(Model))]
        public partial class Ctx : BsonSerializerContext { }
        public static class Unrelated { public static int Value() => 1; }
        """;

    [Fact]
    public void A_new_unrelated_file_leaves_the_output_cached()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(Context);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public class Other { }", GeneratorHarness.ParseOptions, path: "Other.cs")));
        AssertNothingRegenerated(driver.GetRunResult());
    }

    [Fact]
    public void An_unrelated_edit_in_the_context_file_gives_an_equal_model_and_no_new_output()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(Context);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(compilation);
        SyntaxTree old = compilation.SyntaxTrees.Single();
        SyntaxTree edited = old.WithChangedText(old.GetText().Replace(Context.IndexOf("=> 1", StringComparison.Ordinal), 4, "=> 2"));
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, edited));
        AssertNothingRegenerated(driver.GetRunResult());
    }

    [Fact]
    public void Changing_the_model_regenerates()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(Context);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(compilation);
        SyntaxTree old = compilation.SyntaxTrees.Single();
        SyntaxTree edited = old.WithChangedText(old.GetText().Replace(Context.IndexOf("public int A", StringComparison.Ordinal), 12, "public long A"));
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, edited));
        IncrementalStepRunReason reason = driver.GetRunResult().Results[0].TrackedSteps[BsonSerializerGenerator.ModelStep].Single().Outputs.Single().Reason;
        Assert.Equal(IncrementalStepRunReason.Modified, reason);
        Assert.Contains("BsonTypeInfo<long>", driver.GetRunResult().GeneratedTrees.Single().ToString(), StringComparison.Ordinal);
    }

    private static void AssertNothingRegenerated(GeneratorDriverRunResult run)
    {
        GeneratorRunResult result = run.Results[0];
        IncrementalStepRunReason[] model = result.TrackedSteps[BsonSerializerGenerator.ModelStep].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
        Assert.NotEmpty(model);
        Assert.All(model, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"model step was {r}"));
        IncrementalStepRunReason[] outputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output step was {r}"));
    }
}
