using Mongo.Bson;
using Mongo.InMemory.Engine.Expressions;

namespace Mongo.InMemory.Engine.Pipeline;

/// <summary>One end of a window: 'unbounded', 'current', or an offset (documents) / value distance (range).</summary>
internal readonly record struct WindowBound(WindowBoundKind Kind, BsonValue? Offset)
{
    public static readonly WindowBound Unbounded = new(WindowBoundKind.Unbounded, null);
}

internal enum WindowBoundKind
{
    Unbounded,
    Current,
    Offset,
}

/// <summary>A parsed 'window' field: document-based or range-based bounds, the latter optionally in a time unit.</summary>
internal sealed class WindowBounds
{
    public static readonly WindowBounds AllDocuments = new(isRange: false, WindowBound.Unbounded, WindowBound.Unbounded, unit: null);

    public static readonly WindowBounds UpToCurrent = new(isRange: false, WindowBound.Unbounded, new WindowBound(WindowBoundKind.Current, null), unit: null);

    private WindowBounds(bool isRange, WindowBound lower, WindowBound upper, string? unit)
    {
        IsRange = isRange;
        Lower = lower;
        Upper = upper;
        Unit = unit;
    }

    public bool IsRange { get; }

    public WindowBound Lower { get; }

    public WindowBound Upper { get; }

    /// <summary>The time unit of a range over dates (null: plain numeric range, or document bounds).</summary>
    public string? Unit { get; }

    public bool IsUnbounded => Lower.Kind == WindowBoundKind.Unbounded && Upper.Kind == WindowBoundKind.Unbounded;

    /// <summary>Parses a 'window' field as mongod's WindowBounds::parse does (its FailedToParse messages and its located codes).</summary>
    public static WindowBounds Parse(BsonValue window, SortSpecInfo? sortBy, PipelineContext context)
    {
        if (window is not BsonDocument w) throw Errors.FailedToParse("'window' field must be an object");
        var documents = w.GetValueOrDefault("documents");
        var range = w.GetValueOrDefault("range");
        var unit = w.GetValueOrDefault("unit");
        if (documents is not null && range is not null) throw Errors.FailedToParse("Window bounds can specify either 'documents' or 'unit', not both.");
        if (range is null && unit is not null) throw Errors.FailedToParse("Window bounds can only specify 'unit' with range-based bounds.");
        if (range is null && documents is null)
        {
            if (w.ElementCount != 0) throw Errors.FailedToParse("'window' field can only contain 'documents' as the only argument or 'range' with an optional 'unit' field");
            return AllDocuments;
        }
        if (documents is not null)
        {
            if (w.ElementCount != 1) throw Errors.FailedToParse("'window' field that specifies documents cannot have other fields");
            var (lo, hi) = Unpack("documents", documents);
            var lower = ParseBound(lo, context, v => v.IsNumeric && IsIntegral(v) ? Num.Int(v.ToInt64()) : throw Errors.FailedToParse("Numeric document-based bounds must be an integer"));
            var upper = ParseBound(hi, context, v => v.IsNumeric && IsIntegral(v) ? Num.Int(v.ToInt64()) : throw Errors.FailedToParse("Numeric document-based bounds must be an integer"));
            CheckForward(lower, upper);
            var bounds = new WindowBounds(false, lower, upper, null);
            if (!bounds.IsUnbounded && sortBy is null) throw Errors.Location(5339901, "Document-based bounds require a sortBy");
            return bounds;
        }
        else
        {
            var (lo, hi) = Unpack("range", range!);
            WindowBounds bounds;
            if (unit is not null)
            {
                if (w.ElementCount != 2) throw Errors.FailedToParse("'window' field that specifies unit cannot have other fields besides 'range'");
                if (unit is not BsonString us) throw Errors.FailedToParse("'unit' must be a string");
                Func<BsonValue, BsonValue> integral = v => v.IsNumeric && IsIntegral(v) ? v : throw Errors.FailedToParse("With 'unit', range-based bounds must be an integer");
                var lower = ParseBound(lo, context, integral);
                var upper = ParseBound(hi, context, integral);
                CheckForward(lower, upper);
                bounds = new WindowBounds(true, lower, upper, TimeUnits.Parse(us.Value));
            }
            else
            {
                if (w.ElementCount != 1) throw Errors.FailedToParse("'window' field that specifies range cannot have other fields besides 'unit'");
                Func<BsonValue, BsonValue> number = v => v.IsNumeric ? v : throw Errors.FailedToParse("Range-based bounds expression must be a number");
                var lower = ParseBound(lo, context, number);
                var upper = ParseBound(hi, context, number);
                CheckForward(lower, upper);
                bounds = new WindowBounds(true, lower, upper, null);
            }
            if (sortBy is null || sortBy.FieldCount != 1) throw Errors.Location(5339902, "Range-based bounds require sortBy a single field");
            if (!sortBy.FirstAscending) throw Errors.Location(8947401, "Range-based bounds require an ascending sortBy");
            return bounds;
        }
    }

