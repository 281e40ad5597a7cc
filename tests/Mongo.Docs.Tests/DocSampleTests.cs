using Xunit.Abstractions;

namespace Mongo.Docs.Tests;

public sealed class DocSampleTests(ITestOutputHelper output)
{
    private static readonly string s_root = DocSample.RepositoryRoot();

    /// <summary>The pages docs/ must have (the README links them); each must hold compiled C#.</summary>
    private static readonly string[] s_pages =
    [
        "getting-started", "typed-documents", "queries-and-updates", "transactions", "gridfs", "testing-with-inmemory",
        "native-aot", "migrating-from-the-official-driver", "dependency-injection",
    ];

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string file in DocSample.Files(s_root))
        {
            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryCSharpBlockCompiles(string file)
    {
        var samples = DocSample.Read(s_root, file);
        var errors = new List<string>();
        foreach (var sample in samples)
        {
            if (sample.SkipReason is not null)
            {
                output.WriteLine($"{file}:{sample.Line}: not compiled ({sample.SkipReason})");
                continue;
            }

            errors.AddRange(DocSampleCompiler.Errors(sample));
        }

        output.WriteLine($"{file}: {samples.Count(s => s.SkipReason is null)} block(s) compiled");
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void EveryDocsPageExistsAndHasCompiledCSharp()
    {
        foreach (string page in s_pages)
        {
            string file = "docs/" + page + ".md";
            Assert.True(File.Exists(Path.Combine(s_root, file)), file + " is missing");
            Assert.Contains(DocSample.Read(s_root, file), s => s.SkipReason is null);
        }
    }

    [Fact]
    public void ABrokenSampleIsReported()
    {
        // The checker itself: a sample calling a method that does not exist must fail, naming the line.
        var sample = new DocSample("docs/x.md", 10, "using Mongo.Driver;\nvar c = new MongoClient(\"mongodb://h\");\nc.NoSuchMethod();\n", null);
        var error = Assert.Single(DocSampleCompiler.Errors(sample));
        Assert.StartsWith("docs/x.md:12: CS1061", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TheGeneratorRunsOnSamples()
    {
        var sample = new DocSample("docs/x.md", 1, """
            using Mongo.Bson.Serialization;
            var info = AppBson.Default;
            Console.WriteLine(info);
            public sealed record Point(int X, int Y);
            [BsonSerializable(typeof(Point))]
            public partial class AppBson : BsonSerializerContext { }
            """, null);
        Assert.Empty(DocSampleCompiler.Errors(sample));
    }
}
