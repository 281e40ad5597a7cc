using Mongo.Bson;

namespace Mongo.InMemory.Server;

/// <summary>
/// A strictly increasing cluster time (seconds since the epoch, increment). A server has its own; the members of an
/// in-memory replica set share one, so optimes and operation times order across members as the gossiped clock orders
/// them on a real set.
/// </summary>
internal sealed class ClusterClock
{
    private readonly object _lock = new();
    private uint _seconds;
    private uint _increment;

    /// <summary>The versions of the data kept for snapshot reads, by this clock's times (shared as the clock is).</summary>
    public SnapshotHistory History { get; } = new();

    /// <summary>A new time, later than every one handed out before.</summary>
    public BsonTimestamp Next()
    {
        lock (_lock)
        {
            uint now = (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (now > _seconds)
            {
                _seconds = now;
                _increment = 0;
            }

            _increment++;
            var time = new BsonTimestamp(_seconds, _increment);

            // Changes made since the last time handed out happened before this one (under this lock, so times and
            // the changes they cover stay in one order).
            History.Stamp(time);
            return time;
        }
    }

    /// <summary>The latest time handed out (or a fresh one when none was).</summary>
    public BsonTimestamp Current()
    {
        lock (_lock)
        {
            if (_seconds == 0)
            {
                _seconds = (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                _increment = 1;
            }

            return new BsonTimestamp(_seconds, _increment);
        }
    }
}
