using System.Globalization;
using System.Text;
using Mongo.Bson;

namespace Mongo.InMemory.Engine.Expressions;

/// <summary>The date expressions, all time-zone aware ($year...$week, $isoWeek, $dateToString, $dateToParts, $dateFromParts).</summary>
internal static partial class ExpressionEvaluator
{
    private static readonly HashSet<string> DateOperators =
    [
        "$year", "$month", "$dayOfMonth", "$hour", "$minute", "$second", "$millisecond", "$dayOfWeek", "$dayOfYear",
        "$isoDayOfWeek", "$week", "$isoWeek", "$isoWeekYear", "$dateToString", "$dateAdd", "$dateSubtract", "$dateDiff",
        "$dateToParts", "$dateFromParts", "$dateFromString", "$dateTrunc",
    ];

    private static BsonValue? DateOperator(string op, BsonValue operand, ExprScope scope)
    {
        switch (op)
        {
            case "$year":
            case "$month":
            case "$dayOfMonth":
            case "$hour":
            case "$minute":
            case "$second":
            case "$millisecond":
            case "$dayOfWeek":
            case "$dayOfYear":
            case "$isoDayOfWeek":
            case "$week":
            case "$isoWeek":
            case "$isoWeekYear":
                return DatePart(op, operand, scope);
            case "$dateToString": return DateToString(operand, scope);
            case "$dateToParts": return DateToParts(operand, scope);
            case "$dateFromParts": return DateFromParts(operand, scope);
            case "$dateFromString": return DateFromString(operand, scope);
            case "$dateTrunc": return DateTrunc(operand, scope);
            case "$dateAdd":
            case "$dateSubtract":
                return DateAdd(op, operand, scope);
            case "$dateDiff": return DateDiff(operand, scope);
            case "$toHashedIndexKey":
                return new BsonInt64(BsonOrder.Key(Evaluate(operand, scope)).GetHashCode());
            default:
                return ExtraOperator(op, operand, scope);
        }
    }

    /// <summary>The one-part extractors, in their three forms: an expression, a one-element array, or {date, timezone}.</summary>
    private static BsonValue? DatePart(string op, BsonValue operand, ExprScope scope)
    {
        BsonValue dateExpr = operand;
        var zone = DateZone.Utc;
        if (operand is BsonArray arr)
        {
            if (arr.Count != 1) throw Errors.Location(40536, op + " accepts exactly one argument if given an array, but was given " + arr.Count);
            dateExpr = arr[0];
        }
        else if (operand is BsonDocument d && (d.ElementCount == 0 || !d.GetElement(0).Name.StartsWith('$')))
        {
            foreach (var (name, _) in d)
                if (name is not ("date" or "timezone")) throw Errors.Location(40535, "unrecognized option to " + op + ": \"" + name + "\"");
            if (!d.TryGetValue("date", out var de)) throw Errors.Location(40539, "missing 'date' argument to " + op + ", provided: " + Shell.Format(d));
            dateExpr = de;
            if (d.TryGetValue("timezone", out var tz))
            {
                var z = DateZone.Parse(Evaluate(tz, scope));
                if (z is null) return BsonNull.Value;
                zone = z;
            }
        }
        var v = Evaluate(dateExpr, scope);
        if (IsNullish(v)) return BsonNull.Value;
        var p = DateCalendar.Split(zone.ToLocal(DateMillis(op, v!)));
        return op switch
        {
            "$year" => new BsonInt32((int)p.Year),
            "$month" => p.Month,
            "$dayOfMonth" => p.Day,
            "$hour" => p.Hour,
            "$minute" => p.Minute,
            "$second" => p.Second,
            "$millisecond" => p.Millisecond,
            "$dayOfWeek" => p.DayOfWeek,
            "$isoDayOfWeek" => p.IsoDayOfWeek,
            "$week" => DateCalendar.Week(p),
            "$isoWeek" => DateCalendar.IsoWeek(p.Days).Week,
            "$isoWeekYear" => new BsonInt64(DateCalendar.IsoWeek(p.Days).Year),
            _ => p.DayOfYear,
        };
    }

