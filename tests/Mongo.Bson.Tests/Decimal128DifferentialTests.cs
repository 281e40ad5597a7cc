using System.Globalization;
using System.Text;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.Bson.Tests;

/// <summary>Decimal128 parse/format/compare against the official MongoDB.Bson implementation on random exact inputs.</summary>
public sealed class Decimal128DifferentialTests
{
    [Fact]
    public void Random_exact_strings_match_the_official_driver()
    {
        var random = new Random(12345);
        for (int i = 0; i < 5000; i++)
        {
            string input = RandomNumericString(random);
            var ours = Decimal128.Parse(input);
            var theirs = O.Decimal128.Parse(input);
            Assert.True(
                ours.HighBits == theirs.GetIEEEHighBits() && ours.LowBits == theirs.GetIEEELowBits(),
                $"bits differ for '{input}'");
            Assert.Equal(theirs.ToString(), ours.ToString());
        }
    }

    [Fact]
    public void Random_bit_patterns_format_like_the_official_driver()
    {
        // Includes NaN payloads, signalling NaNs, infinities and non-canonical encodings.
        var random = new Random(8080);
        UInt128 maxCoefficient = UInt128.Parse("9999999999999999999999999999999999", CultureInfo.InvariantCulture);
        int nonCanonical = 0;
        for (int i = 0; i < 5000; i++)
        {
            ulong high = (ulong)random.NextInt64() ^ ((ulong)random.Next(4) << 62);
            ulong low = (ulong)random.NextInt64();
            var ours = new Decimal128(high, low);
            var theirs = O.Decimal128.FromIEEEBits(high, low);
            Assert.Equal(O.Decimal128.IsNaN(theirs), Decimal128.IsNaN(ours));
            Assert.Equal(O.Decimal128.IsInfinity(theirs), Decimal128.IsInfinity(ours));
            bool special = Decimal128.IsNaN(ours) || Decimal128.IsInfinity(ours);
            bool largeForm = (high & 0x6000_0000_0000_0000) == 0x6000_0000_0000_0000;
            if (!special && (largeForm || new UInt128(high & 0x0001_FFFF_FFFF_FFFF, low) > maxCoefficient))
            {
                // Non-canonical coefficients: the spec (and the corpus' "Invalid representation treated as 0" cases)
                // make them zero, printed by the usual rules; the official driver prints them differently.
                Assert.True(Decimal128.IsZero(ours));
                nonCanonical++;
                continue;
            }

            Assert.Equal(theirs.ToString(), ours.ToString());
            Assert.Equal(O.Decimal128.IsZero(theirs), Decimal128.IsZero(ours));
        }

        Assert.InRange(nonCanonical, 1, 4000);
    }

    [Fact]
    public void Random_comparisons_match_the_official_driver()
    {
        var random = new Random(54321);
        for (int i = 0; i < 3000; i++)
        {
            string a = RandomNumericString(random, maxDigits: 6, maxExponent: 8);
            string b = RandomNumericString(random, maxDigits: 6, maxExponent: 8);
            int ours = Math.Sign(Decimal128.Parse(a).CompareTo(Decimal128.Parse(b)));
            int theirs = Math.Sign(O.Decimal128.Parse(a).CompareTo(O.Decimal128.Parse(b)));
            Assert.True(ours == theirs, $"compare('{a}', '{b}'): ours {ours}, official {theirs}");
        }
    }

    [Fact]
    public void Random_conversions_to_double_and_decimal_match_the_official_driver()
    {
        var random = new Random(777);
        for (int i = 0; i < 3000; i++)
        {
            string input = RandomNumericString(random, maxDigits: 30, maxExponent: 30);
            var ours = Decimal128.Parse(input);
            var theirs = O.Decimal128.Parse(input);
            Assert.Equal(O.Decimal128.ToDouble(theirs), ours.ToDouble());
            if (ours > (Decimal128)decimal.MaxValue || ours < (Decimal128)decimal.MinValue)
            {
                Assert.Throws<OverflowException>(() => ours.ToDecimal());
                Assert.Throws<OverflowException>(() => O.Decimal128.ToDecimal(theirs));
                continue;
            }

            decimal converted = ours.ToDecimal();
            if (((Decimal128)converted).CompareTo(ours) == 0)
            {
                // Exact conversions must agree; when digits are dropped we round half-even, the official driver truncates.
                Assert.Equal(O.Decimal128.ToDecimal(theirs), converted);
            }
        }
    }

    private static string RandomNumericString(Random random, int maxDigits = 34, int maxExponent = 6100)
    {
        var builder = new StringBuilder();
        if (random.Next(3) == 0)
        {
            builder.Append('-');
        }

        int digits = random.Next(1, maxDigits + 1);
        int point = random.Next(-1, digits);
        for (int d = 0; d < digits; d++)
        {
            if (d == point)
            {
                builder.Append('.');
            }

            builder.Append((char)('0' + random.Next(10)));
        }

        if (random.Next(2) == 0)
        {
            builder.Append('E').Append(random.Next(-maxExponent, maxExponent).ToString(CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}
