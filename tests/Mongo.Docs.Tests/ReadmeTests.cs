using System.Text.RegularExpressions;
using Mongo.InMemory;

namespace Mongo.Docs.Tests;

public sealed partial class ReadmeTests
{
    private static readonly string s_root = DocSample.RepositoryRoot();

    [Fact]
    public async Task TheQuickstartPrintsWhatTheReadmeShows()
    {
        string readme = File.ReadAllText(Path.Combine(s_root, "README.md"));
        var block = Regex.Match(readme, "It prints[^\\n]*\\n\\n```text\\n(.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "README.md has no ```text block after 'It prints'");

        await using var server = await InMemoryMongoServer.StartAsync();
        var output = new StringWriter();
        await Quickstart.Program.RunAsync(server.ConnectionString, output);

        Assert.Equal(Normalize(block.Groups[1].Value), Normalize(output.ToString()));
    }

    [Fact]
    public void TheReadmesProcessModeCommandNamesTheToolProject()
    {
        // `dotnet run --project X` works only for a single-target executable project: check what the README names is one.
        string readme = File.ReadAllText(Path.Combine(s_root, "README.md"));
        var command = Regex.Match(readme, "dotnet run --project (src/[A-Za-z.]+) -- --port");
        Assert.True(command.Success, "README.md shows no process-mode command");
        string project = Path.Combine(s_root, command.Groups[1].Value);
        string csproj = File.ReadAllText(Assert.Single(Directory.GetFiles(project, "*.csproj")));
        Assert.Contains("<OutputType>Exe</OutputType>", csproj, StringComparison.Ordinal);
        Assert.Matches("<TargetFramework>net[0-9.]+</TargetFramework>", csproj);
        Assert.Contains("<TargetFrameworks></TargetFrameworks>", csproj, StringComparison.Ordinal);
    }

    /// <summary>ObjectIds differ on every run; line endings and trailing blanks do not matter.</summary>
    private static string Normalize(string text) =>
        ObjectIdHex().Replace(text.Replace("\r\n", "\n", StringComparison.Ordinal), "<id>").Trim();

    [GeneratedRegex("[0-9a-f]{24}")]
    private static partial Regex ObjectIdHex();
}
