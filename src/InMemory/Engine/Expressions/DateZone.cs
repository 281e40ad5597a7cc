using System.Globalization;
using System.Text.RegularExpressions;
using Mongo.Bson;

namespace Mongo.InMemory.Engine.Expressions;

/// <summary>
/// The time zone of a date expression: UTC, a fixed ±hh:mm offset, or an Olson (IANA) zone. Dates are handled as
/// milliseconds since the epoch (long, not DateTime, so any BSON date works); "local milliseconds" are the same count
/// shifted by the zone's offset at that instant, and the calendar arithmetic in <see cref="DateCalendar"/> runs on them.
/// </summary>
internal sealed partial class DateZone
{
    public static readonly DateZone Utc = new(null, TimeSpan.Zero);

    private readonly TimeZoneInfo? _zone;
    private readonly TimeSpan _fixed;

    private DateZone(TimeZoneInfo? zone, TimeSpan offset)
    {
        _zone = zone;
        _fixed = offset;
    }

    [GeneratedRegex(@"^([+-])(\d{2})(?::?(\d{2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetPattern();

    /// <summary>A fixed offset zone (used by $dateFromString for an offset written inside the string).</summary>
    public static DateZone FixedOffset(TimeSpan offset) => new(null, offset);

    /// <summary>
    /// mongod's parsing of a <c>timezone</c> argument: a string naming an Olson zone or an offset ("+03", "-0330",
    /// "+03:30"); null when the argument evaluated to null or missing (the expression then answers null).
    /// </summary>
    public static DateZone? Parse(BsonValue? value)
    {
        if (value is null || value.BsonType is BsonType.Null or BsonType.Undefined) return null;
        if (value is not BsonString s) throw Errors.Location(40517, "timezone must evaluate to a string, found " + BsonOrder.TypeName(value));
        return FromName(s.Value) ?? throw Errors.Location(40485, "unrecognized time zone identifier: \"" + s.Value + "\"");
    }

    /// <summary>A zone by name or offset, or null when neither mongod's time zone database nor the offset syntax knows it.</summary>
    public static DateZone? FromName(string name)
    {
        if (name is "UTC" or "GMT" or "Z" or "Etc/UTC" or "Etc/GMT") return Utc;
        var m = OffsetPattern().Match(name);
        if (m.Success)
        {
            var hours = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            var minutes = m.Groups[3].Success ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
            var offset = new TimeSpan(hours, minutes, 0);
            return new DateZone(null, m.Groups[1].Value == "-" ? -offset : offset);
        }
        // Only IANA names: .NET would also accept Windows names ("Eastern Standard Time"), which mongod refuses.
        if (name.Length == 0 || name.Contains(' ', StringComparison.Ordinal)) return null;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) || !zone.HasIanaId) return null;
        return new DateZone(zone, TimeSpan.Zero);
    }

    /// <summary>The zone's offset from UTC at the instant <paramref name="utcMillis"/>.</summary>
    public long OffsetMillisAt(long utcMillis)
    {
        if (_zone is null) return (long)_fixed.TotalMilliseconds;
        var instant = DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(utcMillis, MinDotNetMillis, MaxDotNetMillis)).UtcDateTime;
        return (long)_zone.GetUtcOffset(instant).TotalMilliseconds;
    }

    public long ToLocal(long utcMillis) => utcMillis + OffsetMillisAt(utcMillis);

    /// <summary>
    /// The instant a local wall-clock reading names. A reading that occurs twice (clocks going back) resolves to the
    /// first, a reading skipped by clocks going forward is read with the offset before the change, as timelib does.
    /// </summary>
    public long ToUtc(long localMillis)
    {
        if (_zone is null) return localMillis - (long)_fixed.TotalMilliseconds;
        // Try the offsets in effect a day either side of the reading; the first that maps back to it wins.
        var before = OffsetMillisAt(localMillis - 86_400_000);
        var after = OffsetMillisAt(localMillis + 86_400_000);
        foreach (var offset in before >= after ? new[] { before, after } : new[] { after, before })
        {
            var utc = localMillis - offset;
            if (OffsetMillisAt(utc) == offset) return utc;
        }
        return localMillis - before;
    }

    private static readonly long MinDotNetMillis = DateTimeOffset.MinValue.ToUnixTimeMilliseconds() + 86_400_000L * 2;
    private static readonly long MaxDotNetMillis = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() - 86_400_000L * 2;
}
