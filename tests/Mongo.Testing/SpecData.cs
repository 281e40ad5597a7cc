namespace Mongo.Testing;

/// <summary>
/// Locates MongoDB's specification test data at run time: <c>MONGO_SPECS_DIR</c> if set, else
/// <c>../shared/specs</c> beside the repository root. Tests skip with this class's reason when it is absent.
/// </summary>
public static class SpecData
{
    private static readonly Lazy<string?> s_root = new(FindRoot);

    /// <summary>The spec data root, or null when it cannot be found.</summary>
    public static string? Root => s_root.Value;

    /// <summary>Why spec-driven tests are skipped, when they are.</summary>
    public static string MissingReason =>
        "MongoDB spec data not found: set MONGO_SPECS_DIR or place it at ../shared/specs beside the repository root";

    /// <summary>The repository root (the folder holding Mongo.sln), found by walking up from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>A folder under the spec root (e.g. <c>bson-corpus/tests</c>), or null when absent.</summary>
    public static string? Folder(string relative)
    {
        if (Root is null)
        {
            return null;
        }

        string path = Path.Combine(Root, relative);
        return Directory.Exists(path) ? path : null;
    }

    /// <summary>The JSON files of a spec folder, sorted; empty when the data is absent.</summary>
    public static IReadOnlyList<string> Files(string relative, string pattern = "*.json")
    {
        string? folder = Folder(relative);
        if (folder is null)
        {
            return [];
        }

        var files = Directory.GetFiles(folder, pattern, SearchOption.TopDirectoryOnly);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>The shared benchmark data folder (<c>../shared/bench-data</c>), or null when absent.</summary>
    public static string? BenchDataFolder
    {
        get
        {
            string path = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "bench-data"));
            return Directory.Exists(path) ? path : null;
        }
    }

    private static string? FindRoot()
    {
        string? env = Environment.GetEnvironmentVariable("MONGO_SPECS_DIR");
        string path = !string.IsNullOrWhiteSpace(env)
            ? Path.GetFullPath(env, RepositoryRoot)
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "specs"));
        return Directory.Exists(path) ? path : null;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mongo.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
