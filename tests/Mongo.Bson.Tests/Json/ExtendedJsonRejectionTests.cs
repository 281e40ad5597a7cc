using System.Text.Json;
using Xunit;

namespace Mongo.Bson.Tests.Json;

/// <summary>
/// Input that is valid JSON but that bson-corpus lists as an Extended JSON parse error (top.json's
/// "parseErrors"): each must fail with a <see cref="BsonFormatException"/> naming where, never parse quietly.
/// </summary>
public sealed class ExtendedJsonRejectionTests
{
    [Theory]
    [InlineData("""{"a\u0000": 1}""", "")]
    [InlineData("""{"\u0000": 1}""", "")]
    [InlineData("""{"a": {"b\u0000": 1}}""", "a")]
    [InlineData("""{"a": [{"b": {"c\u0000d": 1}}]}""", "a.0.b")]
    [InlineData("""{"js": {"$code": "f", "$scope": {"x\u0000": 1}}}""", "js.$scope")]
    public void Nul_in_an_element_name_is_rejected(string json, string parentPath)
    {
        var error = AssertParseError(json);
        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
        Assert.Equal(parentPath, error.Path ?? "");
    }

    [Theory]
    [InlineData("""{"a": {"$regularExpression": {"pattern": "b\u0000", "options": "i"}}}""", "pattern")]
    [InlineData("""{"a": {"$regularExpression": {"pattern": "\u0000", "options": ""}}}""", "pattern")]
    [InlineData("""{"a": {"$regularExpression": {"pattern": "b", "options": "i\u0000"}}}""", "options")]
    [InlineData("""{"a": {"$regex": "b\u0000", "$options": "i"}}""", "pattern")]
    [InlineData("""{"a": {"$regex": "b\u0000"}}""", "pattern")]
    [InlineData("""{"a": {"$regex": "b", "$options": "\u0000i"}}""", "options")]
    public void Nul_in_a_regular_expression_is_rejected(string json, string part)
    {
        var error = AssertParseError(json);
        Assert.Contains(part, error.Message, StringComparison.Ordinal);
        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
        Assert.Equal("a", error.Path);
    }

    [Fact]
    public void A_regular_expression_without_nul_still_parses_in_both_forms()
    {
        var expected = new BsonRegularExpression("b\\u0000", "i");
        Assert.Equal(expected, BsonDocument.Parse("""{"a": {"$regularExpression": {"pattern": "b\\u0000", "options": "i"}}}""")["a"]);
        Assert.Equal(expected, BsonDocument.Parse("""{"a": {"$regex": "b\\u0000", "$options": "i"}}""")["a"]);
    }

    [Theory]
    [InlineData("""{"a": {"$date": 42}}""")]
    [InlineData("""{"a": {"$date": 0}}""")]
    [InlineData("""{"a": {"$date": -1}}""")]
    [InlineData("""{"a": {"$date": 1356351330501}}""")]
    [InlineData("""{"a": {"$date": 1.5}}""")]
    [InlineData("""{"a": {"$date": 1e3}}""")]
    public void Date_as_a_bare_number_is_rejected(string json)
    {
        var error = AssertParseError(json);
        Assert.Contains("$date", error.Message, StringComparison.Ordinal);
        Assert.Equal("a", error.Path);
    }

    [Fact]
    public void Date_as_a_bare_number_is_rejected_at_the_top_level_of_a_value_too()
    {
        Assert.Throws<BsonFormatException>(() => ExtendedJson.ParseValue("""{"$date": 42}"""));
    }

    [Theory]
    [InlineData("""{"$date": {"$numberLong": "42"}}""", 42L)]
    [InlineData("""{"$date": {"$numberLong": "-284643869501"}}""", -284643869501L)]
    [InlineData("""{"$date": "1970-01-01T00:00:00.042Z"}""", 42L)]
    public void Date_forms_of_extended_json_v2_still_parse(string json, long milliseconds)
    {
        Assert.Equal(new BsonDateTime(milliseconds), ExtendedJson.ParseValue(json));
    }

    [Theory]
    [InlineData("""{"a": {"$date": true}}""")]
    [InlineData("""{"a": {"$date": null}}""")]
    [InlineData("""{"a": {"$date": [42]}}""")]
    [InlineData("""{"a": {"$date": {"$numberLong": 42}}}""")]
    [InlineData("""{"a": {"$date": {"$numberInt": "42"}}}""")]
    [InlineData("""{"a": {"$date": {"$numberLong": "1356351330501"}, "unrelated": true}}""")]
    public void Other_malformed_dates_are_rejected(string json)
    {
        AssertParseError(json);
    }

    /// <summary>The input is plain JSON (so the error is Extended JSON's own) and the Extended JSON parser refuses it.</summary>
    private static BsonFormatException AssertParseError(string json)
    {
        using (JsonDocument.Parse(json))
        {
        }

        var error = Assert.Throws<BsonFormatException>(() => ExtendedJson.Parse(json));
        Assert.NotNull(error.ByteOffset);
        return error;
    }
}
