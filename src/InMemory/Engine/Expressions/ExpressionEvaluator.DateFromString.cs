using System.Globalization;
using Mongo.Bson;

namespace Mongo.InMemory.Engine.Expressions;

/// <summary>
/// $dateFromString: with a format, mongod's specifiers (%Y %m %b %B %d %H %M %S %L %j %G %V %u %z %Z %%); without one, the
/// ISO 8601 forms ("2017-02-08", "2017-02-08T12:10:40.787", a "Z", "±hh:mm" or Olson zone at the end). Parse failures
/// are ConversionFailure, which onError catches.
/// </summary>
internal static partial class ExpressionEvaluator
{
    private static BsonValue? DateFromString(BsonValue operand, ExprScope scope)
    {
        if (operand is not BsonDocument spec)
            throw Errors.Location(40540, "$dateFromString only supports an object as an argument, found: " + BsonOrder.TypeName(operand));
        foreach (var (name, _) in spec)
            if (name is not ("dateString" or "format" or "timezone" or "onError" or "onNull"))
                throw Errors.Location(40541, "Unrecognized argument to $dateFromString: " + name);
        if (!spec.TryGetValue("dateString", out var stringExpr)) throw Errors.Location(40542, "Missing 'dateString' parameter to $dateFromString");
        var input = Evaluate(stringExpr, scope);
        if (!TryFormatArgument(spec, scope, "$dateFromString", 40684, out string? format)) return BsonNull.Value;
        var zone = ZoneOf(spec, scope);
        if (IsNullish(input)) return spec.TryGetValue("onNull", out var onNull) ? Evaluate(onNull, scope) : BsonNull.Value;
        if (zone is null) return BsonNull.Value;
        try
        {
            if (input is not BsonString s)
                throw Errors.ConversionFailure("$dateFromString requires that 'dateString' be a string, found: " + BsonOrder.TypeName(input) + " with value " + Shell.Format(input));
            var parsed = format is null ? ParseIsoDate(s.Value) : ParseFormatted(s.Value, format);
            if (parsed.Zone is not null && spec.Contains("timezone"))
                throw Errors.ConversionFailure("you cannot pass in a date/time string with time zone information ('" + s.Value + "') together with a timezone argument");
            return new BsonDateTime((parsed.Zone ?? zone).ToUtc(parsed.LocalMillis));
        }
        catch (Commands.CommandException ex) when (ex.Code == 241 && spec.Contains("onError"))
        {
            return Evaluate(spec["onError"], scope);
        }
    }

    private readonly record struct ParsedDate(long LocalMillis, DateZone? Zone);

    private static Commands.CommandException ParseError(string input, string reason) =>
        Errors.ConversionFailure("Error parsing date string '" + input + "'; " + reason);

