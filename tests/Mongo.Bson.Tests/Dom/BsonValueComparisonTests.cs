using Mongo.Bson;
using Xunit;

namespace Mongo.Bson.Tests.Dom;

public class BsonValueComparisonTests
{
    [Fact]
    public void Types_sort_in_the_servers_canonical_order()
    {
        BsonValue[] ascending =
        [
            BsonMinKey.Value,
            BsonUndefined.Value,
            BsonNull.Value,
            double.NaN,
            -5,
            2.5,
            3L,
            new BsonSymbol("a"),
            "b",
            new BsonDocument("a", 1),
            new BsonArray { 1 },
            new BsonBinaryData([1]),
            ObjectId.Parse("000000000000000000000001"),
            false,
            true,
            new BsonDateTime(0),
            new BsonTimestamp(1, 1),
            new BsonRegularExpression("a"),
            new BsonDBPointer("db.c", ObjectId.Empty),
            new BsonJavaScript("x"),
            new BsonJavaScriptWithScope("x", []),
            BsonMaxKey.Value,
        ];

        for (int i = 0; i < ascending.Length; i++)
        {
            for (int j = 0; j < ascending.Length; j++)
            {
                Assert.Equal(Math.Sign(i.CompareTo(j)), Math.Sign(ascending[i].CompareTo(ascending[j])));
            }
        }
    }

    [Theory]
    [InlineData(9007199254740993L, 9007199254740992.0, 1)] // 2^53 + 1 is above the nearest double
    [InlineData(long.MaxValue, 9223372036854775807.0, -1)] // the double is 2^63, above long.MaxValue
    [InlineData(-3L, -2.5, -1)]
    [InlineData(2L, 2.0, 0)]
    public void Integers_and_doubles_compare_exactly(long integer, double dbl, int expected)
    {
        Assert.Equal(expected, Math.Sign(new BsonInt64(integer).CompareTo(new BsonDouble(dbl))));
        Assert.Equal(-expected, Math.Sign(new BsonDouble(dbl).CompareTo(new BsonInt64(integer))));
    }

    [Fact]
    public void Strings_compare_by_code_point_like_utf8_bytes()
    {
        // U+FFFD is below U+1F600 in code point (and UTF-8) order, though its UTF-16 unit is above the surrogate.
        Assert.True(BsonValue.CompareStrings("\uFFFD", "\U0001F600") < 0);
        Assert.True(BsonValue.CompareStrings("a", "ab") < 0);
        Assert.True(BsonValue.CompareStrings("B", "a") < 0);
    }

    [Fact]
    public void Binary_compares_length_then_subtype_then_bytes()
    {
        Assert.True(new BsonBinaryData([9]).CompareTo(new BsonBinaryData([1, 1])) < 0);
        Assert.True(new BsonBinaryData([9], BsonBinarySubType.Binary).CompareTo(new BsonBinaryData([1], BsonBinarySubType.Function)) < 0);
        Assert.True(new BsonBinaryData([1]).CompareTo(new BsonBinaryData([2])) < 0);
    }
}
