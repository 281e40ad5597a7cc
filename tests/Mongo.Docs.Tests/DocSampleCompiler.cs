using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Mongo.Bson.Generators;

namespace Mongo.Docs.Tests;

/// <summary>Compiles a sample the way a user's project would: implicit usings, the BSON generator, the libraries referenced.</summary>
internal static class DocSampleCompiler
{
    private static readonly CSharpParseOptions s_parse = new(LanguageVersion.Latest);

    // The SDK's implicit usings of a console app (what a sample may leave out).
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
    {
        // The runtime's assemblies, then every assembly beside the tests (Mongo.*, Microsoft.Extensions.*), by file name.
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string path in ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator))
        {
            byName[Path.GetFileName(path)] = path;
        }

        foreach (string path in Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
        {
            string name = Path.GetFileName(path);
            if (!name.StartsWith("Mongo.Docs.Tests", StringComparison.Ordinal))
            {
                byName[name] = path;
            }
        }

        return [.. byName.Values.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });

    /// <summary>The errors of the sample's compilation (none when it compiles), with lines of the Markdown file.</summary>
    public static IReadOnlyList<string> Errors(DocSample sample)
    {
        var tree = CSharpSyntaxTree.ParseText(sample.Code, s_parse, path: sample.File);
        // A program when it has top-level statements; otherwise (a test class, say) a library.
        var kind = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax>().Any()
            ? OutputKind.ConsoleApplication
            : OutputKind.DynamicallyLinkedLibrary;
        var compilation = CSharpCompilation.Create(
            "DocSample",
            [tree, CSharpSyntaxTree.ParseText(ImplicitUsings, s_parse, path: "ImplicitUsings.cs")],
            s_references.Value,
            new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create([new BsonSerializerGenerator().AsSourceGenerator()], parseOptions: s_parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);
        return generatorDiagnostics.Concat(generated.GetDiagnostics())
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.Location.SourceTree == tree
                ? $"{sample.File}:{sample.Line + d.Location.GetLineSpan().StartLinePosition.Line}: {d.Id} {d.GetMessage()}"
                : $"{sample.File}:{sample.Line}: {d}")
            .ToList();
    }
}