    private static ParsedDate ParseFormatted(string input, string format)
    {
        long year = 1970, isoYear = 0;
        int month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0, dayOfYear = 0, isoWeek = 0, isoDay = 0;
        bool iso = false;
        DateZone? zone = null;
        var pos = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                if (pos >= input.Length || input[pos] != format[i]) throw ParseError(input, "the string does not match the format at character " + (pos + 1));
                pos++;
                continue;
            }
            var c = format[++i];
            switch (c)
            {
                case 'Y': year = Digits(input, ref pos, 4, 4); break;
                case 'G': isoYear = Digits(input, ref pos, 4, 4); iso = true; break;
                case 'm': month = (int)Digits(input, ref pos, 1, 2); break;
                case 'b':
                case 'B': month = MonthName(input, ref pos); break;
                case 'd': day = (int)Digits(input, ref pos, 1, 2); break;
                case 'H': hour = (int)Digits(input, ref pos, 1, 2); break;
                case 'M': minute = (int)Digits(input, ref pos, 1, 2); break;
                case 'S': second = (int)Digits(input, ref pos, 1, 2); break;
                case 'L': millis = (int)Digits(input, ref pos, 1, 3); break;
                case 'j': dayOfYear = (int)Digits(input, ref pos, 1, 3); break;
                case 'V': isoWeek = (int)Digits(input, ref pos, 1, 2); iso = true; break;
                case 'u': isoDay = (int)Digits(input, ref pos, 1, 1); iso = true; break;
                case 'z':
                case 'Z':
                    zone = ParseZone(input, ref pos) ?? throw ParseError(input, "no time zone found at character " + (pos + 1));
                    break;
                case '%':
                    if (pos >= input.Length || input[pos] != '%') throw ParseError(input, "expected '%' at character " + (pos + 1));
                    pos++;
                    break;
                default:
                    throw ParseError(input, "the format specifier '%" + c + "' is not supported by $dateFromString");
            }
        }
        if (pos != input.Length) throw ParseError(input, "trailing data at character " + (pos + 1));
        long days;
        if (iso)
            days = DateCalendar.IsoYearStart(isoYear) + (Math.Max(isoWeek, 1) - 1) * 7 + (Math.Max(isoDay, 1) - 1);
        else if (dayOfYear > 0)
            days = DateCalendar.DaysFromCivil(year, 1, 1) + dayOfYear - 1;
        else
        {
            CheckDate(input, year, month, day);
            days = DateCalendar.DaysFromCivil(year, month, day);
        }
        CheckTime(input, hour, minute, second);
        return new ParsedDate(days * DateCalendar.MillisPerDay + hour * 3_600_000L + minute * 60_000L + second * 1000L + millis, zone);
    }

    /// <summary>
    /// A month by name for %b or %B, read as mongod's date library reads a textual month for either: separators
    /// (space, tab, '-', '.', '/') skipped, then a word matched without regard to case against the English names, their
    /// three-letter abbreviations, "sept" and the roman numerals I-XII.
    /// </summary>
    private static int MonthName(string input, ref int pos)
    {
        while (pos < input.Length && input[pos] is ' ' or '\t' or '-' or '.' or '/') pos++;
        var start = pos;
        while (pos < input.Length && char.IsAsciiLetter(input[pos])) pos++;
        var word = input[start..pos].ToLowerInvariant();
        for (var m = 0; m < 12; m++)
        {
            var name = s_monthNames[m].ToLowerInvariant();
            if (word == name || word == name[..3] || word == s_romanMonths[m]) return m + 1;
        }

        if (word == "sept") return 9;
        throw ParseError(input, "no month name found at character " + (start + 1));
    }

    private static readonly string[] s_romanMonths = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"];

    /// <summary>The ISO 8601 forms mongod reads without a format: a date, optionally a time, optionally a zone.</summary>
    private static ParsedDate ParseIsoDate(string input)
    {
        var pos = 0;
        var text = input.Trim();
        var year = Digits(text, ref pos, 4, 4, input);
        var separator = pos < text.Length ? text[pos] : '\0';
        if (separator is not ('-' or '/')) throw ParseError(input, "expected a date such as 2017-02-08");
        pos++;
        var month = (int)Digits(text, ref pos, 1, 2, input);
        Expect(text, ref pos, separator, input);
        var day = (int)Digits(text, ref pos, 1, 2, input);
        CheckDate(input, year, month, day);
        int hour = 0, minute = 0, second = 0, millis = 0;
        if (pos < text.Length && (text[pos] == 'T' || text[pos] == ' ') && pos + 1 < text.Length && char.IsAsciiDigit(text[pos + 1]))
        {
            pos++;
            hour = (int)Digits(text, ref pos, 2, 2, input);
            Expect(text, ref pos, ':', input);
            minute = (int)Digits(text, ref pos, 2, 2, input);
            if (pos < text.Length && text[pos] == ':')
            {
                pos++;
                second = (int)Digits(text, ref pos, 2, 2, input);
                if (pos < text.Length && text[pos] == '.')
                {
                    pos++;
                    var start = pos;
                    var fraction = Digits(text, ref pos, 1, 9, input);
                    var length = pos - start;
                    millis = (int)(length >= 3 ? fraction / (long)Math.Pow(10, length - 3) : fraction * (long)Math.Pow(10, 3 - length));
                }
            }
            CheckTime(input, hour, minute, second);
        }
        DateZone? zone = null;
        if (pos < text.Length)
        {
            while (pos < text.Length && text[pos] == ' ') pos++;
            zone = ParseZone(text, ref pos);
            if (zone is null || pos != text.Length) throw ParseError(input, "trailing data at character " + (pos + 1));
        }
        var days = DateCalendar.DaysFromCivil(year, month, day);
        return new ParsedDate(days * DateCalendar.MillisPerDay + hour * 3_600_000L + minute * 60_000L + second * 1000L + millis, zone);
    }

    /// <summary>A zone written in a date string: Z, UTC/GMT (optionally followed by an offset), ±hh[[:]mm], or an Olson name.</summary>
    private static DateZone? ParseZone(string s, ref int pos)
    {
        var rest = s[pos..];
        if (rest.StartsWith('Z')) { pos++; return DateZone.Utc; }
        foreach (var prefix in new[] { "UTC", "GMT" })
        {
            if (!rest.StartsWith(prefix, StringComparison.Ordinal)) continue;
            pos += prefix.Length;
            return pos < s.Length && s[pos] is '+' or '-' ? ParseZone(s, ref pos) : DateZone.Utc;
        }
        if (rest.Length > 0 && rest[0] is '+' or '-')
        {
            var end = 1;
            while (end < rest.Length && (char.IsAsciiDigit(rest[end]) || rest[end] == ':')) end++;
            var zone = DateZone.FromName(rest[..end]);
            if (zone is not null) pos += end;
            return zone;
        }
        var nameEnd = 0;
        while (nameEnd < rest.Length && rest[nameEnd] != ' ') nameEnd++;
        var named = nameEnd > 0 && rest.Contains('/', StringComparison.Ordinal) ? DateZone.FromName(rest[..nameEnd]) : null;
        if (named is not null) pos += nameEnd;
        return named;
    }

    private static long Digits(string s, ref int pos, int min, int max, string? original = null)
    {
        var start = pos;
        while (pos < s.Length && pos - start < max && char.IsAsciiDigit(s[pos])) pos++;
        if (pos - start < min) throw ParseError(original ?? s, "expected " + (min == max ? min.ToString(CultureInfo.InvariantCulture) : min + " to " + max) + " digits at character " + (start + 1));
        return long.Parse(s.AsSpan(start, pos - start), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static void Expect(string s, ref int pos, char c, string original)
    {
        if (pos >= s.Length || s[pos] != c) throw ParseError(original, "expected '" + c + "' at character " + (pos + 1));
        pos++;
    }

    private static void CheckDate(string input, long year, int month, int day)
    {
        if (month is < 1 or > 12 || day < 1 || day > DateCalendar.DaysInMonth(year, month))
            throw ParseError(input, "The parsed date was invalid");
    }

    private static void CheckTime(string input, int hour, int minute, int second)
    {
        if (hour > 23 || minute > 59 || second > 59) throw ParseError(input, "The parsed time was invalid");
    }
}
