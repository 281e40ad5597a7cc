using Xunit;

namespace Mongo.Bson.Tests.Dom;

public sealed class BsonValueDecimalTests
{
    [Fact]
    public void ToInt64_of_a_large_decimal_is_exact()
    {
        BsonValue max = new BsonDecimal128(long.MaxValue);
        Assert.Equal(long.MaxValue, max.ToInt64());
        Assert.Equal(-2, new BsonDecimal128(Decimal128.Parse("-2.9")).ToInt32());
        Assert.Throws<OverflowException>(() => new BsonDecimal128(Decimal128.Parse("9223372036854775808")).ToInt64());
        Assert.Throws<OverflowException>(() => new BsonDecimal128(Decimal128.NaN).ToInt32());
    }

    [Fact]
    public void ToDecimal128_converts_every_numeric_type()
    {
        Assert.Equal("-7", new BsonInt32(-7).ToDecimal128().ToString());
        Assert.Equal("9223372036854775807", new BsonInt64(long.MaxValue).ToDecimal128().ToString());
        Assert.Equal("0.1", new BsonDouble(0.1).ToDecimal128().ToString());
        Assert.Equal("1.50", new BsonDecimal128(Decimal128.Parse("1.50")).ToDecimal128().ToString());
        Assert.Throws<InvalidCastException>(() => new BsonString("1").ToDecimal128());
    }

    [Fact]
    public void Tiny_nonzero_decimal_is_truthy()
    {
        Assert.True(new BsonDecimal128(Decimal128.Parse("1E-400")).ToBoolean());
        Assert.False(new BsonDecimal128(Decimal128.Parse("-0E+10")).ToBoolean());
    }

    [Fact]
    public void Decimal_and_integer_compare_exactly()
    {
        // 2^53 + 1 is not a double: a comparison through doubles would call these equal.
        BsonValue dec = new BsonDecimal128(Decimal128.Parse("9007199254740993"));
        BsonValue lng = new BsonInt64(9007199254740992);
        Assert.True(dec.CompareTo(lng) > 0);
        Assert.True(lng.CompareTo(dec) < 0);
        Assert.Equal(0, new BsonDecimal128(Decimal128.Parse("5.00")).CompareTo(new BsonInt32(5)));
        Assert.True(new BsonDecimal128(Decimal128.NaN).CompareTo(new BsonInt32(int.MinValue)) < 0);
        Assert.True(new BsonDecimal128(Decimal128.Parse("1E+6144")).CompareTo(new BsonDouble(double.MaxValue)) > 0);
    }
}
