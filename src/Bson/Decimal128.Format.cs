using System.Globalization;

namespace Mongo.Bson;

/// <summary>String formatting per the BSON Decimal128 specification ("To String Representation").</summary>
public readonly partial struct Decimal128 : ISpanFormattable
{
    /// <summary>Upper bound of the characters <see cref="ToString()"/> produces (sign, 34 digits, point, exponent or leading zeros).</summary>
    internal const int MaxFormattedLength = 48;

    /// <summary>
    /// The specification's string form: <c>NaN</c> for every NaN, <c>Infinity</c>/<c>-Infinity</c>, otherwise
    /// the coefficient's digits with a decimal point when the exponent is negative and the adjusted exponent is
    /// at least -6 (e.g. <c>0.001230</c>, <c>-0</c>), else scientific form (<c>1.23E+5</c>, <c>1E-7</c>).
    /// This is also the <c>$numberDecimal</c> string of Extended JSON.
    /// </summary>
    public override string ToString()
    {
        Span<char> buffer = stackalloc char[MaxFormattedLength];
        TryFormat(buffer, out int written);
        return new string(buffer[..written]);
    }

    /// <summary>Same as <see cref="ToString()"/>: the format and provider are ignored (the form is fixed and culture-invariant).</summary>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>Writes <see cref="ToString()"/> into <paramref name="destination"/>; false when it is too small.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        Span<char> buffer = stackalloc char[MaxFormattedLength];
        int length = FormatCore(buffer);
        if (length > destination.Length)
        {
            charsWritten = 0;
            return false;
        }

        buffer[..length].CopyTo(destination);
        charsWritten = length;
        return true;
    }

    /// <summary>Same as <see cref="TryFormat(Span{char}, out int)"/>: the format and provider are ignored.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        TryFormat(destination, out charsWritten);

    private int FormatCore(Span<char> buffer)
    {
        if (!TryGetFinite(out bool negative, out UInt128 coefficient, out int exponent))
        {
            string special = IsNaN(this) ? "NaN" : negative ? "-Infinity" : "Infinity";
            special.CopyTo(buffer);
            return special.Length;
        }

        Span<char> digits = stackalloc char[40];
        coefficient.TryFormat(digits, out int digitCount, default, CultureInfo.InvariantCulture);
        digits = digits[..digitCount];

        int pos = 0;
        if (negative)
        {
            buffer[pos++] = '-';
        }

        int adjusted = exponent + (digitCount - 1);
        if (exponent <= 0 && adjusted >= -6)
        {
            if (exponent == 0)
            {
                digits.CopyTo(buffer[pos..]);
                return pos + digitCount;
            }

            int fraction = -exponent;
            if (digitCount > fraction)
            {
                int integral = digitCount - fraction;
                digits[..integral].CopyTo(buffer[pos..]);
                pos += integral;
                buffer[pos++] = '.';
                digits[integral..].CopyTo(buffer[pos..]);
                return pos + fraction;
            }

            buffer[pos++] = '0';
            buffer[pos++] = '.';
            int zeros = fraction - digitCount;
            buffer.Slice(pos, zeros).Fill('0');
            pos += zeros;
            digits.CopyTo(buffer[pos..]);
            return pos + digitCount;
        }

        buffer[pos++] = digits[0];
        if (digitCount > 1)
        {
            buffer[pos++] = '.';
            digits[1..].CopyTo(buffer[pos..]);
            pos += digitCount - 1;
        }

        buffer[pos++] = 'E';
        buffer[pos++] = adjusted < 0 ? '-' : '+';
        Math.Abs(adjusted).TryFormat(buffer[pos..], out int exponentLength, default, CultureInfo.InvariantCulture);
        return pos + exponentLength;
    }
}