    /// <summary>A date-like value (date, timestamp, ObjectId) as milliseconds since the epoch; anything else is 16006.</summary>
    private static long DateMillis(string op, BsonValue v) => v switch
    {
        BsonDateTime dt => dt.MillisecondsSinceEpoch,
        BsonTimestamp ts => ts.Timestamp * 1000L,
        BsonObjectId o => o.Value.Timestamp * 1000L,
        _ => throw Errors.Location(16006, "can't convert from BSON type " + BsonOrder.TypeName(v) + " to Date"),
    };

    /// <summary>Reads the optional timezone field: UTC when absent, null when it evaluates to null (the result is then null).</summary>
    private static DateZone? ZoneOf(BsonDocument spec, ExprScope scope) =>
        spec.TryGetValue("timezone", out var tz) ? DateZone.Parse(Evaluate(tz, scope)) : DateZone.Utc;

    private static void CheckFields(BsonDocument spec, string op, int code, params string[] allowed)
    {
        foreach (var (name, _) in spec)
            if (Array.IndexOf(allowed, name) < 0) throw Errors.Location(code, "Unrecognized argument to " + op + ": " + name);
    }

    private static BsonValue? DateToString(BsonValue operand, ExprScope scope)
    {
        if (operand is not BsonDocument spec) throw Errors.Location(18629, "$dateToString only supports an object as its argument");
        foreach (var (name, _) in spec)
            if (name is not ("date" or "format" or "timezone" or "onNull"))
                throw Errors.Location(18534, "Unrecognized argument to $dateToString: " + name);
        if (!spec.TryGetValue("date", out var dateExpr)) throw Errors.Location(18628, "Missing 'date' parameter to $dateToString");
        var v = Evaluate(dateExpr, scope);
        if (!TryFormatArgument(spec, scope, "$dateToString", 18533, out string? format)) return BsonNull.Value;
        var zone = ZoneOf(spec, scope);
        if (IsNullish(v)) return spec.TryGetValue("onNull", out var onNull) ? Evaluate(onNull, scope) : BsonNull.Value;
        if (zone is null) return BsonNull.Value;
        // Without a format the ISO form: with a Z for UTC, without one for any other zone (the digits are local).
        format ??= ReferenceEquals(zone, DateZone.Utc) ? "%Y-%m-%dT%H:%M:%S.%LZ" : "%Y-%m-%dT%H:%M:%S.%L";
        var utc = DateMillis("$dateToString", v!);
        return FormatDate(zone.ToLocal(utc), zone.OffsetMillisAt(utc), format);
    }

    /// <summary>
    /// The optional 'format' argument of $dateToString/$dateFromString, validated (null when absent). False when it
    /// evaluates to null or missing: the whole expression is then null.
    /// </summary>
    private static bool TryFormatArgument(BsonDocument spec, ExprScope scope, string op, int notStringCode, out string? format)
    {
        format = null;
        if (!spec.TryGetValue("format", out var expression)) return true;
        var value = Evaluate(expression, scope);
        if (IsNullish(value)) return false;
        if (value is not BsonString text)
            throw Errors.Location(notStringCode, op + " requires that 'format' be a string, found: " + BsonOrder.TypeName(value) + " with value " + Shell.Format(value));
        ValidateFormat(text.Value);
        format = text.Value;
        return true;
    }

