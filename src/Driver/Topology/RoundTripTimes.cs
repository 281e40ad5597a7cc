namespace Mongo.Driver.Topology;

/// <summary>
/// One server's round-trip-time statistics (server-monitoring spec "Measuring RTT"): the exponentially weighted moving
/// average that server selection's latency window uses, and the minimum of the last ten samples (reported as zero until
/// two samples exist). Fed by the monitor's handshakes and polls, and in streaming mode by the RTT monitor; read by the
/// monitor when it builds a description. Thread-safe: in streaming mode two tasks use it.
/// </summary>
internal sealed class RoundTripTimes
{
    private const int WindowSize = 10;

    private readonly object _lock = new();
    private readonly TimeSpan[] _recent = new TimeSpan[WindowSize];
    private int _count;
    private int _next;
    private TimeSpan? _average;

    /// <summary>The moving average; null before the first sample (or after <see cref="Reset"/>).</summary>
    public TimeSpan? Average
    {
        get
        {
            lock (_lock)
            {
                return _average;
            }
        }
    }

    /// <summary>The least of the last ten samples; zero until at least two were taken.</summary>
    public TimeSpan Minimum
    {
        get
        {
            lock (_lock)
            {
                if (_count < 2)
                {
                    return TimeSpan.Zero;
                }

                TimeSpan min = TimeSpan.MaxValue;
                for (int i = 0; i < _count; i++)
                {
                    if (_recent[i] < min)
                    {
                        min = _recent[i];
                    }
                }

                return min;
            }
        }
    }

    public void Add(TimeSpan sample)
    {
        lock (_lock)
        {
            _average = ServerMonitor.NextAverageRoundTripTime(_average, sample);
            _recent[_next] = sample;
            _next = (_next + 1) % WindowSize;
            _count = Math.Min(_count + 1, WindowSize);
        }
    }

    /// <summary>Forgets every sample (a failed check: the next description starts measuring afresh).</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _average = null;
            _count = 0;
            _next = 0;
        }
    }
}
