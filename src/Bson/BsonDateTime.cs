using System.Globalization;

namespace Mongo.Bson;

/// <summary>
/// A BSON UTC datetime: signed milliseconds since the Unix epoch. The full 64-bit range is kept, including
/// instants that <see cref="DateTime"/> cannot represent.
/// </summary>
public sealed class BsonDateTime : BsonValue
{
    private const long MinDateTimeMs = -62135596800000; // 0001-01-01T00:00:00Z
    private const long MaxDateTimeMs = 253402300799999; // 9999-12-31T23:59:59.999Z

    /// <summary>Creates a value from milliseconds since the Unix epoch.</summary>
    public BsonDateTime(long millisecondsSinceEpoch) => MillisecondsSinceEpoch = millisecondsSinceEpoch;

    /// <summary>Creates a value from a <see cref="DateTime"/> (local times are converted to UTC; sub-millisecond ticks are truncated).</summary>
    public BsonDateTime(DateTime dateTime) : this(ToMilliseconds(dateTime)) { }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long MillisecondsSinceEpoch { get; }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.DateTime;

    /// <summary>Whether the value lies in <see cref="DateTime"/>'s range.</summary>
    public bool IsValidDateTime => MillisecondsSinceEpoch is >= MinDateTimeMs and <= MaxDateTimeMs;

    /// <summary>The value as a UTC <see cref="DateTime"/>.</summary>
    /// <exception cref="InvalidCastException">The instant is outside <see cref="DateTime"/>'s range.</exception>
    public DateTime ToUniversalTime() => IsValidDateTime
        ? DateTime.UnixEpoch.AddMilliseconds(MillisecondsSinceEpoch)
        : throw new InvalidCastException($"BSON datetime {MillisecondsSinceEpoch} ms is outside the range of System.DateTime.");

    /// <summary>Milliseconds since the Unix epoch for a <see cref="DateTime"/> (local times converted to UTC).</summary>
    public static long ToMilliseconds(DateTime dateTime)
    {
        DateTime utc = dateTime.Kind == DateTimeKind.Local ? dateTime.ToUniversalTime() : dateTime;
        return (utc.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
    }

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) => other is BsonDateTime d && d.MillisecondsSinceEpoch == MillisecondsSinceEpoch;

    /// <inheritdoc />
    public override int GetHashCode() => MillisecondsSinceEpoch.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => IsValidDateTime
        ? ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
        : MillisecondsSinceEpoch.ToString(CultureInfo.InvariantCulture);
}
