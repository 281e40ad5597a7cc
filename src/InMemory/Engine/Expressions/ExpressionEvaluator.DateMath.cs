using Mongo.Bson;

namespace Mongo.InMemory.Engine.Expressions;

/// <summary>$dateTrunc, $dateAdd, $dateSubtract and $dateDiff, calendar units counted on the zone's wall clock.</summary>
internal static partial class ExpressionEvaluator
{
    private static readonly string[] WeekDays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    // mongod bins $dateTrunc from 2000-01-01T00:00 on the zone's wall clock (a Saturday).
    private static readonly long ReferenceDays = DateCalendar.DaysFromCivil(2000, 1, 1);

    private static BsonValue? DateTrunc(BsonValue operand, ExprScope scope)
    {
        if (operand is not BsonDocument spec) throw Errors.Location(5439007, "$dateTrunc only supports an object as its argument");
        foreach (var (name, _) in spec)
            if (name is not ("date" or "unit" or "binSize" or "timezone" or "startOfWeek"))
                throw Errors.Location(5439008, "Unrecognized argument to $dateTrunc: " + name +
                    ". Expected arguments are date, unit, and optionally, binSize, timezone, startOfWeek");
        if (!spec.TryGetValue("date", out var dateExpr)) throw Errors.Location(5439009, "Missing 'date' parameter to $dateTrunc");
        if (!spec.TryGetValue("unit", out var unitExpr)) throw Errors.Location(5439010, "Missing 'unit' parameter to $dateTrunc");
        var date = Evaluate(dateExpr, scope);
        var unitValue = Evaluate(unitExpr, scope);
        var binValue = spec.TryGetValue("binSize", out var b) ? Evaluate(b, scope) : new BsonInt64(1);
        var zone = ZoneOf(spec, scope);
        if (IsNullish(date) || IsNullish(unitValue) || IsNullish(binValue) || zone is null) return BsonNull.Value;
        if (date is not (BsonDateTime or BsonTimestamp or BsonObjectId))
            throw Errors.Location(5439012, "$dateTrunc requires 'date' to be a date, but got " + BsonOrder.TypeName(date));
        if (unitValue is not BsonString unitString) throw Errors.Location(5439013, "$dateTrunc requires 'unit' to be a string, but got " + BsonOrder.TypeName(unitValue));
        var unit = unitString.Value;
        if (UnitMillis(unit) is null && unit is not ("year" or "quarter" or "month" or "week" or "day"))
            throw Errors.Location(5439014, "$dateTrunc parameter 'unit' value cannot be recognized as a time unit: " + unit);
        var startOfWeek = 0;
        if (unit == "week" && spec.TryGetValue("startOfWeek", out var sowExpr))
        {
            var sow = Evaluate(sowExpr, scope);
            if (IsNullish(sow)) return BsonNull.Value;
            if (sow is not BsonString sows) throw Errors.Location(5439015, "$dateTrunc requires 'startOfWeek' to be a string, but got " + BsonOrder.TypeName(sow));
            startOfWeek = Array.IndexOf(WeekDays, sows.Value.ToLowerInvariant());
            if (startOfWeek < 0) throw Errors.Location(5439016, "$dateTrunc parameter 'startOfWeek' value cannot be recognized as a day of a week: " + sows.Value);
        }
        var binSize = binValue switch
        {
            BsonInt32 i => i.Value,
            BsonInt64 l => l.Value,
            BsonDouble or BsonDecimal128 when Math.Truncate(binValue!.ToDouble()) == binValue.ToDouble() && Math.Abs(binValue.ToDouble()) < 9.2e18 => (long)binValue.ToDouble(),
            _ => throw Errors.Location(5439017, "$dateTrunc requires 'binSize' to be a 64-bit integer, but got value '" + Shell.Format(binValue) + "' of type " + BsonOrder.TypeName(binValue)),
        };
        if (binSize <= 0) throw Errors.Location(5439018, "$dateTrunc requires 'binSize' to be greater than 0, but got value " + binSize);

        var utc = DateMillis("$dateTrunc", date!);
        if (UnitMillis(unit) is { } unitMillis)
        {
            // Sub-day units bin elapsed time from the reference instant, so a bin stays the same length across DST.
            var reference = zone.ToUtc(ReferenceDays * DateCalendar.MillisPerDay);
            var step = unitMillis * binSize;
            return new BsonDateTime(reference + DateCalendar.FloorDiv(utc - reference, step) * step);
        }
        var local = DateCalendar.Split(zone.ToLocal(utc));
        long days;
        switch (unit)
        {
            case "day":
                days = ReferenceDays + DateCalendar.FloorDiv(local.Days - ReferenceDays, binSize) * binSize;
                break;
            case "week":
                {
                    var firstWeek = FirstWeekDayOnOrAfter(ReferenceDays, startOfWeek);
                    days = firstWeek + DateCalendar.FloorDiv(local.Days - firstWeek, 7 * binSize) * 7 * binSize;
                    break;
                }
            default:
                {
                    var months = (unit == "year" ? 12 : unit == "quarter" ? 3 : 1) * binSize;
                    var since = (local.Year - 2000) * 12 + local.Month - 1;
                    var truncated = DateCalendar.FloorDiv(since, months) * months;
                    days = DateCalendar.DaysFromYearMonth(2000, truncated + 1, 1);
                    break;
                }
        }
        return new BsonDateTime(zone.ToUtc(days * DateCalendar.MillisPerDay));
    }

