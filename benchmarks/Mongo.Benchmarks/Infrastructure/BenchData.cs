using System.Formats.Tar;
using System.IO.Compression;

namespace Mongo.Benchmarks.Infrastructure;

/// <summary>
/// Finds the benchmarking spec's data sets in ../shared/bench-data and extracts them once into a cache folder
/// (never into the repository).
/// </summary>
internal static class BenchData
{
    private static readonly object s_lock = new();

    /// <summary>The bench-data folder, or null when absent (e.g. on a user's machine).</summary>
    public static string? SourceFolder
    {
        get
        {
            string? env = Environment.GetEnvironmentVariable("MONGO_BENCH_DATA_DIR");
            if (!string.IsNullOrEmpty(env))
            {
                return Directory.Exists(env) ? env : null;
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Mongo.sln")))
                {
                    string path = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "bench-data"));
                    return Directory.Exists(path) ? path : null;
                }
            }

            return null;
        }
    }

    /// <summary>Extracts an archive (e.g. <c>extended_bson</c>) and returns the path of a file inside it.</summary>
    public static string GetFile(string archive, string relativePath)
    {
        string source = SourceFolder ?? throw new InvalidOperationException(
            "Benchmark data not found: place it at ../shared/bench-data or set MONGO_BENCH_DATA_DIR.");
        string cache = Path.Combine(Path.GetTempPath(), "mongo-bench-data", archive);
        string target = Path.Combine(cache, relativePath);
        lock (s_lock)
        {
            if (!File.Exists(target))
            {
                Directory.CreateDirectory(cache);
                using var file = File.OpenRead(Path.Combine(source, archive + ".tgz"));
                using var gzip = new GZipStream(file, CompressionMode.Decompress);
                using var tar = new TarReader(gzip);
                while (tar.GetNextEntry() is { } entry)
                {
                    if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    {
                        // Entries are "archive/name"; strip the leading folder and refuse anything that escapes the cache.
                        string name = entry.Name[(entry.Name.IndexOf('/', StringComparison.Ordinal) + 1)..];
                        string destination = Path.GetFullPath(Path.Combine(cache, name));
                        if (!destination.StartsWith(Path.GetFullPath(cache), StringComparison.Ordinal))
                        {
                            continue;
                        }

                        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                        entry.ExtractToFile(destination, overwrite: true);
                    }
                }
            }
        }

        return File.Exists(target) ? target : throw new FileNotFoundException($"{relativePath} not found in {archive}.tgz", target);
    }
}
