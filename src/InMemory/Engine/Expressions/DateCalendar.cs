namespace Mongo.InMemory.Engine.Expressions;

/// <summary>
/// Proleptic Gregorian calendar arithmetic on milliseconds since the epoch (long), so that every BSON date, including
/// those outside DateTime's years 1-9999, has parts; the day/civil conversions are the well-known era-based ones.
/// </summary>
internal static class DateCalendar
{
    public const long MillisPerDay = 86_400_000;

    /// <summary>The broken-down parts of a (local) millisecond count.</summary>
    public readonly record struct Parts(long Year, int Month, int Day, int Hour, int Minute, int Second, int Millisecond, long Days)
    {
        /// <summary>1 (Monday) to 7 (Sunday).</summary>
        public int IsoDayOfWeek => (int)(FloorMod(Days + 3, 7) + 1);

        /// <summary>1 (Sunday) to 7 (Saturday), as $dayOfWeek.</summary>
        public int DayOfWeek => (int)(FloorMod(Days + 4, 7) + 1);

        public int DayOfYear => (int)(Days - DaysFromCivil(Year, 1, 1) + 1);
    }

    public static long FloorDiv(long a, long b) => a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);

    public static long FloorMod(long a, long b) => a - FloorDiv(a, b) * b;

    public static Parts Split(long millis)
    {
        var days = FloorDiv(millis, MillisPerDay);
        var ms = millis - days * MillisPerDay;
        var (y, m, d) = CivilFromDays(days);
        return new Parts(y, m, d, (int)(ms / 3_600_000), (int)(ms / 60_000 % 60), (int)(ms / 1000 % 60), (int)(ms % 1000), days);
    }

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (month 1-12, day 1-31).</summary>
    public static long DaysFromCivil(long y, int m, int d)
    {
        y -= m <= 2 ? 1 : 0;
        var era = FloorDiv(y, 400);
        var yoe = y - era * 400;
        var mp = (m + 9) % 12;
        var doy = (153 * mp + 2) / 5 + d - 1;
        var doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    public static (long Year, int Month, int Day) CivilFromDays(long z)
    {
        z += 719468;
        var era = FloorDiv(z, 146097);
        var doe = z - era * 146097;
        var yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        var y = yoe + era * 400;
        var doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        var mp = (5 * doy + 2) / 153;
        var d = (int)(doy - (153 * mp + 2) / 5 + 1);
        var m = (int)(mp < 10 ? mp + 3 : mp - 9);
        return (m <= 2 ? y + 1 : y, m, d);
    }

    /// <summary>Days since the epoch of a year/month where the month may be any integer (carried into the year).</summary>
    public static long DaysFromYearMonth(long year, long month, long day)
    {
        var months = year * 12 + (month - 1);
        var y = FloorDiv(months, 12);
        var m = (int)(months - y * 12) + 1;
        return DaysFromCivil(y, m, 1) + day - 1;
    }

    /// <summary>The days-since-epoch of the Monday that starts ISO week 1 of <paramref name="isoYear"/>.</summary>
    public static long IsoYearStart(long isoYear)
    {
        var jan4 = DaysFromCivil(isoYear, 1, 4);
        return jan4 - FloorMod(jan4 + 3, 7);
    }

    /// <summary>The ISO week-numbering year and week of a day.</summary>
    public static (long Year, int Week) IsoWeek(long days)
    {
        var thursday = days - FloorMod(days + 3, 7) + 3;
        var year = CivilFromDays(thursday).Year;
        return (year, (int)((thursday - DaysFromCivil(year, 1, 1)) / 7) + 1);
    }

    /// <summary>mongod's $week: weeks start on Sunday, days before the year's first Sunday are week 0.</summary>
    public static int Week(Parts p)
    {
        var jan1 = DaysFromCivil(p.Year, 1, 1);
        var jan1DayOfWeek = (int)FloorMod(jan1 + 4, 7); // 0 = Sunday
        return (p.DayOfYear - 1 + jan1DayOfWeek) / 7;
    }

    public static long DaysInMonth(long year, int month) =>
        DaysFromYearMonth(year, month + 1, 1) - DaysFromYearMonth(year, month, 1);

    /// <summary>Adds months on the calendar, clamping the day to the target month's last day (as $dateAdd does).</summary>
    public static long AddMonths(long localMillis, long months)
    {
        var p = Split(localMillis);
        var total = p.Year * 12 + (p.Month - 1) + months;
        var y = FloorDiv(total, 12);
        var m = (int)(total - y * 12) + 1;
        var day = Math.Min(p.Day, DaysInMonth(y, m));
        var timeOfDay = localMillis - p.Days * MillisPerDay;
        return (DaysFromCivil(y, m, (int)day)) * MillisPerDay + timeOfDay;
    }
}
