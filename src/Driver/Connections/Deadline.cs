using System.Diagnostics;
using System.Globalization;

namespace Mongo.Driver.Connections;

/// <summary>
/// A point in time by which an operation must finish (or "never"). Passed down by value through server
/// selection, checkout and socket I/O so that one budget (timeoutMS, serverSelectionTimeoutMS, ...) covers
/// every step, and each step sees what is left rather than its own fresh timeout.
/// </summary>
internal readonly struct Deadline
{
    private readonly long _expiresAt; // Stopwatch ticks; long.MaxValue = infinite
    private readonly bool _timeoutMS;

    private Deadline(long expiresAt, bool timeoutMS = false)
    {
        _expiresAt = expiresAt;
        _timeoutMS = timeoutMS;
    }

    /// <summary>A deadline that never expires.</summary>
    public static Deadline Infinite => new(long.MaxValue);

    /// <summary>A deadline <paramref name="timeout"/> from now; <see cref="Timeout.InfiniteTimeSpan"/> (or any negative span) means none.</summary>
    public static Deadline After(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan)
        {
            return Infinite;
        }

        long ticks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        long now = Stopwatch.GetTimestamp();
        return new(ticks > long.MaxValue - now ? long.MaxValue : now + ticks);
    }

    /// <summary>
    /// A deadline set by <c>timeoutMS</c> (client-side operations timeout spec): <paramref name="timeout"/> from now, infinite
    /// for <see cref="Timeout.InfiniteTimeSpan"/>. It replaces the deprecated socketTimeoutMS and waitQueueTimeoutMS, which
    /// the socket and the pool then ignore (<see cref="IsTimeoutMS"/>).
    /// </summary>
    public static Deadline ForTimeoutMS(TimeSpan timeout) => new(After(timeout)._expiresAt, timeoutMS: true);

    /// <summary>Whether this deadline comes from timeoutMS, which overrides socketTimeoutMS and waitQueueTimeoutMS.</summary>
    public bool IsTimeoutMS => _timeoutMS;

    /// <summary>Whether this deadline never expires.</summary>
    public bool IsInfinite => _expiresAt == long.MaxValue;

    /// <summary>Whether the deadline has passed.</summary>
    public bool HasExpired => !IsInfinite && Stopwatch.GetTimestamp() >= _expiresAt;

    /// <summary>The time left (at least zero), or <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public TimeSpan TimeLeft =>
        IsInfinite ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(Math.Max(0, _expiresAt - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);

    /// <summary>The time left in whole milliseconds for socket APIs: -1 for infinite, at least 1 otherwise.</summary>
    public int TimeLeftMilliseconds
    {
        get
        {
            if (IsInfinite)
            {
                return Timeout.Infinite;
            }

            double ms = Math.Ceiling(TimeLeft.TotalMilliseconds);
            return ms >= int.MaxValue ? int.MaxValue : Math.Max(1, (int)ms);
        }
    }

    /// <summary>The earlier of this deadline and another.</summary>
    public Deadline Min(Deadline other) => new(Math.Min(_expiresAt, other._expiresAt), _timeoutMS || other._timeoutMS);

    /// <summary>Throws a <see cref="MongoTimeoutException"/> naming <paramref name="what"/> when the deadline has passed; returns the time left otherwise.</summary>
    public TimeSpan CheckAndGetTimeLeft(string what)
    {
        if (HasExpired)
        {
            throw _timeoutMS ? new MongoOperationTimeoutException("Timed out " + what + " (timeoutMS).") : new MongoTimeoutException("Timed out " + what + ".");
        }

        return TimeLeft;
    }

    /// <inheritdoc />
    public override string ToString() =>
        IsInfinite ? "infinite" : TimeLeft.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + "ms left";
}
