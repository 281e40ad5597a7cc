using System.Globalization;

namespace Mongo.Bson;

/// <summary>
/// Conversions to and from .NET numeric types. Exact ones are implicit (<see cref="int"/>, <see cref="long"/>,
/// <see cref="decimal"/> into Decimal128); lossy ones are explicit and throw <see cref="OverflowException"/> when
/// the value is out of the target's range (or NaN/infinite for a target without those).
/// </summary>
public readonly partial struct Decimal128
{
    private static readonly UInt128 s_maxDecimalCoefficient = ((UInt128)1 << 96) - 1;

    /// <summary>Creates the exact value of <paramref name="value"/> (exponent 0).</summary>
    public Decimal128(int value)
        : this((long)value)
    {
    }

    /// <summary>Creates the exact value of <paramref name="value"/> (exponent 0).</summary>
    public Decimal128(long value)
    {
        ulong magnitude = value < 0 ? (ulong)(-(value + 1)) + 1 : (ulong)value;
        this = Encode(value < 0, magnitude, 0);
    }

    /// <summary>Creates the exact value of <paramref name="value"/>, keeping its scale (<c>1.50m</c> becomes <c>1.50</c>) and sign (including -0).</summary>
    public Decimal128(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        UInt128 coefficient = ((UInt128)(uint)bits[2] << 64) | ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        int scale = (bits[3] >> 16) & 0xFF;
        this = Encode(bits[3] < 0, coefficient, -scale);
    }

    /// <summary>
    /// Creates the value of the shortest decimal string that round-trips to <paramref name="value"/> (so
    /// <c>0.1</c> becomes <c>0.1</c>, not the binary expansion); NaN and infinities map to their Decimal128 forms.
    /// </summary>
    public Decimal128(double value)
    {
        if (double.IsNaN(value))
        {
            this = NaN;
            return;
        }

        if (double.IsInfinity(value))
        {
            this = value > 0 ? PositiveInfinity : NegativeInfinity;
            return;
        }

        Span<char> buffer = stackalloc char[32];
        value.TryFormat(buffer, out int written, "R", CultureInfo.InvariantCulture);
        this = Parse(buffer[..written]);
    }

    /// <summary>Exact conversion from <see cref="int"/>.</summary>
    public static implicit operator Decimal128(int value) => new(value);

    /// <summary>Exact conversion from <see cref="long"/>.</summary>
    public static implicit operator Decimal128(long value) => new(value);

    /// <summary>Exact conversion from <see cref="decimal"/>.</summary>
    public static implicit operator Decimal128(decimal value) => new(value);

    /// <summary>Conversion from <see cref="double"/> via its shortest round-trip string (see <see cref="Decimal128(double)"/>).</summary>
    public static explicit operator Decimal128(double value) => new(value);

    /// <summary>Converts to <see cref="int"/> (<see cref="ToInt32"/>).</summary>
    public static explicit operator int(Decimal128 value) => value.ToInt32();

    /// <summary>Converts to <see cref="long"/> (<see cref="ToInt64"/>).</summary>
    public static explicit operator long(Decimal128 value) => value.ToInt64();

    /// <summary>Converts to <see cref="decimal"/> (<see cref="ToDecimal"/>).</summary>
    public static explicit operator decimal(Decimal128 value) => value.ToDecimal();

    /// <summary>Converts to <see cref="double"/> (<see cref="ToDouble"/>).</summary>
    public static explicit operator double(Decimal128 value) => value.ToDouble();

    /// <summary>Exact conversion from <see cref="int"/>.</summary>
    public static Decimal128 FromInt32(int value) => new(value);

    /// <summary>Exact conversion from <see cref="long"/>.</summary>
    public static Decimal128 FromInt64(long value) => new(value);

    /// <summary>Exact conversion from <see cref="decimal"/>.</summary>
    public static Decimal128 FromDecimal(decimal value) => new(value);

    /// <summary>Conversion from <see cref="double"/>; see <see cref="Decimal128(double)"/>.</summary>
    public static Decimal128 FromDouble(double value) => new(value);

    /// <summary>Truncates toward zero to an <see cref="int"/>.</summary>
    /// <exception cref="OverflowException">NaN, infinite, or outside the <see cref="int"/> range after truncation.</exception>
    public int ToInt32()
    {
        long value = ToInt64Core(out bool inRange);
        if (!inRange || value < int.MinValue || value > int.MaxValue)
        {
            throw Overflow("Int32");
        }

        return (int)value;
    }

    /// <summary>Truncates toward zero to a <see cref="long"/>.</summary>
    /// <exception cref="OverflowException">NaN, infinite, or outside the <see cref="long"/> range after truncation.</exception>
    public long ToInt64()
    {
        long value = ToInt64Core(out bool inRange);
        return inRange ? value : throw Overflow("Int64");
    }

    /// <summary>
    /// Converts to <see cref="decimal"/>, rounding half to even when the value has more significant digits than
    /// <see cref="decimal"/> holds (about 28-29) or a scale above 28 (values below 1E-28 in magnitude become zero).
    /// </summary>
    /// <exception cref="OverflowException">NaN, infinite, or beyond ±79228162514264337593543950335.</exception>
    public decimal ToDecimal()
    {
        if (!TryGetFinite(out bool negative, out UInt128 coefficient, out int exponent))
        {
            throw Overflow("Decimal");
        }

        if (coefficient == 0)
        {
            return new decimal(0, 0, 0, negative, (byte)Math.Clamp(-exponent, 0, 28));
        }

        if (exponent > 0)
        {
            // Whole number: coefficient * 10^exponent must fit the 96-bit decimal coefficient.
            if (exponent > 28 || coefficient > s_maxDecimalCoefficient / PowerOf10(exponent))
            {
                throw Overflow("Decimal");
            }

            coefficient *= PowerOf10(exponent);
            exponent = 0;
        }

        int scale = -exponent;
        int drop = Math.Max(0, scale - 28);
        if (drop > 38)
        {
            return new decimal(0, 0, 0, negative, 28);
        }

        UInt128 reduced = RoundHalfEven(coefficient, drop);
        while (reduced > s_maxDecimalCoefficient)
        {
            drop++;
            if (drop > scale)
            {
                throw Overflow("Decimal");
            }

            reduced = RoundHalfEven(coefficient, drop);
        }

        scale -= drop;
        return new decimal((int)(uint)reduced, (int)(uint)(reduced >> 32), (int)(uint)(reduced >> 64), negative, (byte)scale);
    }

    /// <summary>
    /// Converts to the nearest <see cref="double"/> (correctly rounded); NaN and infinities map to their double
    /// forms, values too small in magnitude become (signed) zero.
    /// </summary>
    /// <exception cref="OverflowException">A finite value beyond <see cref="double.MaxValue"/> in magnitude.</exception>
    public double ToDouble()
    {
        if (IsNaN(this))
        {
            return double.NaN;
        }

        if (IsInfinity(this))
        {
            return IsNegative(this) ? double.NegativeInfinity : double.PositiveInfinity;
        }

        Span<char> buffer = stackalloc char[MaxFormattedLength];
        TryFormat(buffer, out int written);
        double result = double.Parse(buffer[..written], NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsInfinity(result) ? throw Overflow("Double") : result;
    }

    private long ToInt64Core(out bool inRange)
    {
        inRange = false;
        if (!TryGetFinite(out bool negative, out UInt128 coefficient, out int exponent))
        {
            return 0;
        }

        if (coefficient == 0)
        {
            inRange = true;
            return 0;
        }

        if (exponent >= 0)
        {
            // 2^63 has 19 digits: any result with more cannot fit.
            if (DigitCount(coefficient) + exponent > 19)
            {
                return 0;
            }

            coefficient *= PowerOf10(exponent);
        }
        else
        {
            coefficient = -exponent > 38 ? 0 : coefficient / PowerOf10(-exponent);
        }

        UInt128 limit = negative ? (UInt128)long.MaxValue + 1 : long.MaxValue;
        if (coefficient > limit)
        {
            return 0;
        }

        inRange = true;
        return negative ? (long)(0 - (ulong)coefficient) : (long)(ulong)coefficient;
    }

    private static UInt128 RoundHalfEven(UInt128 value, int digits)
    {
        if (digits == 0)
        {
            return value;
        }

        if (digits > 38)
        {
            return 0;
        }

        UInt128 divisor = PowerOf10(digits);
        UInt128 quotient = value / divisor;
        UInt128 remainder = value - (quotient * divisor);
        UInt128 half = divisor / 2;
        if (remainder > half || (remainder == half && (quotient & 1) == 1))
        {
            quotient++;
        }

        return quotient;
    }

    private OverflowException Overflow(string target) =>
        new($"Decimal128 value {this} cannot be converted to {target}: it is NaN, infinite or outside the {target} range.");
}