    /// <summary>English month names, as %B writes them (title case, mongod 7.0+); %b writes their first three letters.</summary>
    private static readonly string[] s_monthNames =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static void ValidateFormat(string format)
    {
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%') continue;
            if (i + 1 >= format.Length) throw Errors.Location(18535, "Unmatched '%' at end of format string");
            if ("bBdGHjLmMSuUVwYzZ%".IndexOf(format[++i], StringComparison.Ordinal) < 0)
                throw Errors.Location(18536, "Invalid format character '%" + format[i] + "' in format string");
        }
    }

    private static string FormatDate(long localMillis, long offsetMillis, string format)
    {
        var p = DateCalendar.Split(localMillis);
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%') { sb.Append(format[i]); continue; }
            var c = format[++i];
            switch (c)
            {
                case 'Y': sb.Append(FourDigits(p.Year)); break;
                case 'G': sb.Append(FourDigits(DateCalendar.IsoWeek(p.Days).Year)); break;
                case 'm': sb.Append(Pad(p.Month, 2)); break;
                case 'b': sb.Append(s_monthNames[p.Month - 1].AsSpan(0, 3)); break;
                case 'B': sb.Append(s_monthNames[p.Month - 1]); break;
                case 'd': sb.Append(Pad(p.Day, 2)); break;
                case 'H': sb.Append(Pad(p.Hour, 2)); break;
                case 'M': sb.Append(Pad(p.Minute, 2)); break;
                case 'S': sb.Append(Pad(p.Second, 2)); break;
                case 'L': sb.Append(Pad(p.Millisecond, 3)); break;
                case 'j': sb.Append(Pad(p.DayOfYear, 3)); break;
                case 'w': sb.Append(p.DayOfWeek.ToString(CultureInfo.InvariantCulture)); break;
                case 'u': sb.Append(p.IsoDayOfWeek.ToString(CultureInfo.InvariantCulture)); break;
                case 'U': sb.Append(Pad(DateCalendar.Week(p), 2)); break;
                case 'V': sb.Append(Pad(DateCalendar.IsoWeek(p.Days).Week, 2)); break;
                case 'z':
                    {
                        var minutes = Math.Abs(offsetMillis / 60_000);
                        sb.Append(offsetMillis < 0 ? '-' : '+').Append(Pad((int)(minutes / 60), 2)).Append(Pad((int)(minutes % 60), 2));
                        break;
                    }
                case 'Z':
                    {
                        var minutes = offsetMillis / 60_000;
                        sb.Append(minutes < 0 ? '-' : '+').Append(Pad((int)Math.Abs(minutes), 3));
                        break;
                    }
                case '%': sb.Append('%'); break;
                default: throw Errors.Location(18536, "Invalid format character '%" + c + "' in format string");
            }
        }
        return sb.ToString();
    }

    private static string FourDigits(long year)
    {
        if (year is < 0 or > 9999)
            throw Errors.Location(18537, "Could not convert date to string: date component was outside the supported range of 0-9999: " + year);
        return Pad((int)year, 4);
    }

    private static string Pad(int value, int width) => value.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');

    private static BsonValue? DateToParts(BsonValue operand, ExprScope scope)
    {
        if (operand is not BsonDocument spec) throw Errors.Location(40524, "$dateToParts only supports an object as its argument");
        CheckFields(spec, "$dateToParts", 40520, "date", "timezone", "iso8601");
        if (!spec.TryGetValue("date", out var dateExpr)) throw Errors.Location(40522, "Missing 'date' parameter to $dateToParts");
        var v = Evaluate(dateExpr, scope);
        var zone = ZoneOf(spec, scope);
        var iso = false;
        if (spec.TryGetValue("iso8601", out var isoExpr))
        {
            var isoValue = Evaluate(isoExpr, scope);
            if (IsNullish(isoValue)) return BsonNull.Value;
            if (isoValue is not BsonBoolean b) throw Errors.Location(40521, "iso8601 must evaluate to a bool, found " + BsonOrder.TypeName(isoValue));
            iso = b.Value;
        }
        if (IsNullish(v) || zone is null) return BsonNull.Value;
        var p = DateCalendar.Split(zone.ToLocal(DateMillis("$dateToParts", v!)));
        var result = new BsonDocument();
        if (iso)
        {
            var (year, week) = DateCalendar.IsoWeek(p.Days);
            result.Add("isoWeekYear", (int)year).Add("isoWeek", week).Add("isoDayOfWeek", p.IsoDayOfWeek);
        }
        else result.Add("year", (int)p.Year).Add("month", p.Month).Add("day", p.Day);
        return result.Add("hour", p.Hour).Add("minute", p.Minute).Add("second", p.Second).Add("millisecond", p.Millisecond);
    }

    private static BsonValue? DateFromParts(BsonValue operand, ExprScope scope)
    {
        if (operand is not BsonDocument spec) throw Errors.Location(40519, "$dateFromParts only supports an object as its argument");
        CheckFields(spec, "$dateFromParts", 40518, "year", "month", "day", "hour", "minute", "second", "millisecond",
            "isoWeekYear", "isoWeek", "isoDayOfWeek", "timezone");
        var hasYear = spec.Contains("year");
        var hasIso = spec.Contains("isoWeekYear");
        if (!hasYear && !hasIso) throw Errors.Location(40516, "$dateFromParts requires either 'year' or 'isoWeekYear' to be present");
        if (hasYear && (hasIso || spec.Contains("isoWeek") || spec.Contains("isoDayOfWeek")))
            throw Errors.Location(40489, "$dateFromParts does not allow mixing natural dates with ISO dates");
        if (hasIso && (spec.Contains("month") || spec.Contains("day")))
            throw Errors.Location(40525, "$dateFromParts does not allow mixing ISO dates with natural dates");

        // Every part is evaluated before any null short-circuits, as mongod does, so a bad part fails even next to a null.
        var names = hasYear
            ? new[] { "year", "month", "day", "hour", "minute", "second", "millisecond" }
            : new[] { "isoWeekYear", "isoWeek", "isoDayOfWeek", "hour", "minute", "second", "millisecond" };
        var values = new long[names.Length];
        var anyNull = false;
        for (var i = 0; i < names.Length; i++)
        {
            var isDateDefault = i is 1 or 2;
            if (!spec.TryGetValue(names[i], out var e)) { values[i] = isDateDefault ? 1 : 0; continue; }
            var v = Evaluate(e, scope);
            if (IsNullish(v)) { anyNull = true; continue; }
            values[i] = PartValue(names[i], v!);
        }
        var zone = ZoneOf(spec, scope);
        if (anyNull || zone is null) return BsonNull.Value;

        if (values[0] is < 1 or > 9999)
            throw Errors.Location(hasYear ? 40523 : 31095, "'" + names[0] + "' must evaluate to an integer in the range 1 to 9999, found " + values[0]);
        // Parts outside their usual ranges carry into the larger ones (month 13 is next January, day 0 the last of the
        // previous month); the milliseconds part alone may be as large as a long.
        long days = hasYear
            ? DateCalendar.DaysFromYearMonth(values[0], values[1], values[2])
            : DateCalendar.IsoYearStart(values[0]) + (values[1] - 1) * 7 + (values[2] - 1);
        long local;
        try
        {
            local = checked(days * DateCalendar.MillisPerDay + values[3] * 3_600_000 + values[4] * 60_000 + values[5] * 1000 + values[6]);
        }
        catch (OverflowException)
        {
            // mongod reports DurationOverflow here; its number is not in our error table, so the nearest code, Overflow.
            throw Errors.Overflow("Overflow casting from a lower-precision duration to a higher-precision duration");
        }
        return new BsonDateTime(zone.ToUtc(local));
    }

    /// <summary>One $dateFromParts part: an integral number (any numeric type), within mongod's bounds.</summary>
    private static long PartValue(string name, BsonValue v)
    {
        var integral = v switch
        {
            BsonInt32 i => (long?)i.Value,
            BsonInt64 l => l.Value,
            BsonDouble or BsonDecimal128 when Math.Truncate(v.ToDouble()) == v.ToDouble() && Math.Abs(v.ToDouble()) < 9.2e18 => (long)v.ToDouble(),
            _ => null,
        };
        if (integral is not { } n)
            throw Errors.Location(40515, "'" + name + "' must evaluate to an integer, found " + BsonOrder.TypeName(v) + " with value " + Shell.Format(v));
        if (name is not ("year" or "isoWeekYear" or "millisecond" or "second") && n is < short.MinValue or > short.MaxValue)
            throw Errors.Location(31034, "'" + name + "' must evaluate to a value in the range [-32768, 32767]; value " + n + " is not in range");
        return n;
    }
}
