using Xunit;

namespace Mongo.Bson.Tests;

public sealed class Decimal128Tests
{
    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0", "-0")]
    [InlineData("1.50", "1.50")]
    [InlineData("+12.70", "12.70")]
    [InlineData("017.", "17")]
    [InlineData(".5", "0.5")]
    [InlineData("4E+9", "4E+9")]
    [InlineData("0.73e-7", "7.3E-8")]
    [InlineData("123456789012345678901234567890123.4", "123456789012345678901234567890123.4")]
    [InlineData("1E6112", "1.0E+6112")]
    [InlineData("0E+99999999999999999999", "0E+6111")]
    [InlineData("-0E-99999999999999999999", "-0E-6176")]
    [InlineData("1000000000000000000000000000000000000000E-6186", "1.00000000000000000000000000000E-6147")]  // clamped: 4 trailing zeros removed
    [InlineData("-Inf", "-Infinity")]
    [InlineData("iNfInItY", "Infinity")]
    [InlineData("-nan", "NaN")]
    public void Parse_then_format_gives_the_spec_string(string input, string expected)
    {
        Assert.Equal(expected, Decimal128.Parse(input).ToString());
    }

    [Theory]
    [InlineData("1E+6145")]          // one digit, exponent beyond clamping range
    [InlineData("12345678901234567890123456789012345E+6111")]
    public void Parse_rejects_overflow_with_OverflowException(string input)
    {
        var error = Assert.Throws<OverflowException>(() => Decimal128.Parse(input));
        Assert.Contains(input, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1E-6177")]
    [InlineData("1.2345678901234567890123456789012345")]
    public void Parse_rejects_inexact_rounding(string input)
    {
        Assert.Throws<OverflowException>(() => Decimal128.Parse(input));
        Assert.False(Decimal128.TryParse(input, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1 ")]
    [InlineData("1e")]
    [InlineData("Infinit")]
    [InlineData("0x10")]
    public void Parse_rejects_syntax_with_FormatException(string input)
    {
        Assert.Throws<FormatException>(() => Decimal128.Parse(input));
    }

    [Fact]
    public void Parse_null_throws_and_TryParse_null_is_false()
    {
        Assert.Throws<ArgumentNullException>(() => Decimal128.Parse((string)null!));
        Assert.False(Decimal128.TryParse((string?)null, out _));
    }

    [Fact]
    public void Error_message_of_a_huge_input_is_abbreviated()
    {
        string huge = new('x', 10_000);
        var error = Assert.Throws<FormatException>(() => Decimal128.Parse(huge));
        Assert.True(error.Message.Length < 200);
    }

    [Fact]
    public void Constants_have_their_spec_strings_and_classification()
    {
        Assert.Equal("NaN", Decimal128.NaN.ToString());
        Assert.Equal("Infinity", Decimal128.PositiveInfinity.ToString());
        Assert.Equal("-Infinity", Decimal128.NegativeInfinity.ToString());
        Assert.Equal("0", Decimal128.Zero.ToString());
        Assert.Equal("1", Decimal128.One.ToString());
        Assert.Equal("-1", Decimal128.MinusOne.ToString());
        Assert.Equal("9.999999999999999999999999999999999E+6144", Decimal128.MaxValue.ToString());
        Assert.Equal("-9.999999999999999999999999999999999E+6144", Decimal128.MinValue.ToString());

        Assert.True(Decimal128.IsNaN(Decimal128.NaN));
        Assert.True(Decimal128.IsNaN(Decimal128.Parse("-NaN")));
        Assert.False(Decimal128.IsNaN(Decimal128.PositiveInfinity));
        Assert.True(Decimal128.IsInfinity(Decimal128.NegativeInfinity));
        Assert.True(Decimal128.IsNegativeInfinity(Decimal128.NegativeInfinity));
        Assert.False(Decimal128.IsPositiveInfinity(Decimal128.NegativeInfinity));
        Assert.False(Decimal128.IsInfinity(Decimal128.MaxValue));
        Assert.True(Decimal128.IsFinite(Decimal128.MaxValue));
        Assert.False(Decimal128.IsFinite(Decimal128.NaN));
        Assert.True(Decimal128.IsNegative(Decimal128.Parse("-0")));
        Assert.True(Decimal128.IsNegative(Decimal128.NegativeInfinity));
        Assert.False(Decimal128.IsNegative(Decimal128.Parse("-NaN")));
        Assert.False(Decimal128.IsNegative(Decimal128.One));
        Assert.True(Decimal128.IsZero(Decimal128.Parse("-0E+3")));
        Assert.False(Decimal128.IsZero(Decimal128.Parse("1E-6176")));
        Assert.False(Decimal128.IsZero(Decimal128.NaN));
    }

    [Fact]
    public void Non_canonical_encodings_are_zero()
    {
        // Coefficient above 10^34 - 1 in the small form, and the large-coefficient form: both zero per IEEE 754-2008.
        var tooLarge = new Decimal128(0x3041_ED09_BEAD_87C0, 0x378D_8E64_0000_0000);
        var largeForm = new Decimal128(0x6C10_0000_0000_0000, 0);
        Assert.True(Decimal128.IsZero(tooLarge));
        Assert.Equal("0", tooLarge.ToString());
        Assert.True(Decimal128.IsZero(largeForm));
        Assert.Equal(0, largeForm.CompareTo(Decimal128.Zero));
    }

    [Theory]
    [InlineData("1", "2", -1)]
    [InlineData("1.0", "1.00", 0)]
    [InlineData("0", "-0E+10", 0)]
    [InlineData("-1", "-2", 1)]
    [InlineData("-1", "0", -1)]
    [InlineData("1E+3", "999", 1)]
    [InlineData("0.001", "1E-2", -1)]
    [InlineData("123456789012345678901234567890123.4", "123456789012345678901234567890123.5", -1)]
    [InlineData("9.999999999999999999999999999999999E+6144", "Infinity", -1)]
    [InlineData("-Infinity", "-9.999999999999999999999999999999999E+6144", -1)]
    [InlineData("NaN", "-Infinity", -1)]
    [InlineData("NaN", "-NaN", 0)]
    [InlineData("1E-6176", "0", 1)]
    public void CompareTo_orders_numerically(string left, string right, int expected)
    {
        var a = Decimal128.Parse(left);
        var b = Decimal128.Parse(right);
        Assert.Equal(expected, Math.Sign(a.CompareTo(b)));
        Assert.Equal(-expected, Math.Sign(b.CompareTo(a)));
        Assert.Equal(expected < 0, a < b);
        Assert.Equal(expected > 0, a > b);
        Assert.Equal(expected <= 0, a <= b);
        Assert.Equal(expected >= 0, a >= b);
    }

    [Fact]
    public void Equality_is_bitwise_while_comparison_is_numeric()
    {
        var a = Decimal128.Parse("1.0");
        var b = Decimal128.Parse("1.00");
        Assert.NotEqual(a, b);
        Assert.Equal(0, a.CompareTo(b));
        Assert.Equal(Decimal128.Parse("1.0"), a);
        Assert.Equal(a.GetHashCode(), Decimal128.Parse("1.0").GetHashCode());
        Assert.Equal(1, a.CompareTo((object?)null));
        Assert.Throws<ArgumentException>(() => a.CompareTo((object)"1.0"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Int32_round_trips_exactly(int value)
    {
        Decimal128 d = value;
        Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), d.ToString());
        Assert.Equal(value, (int)d);
        Assert.Equal(value, d.ToInt64());
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(-1234567890123L)]
    public void Int64_round_trips_exactly(long value)
    {
        Decimal128 d = value;
        Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), d.ToString());
        Assert.Equal(value, (long)d);
    }

    [Theory]
    [InlineData("2.9", 2)]
    [InlineData("-2.9", -2)]
    [InlineData("1E+3", 1000)]
    [InlineData("12345E-2", 123)]
    [InlineData("1E-100", 0)]
    [InlineData("-2147483648", int.MinValue)]
    [InlineData("-2147483648.9", int.MinValue)]
    [InlineData("0E+100", 0)]
    public void ToInt32_truncates_toward_zero(string input, int expected)
    {
        Assert.Equal(expected, Decimal128.Parse(input).ToInt32());
    }

    [Theory]
    [InlineData("2147483648")]
    [InlineData("-2147483649")]
    [InlineData("1E+10")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void ToInt32_out_of_range_throws_OverflowException(string input)
    {
        var error = Assert.Throws<OverflowException>(() => (int)Decimal128.Parse(input));
        Assert.Contains("Int32", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("1E+19")]
    [InlineData("-Infinity")]
    public void ToInt64_out_of_range_throws_OverflowException(string input)
    {
        Assert.Throws<OverflowException>(() => (long)Decimal128.Parse(input));
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("1.50", "1.50")]
    [InlineData("-0.0001", "-0.0001")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    [InlineData("7.9228162514264337593543950335", "7.9228162514264337593543950335")]
    [InlineData("1E+28", "10000000000000000000000000000")]
    public void Decimal_round_trips_exactly(string text, string expected)
    {
        decimal value = decimal.Parse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
        Decimal128 d = value;
        Assert.Equal(value, (decimal)d);
        Assert.Equal(expected, ((decimal)Decimal128.Parse(text)).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Decimal_conversion_keeps_scale_and_sign()
    {
        Assert.Equal("1.50", ((Decimal128)1.50m).ToString());
        Assert.Equal("-0.000", ((Decimal128)(-0.000m)).ToString());
        Assert.Equal("79228162514264337593543950335", ((Decimal128)decimal.MaxValue).ToString());
        Assert.Equal("-79228162514264337593543950335", ((Decimal128)decimal.MinValue).ToString());
    }

    [Theory]
    [InlineData("1.234567890123456789012345678901234", "1.2345678901234567890123456789")]
    [InlineData("0.00000000000000000000000000015", "0.0000000000000000000000000002")]
    [InlineData("0.00000000000000000000000000025", "0.0000000000000000000000000002")]
    [InlineData("1E-40", "0.0000000000000000000000000000")]
    public void ToDecimal_rounds_half_to_even_when_digits_do_not_fit(string input, string expected)
    {
        Assert.Equal(expected, ((decimal)Decimal128.Parse(input)).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("79228162514264337593543950336")]
    [InlineData("1E+29")]
    [InlineData("-8E+28")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void ToDecimal_out_of_range_throws_OverflowException(string input)
    {
        var error = Assert.Throws<OverflowException>(() => (decimal)Decimal128.Parse(input));
        Assert.Contains("Decimal", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(-0.0, "-0")]
    [InlineData(1e16, "10000000000000000")]
    [InlineData(1.5e300, "1.5E+300")]
    [InlineData(123.456, "123.456")]
    [InlineData(double.MaxValue, "1.7976931348623157E+308")]
    [InlineData(double.Epsilon, "5E-324")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void From_double_uses_the_shortest_round_trip_string(double value, string expected)
    {
        var d = (Decimal128)value;
        Assert.Equal(expected, d.ToString());
        Assert.Equal(value, (double)d);
    }

    [Theory]
    [InlineData("0.1", 0.1)]
    [InlineData("1E-400", 0.0)]
    [InlineData("-1E-400", -0.0)]
    [InlineData("1.000000000000000000000000000000001", 1.0)]
    [InlineData("Infinity", double.PositiveInfinity)]
    public void ToDouble_rounds_to_nearest(string input, double expected)
    {
        double actual = Decimal128.Parse(input).ToDouble();
        Assert.Equal(expected, actual);
        Assert.Equal(double.IsNegative(expected), double.IsNegative(actual));
    }

    [Fact]
    public void ToDouble_of_NaN_is_NaN_and_overflow_throws()
    {
        Assert.True(double.IsNaN((double)Decimal128.NaN));
        Assert.Throws<OverflowException>(() => (double)Decimal128.Parse("1E+309"));
        Assert.Throws<OverflowException>(() => Decimal128.MinValue.ToDouble());
    }

    [Fact]
    public void TryFormat_reports_a_too_small_destination()
    {
        var d = Decimal128.Parse("-1.234E+100");
        Span<char> small = stackalloc char[4];
        Assert.False(d.TryFormat(small, out int written));
        Assert.Equal(0, written);
        Span<char> large = stackalloc char[Decimal128.MaxFormattedLength];
        Assert.True(d.TryFormat(large, out written));
        Assert.Equal("-1.234E+100", large[..written].ToString());
        Assert.Equal("-1.234E+100", $"{d}");
    }

    [Fact]
    public void Longest_strings_fit_the_formatting_buffer()
    {
        Assert.Equal("-0.000001234567890123456789012345678901234", Decimal128.Parse("-0.000001234567890123456789012345678901234").ToString());
        Assert.Equal("-1.234567890123456789012345678901234E-6143", Decimal128.Parse("-1234567890123456789012345678901234E-6176").ToString());
    }
}
