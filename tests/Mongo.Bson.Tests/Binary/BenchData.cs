using System.Formats.Tar;
using System.IO.Compression;
using Mongo.Testing;
using O = MongoDB.Bson;

namespace Mongo.Bson.Tests.Binary;

/// <summary>The driver benchmark documents (Extended JSON in the shared tarball), encoded to BSON by the official library.</summary>
internal static class BenchData
{
    private static readonly Lazy<Dictionary<string, byte[]>?> s_documents = new(LoadAll);

    public static byte[]? Load(string name) =>
        s_documents.Value is { } docs && docs.TryGetValue(name, out byte[]? bytes) ? bytes : null;

    private static Dictionary<string, byte[]>? LoadAll()
    {
        // Beside the repository, or beside the spec data when MONGO_SPECS_DIR points elsewhere (worktrees).
        string? folder = SpecData.BenchDataFolder
            ?? (SpecData.Root is { } specs ? Path.GetFullPath(Path.Combine(specs, "..", "bench-data")) : null);
        string? tgz = folder is null ? null : Path.Combine(folder, "extended_bson.tgz");
        if (tgz is null || !File.Exists(tgz))
        {
            return null;
        }

        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var file = File.OpenRead(tgz);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null || !entry.Name.EndsWith(".json", StringComparison.Ordinal))
            {
                continue;
            }

            // leaveOpen: the tar reader skips past the entry's stream itself, and on .NET 8 it fails on a disposed one.
            using var text = new StreamReader(entry.DataStream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: -1, leaveOpen: true);
            var doc = O.BsonDocument.Parse(text.ReadToEnd());
            result[Path.GetFileName(entry.Name)] = O.BsonExtensionMethods.ToBson(doc);
        }

        return result;
    }
}