    private static bool IsIntegral(BsonValue v)
    {
        var d = v.ToDouble();
        return Math.Truncate(d) == d && d >= int.MinValue && d <= int.MaxValue;
    }

    private static (BsonValue Lower, BsonValue Upper) Unpack(string name, BsonValue e)
    {
        if (e is not BsonArray { Count: 2 } a) throw Errors.FailedToParse("Window bounds must be a 2-element array: " + name + ": " + Shell.Format(e));
        return (a[0], a[1]);
    }

    private static WindowBound ParseBound(BsonValue e, PipelineContext context, Func<BsonValue, BsonValue> handle)
    {
        if (e is BsonString s)
        {
            return s.Value switch
            {
                "unbounded" => WindowBound.Unbounded,
                "current" => new WindowBound(WindowBoundKind.Current, null),
                _ => throw Errors.FailedToParse("Window bounds must be 'unbounded', 'current', or a number."),
            };
        }
        var constant = AggregationPipeline.ConstantOf(e, context) ?? throw Errors.FailedToParse("Window bounds expression must be a constant.");
        return new WindowBound(WindowBoundKind.Offset, handle(constant));
    }

    private static void CheckForward(WindowBound lower, WindowBound upper)
    {
        // 'current' counts as 0; only two numeric ends can be out of order.
        var lo = lower.Kind == WindowBoundKind.Current ? new BsonInt32(0) : lower.Offset;
        var hi = upper.Kind == WindowBoundKind.Current ? new BsonInt32(0) : upper.Offset;
        if (lower.Kind == WindowBoundKind.Unbounded || upper.Kind == WindowBoundKind.Unbounded) return;
        if (BsonOrder.Compare(lo!, hi!) > 0)
            throw Errors.Location(5339900, "Lower bound must not exceed upper bound: [" + Shell.Format(lo) + ", " + Shell.Format(hi) + "]");
    }
}

/// <summary>What window parsing needs to know of $setWindowFields' sortBy.</summary>
internal sealed class SortSpecInfo(BsonDocument spec)
{
    public int FieldCount => spec.ElementCount;

    public string FirstField => spec.GetElement(0).Name;

    public bool FirstAscending => spec[0].IsNumeric && spec[0].ToDouble() > 0;

    /// <summary>The sortBy's single field's value in a document (aggregation path semantics; null: missing).</summary>
    public BsonValue? FirstValue(BsonDocument doc) => ExpressionEvaluator.Evaluate(new BsonString("$" + FirstField), new ExprScope(doc));
}

/// <summary>Time units of window ranges, $derivative/$integral and $densify (mongod's parseTimeUnit names).</summary>
internal static class TimeUnits
{
    private static readonly string[] s_names = ["year", "quarter", "month", "week", "day", "hour", "minute", "second", "millisecond"];

    public static string Parse(string unit) =>
        Array.IndexOf(s_names, unit) >= 0 ? unit : throw Errors.FailedToParse("unknown time unit value: " + unit);

    /// <summary>Milliseconds in a fixed-length unit (week or smaller); null for month, quarter and year.</summary>
    public static long? Millis(string unit) => unit switch
    {
        "week" => 604_800_000L,
        "day" => 86_400_000L,
        "hour" => 3_600_000L,
        "minute" => 60_000L,
        "second" => 1_000L,
        "millisecond" => 1L,
        _ => null,
    };

    /// <summary>A date moved by a whole number of units, calendar-aware for months, quarters and years (UTC), as $dateAdd does.</summary>
    public static BsonDateTime Add(BsonDateTime date, string unit, long amount)
    {
        if (Millis(unit) is { } ms) return new BsonDateTime(checked(date.MillisecondsSinceEpoch + amount * ms));
        var months = unit switch { "month" => amount, "quarter" => amount * 3, _ => amount * 12 };
        var start = DateTimeOffset.FromUnixTimeMilliseconds(date.MillisecondsSinceEpoch);
        return new BsonDateTime(start.AddMonths(checked((int)months)).ToUnixTimeMilliseconds());
    }
}
