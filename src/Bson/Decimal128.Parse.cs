namespace Mongo.Bson;

/// <summary>String parsing per the BSON Decimal128 specification ("From String Representation").</summary>
public readonly partial struct Decimal128
{
    private enum ParseStatus
    {
        Ok,
        Syntax,
        Overflow,
        Inexact,
    }

    /// <summary>
    /// Parses a numeric string: <c>[sign] digits [. digits] [(e|E) [sign] digits]</c>, or (any case)
    /// <c>Infinity</c>, <c>Inf</c>, <c>NaN</c> with an optional sign. No whitespace is allowed. The exponent
    /// is clamped when the value allows it (trailing zeros added or removed); more than 34 significant digits
    /// are accepted only when the digits dropped are zeros.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is null.</exception>
    /// <exception cref="FormatException">The string is not a numeric string.</exception>
    /// <exception cref="OverflowException">The value cannot be represented exactly (overflow, underflow or inexact rounding).</exception>
    public static Decimal128 Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan());
    }

    /// <summary>Parses a numeric string; see <see cref="Parse(string)"/>.</summary>
    /// <exception cref="FormatException">The string is not a numeric string.</exception>
    /// <exception cref="OverflowException">The value cannot be represented exactly (overflow, underflow or inexact rounding).</exception>
    public static Decimal128 Parse(ReadOnlySpan<char> s) => ParseCore(s, out Decimal128 result) switch
    {
        ParseStatus.Ok => result,
        ParseStatus.Syntax => throw new FormatException($"'{Abbreviate(s)}' is not a valid Decimal128 string."),
        ParseStatus.Overflow => throw new OverflowException(
            $"'{Abbreviate(s)}' is outside the Decimal128 range (at most 34 significant digits with an exponent up to {MaxExponent})."),
        _ => throw new OverflowException(
            $"'{Abbreviate(s)}' cannot be represented exactly as a Decimal128: it needs more than 34 significant digits or an exponent below {MinExponent}, and rounding would change its value."),
    };

    /// <summary>Tries to parse a numeric string; see <see cref="Parse(string)"/>. Returns false instead of throwing.</summary>
    public static bool TryParse(string? s, out Decimal128 result)
    {
        if (s is null)
        {
            result = default;
            return false;
        }

        return TryParse(s.AsSpan(), out result);
    }

    /// <summary>Tries to parse a numeric string; see <see cref="Parse(string)"/>. Returns false instead of throwing.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out Decimal128 result)
    {
        if (ParseCore(s, out result) == ParseStatus.Ok)
        {
            return true;
        }

        result = default;
        return false;
    }

    private static ParseStatus ParseCore(ReadOnlySpan<char> s, out Decimal128 result)
    {
        result = default;
        int i = 0;
        bool negative = false;
        if (s.Length > 0 && (s[0] == '+' || s[0] == '-'))
        {
            negative = s[0] == '-';
            i = 1;
        }

        ReadOnlySpan<char> rest = s[i..];
        if (rest.Equals("inf", StringComparison.OrdinalIgnoreCase) || rest.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            result = negative ? NegativeInfinity : PositiveInfinity;
            return ParseStatus.Ok;
        }

        if (rest.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            result = new Decimal128((negative ? SignBit : 0) | NaNBits, 0);
            return ParseStatus.Ok;
        }

        UInt128 coefficient = 0;
        int kept = 0;              // significant digits held in the coefficient (leading zeros excluded)
        long dropped = 0;          // significant digits beyond 34, which must all be zero
        bool droppedNonZero = false;
        bool anyDigit = false;
        bool point = false;
        long fractionDigits = 0;
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsAsciiDigit(c))
            {
                anyDigit = true;
                if (point)
                {
                    fractionDigits++;
                }

                if (kept == 0 && c == '0')
                {
                    continue;
                }

                if (kept < MaxDigits)
                {
                    coefficient = (coefficient * 10) + (uint)(c - '0');
                    kept++;
                }
                else
                {
                    dropped++;
                    droppedNonZero |= c != '0';
                }
            }
            else if (c == '.' && !point)
            {
                point = true;
            }
            else
            {
                break;
            }
        }

        if (!anyDigit)
        {
            return ParseStatus.Syntax;
        }

        long exponent = 0;
        if (i < s.Length)
        {
            if (s[i] != 'e' && s[i] != 'E')
            {
                return ParseStatus.Syntax;
            }

            i++;
            bool exponentNegative = false;
            if (i < s.Length && (s[i] == '+' || s[i] == '-'))
            {
                exponentNegative = s[i] == '-';
                i++;
            }

            if (i == s.Length)
            {
                return ParseStatus.Syntax;
            }

            for (; i < s.Length; i++)
            {
                char c = s[i];
                if (!char.IsAsciiDigit(c))
                {
                    return ParseStatus.Syntax;
                }

                // Saturate: anything this large is clamped or out of range anyway, and must not wrap around.
                if (exponent < 1_000_000_000_000)
                {
                    exponent = (exponent * 10) + (c - '0');
                }
            }

            if (exponentNegative)
            {
                exponent = -exponent;
            }
        }

        if (droppedNonZero)
        {
            return ParseStatus.Inexact;
        }

        exponent = exponent - fractionDigits + dropped;
        if (coefficient == 0)
        {
            // Zeros clamp silently to the representable exponent range: the value is unchanged.
            result = Encode(negative, 0, (int)Math.Clamp(exponent, MinExponent, MaxExponent));
            return ParseStatus.Ok;
        }

        if (exponent > MaxExponent)
        {
            // Clamping: move the exponent into range by appending zeros to the coefficient, if there is room.
            long needed = exponent - MaxExponent;
            if (DigitCount(coefficient) + needed > MaxDigits)
            {
                return ParseStatus.Overflow;
            }

            coefficient *= PowerOf10((int)needed);
            exponent = MaxExponent;
        }

        while (exponent < MinExponent)
        {
            // Only trailing zeros may be removed; a nonzero digit would be lost (underflow, inexact).
            if (coefficient % 10 != 0)
            {
                return ParseStatus.Inexact;
            }

            coefficient /= 10;
            exponent++;
        }

        result = Encode(negative, coefficient, (int)exponent);
        return ParseStatus.Ok;
    }

    private static string Abbreviate(ReadOnlySpan<char> s) =>
        s.Length <= 80 ? s.ToString() : string.Concat(s[..77], "...");
}
