using System.Globalization;
using System.Text.Json;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Specs;

/// <summary>Loads the JSON spec files and compares expected JSON values with parsed results.</summary>
internal static class SpecJson
{
    /// <summary>Theory rows (file relative to the spec root, case index, description) for a folder of <c>{tests: [...]}</c> files.</summary>
    public static TheoryData<string, int, string> Cases(string folder)
    {
        var data = new TheoryData<string, int, string>();
        foreach (string file in SpecData.Files(folder))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            int i = 0;
            foreach (var test in doc.RootElement.GetProperty("tests").EnumerateArray())
            {
                data.Add(folder + "/" + Path.GetFileName(file), i++, test.GetProperty("description").GetString()!);
            }
        }

        if (data.Count == 0)
        {
            // Keeps the theory non-empty so the skip (with its reason) is visible when the data is absent.
            data.Add(folder + "/(missing)", -1, "spec data absent");
        }

        return data;
    }

    /// <summary>Theory rows (file relative to the spec root) for one-test-per-file folders.</summary>
    public static TheoryData<string> Files(params string[] folders)
    {
        var data = new TheoryData<string>();
        foreach (string folder in folders)
        {
            foreach (string file in SpecData.Files(folder))
            {
                data.Add(folder + "/" + Path.GetFileName(file));
            }
        }

        if (data.Count == 0)
        {
            data.Add("(missing)");
        }

        return data;
    }

    /// <summary>Skips when the data is absent or the case is on the skip list; returns the test case.</summary>
    public static JsonElement Load(string file, int index, string description)
    {
        Skip.If(SpecData.Root is null || index < 0, SpecData.MissingReason);
        string? reason = SpecSkips.Reason($"{file}: {description}");
        Skip.If(reason is not null, reason);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(SpecData.Root!, file)));
        return doc.RootElement.GetProperty("tests")[index].Clone();
    }

    /// <summary>Skips when the data is absent or the file is on the skip list; returns the file's root object.</summary>
    public static JsonElement LoadFile(string file)
    {
        Skip.If(SpecData.Root is null || file == "(missing)", SpecData.MissingReason);
        string? reason = SpecSkips.Reason(file);
        Skip.If(reason is not null, reason);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(SpecData.Root!, file)));
        return doc.RootElement.Clone();
    }

    public static bool IsNull(this JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null;

    /// <summary>Asserts that a parsed value equals the expected JSON value (numbers, strings, booleans, arrays, objects).</summary>
    public static void AssertEqual(JsonElement expected, object? actual, string path)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Null:
                Assert.True(actual is null, $"{path}: expected null, got {actual}");
                break;
            case JsonValueKind.True or JsonValueKind.False:
                Assert.True(actual is bool, $"{path}: expected a boolean, got {actual ?? "null"}");
                Assert.Equal(expected.GetBoolean(), (bool)actual!);
                break;
            case JsonValueKind.Number:
                Assert.True(actual is int or long, $"{path}: expected a number, got {actual ?? "null"}");
                Assert.Equal(expected.GetInt64(), Convert.ToInt64(actual, CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.String:
                Assert.True(actual is string, $"{path}: expected a string, got {actual ?? "null"}");
                Assert.Equal(expected.GetString(), (string)actual!);
                break;
            case JsonValueKind.Array:
                var list = Assert.IsAssignableFrom<System.Collections.IList>(actual);
                Assert.Equal(expected.GetArrayLength(), list.Count);
                for (int i = 0; i < list.Count; i++)
                {
                    AssertEqual(expected[i], list[i], $"{path}[{i}]");
                }

                break;
            case JsonValueKind.Object:
                var dict = Assert.IsAssignableFrom<IReadOnlyDictionary<string, string>>(actual);
                int count = 0;
                foreach (var prop in expected.EnumerateObject())
                {
                    count++;
                    Assert.True(dict.TryGetValue(prop.Name, out string? value), $"{path}: missing key '{prop.Name}'");
                    AssertEqual(prop.Value, value, $"{path}.{prop.Name}");
                }

                Assert.Equal(count, dict.Count);
                break;
            default:
                throw new InvalidOperationException($"{path}: unexpected JSON kind {expected.ValueKind}");
        }
    }
}