    private static long? UnitMillis(string unit) => unit switch
    {
        "hour" => 3_600_000,
        "minute" => 60_000,
        "second" => 1000,
        "millisecond" => 1,
        _ => null,
    };

    /// <summary>The first day on or after <paramref name="days"/> that falls on <paramref name="weekDay"/> (0 = Sunday).</summary>
    private static long FirstWeekDayOnOrAfter(long days, int weekDay) =>
        days + DateCalendar.FloorMod(weekDay - DateCalendar.FloorMod(days + 4, 7), 7);

    private static BsonValue? DateAdd(string op, BsonValue operand, ExprScope scope)
    {
        if (operand is not BsonDocument spec) throw Errors.Location(5166400, op + " expects an object as its argument");
        foreach (var (name, _) in spec)
            if (name is not ("startDate" or "unit" or "amount" or "timezone"))
                throw Errors.Location(5166401, "Unrecognized argument to " + op + ": " + name +
                    ". Expected arguments are startDate, unit, amount, and optionally timezone.");
        if (!spec.TryGetValue("startDate", out var startExpr) || !spec.TryGetValue("unit", out var unitExpr) || !spec.TryGetValue("amount", out var amountExpr))
            throw Errors.Location(5166402, op + " requires startDate, unit, and amount to be present");
        var start = Evaluate(startExpr, scope);
        var unit = Evaluate(unitExpr, scope);
        if (IsNullish(start) || IsNullish(unit)) return BsonNull.Value;
        var unitName = TimeUnit(op, unit!);
        var amount = Evaluate(amountExpr, scope);
        var zone = ZoneOf(spec, scope);
        if (IsNullish(amount) || zone is null) return BsonNull.Value;
        if (start is not (BsonDateTime or BsonTimestamp or BsonObjectId)) throw Errors.Location(5166403, op + " requires startDate to be convertible to a date");
        var n = amount switch
        {
            BsonInt32 i => i.Value,
            BsonInt64 l => l.Value,
            BsonDouble or BsonDecimal128 when Math.Truncate(amount!.ToDouble()) == amount.ToDouble() && Math.Abs(amount.ToDouble()) < 9.2e18 => (long)amount.ToDouble(),
            _ => throw Errors.Location(5166405, op + " expects integer amount of time units"),
        };
        if (op == "$dateSubtract")
        {
            if (n == long.MinValue) throw Errors.Location(6045000, "invalid $dateSubtract 'amount' parameter value: " + n);
            n = -n;
        }
        var utc = DateMillis(op, start!);
        try
        {
            if (UnitMillis(unitName) is { } ms) return new BsonDateTime(checked(utc + n * ms));
            var local = zone.ToLocal(utc);
            local = unitName switch
            {
                "year" => DateCalendar.AddMonths(local, checked(n * 12)),
                "quarter" => DateCalendar.AddMonths(local, checked(n * 3)),
                "month" => DateCalendar.AddMonths(local, n),
                "week" => checked(local + n * 7 * DateCalendar.MillisPerDay),
                _ => checked(local + n * DateCalendar.MillisPerDay),
            };
            return new BsonDateTime(zone.ToUtc(local));
        }
        catch (OverflowException)
        {
            throw Errors.Location(5166406, "dateAdd overflowed");
        }
    }

