namespace Mongo.Bson;

/// <summary>Classification, constants and numeric ordering.</summary>
public readonly partial struct Decimal128 : IComparable<Decimal128>, IComparable
{
    // IEEE 754-2008 decimal128: 34 significant digits, exponents -6176..6111 (biased by 6176 in 14 bits).
    internal const int MaxDigits = 34;
    internal const int MaxExponent = 6111;
    internal const int MinExponent = -6176;
    internal const int ExponentBias = 6176;

    private const ulong SignBit = 0x8000_0000_0000_0000;
    private const ulong CombinationMask = 0x7C00_0000_0000_0000; // bits 62..58
    private const ulong InfinityBits = 0x7800_0000_0000_0000;    // combination 11110
    private const ulong NaNBits = 0x7C00_0000_0000_0000;         // combination 11111
    private const ulong TwoHighBits = 0x6000_0000_0000_0000;     // combination starting 11: large-coefficient form
    private const ulong Form1CoefficientHighMask = 0x0001_FFFF_FFFF_FFFF; // 49 bits

    // 10^0 .. 10^38: every power of ten that fits an UInt128.
    private static readonly UInt128[] s_powersOf10 = BuildPowersOf10();

    private static readonly UInt128 s_maxCoefficient = s_powersOf10[MaxDigits] - 1;

    /// <summary>A quiet, positive NaN.</summary>
    public static Decimal128 NaN { get; } = new(NaNBits, 0);

    /// <summary>Positive infinity.</summary>
    public static Decimal128 PositiveInfinity { get; } = new(InfinityBits, 0);

    /// <summary>Negative infinity.</summary>
    public static Decimal128 NegativeInfinity { get; } = new(SignBit | InfinityBits, 0);

    /// <summary>Zero with exponent 0 (<c>"0"</c>).</summary>
    public static Decimal128 Zero { get; } = new((ulong)ExponentBias << 49, 0);

    /// <summary>One with exponent 0 (<c>"1"</c>).</summary>
    public static Decimal128 One { get; } = new((ulong)ExponentBias << 49, 1);

    /// <summary>Minus one with exponent 0 (<c>"-1"</c>).</summary>
    public static Decimal128 MinusOne { get; } = new(SignBit | ((ulong)ExponentBias << 49), 1);

    /// <summary>The largest finite value, <c>9.999999999999999999999999999999999E+6144</c>.</summary>
    public static Decimal128 MaxValue { get; } = Encode(false, s_maxCoefficient, MaxExponent);

    /// <summary>The smallest finite value, <c>-9.999999999999999999999999999999999E+6144</c>.</summary>
    public static Decimal128 MinValue { get; } = Encode(true, s_maxCoefficient, MaxExponent);

    /// <summary>True for every NaN encoding (quiet or signalling, any sign, any payload).</summary>
    public static bool IsNaN(Decimal128 value) => (value.HighBits & CombinationMask) == NaNBits;

    /// <summary>True for positive or negative infinity.</summary>
    public static bool IsInfinity(Decimal128 value) => (value.HighBits & CombinationMask) == InfinityBits;

    /// <summary>True for positive infinity.</summary>
    public static bool IsPositiveInfinity(Decimal128 value) => IsInfinity(value) && (value.HighBits & SignBit) == 0;

    /// <summary>True for negative infinity.</summary>
    public static bool IsNegativeInfinity(Decimal128 value) => IsInfinity(value) && (value.HighBits & SignBit) != 0;

    /// <summary>True when the value is neither NaN nor infinite.</summary>
    public static bool IsFinite(Decimal128 value) => (value.HighBits & InfinityBits) != InfinityBits;

    /// <summary>True when the sign bit is set and the value is not NaN (so <c>-0</c> and negative infinity are negative).</summary>
    public static bool IsNegative(Decimal128 value) => (value.HighBits & SignBit) != 0 && !IsNaN(value);

    /// <summary>
    /// True for a finite value whose coefficient is zero, whatever its sign and exponent. Non-canonical
    /// encodings (coefficient above 10^34 - 1) are zeros, as IEEE 754-2008 requires.
    /// </summary>
    public static bool IsZero(Decimal128 value) => value.TryGetFinite(out _, out UInt128 coefficient, out _) && coefficient == 0;

    /// <summary>
    /// Compares numerically: NaN sorts below everything (and equal to any NaN), then negative infinity,
    /// finite values by value (<c>1.0</c> and <c>1.00</c> compare equal, as do <c>0</c> and <c>-0</c>),
    /// then positive infinity. <see cref="Equals(Decimal128)"/> stays bitwise, so equal-comparing values
    /// with different exponents are not <see cref="Equals(Decimal128)"/>.
    /// </summary>
    public int CompareTo(Decimal128 other)
    {
        bool thisNaN = IsNaN(this), otherNaN = IsNaN(other);
        if (thisNaN || otherNaN)
        {
            return thisNaN == otherNaN ? 0 : thisNaN ? -1 : 1;
        }

        int thisRank = InfinityRank(this), otherRank = InfinityRank(other);
        if (thisRank != 0 || otherRank != 0)
        {
            return thisRank.CompareTo(otherRank);
        }

        TryGetFinite(out bool thisNegative, out UInt128 thisCoefficient, out int thisExponent);
        other.TryGetFinite(out bool otherNegative, out UInt128 otherCoefficient, out int otherExponent);
        bool thisZero = thisCoefficient == 0, otherZero = otherCoefficient == 0;
        if (thisZero && otherZero)
        {
            return 0;
        }

        int thisSign = thisZero ? 0 : thisNegative ? -1 : 1;
        int otherSign = otherZero ? 0 : otherNegative ? -1 : 1;
        if (thisSign != otherSign)
        {
            return thisSign.CompareTo(otherSign);
        }

        int magnitude = CompareMagnitude(thisCoefficient, thisExponent, otherCoefficient, otherExponent);
        return thisSign < 0 ? -magnitude : magnitude;
    }

    /// <inheritdoc />
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        Decimal128 other => CompareTo(other),
        _ => throw new ArgumentException("Object must be of type Decimal128.", nameof(obj)),
    };

    /// <summary>Numeric less-than (see <see cref="CompareTo(Decimal128)"/> for NaN ordering).</summary>
    public static bool operator <(Decimal128 left, Decimal128 right) => left.CompareTo(right) < 0;

    /// <summary>Numeric less-than-or-equal (see <see cref="CompareTo(Decimal128)"/> for NaN ordering).</summary>
    public static bool operator <=(Decimal128 left, Decimal128 right) => left.CompareTo(right) <= 0;

    /// <summary>Numeric greater-than (see <see cref="CompareTo(Decimal128)"/> for NaN ordering).</summary>
    public static bool operator >(Decimal128 left, Decimal128 right) => left.CompareTo(right) > 0;

    /// <summary>Numeric greater-than-or-equal (see <see cref="CompareTo(Decimal128)"/> for NaN ordering).</summary>
    public static bool operator >=(Decimal128 left, Decimal128 right) => left.CompareTo(right) >= 0;

    /// <summary>
    /// Splits a finite value into sign, coefficient and unbiased exponent; false for NaN and infinities.
    /// Non-canonical coefficients (above 10^34 - 1, including every large-coefficient-form encoding) read as zero.
    /// </summary>
    internal bool TryGetFinite(out bool negative, out UInt128 coefficient, out int exponent)
    {
        ulong high = HighBits;
        negative = (high & SignBit) != 0;
        if ((high & InfinityBits) == InfinityBits)
        {
            coefficient = 0;
            exponent = 0;
            return false;
        }

        if ((high & TwoHighBits) == TwoHighBits)
        {
            // Large-coefficient form: the implied coefficient 0b100... exceeds 10^34 - 1, so the value is zero.
            exponent = (int)((high >> 47) & 0x3FFF) - ExponentBias;
            coefficient = 0;
            return true;
        }

        exponent = (int)((high >> 49) & 0x3FFF) - ExponentBias;
        coefficient = new UInt128(high & Form1CoefficientHighMask, LowBits);
        if (coefficient > s_maxCoefficient)
        {
            coefficient = 0;
        }

        return true;
    }

    /// <summary>Builds the canonical (small-coefficient form) encoding; the caller guarantees the ranges.</summary>
    internal static Decimal128 Encode(bool negative, UInt128 coefficient, int exponent)
    {
        ulong high = (negative ? SignBit : 0) | ((ulong)(exponent + ExponentBias) << 49) | (ulong)(coefficient >> 64);
        return new Decimal128(high, (ulong)coefficient);
    }

    internal static UInt128 PowerOf10(int exponent) => s_powersOf10[exponent];

    /// <summary>Number of decimal digits of a coefficient (1 for zero).</summary>
    internal static int DigitCount(UInt128 value)
    {
        int digits = 1;
        while (digits < s_powersOf10.Length && value >= s_powersOf10[digits])
        {
            digits++;
        }

        return digits;
    }

    private static int InfinityRank(Decimal128 value) =>
        !IsInfinity(value) ? 0 : (value.HighBits & SignBit) != 0 ? -1 : 1;

    private static int CompareMagnitude(UInt128 a, int aExponent, UInt128 b, int bExponent)
    {
        if (a == 0 || b == 0)
        {
            return a == 0 ? (b == 0 ? 0 : -1) : 1;
        }

        int aDigits = DigitCount(a), bDigits = DigitCount(b);
        int aAdjusted = aExponent + aDigits - 1, bAdjusted = bExponent + bDigits - 1;
        if (aAdjusted != bAdjusted)
        {
            return aAdjusted.CompareTo(bAdjusted);
        }

        // Same magnitude order: scale the shorter coefficient up so both have the same digit count (both stay < 10^34).
        if (aDigits < bDigits)
        {
            a *= s_powersOf10[bDigits - aDigits];
        }
        else if (bDigits < aDigits)
        {
            b *= s_powersOf10[aDigits - bDigits];
        }

        return a.CompareTo(b);
    }

    private static UInt128[] BuildPowersOf10()
    {
        var powers = new UInt128[39];
        UInt128 value = 1;
        for (int i = 0; i < powers.Length; i++)
        {
            powers[i] = value;
            value *= 10;
        }

        return powers;
    }
}
