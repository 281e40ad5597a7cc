using System.Collections.Concurrent;
using System.Text.Json;
using Mongo.Testing;
using Xunit;

namespace Mongo.Bson.Tests.Corpus;

/// <summary>
/// Loads the bson-corpus spec files (<c>bson-corpus/tests/*.json</c>) and turns their cases into theory rows
/// (file name, case index, description). When the spec data is absent a single sentinel row is produced so the
/// theory skips with <see cref="SpecData.MissingReason"/> instead of failing for lack of data.
/// </summary>
internal static class CorpusData
{
    public const string Folder = "bson-corpus/tests";
    public const string Absent = "<spec data absent>";

    private static readonly ConcurrentDictionary<string, JsonDocument> s_files = new(StringComparer.Ordinal);

    /// <summary>Rows for every case in the given section (<c>valid</c>, <c>decodeErrors</c>, <c>parseErrors</c>) of the files accepted by <paramref name="fileFilter"/>.</summary>
    public static TheoryData<string, int, string> Cases(string section, Func<string, bool>? fileFilter = null)
    {
        var data = new TheoryData<string, int, string>();
        var files = SpecData.Files(Folder);
        if (files.Count == 0)
        {
            data.Add(Absent, -1, SpecData.MissingReason);
            return data;
        }

        foreach (string path in files)
        {
            string file = Path.GetFileName(path);
            if (fileFilter is not null && !fileFilter(file))
            {
                continue;
            }

            if (Load(file).RootElement.TryGetProperty(section, out JsonElement cases))
            {
                int index = 0;
                foreach (JsonElement testCase in cases.EnumerateArray())
                {
                    data.Add(file, index++, testCase.GetProperty("description").GetString() ?? "");
                }
            }
        }

        if (data.Count == 0)
        {
            // Keep the theory runnable (and visibly skipped) when no file has this section.
            data.Add(Absent, -1, $"no bson-corpus file has a '{section}' section");
        }

        return data;
    }

    /// <summary>The parsed corpus file (cached).</summary>
    public static JsonDocument Load(string file) =>
        s_files.GetOrAdd(file, static f =>
        {
            string folder = SpecData.Folder(Folder) ?? throw new InvalidOperationException(SpecData.MissingReason);
            return JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, f)));
        });

    /// <summary>One case of a file's section, after skipping when the data is absent.</summary>
    public static JsonElement Case(string file, string section, int index)
    {
        Skip.If(file == Absent, SpecData.MissingReason);
        return Load(file).RootElement.GetProperty(section)[index];
    }

    /// <summary>A string property of a case, or null when absent.</summary>
    public static string? Text(this JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) ? value.GetString() : null;

    /// <summary>A boolean property of a case, false when absent.</summary>
    public static bool Flag(this JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.True;

    /// <summary>Decodes the corpus' uppercase hex strings.</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex);
}
