using System.Text.Json;
using Mongo.Bson.Tests.Corpus;
using Xunit;

namespace Mongo.Bson.Tests;

/// <summary>
/// Decimal128 string parsing and formatting against the decimal128-*.json corpus files, independently of the
/// DOM: the 16 value bytes sit after the element header (length, type 0x13, key "d\0") in <c>canonical_bson</c>.
/// </summary>
public sealed class Decimal128CorpusTests
{
    public static TheoryData<string, int, string> Valid => CorpusData.Cases("valid", IsDecimalFile);

    public static TheoryData<string, int, string> ParseErrors => CorpusData.Cases("parseErrors", IsDecimalFile);

    [SkippableTheory]
    [MemberData(nameof(Valid))]
    public void Valid_case_round_trips_bits_and_string(string file, int index, string description)
    {
        JsonElement testCase = CorpusData.Case(file, "valid", index);
        byte[] bson = CorpusData.Hex(testCase.Text("canonical_bson")!);
        Assert.Equal(0x13, bson[4]);
        Decimal128 fromBytes = Decimal128.Read(bson.AsSpan(7, 16));
        string canonical = NumberDecimal(testCase.Text("canonical_extjson")!);

        Assert.Equal(canonical, fromBytes.ToString());

        Span<byte> written = stackalloc byte[16];
        fromBytes.WriteTo(written);
        Assert.True(written.SequenceEqual(bson.AsSpan(7, 16)), description);

        if (!testCase.Flag("lossy"))
        {
            AssertSameBits(fromBytes, Decimal128.Parse(canonical));
            Assert.True(Decimal128.TryParse(canonical, out Decimal128 tried));
            AssertSameBits(fromBytes, tried);
            if (testCase.Text("degenerate_extjson") is { } degenerate)
            {
                AssertSameBits(fromBytes, Decimal128.Parse(NumberDecimal(degenerate)));
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(ParseErrors))]
    public void Parse_error_case_is_rejected(string file, int index, string description)
    {
        JsonElement testCase = CorpusData.Case(file, "parseErrors", index);
        string input = testCase.Text("string")!;

        Assert.False(Decimal128.TryParse(input, out _), description);
        Exception error = Assert.ThrowsAny<Exception>(() => Decimal128.Parse(input));
        Assert.True(error is FormatException or OverflowException, $"{description}: unexpected {error.GetType()}");
        Assert.DoesNotContain("Exception", error.Message, StringComparison.Ordinal);
    }

    private static bool IsDecimalFile(string file) => file.StartsWith("decimal128-", StringComparison.Ordinal);

    private static string NumberDecimal(string extendedJson)
    {
        using var document = JsonDocument.Parse(extendedJson);
        return document.RootElement.GetProperty("d").GetProperty("$numberDecimal").GetString()!;
    }

    private static void AssertSameBits(Decimal128 expected, Decimal128 actual)
    {
        Assert.Equal(expected.HighBits.ToString("X16"), actual.HighBits.ToString("X16"));
        Assert.Equal(expected.LowBits.ToString("X16"), actual.LowBits.ToString("X16"));
    }
}
