using System.Globalization;

namespace Mongo.Bson;

public readonly partial struct Decimal128
{
    /// <summary>
    /// The double's binary value rounded to 34 significant decimal digits (so <c>0.1</c> becomes
    /// <c>0.1000000000000000055511151231257827</c>). The server compares a Decimal128 with a double through this
    /// form, which is why <c>Decimal128("0.1")</c> and the double <c>0.1</c> are different values to it.
    /// </summary>
    internal static Decimal128 FromDoubleExact(double value)
    {
        if (double.IsNaN(value))
        {
            return NaN;
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? PositiveInfinity : NegativeInfinity;
        }

        // .NET formats doubles exactly (correctly rounded) at any requested precision.
        Span<char> buffer = stackalloc char[48];
        value.TryFormat(buffer, out int written, "E33", CultureInfo.InvariantCulture);
        return Parse(buffer[..written]);
    }

    /// <summary>
    /// A text that two finite values share exactly when <see cref="CompareTo(Decimal128)"/> calls them equal:
    /// the coefficient without trailing zeros and the matching exponent (<c>1.10</c> and <c>1.1</c> give
    /// <c>11E-1</c>; every zero gives <c>0</c>). NaN and the infinities give their names.
    /// </summary>
    internal string ToCanonicalKey()
    {
        if (IsNaN(this))
        {
            return "NaN";
        }

        if (!TryGetFinite(out bool negative, out UInt128 coefficient, out int exponent))
        {
            return negative ? "-Inf" : "Inf";
        }

        if (coefficient == 0)
        {
            return "0";
        }

        while (coefficient % 10 == 0)
        {
            coefficient /= 10;
            exponent++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(negative ? "-" : "")}{coefficient}E{exponent}");
    }

    /// <summary>True (with the value) when this is a whole number within <see cref="long"/>'s range.</summary>
    internal bool TryGetExactInt64(out long value)
    {
        value = 0;
        if (!TryGetFinite(out bool negative, out UInt128 coefficient, out int exponent))
        {
            return false;
        }

        while (exponent < 0 && coefficient != 0 && coefficient % 10 == 0)
        {
            coefficient /= 10;
            exponent++;
        }

        if (coefficient == 0)
        {
            return true;
        }

        if (exponent < 0 || exponent > 18)
        {
            return false;
        }

        if (coefficient > (UInt128)ulong.MaxValue / PowerOf10(exponent))
        {
            return false;
        }

        UInt128 magnitude = coefficient * PowerOf10(exponent);
        if (magnitude > (UInt128)long.MaxValue + (negative ? 1u : 0u))
        {
            return false;
        }

        value = negative ? (long)(0 - (ulong)magnitude) : (long)(ulong)magnitude;
        return true;
    }
}