    /// <summary>A 'unit' argument of the date arithmetic expressions (mongod's parseTimeUnit).</summary>
    private static string TimeUnit(string op, BsonValue unit)
    {
        if (unit is not BsonString s) throw Errors.Location(5439013, op + " requires 'unit' to be a string, but got " + BsonOrder.TypeName(unit));
        if (UnitMillis(s.Value) is null && s.Value is not ("year" or "quarter" or "month" or "week" or "day"))
            throw Errors.Location(5439014, op + " parameter 'unit' value cannot be recognized as a time unit: " + s.Value);
        return s.Value;
    }

    private static BsonValue? DateDiff(BsonValue operand, ExprScope scope)
    {
        const string op = "$dateDiff";
        if (operand is not BsonDocument spec) throw Errors.Location(5166301, "$dateDiff only supports an object as its argument");
        foreach (var (name, _) in spec)
            if (name is not ("startDate" or "endDate" or "unit" or "timezone" or "startOfWeek"))
                throw Errors.Location(5166302, "Unrecognized argument to $dateDiff: " + name);
        if (!spec.TryGetValue("startDate", out var startExpr)) throw Errors.Location(5166303, "Missing 'startDate' parameter to $dateDiff");
        if (!spec.TryGetValue("endDate", out var endExpr)) throw Errors.Location(5166304, "Missing 'endDate' parameter to $dateDiff");
        if (!spec.TryGetValue("unit", out var unitExpr)) throw Errors.Location(5166305, "Missing 'unit' parameter to $dateDiff");
        var s = Evaluate(startExpr, scope);
        var e = Evaluate(endExpr, scope);
        var unit = Evaluate(unitExpr, scope);
        var zone = ZoneOf(spec, scope);
        if (IsNullish(s) || IsNullish(e) || IsNullish(unit) || zone is null) return BsonNull.Value;
        if (s is not (BsonDateTime or BsonTimestamp or BsonObjectId)) throw Errors.Location(5166307, "$dateDiff requires 'startDate' to be a date, but got " + BsonOrder.TypeName(s));
        if (e is not (BsonDateTime or BsonTimestamp or BsonObjectId)) throw Errors.Location(5166307, "$dateDiff requires 'endDate' to be a date, but got " + BsonOrder.TypeName(e));
        var unitName = TimeUnit(op, unit!);
        var startOfWeek = 0;
        if (unitName == "week" && spec.TryGetValue("startOfWeek", out var sowExpr))
        {
            var sow = Evaluate(sowExpr, scope);
            if (IsNullish(sow)) return BsonNull.Value;
            if (sow is not BsonString sows) throw Errors.Location(5439015, "$dateDiff requires 'startOfWeek' to be a string, but got " + BsonOrder.TypeName(sow));
            startOfWeek = Array.IndexOf(WeekDays, sows.Value.ToLowerInvariant());
            if (startOfWeek < 0) throw Errors.Location(5439016, "$dateDiff parameter 'startOfWeek' value cannot be recognized as a day of a week: " + sows.Value);
        }
        var utcA = DateMillis(op, s!);
        var utcB = DateMillis(op, e!);
        if (unitName == "millisecond") return new BsonInt64(utcB - utcA);
        // mongod counts the unit boundaries crossed between the two instants on the zone's wall clock.
        long localA = zone.ToLocal(utcA), localB = zone.ToLocal(utcB);
        if (UnitMillis(unitName) is { } ms) return new BsonInt64(DateCalendar.FloorDiv(localB, ms) - DateCalendar.FloorDiv(localA, ms));
        var a = DateCalendar.Split(localA);
        var b = DateCalendar.Split(localB);
        long r = unitName switch
        {
            "year" => b.Year - a.Year,
            "quarter" => DateCalendar.FloorDiv(b.Year * 12 + b.Month - 1, 3) - DateCalendar.FloorDiv(a.Year * 12 + a.Month - 1, 3),
            "month" => b.Year * 12 + b.Month - (a.Year * 12 + a.Month),
            "week" => DateCalendar.FloorDiv(b.Days - FirstWeekDayOnOrAfter(ReferenceDays, startOfWeek), 7) -
                      DateCalendar.FloorDiv(a.Days - FirstWeekDayOnOrAfter(ReferenceDays, startOfWeek), 7),
            _ => b.Days - a.Days,
        };
        return new BsonInt64(r);
    }
}
