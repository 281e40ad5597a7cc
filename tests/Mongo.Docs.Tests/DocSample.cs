using System.Text;

namespace Mongo.Docs.Tests;

/// <summary>One fenced <c>```csharp</c> block of a Markdown file.</summary>
public sealed record DocSample(string File, int Line, string Code, string? SkipReason)
{
    /// <summary>The Markdown files whose C# blocks must compile: docs/, the repository README and each package README.</summary>
    public static IEnumerable<string> Files(string root) =>
        Directory.GetFiles(Path.Combine(root, "docs"), "*.md")
            .Append(Path.Combine(root, "README.md"))
            .Concat(Directory.GetFiles(Path.Combine(root, "src"), "README.md", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// The C# blocks of a file. A block right after a line <c>&lt;!-- not compiled: reason --&gt;</c> is returned with
    /// that reason (a fragment that cannot stand alone, e.g. one that needs ASP.NET Core); every other block must
    /// compile on its own.
    /// </summary>
    public static List<DocSample> Read(string root, string file)
    {
        string[] lines = System.IO.File.ReadAllLines(Path.Combine(root, file));
        var samples = new List<DocSample>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }

            string? skip = null;
            if (i > 0 && lines[i - 1].Trim() is var previous && previous.StartsWith("<!-- not compiled:", StringComparison.Ordinal))
            {
                skip = previous["<!-- not compiled:".Length..].TrimEnd('-', '>', ' ').Trim();
            }

            int start = i + 1;
            var code = new StringBuilder();
            for (i = start; i < lines.Length && lines[i].Trim() != "```"; i++)
            {
                code.AppendLine(lines[i]);
            }

            if (i >= lines.Length)
            {
                throw new InvalidOperationException($"{file}:{start}: a ```csharp block is not closed.");
            }

            samples.Add(new DocSample(file, start, code.ToString(), skip));
        }

        return samples;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Mongo.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Mongo.sln not found above " + AppContext.BaseDirectory);
    }
}
