using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Mongo.Testing;
using Xunit;

namespace Mongo.Bson.Tests.Corpus;

/// <summary>
/// The BSON corpus runner (bson-corpus.md, "Testing validity" for codecs with a native representation):
/// every <c>valid</c>, <c>decodeErrors</c> and <c>parseErrors</c> case of every file, each case its own test.
/// Deliberate skips live in <see cref="Skipped"/> only.
/// </summary>
public sealed class BsonCorpusTests
{
    /// <summary>Cases we deliberately do not run, with the reason. Keyed by file and case description.</summary>
    private static readonly Dictionary<(string File, string Description), string> Skipped = new()
    {
    };

    private static readonly HashSet<string> KnownFileKeys =
        ["description", "bson_type", "test_key", "valid", "decodeErrors", "parseErrors", "deprecated"];

    private static readonly HashSet<string> KnownValidKeys =
    [
        "description", "canonical_bson", "canonical_extjson", "relaxed_extjson", "degenerate_bson",
        "degenerate_extjson", "converted_bson", "converted_extjson", "lossy",
    ];

    private static readonly HashSet<string> KnownErrorKeys = ["description", "bson", "string"];

    // Every BSON element type byte, plus 0x00 for whole-document files (top.json, multi-type*.json).
    private static readonly HashSet<string> KnownTypes =
    [
        "0x00", "0x01", "0x02", "0x03", "0x04", "0x05", "0x06", "0x07", "0x08", "0x09", "0x0A", "0x0B", "0x0C",
        "0x0D", "0x0E", "0x0F", "0x10", "0x11", "0x12", "0x13", "0x7F", "0xFF",
    ];

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string path in SpecData.Files(CorpusData.Folder))
        {
            data.Add(Path.GetFileName(path));
        }

        if (data.Count == 0)
        {
            data.Add(CorpusData.Absent);
        }

        return data;
    }

    public static TheoryData<string, int, string> ValidCases => CorpusData.Cases("valid");

    public static TheoryData<string, int, string> DecodeErrorCases => CorpusData.Cases("decodeErrors");

    public static TheoryData<string, int, string> ParseErrorCases => CorpusData.Cases("parseErrors");

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void File_is_recognised(string file)
    {
        Skip.If(file == CorpusData.Absent, SpecData.MissingReason);
        JsonElement root = CorpusData.Load(file).RootElement;
        foreach (JsonProperty property in root.EnumerateObject())
        {
            Assert.True(KnownFileKeys.Contains(property.Name), $"{file}: unknown top-level key '{property.Name}'");
        }

        string type = root.GetProperty("bson_type").GetString()!;
        Assert.True(KnownTypes.Contains(type.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)), $"{file}: unknown bson_type {type}");
        CheckCaseKeys(file, root, "valid", KnownValidKeys);
        CheckCaseKeys(file, root, "decodeErrors", KnownErrorKeys);
        CheckCaseKeys(file, root, "parseErrors", KnownErrorKeys);
    }

    [SkippableTheory]
    [MemberData(nameof(ValidCases))]
    public void Valid(string file, int index, string description)
    {
        JsonElement testCase = CorpusData.Case(file, "valid", index);
        SkipIfListed(file, description);
        byte[] canonicalBson = CorpusData.Hex(testCase.Text("canonical_bson")!);
        string canonicalJson = testCase.Text("canonical_extjson")!;
        string? relaxedJson = testCase.Text("relaxed_extjson");
        bool lossy = testCase.Flag("lossy");

        // cB -> native -> cB, cEJ, rEJ
        BsonDocument fromBson = BsonDocument.FromBytes(canonicalBson);
        AssertBytes(canonicalBson, fromBson.ToBytes(), "native_to_bson(bson_to_native(cB))");
        AssertJson(canonicalJson, ExtendedJson.Write(fromBson, ExtendedJsonMode.Canonical), "native_to_canonical_extended_json(bson_to_native(cB))");
        if (relaxedJson is not null)
        {
            AssertJson(relaxedJson, fromBson.ToJson(ExtendedJsonMode.Relaxed), "native_to_relaxed_extended_json(bson_to_native(cB))");
        }

        // cEJ -> native -> cEJ, cB
        BsonDocument fromJson = BsonDocument.Parse(canonicalJson);
        AssertJson(canonicalJson, fromJson.ToJson(ExtendedJsonMode.Canonical), "native_to_canonical_extended_json(json_to_native(cEJ))");
        if (!lossy)
        {
            AssertBytes(canonicalBson, fromJson.ToBytes(), "native_to_bson(json_to_native(cEJ))");
        }

        // dB -> native -> cB
        if (testCase.Text("degenerate_bson") is { } degenerateHex)
        {
            BsonDocument fromDegenerate = BsonDocument.FromBytes(CorpusData.Hex(degenerateHex));
            AssertBytes(canonicalBson, fromDegenerate.ToBytes(), "native_to_bson(bson_to_native(dB))");
        }

        // dEJ -> native -> cEJ, cB
        if (testCase.Text("degenerate_extjson") is { } degenerateJson)
        {
            BsonDocument fromDegenerate = ExtendedJson.Parse(degenerateJson);
            AssertJson(canonicalJson, fromDegenerate.ToJson(ExtendedJsonMode.Canonical), "native_to_canonical_extended_json(json_to_native(dEJ))");
            if (!lossy)
            {
                AssertBytes(canonicalBson, fromDegenerate.ToBytes(), "native_to_bson(json_to_native(dEJ))");
            }
        }

        // rEJ -> native -> rEJ
        if (relaxedJson is not null)
        {
            AssertJson(relaxedJson, ExtendedJson.Parse(relaxedJson).ToJson(ExtendedJsonMode.Relaxed), "native_to_relaxed_extended_json(json_to_native(rEJ))");
        }

        // Converted forms (deprecated types as their modern equivalents): we keep deprecated types as they are,
        // so check that the converted pair is itself consistent: cvB <-> native <-> cvEJ.
        if (testCase.Text("converted_bson") is { } convertedHex)
        {
            byte[] convertedBson = CorpusData.Hex(convertedHex);
            string convertedJson = testCase.Text("converted_extjson")!;
            BsonDocument converted = BsonDocument.FromBytes(convertedBson);
            AssertBytes(convertedBson, converted.ToBytes(), "native_to_bson(bson_to_native(cvB))");
            AssertJson(convertedJson, converted.ToJson(ExtendedJsonMode.Canonical), "native_to_canonical_extended_json(bson_to_native(cvB))");
            AssertBytes(convertedBson, BsonDocument.Parse(convertedJson).ToBytes(), "native_to_bson(json_to_native(cvEJ))");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(DecodeErrorCases))]
    public void DecodeError(string file, int index, string description)
    {
        JsonElement testCase = CorpusData.Case(file, "decodeErrors", index);
        SkipIfListed(file, description);
        byte[] bson = CorpusData.Hex(testCase.Text("bson")!);
        var error = Assert.Throws<BsonFormatException>(() => BsonDocument.FromBytes(bson));
        Assert.NotNull(error.ByteOffset);
    }

    [SkippableTheory]
    [MemberData(nameof(ParseErrorCases))]
    public void ParseError(string file, int index, string description)
    {
        JsonElement testCase = CorpusData.Case(file, "parseErrors", index);
        SkipIfListed(file, description);
        string input = testCase.Text("string")!;
        string type = CorpusData.Load(file).RootElement.GetProperty("bson_type").GetString()!;
        switch (type)
        {
            case "0x13":
                // A Decimal128 string that must not convert: both the value parser and $numberDecimal reject it.
                Assert.False(Decimal128.TryParse(input, out _), description);
                Exception error = Assert.ThrowsAny<Exception>(() => Decimal128.Parse(input));
                Assert.True(error is FormatException or OverflowException, $"unexpected {error.GetType()}");
                string json = JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, string>> { ["d"] = new() { ["$numberDecimal"] = input } });
                Assert.Throws<BsonFormatException>(() => ExtendedJson.Parse(json));
                break;
            case "0x00" or "0x05":
                // Extended JSON input that a plain JSON parser accepts but an Extended JSON parser must reject.
                using (JsonDocument.Parse(input))
                {
                }

                Assert.Throws<BsonFormatException>(() => ExtendedJson.Parse(input));
                break;
            default:
                Assert.Fail($"{file}: no parse-error rule for bson_type {type}; the runner must be taught this file");
                break;
        }
    }

    private static void SkipIfListed(string file, string description) =>
        Skip.If(Skipped.TryGetValue((file, description), out string? reason), reason);

    private static void CheckCaseKeys(string file, JsonElement root, string section, HashSet<string> known)
    {
        if (!root.TryGetProperty(section, out JsonElement cases))
        {
            return;
        }

        foreach (JsonElement testCase in cases.EnumerateArray())
        {
            foreach (JsonProperty property in testCase.EnumerateObject())
            {
                Assert.True(known.Contains(property.Name), $"{file}: unknown key '{property.Name}' in a {section} case");
            }
        }
    }

    private static void AssertBytes(byte[] expected, byte[] actual, string step) =>
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{step}:\nexpected {Convert.ToHexString(expected)}\nactual   {Convert.ToHexString(actual)}");

    private static void AssertJson(string expected, string actual, string step)
    {
        string e = Normalize(expected), a = Normalize(actual);
        Assert.True(e == a, $"{step}:\nexpected {e}\nactual   {a}");
    }

    /// <summary>Whitespace and escaping normalised (JSON allows both to vary); key order and number text kept.</summary>
    internal static string Normalize(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            document.RootElement.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
